-- The provinces of one geography ('2025': the 34, '2020': the 63) with regions.
SELECT u.unit_code, u.name_vi, u.name_en, r.region_key,
       g.name_vi AS region_vi, g.name_en AS region_en
FROM m_units u
LEFT JOIN province_regions r ON r.unit_code = u.unit_code AND r.geo = $geo
LEFT JOIN regions g ON g.region_key = r.region_key
WHERE u.level = 'province' AND u.geo = $geo
ORDER BY u.unit_code
