-- The reports one reporting agency ($agency) owes, by regime and period, for
-- periods that ended within the $months months before $today (bound, so the
-- cache key changes with the day), with the deadline and whether the
-- warehouse holds figures for them. A province's People's Committee owes its
-- province's reports and its communes' (one row per regime and period, the
-- communes counted), a commune's its own, a ministry its national reports;
-- own_unit: a report of the agency's own unit (what the /submit form fills).
-- report_state: published (figures in this snapshot), overdue (none, past
-- the deadline), owed (none, deadline to come); the inbox adds received and
-- rejected (the /submit page).
WITH a AS (
  SELECT code, kind, unit_code FROM agencies WHERE code = $agency
), own AS (
  SELECT r.*, a.code AS agency,
         CASE a.kind WHEN 'ministry' THEN 'national' ELSE a.kind END AS own_level
  FROM m_reports r, a
  WHERE (r.reporter = a.code OR (a.kind = 'commune' AND r.unit_code = a.unit_code))
    AND period_end(r.period) > CAST($today AS DATE) - to_months($months)
)
SELECT o.agency, o.regime, g.name_vi AS regime_vi, g.name_en AS regime_en,
       o.period, o.period_type, o.level, o.level = o.own_level AS own_unit,
       CASE WHEN count(*) = 1 THEN min(o.unit_code) END AS unit_code,
       min(o.due_date) AS due_date,
       count(*) AS n_units,
       count(*) FILTER (WHERE o.n_supplied > 0) AS n_units_supplied,
       CAST(sum(o.n_expected) AS BIGINT) AS n_expected,
       CAST(sum(o.n_supplied) AS BIGINT) AS n_supplied,
       min(o.first_submitted_at) AS first_submitted_at,
       max(o.last_submitted_at) AS last_submitted_at,
       CASE WHEN sum(o.n_supplied) > 0 THEN 'published'
            WHEN CAST($today AS DATE) > min(o.due_date) THEN 'overdue'
            ELSE 'owed' END AS report_state
FROM own o
JOIN regimes g ON g.code = o.regime
GROUP BY o.agency, o.regime, g.name_vi, g.name_en, o.period, o.period_type, o.level,
         o.own_level
ORDER BY min(o.due_date) DESC, o.level DESC, o.regime
