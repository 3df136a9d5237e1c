-- Months that have actual figures, newest first (the period picker; m_months is
-- built with the snapshot, etl/models/50_meta.sql).
SELECT period FROM m_months ORDER BY period DESC
