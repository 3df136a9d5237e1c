-- The form of one regime ($regime) for the unit a reporting agency ($agency)
-- reports, for $period: the regime's indicators at the unit's level (a
-- ministry: the national figures of the indicators it owns), each with its
-- unit of measure and, for context, the figure published for $period, for the
-- previous period and for the same period a year earlier, in the unit's
-- geography of $period (a merged province: its predecessors summed before
-- 2025-07-01).
WITH a AS (
  SELECT code AS agency, kind,
         CASE kind WHEN 'ministry' THEN '00' ELSE unit_code END AS unit_code,
         CASE kind WHEN 'ministry' THEN 'national' ELSE kind END AS level
  FROM agencies WHERE code = $agency
), p AS (
  SELECT $period AS period,
         CASE period_type($period)
           WHEN 'month' THEN strftime(period_start($period) - INTERVAL 1 MONTH, '%Y-%m')
           WHEN 'quarter' THEN
             strftime(period_start($period) - INTERVAL 3 MONTH, '%Y') || '-Q'
             || quarter(period_start($period) - INTERVAL 3 MONTH)
           ELSE CAST(period_year($period) - 1 AS VARCHAR) END AS prev_period,
         period_shift_years($period, -1) AS last_year_period
), f AS (
  SELECT a.*, p.*,
         CASE WHEN length(a.unit_code) = 2 AND a.unit_code <> '00'
              THEN period_geo($period) ELSE 'all' END AS geo,
         i.code AS indicator_code, i.name_vi, i.name_en, i.unit_vi, i.unit_en,
         i.frequency, i.measure, i.integer, i.min_value, i.max_value,
         s."order" AS sector_order
  FROM a CROSS JOIN p
  JOIN regimes g ON g.code = $regime
  JOIN indicators i ON i.regime = g.code
   AND list_contains(string_split(i.levels, ';'), a.level)
   AND (a.kind <> 'ministry' OR i.owner = a.agency)
  LEFT JOIN sectors s ON s.code = i.sector
)
SELECT f.agency, f.unit_code, f.period, f.prev_period, f.last_year_period,
       f.indicator_code, f.name_vi, f.name_en, f.unit_vi, f.unit_en, f.frequency,
       f.measure, f.integer, f.min_value, f.max_value,
       cur.value AS current_value, prev.value AS prev_value, ly.value AS last_year_value
FROM f
LEFT JOIN m_series cur ON cur.geo = f.geo AND cur.unit_code = f.unit_code
  AND cur.indicator_code = f.indicator_code AND cur.period = f.period
  AND cur.kind = 'actual'
LEFT JOIN m_series prev ON prev.geo = f.geo AND prev.unit_code = f.unit_code
  AND prev.indicator_code = f.indicator_code AND prev.period = f.prev_period
  AND prev.kind = 'actual'
LEFT JOIN m_series ly ON ly.geo = f.geo AND ly.unit_code = f.unit_code
  AND ly.indicator_code = f.indicator_code AND ly.period = f.last_year_period
  AND ly.kind = 'actual'
ORDER BY f.sector_order, f.indicator_code
