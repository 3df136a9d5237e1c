-- Every indicator and sector code of the national catalog, whatever the
-- caller's reach (the codes are the fixed catalog, not figures): a page tells
-- a code outside the reach ("not permitted") from an unknown one.
SELECT 'indicator' AS kind, code FROM indicators
UNION ALL
SELECT 'sector' AS kind, code FROM sectors
