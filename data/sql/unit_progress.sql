-- One row per catalog indicator: the unit's latest figure at the indicator's own
-- frequency that ends by the end of $as_of, with its target tracking.
WITH latest AS (
  SELECT p.* FROM m_progress p JOIN indicators i ON i.code = p.indicator_code
  WHERE p.geo = $geo AND p.unit_code = $unit
    -- a daily indicator is read by its months (the sum of its days)
    AND p.period_type = CASE i.frequency WHEN 'day' THEN 'month' ELSE i.frequency END
    AND period_end(p.period) <= period_end($as_of)
  QUALIFY row_number() OVER (PARTITION BY p.indicator_code ORDER BY p.period DESC) = 1
)
SELECT i.code AS indicator_code, i.sector, i.name_vi, i.name_en, i.unit_vi, i.unit_en,
       i.frequency, i.measure, i.aggregation, i.direction, i.target_type AS catalog_target_type,
       i."integer", i.headline, i.owner, i.target_basis, s.name_vi AS sector_vi, s.name_en AS sector_en,
       s."order" AS sector_order, l.* EXCLUDE (indicator_code, unit_code, target_type, direction, measure)
FROM indicators i
LEFT JOIN sectors s ON s.code = i.sector
LEFT JOIN latest l ON l.indicator_code = i.code
ORDER BY s."order", i.code
