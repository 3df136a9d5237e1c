-- For a snapshot built before observation_history had `signer` (etl/worker.py).
-- The files behind a figure: its own revisions, or for a figure derived across
-- the merger or from a numerator and denominator, those of its components,
-- and the file of the annual target its % of plan is measured against.
WITH ind AS (SELECT * FROM indicators WHERE code = $indicator),
-- before the reform, a 2025 province's figure is the sum of its predecessors
merged_from AS (
  SELECT m.old_code AS unit FROM province_merger m
  WHERE m.new_code = $unit AND $geo = '2025'
    AND period_end($period) < reform_day()
),
component_units AS (
  SELECT $unit AS unit UNION SELECT unit FROM merged_from
),
parts AS (
  SELECT 'reported' AS role, $indicator AS code, $unit AS unit
  UNION ALL
  SELECT 'predecessor', $indicator, unit FROM merged_from WHERE unit <> $unit
  UNION ALL
  SELECT 'annual_target', $indicator, $unit WHERE length($period) > 4
  UNION ALL
  SELECT 'numerator', ind.numerator, c.unit FROM ind, component_units c
  WHERE ind.aggregation = 'ratio'
  UNION ALL
  SELECT 'denominator', ind.denominator, c.unit FROM ind, component_units c
  WHERE ind.aggregation = 'ratio'
)
SELECT parts.role, h.indicator_code, h.unit_code, h.period, h.kind, h.value, h.revision,
       h.source_file, h.source_sha256, h.source_row, h.loaded_at, h.submitted_at,
       h.operator, h.reporter, NULL::VARCHAR AS signer
FROM parts
JOIN observation_history h ON h.indicator_code = parts.code AND h.unit_code = parts.unit
  AND CASE WHEN parts.role = 'annual_target'
           THEN h.kind = 'target' AND h.period = CAST(period_year($period) AS VARCHAR)
           ELSE h.period = $period
                OR (parts.role IN ('numerator', 'denominator') AND length($period) = 4
                    AND period_year(h.period) = period_year($period)
                    AND period_last_month(h.period) = 12) END
ORDER BY parts.role DESC, h.indicator_code, h.unit_code, h.kind, h.revision
