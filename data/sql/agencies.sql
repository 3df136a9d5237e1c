-- Reporting agencies (ministries, UBND-<province>) with their names.
SELECT code, name_vi, name_en FROM agencies ORDER BY code
