-- What the freshness stamps show: the snapshot, its last load and submission
-- (the counts are built with the snapshot, etl/models/50_meta.sql).
SELECT (SELECT max(snapshot_id) FROM snapshot_info) AS snapshot_id,
       (SELECT max(published_at) FROM snapshot_info) AS published_at,
       (SELECT max(loaded_at) FROM loads) AS last_loaded_at,
       (SELECT max(submitted_at) FROM loads) AS last_submitted_at,
       m.n_observations, m.n_indicators_supplied,
       (SELECT count(*) FROM indicators) AS n_indicators,
       m.latest_month
FROM m_meta m
