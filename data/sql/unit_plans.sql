-- The other plans than the primary one a unit's figures are held to (m_plans):
-- basis, target and % of it, per indicator and period.
SELECT indicator_code, unit_code, period, basis, target, pct_of_target
FROM m_plans
WHERE geo = $geo AND unit_code = $unit
ORDER BY indicator_code, period, basis
