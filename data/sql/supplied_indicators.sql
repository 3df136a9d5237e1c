-- The indicators with actual figures in this snapshot (the freshness line
-- counts those of the caller's reach: data/queries.snapshot_meta).
SELECT indicator_code FROM m_supplied
