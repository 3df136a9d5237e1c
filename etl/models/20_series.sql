-- m_series: every figure in the geography it is read in.
--   geo 'all'  : national (00) and commune figures, as reported
--   geo '2020' : the 63 provinces, periods before 2025-07-01, as reported
--   geo '2025' : the 34 provinces, all periods: reported from 2025-07-01, and
--                before that the sum of each province's predecessors (additive
--                indicators), or the single predecessor's figure (any indicator),
--                so that 2026 compares with 2024 across the merger.
-- Ratio indicators are then recomputed from their numerator and denominator,
-- and national figures that were not reported are rolled up from provinces.
-- Targets of other plans than the primary one (target_basis, issue 12) are kept
-- out of the series: the series, progress and status read the primary plan;
-- m_plans (32_plans.sql) sets the others beside it.
CREATE OR REPLACE TEMP VIEW primary_obs AS
SELECT o.* FROM observations o JOIN indicators i ON i.code = o.indicator_code
WHERE o.kind <> 'target' OR coalesce(o.target_basis, '') = ''
   OR o.target_basis = CASE WHEN i.target_basis = 'HDND' AND o.unit_code = '00'
                            THEN 'QH' ELSE i.target_basis END;

CREATE OR REPLACE TABLE m_units AS
SELECT u.*, CASE WHEN u.level = 'province'
                 THEN CASE WHEN u.valid_to < reform_day() THEN '2020' ELSE '2025' END
                 ELSE 'all' END AS geo
FROM units u;

-- A daily flow rolls up to its month: the sum of its days, with n_parts the
-- days there and n_expected the days of the month (origin 'days'), unless the
-- month itself was reported. Monthly views, the national roll-up and progress
-- then read the month as any monthly figure.
CREATE OR REPLACE TEMP TABLE day_months AS
SELECT o.indicator_code, o.unit_code, period_month(o.period) AS period, o.kind,
       sum(o.value) AS value, count(*) AS n_parts,
       day(last_day(period_start(period_month(o.period)))) AS n_expected,
       bool_or(o.revision > 1) AS revised, max(o.revision) AS revision,
       max(o.loaded_at) AS loaded_at, max(o.submitted_at) AS submitted_at,
       CASE WHEN count(DISTINCT o.source_file) = 1 THEN any_value(o.source_file) END
         AS source_file
FROM primary_obs o
JOIN indicators i ON i.code = o.indicator_code
WHERE period_type(o.period) = 'day' AND i.measure = 'flow' AND i.aggregation = 'sum'
  AND NOT EXISTS (SELECT 1 FROM primary_obs m WHERE m.indicator_code = o.indicator_code
                    AND m.unit_code = o.unit_code AND m.kind = o.kind
                    AND m.period = period_month(o.period))
GROUP BY o.indicator_code, o.unit_code, period_month(o.period), o.kind;

CREATE OR REPLACE TEMP TABLE series_native AS
SELECT CASE WHEN u.level = 'province' THEN period_geo(o.period) ELSE 'all' END AS geo,
       o.indicator_code, o.unit_code, o.period, o.kind, o.value,
       1 AS n_parts, 1 AS n_expected, o.revision > 1 AS revised, o.revision,
       o.loaded_at, o.submitted_at, o.source_file, 'reported' AS origin
FROM primary_obs o
JOIN units u ON u.unit_code = o.unit_code
  AND period_end(o.period) BETWEEN u.valid_from AND u.valid_to
UNION ALL
SELECT CASE WHEN u.level = 'province' THEN period_geo(d.period) ELSE 'all' END,
       d.indicator_code, d.unit_code, d.period, d.kind, d.value, d.n_parts,
       d.n_expected, d.revised, d.revision, d.loaded_at, d.submitted_at,
       d.source_file, 'days'
FROM day_months d
JOIN units u ON u.unit_code = d.unit_code
  AND period_end(d.period) BETWEEN u.valid_from AND u.valid_to
UNION ALL
-- A province figure for a period that straddles the reform (the year 2025)
-- sent by an old province whose code no longer exists at the period's end (a
-- code still valid then, like 22, was taken by the branch above): kept in the
-- old geography.
SELECT '2020', o.indicator_code, o.unit_code, o.period, o.kind, o.value, 1, 1,
       o.revision > 1, o.revision, o.loaded_at, o.submitted_at, o.source_file, 'reported'
FROM primary_obs o
JOIN units u ON u.unit_code = o.unit_code AND u.level = 'province'
  AND u.valid_to < reform_day()
  AND period_end(o.period) > u.valid_to AND period_start(o.period) <= u.valid_to
WHERE NOT EXISTS (SELECT 1 FROM units v WHERE v.unit_code = o.unit_code
                    AND period_end(o.period) BETWEEN v.valid_from AND v.valid_to);

CREATE OR REPLACE TEMP TABLE predecessors AS
SELECT new_code, count(*) AS n_expected FROM province_merger GROUP BY new_code;

CREATE OR REPLACE TEMP TABLE series_merged AS
SELECT '2025' AS geo, s.indicator_code, m.new_code AS unit_code, s.period, s.kind,
       CASE WHEN p.n_expected = 1 OR i.aggregation = 'sum' THEN sum(s.value) END AS value,
       count(*) AS n_parts, any_value(p.n_expected) AS n_expected,
       bool_or(s.revised) AS revised, max(s.revision) AS revision,
       max(s.loaded_at) AS loaded_at, max(s.submitted_at) AS submitted_at,
       CASE WHEN count(*) = 1 THEN any_value(s.source_file) END AS source_file,
       'merged' AS origin
FROM series_native s
JOIN province_merger m ON m.old_code = s.unit_code
JOIN predecessors p ON p.new_code = m.new_code
JOIN indicators i ON i.code = s.indicator_code
WHERE s.geo = '2020'
GROUP BY s.indicator_code, m.new_code, s.period, s.kind, p.n_expected, i.aggregation;

CREATE OR REPLACE TEMP TABLE series_provinces AS
SELECT * FROM series_native
UNION ALL
SELECT * FROM series_merged m
WHERE value IS NOT NULL OR EXISTS (
  SELECT 1 FROM indicators i WHERE i.code = m.indicator_code AND i.aggregation = 'ratio');

-- National figures that were not reported: the sum of the provinces.
CREATE OR REPLACE TEMP TABLE series_rollup AS
SELECT 'all' AS geo, s.indicator_code, '00' AS unit_code, s.period, s.kind,
       sum(s.value) AS value,
       -- the provinces complete for the period (a month of days with every day)
       count(*) FILTER (WHERE s.n_parts = s.n_expected) AS n_parts,
       CASE WHEN s.geo = '2020' THEN 63 ELSE 34 END AS n_expected,
       bool_or(s.revised) AS revised, max(s.revision) AS revision,
       max(s.loaded_at) AS loaded_at, max(s.submitted_at) AS submitted_at,
       NULL AS source_file, 'rollup' AS origin
FROM series_provinces s
JOIN indicators i ON i.code = s.indicator_code AND i.aggregation = 'sum'
WHERE s.origin IN ('reported', 'days') AND s.geo IN ('2020', '2025')
  AND NOT EXISTS (SELECT 1 FROM series_native n WHERE n.geo = 'all' AND n.unit_code = '00'
                    AND n.indicator_code = s.indicator_code AND n.period = s.period
                    AND n.kind = s.kind)
GROUP BY s.indicator_code, s.period, s.kind, s.geo;

CREATE OR REPLACE TEMP TABLE series_all AS
SELECT * FROM series_provinces UNION ALL SELECT * FROM series_rollup;

-- Value of a component at the ratio's period: the same period, else (for a
-- yearly ratio of a finer year-to-date or stock component) its last sub-period.
CREATE OR REPLACE TEMP TABLE ratio_parts AS
SELECT r.code AS indicator_code, r.scale, r.numerator, r.denominator, r.frequency,
       s.geo, s.unit_code, s.kind, s.indicator_code AS part,
       CASE WHEN r.frequency = 'year' THEN CAST(period_year(s.period) AS VARCHAR)
            ELSE s.period END AS period,
       s.value, s.n_parts, s.n_expected, s.revised, s.revision, s.loaded_at,
       s.submitted_at,
       -- prefer the period itself over a sub-period standing in for it
       row_number() OVER (PARTITION BY r.code, s.geo, s.unit_code, s.kind, s.indicator_code,
                          CASE WHEN r.frequency = 'year' THEN period_year(s.period)::VARCHAR
                               ELSE s.period END
                          ORDER BY CASE WHEN period_type(s.period) = r.frequency THEN 0 ELSE 1 END,
                                   period_last_month(s.period) DESC) AS pick
FROM indicators r
JOIN indicators c ON c.code IN (r.numerator, r.denominator)
JOIN series_all s ON s.indicator_code = c.code
WHERE r.aggregation = 'ratio' AND s.value IS NOT NULL
  AND (period_type(s.period) = r.frequency
       OR (r.frequency = 'year' AND c.measure IN ('ytd', 'stock')
           AND period_last_month(s.period) = 12));

CREATE OR REPLACE TEMP TABLE series_ratio AS
SELECT n.geo, n.indicator_code, n.unit_code, n.period, n.kind,
       n.value / d.value * n.scale AS value,
       -- coverage of the less complete component (a reported 1/1 numerator
       -- over a rolled-up 32/34 denominator covers 32/34)
       CASE WHEN n.n_parts * d.n_expected <= d.n_parts * n.n_expected
            THEN n.n_parts ELSE d.n_parts END AS n_parts,
       CASE WHEN n.n_parts * d.n_expected <= d.n_parts * n.n_expected
            THEN n.n_expected ELSE d.n_expected END AS n_expected,
       n.revised OR d.revised AS revised, greatest(n.revision, d.revision) AS revision,
       greatest(n.loaded_at, d.loaded_at) AS loaded_at,
       greatest(n.submitted_at, d.submitted_at) AS submitted_at
FROM ratio_parts n
JOIN ratio_parts d USING (indicator_code, geo, unit_code, period, kind)
WHERE n.part = n.numerator AND d.part = d.denominator AND n.pick = 1 AND d.pick = 1
  AND d.value <> 0;

CREATE OR REPLACE TABLE m_series AS
SELECT coalesce(r.geo, s.geo) AS geo,
       coalesce(r.indicator_code, s.indicator_code) AS indicator_code,
       coalesce(r.unit_code, s.unit_code) AS unit_code,
       coalesce(r.period, s.period) AS period,
       coalesce(r.kind, s.kind) AS kind,
       coalesce(r.value, s.value) AS value,
       s.value AS reported_value,
       r.value IS NOT NULL AS computed,
       coalesce(r.n_parts, s.n_parts) AS n_parts,
       coalesce(r.n_expected, s.n_expected) AS n_expected,
       coalesce(r.revised, s.revised) AS revised,
       coalesce(r.revision, s.revision) AS revision,
       coalesce(r.loaded_at, s.loaded_at) AS loaded_at,
       coalesce(r.submitted_at, s.submitted_at) AS submitted_at,
       s.source_file,
       coalesce(s.origin, 'computed') AS origin
FROM series_all s
FULL OUTER JOIN series_ratio r USING (geo, indicator_code, unit_code, period, kind)
WHERE coalesce(r.value, s.value) IS NOT NULL
-- stored in the order the data layer reads it (one geography, one unit), so
-- that a query for one unit reads only the row groups holding it
ORDER BY geo, unit_code, indicator_code, period, kind;

DROP TABLE day_months; DROP TABLE series_native; DROP TABLE predecessors; DROP TABLE series_merged;
DROP TABLE series_provinces; DROP TABLE series_rollup; DROP TABLE series_all;
DROP TABLE ratio_parts; DROP TABLE series_ratio;
