-- m_progress: target versus actual for every actual figure of m_series.
--
-- plan targets (annual amounts; actuals are year-to-date):
--   pct_of_target = YTD actual / annual plan * 100
--   expected_pct  = share of the annual amount normally reached by this point of
--                   the year: the mean over earlier years of YTD(period)/YTD(year
--                   end) when at least two earlier years have both, else the
--                   elapsed share of the year (month / 12)
--   status        = on_track when pct_of_target >= on_track_share * expected_pct,
--                   at_risk when >= at_risk_share * expected_pct, else off_track
--   projected_year_end = YTD actual / expected_pct * 100 (run rate and seasonality)
--   monthly_needed     = (plan - YTD actual) / months left in the year
-- min/max targets: the period's own target, else the year's; for YTD amounts the
--   year's target is pro-rated by expected_pct. Met or not, and by how much
--   (gap = actual - target); not met within minmax_margin of the target = at_risk.
-- Same period last year: the same unit in the same geography one year earlier
--   (for the 34 provinces across the merger: the sum of the predecessors).
CREATE OR REPLACE TEMP TABLE actuals AS
SELECT s.*, i.measure, i.target_type, i.frequency, i.direction,
       period_type(s.period) AS ptype, period_year(s.period) AS year,
       period_last_month(s.period) AS last_month,
       CASE WHEN i.measure = 'flow' AND period_type(s.period) <> 'year'
            THEN sum(s.value) OVER (PARTITION BY s.geo, s.indicator_code, s.unit_code,
                                    period_type(s.period), period_year(s.period)
                                    ORDER BY s.period)
            ELSE s.value END AS ytd
FROM m_series s JOIN indicators i ON i.code = s.indicator_code
-- progress is tracked by month and longer: a daily series is read by its months
WHERE s.kind = 'actual' AND period_type(s.period) <> 'day';

-- Share of the year-end amount reached at each sub-period, per year.
CREATE OR REPLACE TEMP TABLE season AS
SELECT a.geo, a.indicator_code, a.unit_code, a.ptype, a.last_month, a.year,
       a.ytd / e.ytd AS share
FROM actuals a
JOIN actuals e ON e.geo = a.geo AND e.indicator_code = a.indicator_code
  AND e.unit_code = a.unit_code AND e.ptype = a.ptype AND e.year = a.year
  AND e.last_month = 12
WHERE a.measure IN ('ytd', 'flow') AND a.ptype <> 'year' AND e.ytd > 0
  AND a.n_parts = a.n_expected AND e.n_parts = e.n_expected;

CREATE OR REPLACE TEMP TABLE pace AS
SELECT a.geo, a.indicator_code, a.unit_code, a.period,
       CASE WHEN a.ptype = 'year' OR a.measure NOT IN ('ytd', 'flow') THEN 100.0
            WHEN count(s.share) >= 2 THEN least(100.0, avg(s.share) * 100)
            ELSE a.last_month / 12.0 * 100 END AS expected_pct,
       CASE WHEN a.ptype <> 'year' AND a.measure IN ('ytd', 'flow') AND count(s.share) >= 2
            THEN 'seasonal' ELSE 'elapsed' END AS pace_basis
FROM actuals a
LEFT JOIN season s ON s.geo = a.geo AND s.indicator_code = a.indicator_code
  AND s.unit_code = a.unit_code AND s.ptype = a.ptype AND s.last_month = a.last_month
  AND s.year < a.year
GROUP BY a.geo, a.indicator_code, a.unit_code, a.period, a.ptype, a.measure, a.last_month;

CREATE OR REPLACE TEMP TABLE targets AS
SELECT geo, indicator_code, unit_code, period, value, n_parts = n_expected AS complete
FROM m_series WHERE kind = 'target';

CREATE OR REPLACE TABLE m_progress AS
WITH joined AS (
  SELECT a.*, p.expected_pct, p.pace_basis,
         coalesce(tp.value, ty.value) AS target,
         tp.value IS NULL AND ty.value IS NOT NULL AS target_is_annual,
         ly.value AS last_year_value,
         ly.n_parts = ly.n_expected AS last_year_complete
  FROM actuals a
  JOIN pace p USING (geo, indicator_code, unit_code, period)
  LEFT JOIN targets tp ON tp.geo = a.geo AND tp.indicator_code = a.indicator_code
    AND tp.unit_code = a.unit_code AND tp.period = a.period AND a.ptype <> 'year'
    AND a.target_type <> 'plan'
  LEFT JOIN targets ty ON ty.geo = a.geo AND ty.indicator_code = a.indicator_code
    AND ty.unit_code = a.unit_code AND ty.period = CAST(a.year AS VARCHAR)
  LEFT JOIN m_series ly ON ly.geo = a.geo AND ly.indicator_code = a.indicator_code
    AND ly.unit_code = a.unit_code AND ly.kind = 'actual'
    AND ly.period = period_shift_years(a.period, -1)
), measured AS (
  SELECT *,
    -- the target this figure is held to at this point of the year
    CASE WHEN target_type = 'plan' THEN target
         WHEN target_is_annual AND measure IN ('ytd', 'flow')
         THEN target * expected_pct / 100 ELSE target END AS target_to_date,
    CASE WHEN target_type = 'plan' THEN ytd ELSE value END AS compared
  FROM joined
)
SELECT geo, indicator_code, unit_code, period, ptype AS period_type, year,
       value AS actual, ytd AS ytd_actual, reported_value, computed,
       target_type, target, target_to_date,
       CASE WHEN target <> 0 THEN
         CASE WHEN target_type = 'plan' THEN ytd / target * 100
              ELSE compared / target_to_date * 100 END END AS pct_of_target,
       expected_pct, pace_basis,
       CASE WHEN target_type IN ('min', 'max') THEN compared - target_to_date END AS gap,
       CASE WHEN target_type = 'min' THEN compared >= target_to_date
            WHEN target_type = 'max' THEN compared <= target_to_date END AS met,
       CASE
         WHEN target IS NULL OR target_type IS NULL THEN 'no_target'
         WHEN target_type = 'plan' AND target > 0 THEN
           CASE WHEN ytd / target * 100 >= getvariable('on_track_share') * expected_pct
                  THEN 'on_track'
                WHEN ytd / target * 100 >= getvariable('at_risk_share') * expected_pct
                  THEN 'at_risk'
                ELSE 'off_track' END
         WHEN target_type = 'min' AND compared >= target_to_date THEN 'on_track'
         WHEN target_type = 'max' AND compared <= target_to_date THEN 'on_track'
         WHEN target_type IN ('min', 'max')
              AND abs(compared - target_to_date)
                  <= getvariable('minmax_margin') * abs(target_to_date) THEN 'at_risk'
         WHEN target_type IN ('min', 'max') THEN 'off_track'
         ELSE 'no_target' END AS status,
       CASE WHEN target_type = 'plan' AND expected_pct > 0
            THEN ytd / expected_pct * 100 END AS projected_year_end,
       CASE WHEN target_type = 'plan' AND last_month < 12
            THEN greatest(0, target - ytd) / (12 - last_month) END AS monthly_needed,
       CASE WHEN last_year_complete THEN last_year_value END AS last_year_value,
       CASE WHEN last_year_complete AND measure <> 'rate' AND last_year_value > 0
            THEN value / last_year_value * 100 END AS pct_vs_last_year,
       CASE WHEN last_year_complete THEN value - last_year_value END AS change_vs_last_year,
       n_parts, n_expected, revised, revision, loaded_at, submitted_at, source_file,
       origin, direction, measure
FROM measured
ORDER BY geo, unit_code, indicator_code, period;

DROP TABLE actuals; DROP TABLE season; DROP TABLE pace; DROP TABLE targets;
