-- What the freshness stamps show, for a snapshot built before m_meta existed.
SELECT (SELECT max(snapshot_id) FROM snapshot_info) AS snapshot_id,
       (SELECT max(published_at) FROM snapshot_info) AS published_at,
       (SELECT max(loaded_at) FROM loads) AS last_loaded_at,
       (SELECT max(submitted_at) FROM loads) AS last_submitted_at,
       (SELECT count(*) FROM observations) AS n_observations,
       (SELECT count(DISTINCT indicator_code) FROM observations WHERE kind = 'actual')
         AS n_indicators_supplied,
       (SELECT count(*) FROM indicators) AS n_indicators,
       (SELECT max(period) FROM observations
         WHERE kind = 'actual' AND period_type(period) = 'month') AS latest_month
