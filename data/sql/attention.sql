-- Provinces needing attention: how many of their indicators with a target are
-- off track or at risk in the latest period ending by $as_of. $indicators
-- (';'-separated, NULL: all) limits the count to a ministry scope's indicators.
WITH latest AS (
  SELECT p.* FROM m_progress p JOIN indicators i ON i.code = p.indicator_code
  WHERE p.geo = $geo
    -- a daily indicator is read by its months (the sum of its days)
    AND p.period_type = CASE i.frequency WHEN 'day' THEN 'month' ELSE i.frequency END
    AND p.status <> 'no_target'
    AND period_end(p.period) <= period_end($as_of)
    AND period_end(p.period) > period_end($as_of) - INTERVAL 1 YEAR
    AND p.unit_code IN (SELECT unit_code FROM m_units WHERE level = 'province' AND geo = $geo)
    AND ($indicators IS NULL OR list_contains(string_split($indicators, ';'), p.indicator_code))
  QUALIFY row_number() OVER (PARTITION BY p.unit_code, p.indicator_code
                             ORDER BY p.period DESC) = 1
)
SELECT u.unit_code, u.name_vi, u.name_en,
       count(*) FILTER (WHERE l.status = 'off_track') AS n_off_track,
       count(*) FILTER (WHERE l.status = 'at_risk') AS n_at_risk,
       count(*) FILTER (WHERE l.status = 'on_track') AS n_on_track,
       count(l.status) AS n_with_target,
       list(l.indicator_code ORDER BY l.pct_of_target) FILTER (WHERE l.status = 'off_track')
         AS off_track_codes
FROM m_units u LEFT JOIN latest l ON l.unit_code = u.unit_code
WHERE u.level = 'province' AND u.geo = $geo
GROUP BY ALL
ORDER BY n_off_track DESC, n_at_risk DESC, u.unit_code
