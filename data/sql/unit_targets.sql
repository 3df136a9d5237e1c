-- Targets of one indicator for one unit (annual plans and milestones).
SELECT period, value AS target, revised, origin
FROM m_series
WHERE geo = $geo AND unit_code = $unit AND indicator_code = $indicator AND kind = 'target'
ORDER BY period
