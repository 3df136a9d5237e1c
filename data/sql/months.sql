-- Months that have actual figures, newest first (the period picker).
SELECT DISTINCT period FROM observations
WHERE kind = 'actual' AND period_type(period) = 'month'
ORDER BY period DESC
