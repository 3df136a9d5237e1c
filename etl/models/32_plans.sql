-- m_plans: the targets of plans other than the primary one (issue 12), set
-- beside the figure they measure. A figure may be held to several plans: the
-- province's People's Council's (HDND), the Prime Minister's (TTg), the National
-- Assembly's (QH), a ministry's own (BO). m_progress measures the primary plan
-- (the catalog's target_basis); here each other plan's target of the year, and
-- the figure's % of it, computed as m_progress computes the primary's:
--   plan:     year-to-date actual / annual target * 100
--   min/max:  the figure / the target to date * 100 (an annual target of a
--             year-to-date amount pro-rated by the expected share of the year)
-- Only plans reported for the unit itself (no roll-ups of secondary plans).
CREATE OR REPLACE TABLE m_plans AS
WITH other AS (
  SELECT o.indicator_code, o.unit_code, o.period AS target_period, o.target_basis AS basis,
         o.value AS target
  FROM observations o JOIN indicators i ON i.code = o.indicator_code
  WHERE o.kind = 'target' AND period_type(o.period) = 'year'
    AND coalesce(o.target_basis, '') <> ''
    AND o.target_basis <> CASE WHEN i.target_basis = 'HDND' AND o.unit_code = '00'
                               THEN 'QH' ELSE i.target_basis END
)
SELECT p.geo, p.indicator_code, p.unit_code, p.period, t.basis, t.target,
       CASE WHEN t.target <> 0 THEN
         CASE WHEN p.target_type = 'plan' THEN p.ytd_actual / t.target * 100
              WHEN p.measure IN ('ytd', 'flow') AND p.period_type <> 'year'
              THEN p.actual / (t.target * p.expected_pct / 100) * 100
              ELSE p.actual / t.target * 100 END END AS pct_of_target
FROM m_progress p
JOIN other t ON t.indicator_code = p.indicator_code AND t.unit_code = p.unit_code
  AND t.target_period = CAST(p.year AS VARCHAR)
ORDER BY p.geo, p.unit_code, p.indicator_code, p.period, t.basis;
