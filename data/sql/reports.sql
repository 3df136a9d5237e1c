-- Expected reports with their status as of $today (bound, so the cache key
-- changes with the day), for periods ending by $as_of
-- within the last $months months (what the data-status page shows).
SELECT r.*, g.name_vi AS regime_vi, g.name_en AS regime_en,
       coalesce(u.name_vi, a.name_vi) AS unit_vi, coalesce(u.name_en, a.name_en) AS unit_en,
       CASE WHEN r.n_supplied = 0 THEN
              CASE WHEN CAST($today AS DATE) > r.due_date THEN 'missing' ELSE 'due' END
            WHEN CAST(r.first_submitted_at AS DATE) <= r.due_date THEN 'on_time'
            ELSE 'late' END AS report_status,
       greatest(0, date_diff('day', r.due_date,
                             CAST(coalesce(r.first_submitted_at, CAST($today AS DATE)) AS DATE)))
         AS days_late
FROM m_reports r
JOIN regimes g ON g.code = r.regime
LEFT JOIN m_units u ON u.unit_code = r.unit_code
  AND period_end(r.period) BETWEEN u.valid_from AND u.valid_to
LEFT JOIN agencies a ON a.code = r.reporter
WHERE period_end(r.period) <= period_end($as_of)
  AND period_end(r.period) > period_end($as_of) - to_months($months)
  AND ($level IS NULL OR r.level = $level)
  AND ($unit IS NULL OR r.unit_code = $unit OR u.parent_code = $unit)
ORDER BY r.regime, r.period DESC, r.unit_code
