-- The indicators each reporting agency of $agencies (';'-separated codes)
-- supplies: those with actual figures in this snapshot whose reporter is the
-- agency (the links register, /links), with how many figures and when the
-- latest of them was submitted (UTC).
SELECT o.reporter AS agency, o.indicator_code, i.name_vi, i.name_en,
       count(*) AS n_figures, max(o.submitted_at) AS last_submitted_at
FROM observations o
LEFT JOIN indicators i ON i.code = o.indicator_code
WHERE o.kind = 'actual'
  AND list_contains(string_split($agencies, ';'), o.reporter)
GROUP BY o.reporter, o.indicator_code, i.name_vi, i.name_en
ORDER BY agency, o.indicator_code
