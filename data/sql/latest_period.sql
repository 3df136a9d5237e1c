-- The latest period at the indicator's frequency with an actual for the unit.
SELECT max(p.period) AS period
FROM m_progress p JOIN indicators i ON i.code = p.indicator_code
WHERE p.geo = $geo AND p.indicator_code = $indicator AND p.unit_code = $unit
    -- a daily indicator is read by its months (the sum of its days)
    AND p.period_type = CASE i.frequency WHEN 'day' THEN 'month' ELSE i.frequency END
