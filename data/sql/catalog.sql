-- The indicator catalog with sector names, in sector order.
SELECT i.*, s.name_vi AS sector_vi, s.name_en AS sector_en, s."order" AS sector_order,
       a.name_vi AS owner_vi, a.name_en AS owner_en
FROM indicators i
LEFT JOIN sectors s ON s.code = i.sector
LEFT JOIN agencies a ON a.code = i.owner
ORDER BY s."order", i.code
