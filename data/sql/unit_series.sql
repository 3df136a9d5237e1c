-- The time series of one indicator for one unit at its own frequency.
SELECT p.period, p.actual, p.ytd_actual, p.target, p.target_to_date, p.pct_of_target,
       p.expected_pct, p.status, p.last_year_value, p.pct_vs_last_year,
       p.projected_year_end, p.revised, p.n_parts, p.n_expected, p.origin
FROM m_progress p JOIN indicators i ON i.code = p.indicator_code
WHERE p.geo = $geo AND p.unit_code = $unit AND p.indicator_code = $indicator
    -- a daily indicator is read by its months (the sum of its days)
    AND p.period_type = CASE i.frequency WHEN 'day' THEN 'month' ELSE i.frequency END
ORDER BY p.period
