-- Communes of a province (in one era) that have figures.
SELECT u.unit_code, u.name_vi, u.name_en, count(o.value) AS n_figures,
       max(o.period) AS latest_period
FROM m_units u
JOIN observations o ON o.unit_code = u.unit_code
  AND period_end(o.period) BETWEEN u.valid_from AND u.valid_to
WHERE u.level = 'commune' AND u.parent_code = $province
  AND (CASE WHEN u.valid_to < reform_day() THEN '2020' ELSE '2025' END) = $geo
GROUP BY ALL ORDER BY u.name_vi
