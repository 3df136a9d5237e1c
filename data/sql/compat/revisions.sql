-- For a snapshot built before observation_history had `signer` (etl/worker.py).
-- Every revision of one figure, actual and target, in load order.
SELECT kind, revision, value, loaded_at, submitted_at, source_file, source_sha256,
       source_row, reporter, operator, note, basis,
       NULL::VARCHAR AS signer
FROM observation_history
WHERE indicator_code = $indicator AND unit_code = $unit AND period = $period
ORDER BY kind, revision
