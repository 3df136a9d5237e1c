-- One indicator by socio-economic region for one period: additive figures are
-- summed, others averaged over the provinces that report (said in `method`).
SELECT g.region_key, g.name_vi, g.name_en,
       CASE WHEN i.aggregation = 'sum' THEN sum(p.actual) ELSE avg(p.actual) END AS value,
       CASE WHEN i.aggregation = 'sum' THEN 'sum' ELSE 'mean' END AS method,
       count(p.actual) AS n_provinces
FROM m_progress p
JOIN indicators i ON i.code = p.indicator_code
JOIN province_regions r ON r.unit_code = p.unit_code AND r.geo = $geo
JOIN regions g ON g.region_key = r.region_key
WHERE p.geo = $geo AND p.indicator_code = $indicator AND p.period = $period
  AND p.unit_code IN (SELECT unit_code FROM m_units WHERE level = 'province' AND geo = $geo)
GROUP BY g.region_key, g.name_vi, g.name_en, i.aggregation
ORDER BY value DESC NULLS LAST
