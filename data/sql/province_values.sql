-- One indicator across the provinces of a geography for the latest period (at
-- the indicator's frequency) ending by $as_of that has any province figure.
WITH pick AS (
  SELECT max(p.period) AS period
  FROM m_progress p JOIN indicators i ON i.code = p.indicator_code
  WHERE p.geo = $geo AND p.indicator_code = $indicator
    -- a daily indicator is read by its months (the sum of its days)
    AND p.period_type = CASE i.frequency WHEN 'day' THEN 'month' ELSE i.frequency END
    AND period_end(p.period) <= period_end($as_of)
    AND p.unit_code IN (SELECT unit_code FROM m_units WHERE level = 'province' AND geo = $geo)
)
SELECT u.unit_code, u.name_vi, u.name_en, r.region_key, pick.period,
       p.actual, p.ytd_actual, p.target, p.pct_of_target, p.expected_pct, p.status,
       p.pct_vs_last_year, p.change_vs_last_year, p.revised, p.n_parts, p.n_expected,
       p.submitted_at,
       CASE WHEN p.actual IS NOT NULL THEN rank() OVER (
         ORDER BY CASE WHEN i.direction = 'down' THEN p.actual ELSE -p.actual END
       ) END AS rank_value
FROM m_units u
CROSS JOIN pick
JOIN indicators i ON i.code = $indicator
LEFT JOIN province_regions r ON r.unit_code = u.unit_code AND r.geo = $geo
LEFT JOIN m_progress p ON p.geo = $geo AND p.unit_code = u.unit_code
  AND p.indicator_code = $indicator AND p.period = pick.period
WHERE u.level = 'province' AND u.geo = $geo
ORDER BY rank_value NULLS LAST, u.unit_code
