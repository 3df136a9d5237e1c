-- The indicators with actual figures, for a snapshot built before m_supplied
-- existed (etl/models/50_meta.sql).
SELECT DISTINCT indicator_code FROM observations WHERE kind = 'actual'
ORDER BY indicator_code
