-- One province's rank among the provinces of its geography, for every indicator
-- at once: per indicator the latest period (at its own frequency) ending by
-- $as_of that has any province figure, ranked as province_values.sql ranks it
-- (highest first, lowest first for direction 'down'). No row when the province
-- has no figure for that period.
WITH provinces AS (
  SELECT unit_code FROM m_units WHERE level = 'province' AND geo = $geo
), candidates AS (
  SELECT p.indicator_code, p.unit_code, p.period, p.actual, i.direction
  FROM m_progress p JOIN indicators i ON i.code = p.indicator_code
  WHERE p.geo = $geo
    -- a daily indicator is read by its months (the sum of its days)
    AND p.period_type = CASE i.frequency WHEN 'day' THEN 'month' ELSE i.frequency END
    AND period_end(p.period) <= period_end($as_of)
    AND p.unit_code IN (SELECT unit_code FROM provinces)
), pick AS (
  SELECT indicator_code, max(period) AS period FROM candidates GROUP BY indicator_code
), ranked AS (
  SELECT c.indicator_code, c.unit_code, c.period,
         rank() OVER (PARTITION BY c.indicator_code
                      ORDER BY CASE WHEN c.direction = 'down' THEN c.actual
                                    ELSE -c.actual END) AS rank_value,
         count(*) OVER (PARTITION BY c.indicator_code) AS n_ranked
  FROM candidates c JOIN pick USING (indicator_code, period)
  WHERE c.actual IS NOT NULL
)
SELECT indicator_code, period, rank_value, n_ranked
FROM ranked WHERE unit_code = $unit
ORDER BY indicator_code
