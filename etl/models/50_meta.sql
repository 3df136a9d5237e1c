-- Small tables the app reads on every page, so that it never scans the
-- millions of figures for them: the months with actual figures (the period
-- picker), the indicators with figures and the counts of the freshness line.
CREATE OR REPLACE TABLE m_months AS
SELECT DISTINCT period FROM observations
WHERE kind = 'actual' AND period_type(period) = 'month'
ORDER BY period DESC;

-- (the app counts those in the caller's reach: a ministry analyst's own);
-- from m_progress, so that a ratio computed from its parts counts, as the
-- sector cards and the overview count it
CREATE OR REPLACE TABLE m_supplied AS
SELECT DISTINCT indicator_code FROM m_progress WHERE actual IS NOT NULL
ORDER BY indicator_code;

CREATE OR REPLACE TABLE m_meta AS
SELECT (SELECT count(*) FROM observations) AS n_observations,
       (SELECT count(*) FROM m_supplied) AS n_indicators_supplied,
       (SELECT max(period) FROM m_months) AS latest_month;
