-- Every version of a unit code (a code can name an old and a merged province).
SELECT u.unit_code, u.level, u.name_vi, u.name_en, u.parent_code, u.valid_from,
       u.valid_to, u.geo, p.name_vi AS parent_vi, p.name_en AS parent_en
FROM m_units u
LEFT JOIN m_units p ON p.unit_code = u.parent_code
  AND u.valid_from BETWEEN p.valid_from AND p.valid_to
WHERE u.unit_code = $unit
ORDER BY u.valid_from DESC
