-- Small tables the app reads on every page, so that it never scans the
-- millions of figures for them: the months with actual figures (the period
-- picker) and the counts of the freshness line.
CREATE OR REPLACE TABLE m_months AS
SELECT DISTINCT period FROM observations
WHERE kind = 'actual' AND period_type(period) = 'month'
ORDER BY period DESC;

CREATE OR REPLACE TABLE m_meta AS
SELECT (SELECT count(*) FROM observations) AS n_observations,
       (SELECT count(DISTINCT indicator_code) FROM observations WHERE kind = 'actual')
         AS n_indicators_supplied,
       (SELECT max(period) FROM m_months) AS latest_month;
