-- The reporting regimes (data/reference/regimes.csv): period, deadline, legal basis.
-- Monthly first, then quarterly, yearly and daily; provinces, communes, then ministries.
SELECT code, name_vi, name_en, period_type, cutoff_day, deadline_days, reporter_level,
       basis
FROM regimes
ORDER BY CASE period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 WHEN 'year' THEN 3
                          ELSE 4 END,
         CASE reporter_level WHEN 'province' THEN 1 WHEN 'commune' THEN 2 ELSE 3 END,
         code
