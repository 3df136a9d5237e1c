SELECT s.code, s.name_vi, s.name_en, s."order", count(i.code) AS n_indicators
FROM sectors s LEFT JOIN indicators i ON i.sector = s.code
GROUP BY ALL ORDER BY s."order"
