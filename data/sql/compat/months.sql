-- Months that have actual figures, newest first (the period picker); for a
-- snapshot built before m_months existed (etl/models/50_meta.sql).
SELECT DISTINCT period FROM observations
WHERE kind = 'actual' AND period_type(period) = 'month'
ORDER BY period DESC
