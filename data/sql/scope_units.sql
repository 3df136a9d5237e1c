-- The units a province scope reads (data/access.py): the nation, the province,
-- the old provinces that merged into it, and the communes of all of them in
-- either era.
WITH provinces AS (
  SELECT $province AS code
  UNION SELECT old_code FROM province_merger WHERE new_code = $province
)
SELECT '00' AS unit_code
UNION
SELECT DISTINCT u.unit_code FROM m_units u
WHERE u.unit_code IN (SELECT code FROM provinces)
   OR (u.level = 'commune' AND u.parent_code IN (SELECT code FROM provinces))
