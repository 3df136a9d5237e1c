-- Current values (actual and target) of one indicator for one unit, by period.
SELECT indicator_code, unit_code, period, kind, value, revision, loaded_at,
       submitted_at, source_sha256, source_file, reporter, note, basis
FROM observations
WHERE indicator_code = $indicator AND unit_code = $unit
  AND ($from_period IS NULL OR period_end(period) >= period_start($from_period))
  AND ($to_period IS NULL OR period_end(period) <= period_end($to_period))
ORDER BY period_end(period), length(period) DESC, kind
