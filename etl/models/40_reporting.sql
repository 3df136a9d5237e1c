-- m_reports: who owed which report for which period, and when it came.
-- One row per (regime, period, unit): the reporter expected, how many of the
-- regime's indicators it owes and supplied, when it first submitted, and the
-- deadline (period end + the regime's deadline_days). The status (on time,
-- late, missing, due) depends on today, so the data layer derives it when read.
-- Expected reporters: every province valid at the period's end for province
-- regimes (63 before the reform, 34 after), the owner ministries (unit 00) for
-- ministry regimes, and for commune regimes the communes that report at all.
CREATE OR REPLACE TEMP TABLE regime_periods AS
WITH bounds AS (
  SELECT coalesce(min(period_year(period)), 2019) AS first_year FROM observations
), months AS (
  SELECT d::DATE AS d FROM bounds,
    range(make_date(first_year, 1, 1), current_date::TIMESTAMP, INTERVAL 1 MONTH) t(d)
)
SELECT r.code AS regime, r.period_type, r.deadline_days, p.period
FROM regimes r
JOIN (
  SELECT 'month' AS period_type, strftime(d, '%Y-%m') AS period FROM months
  UNION ALL
  SELECT 'quarter', strftime(d, '%Y') || '-Q' || quarter(d) FROM months WHERE month(d) % 3 = 1
  UNION ALL
  SELECT 'year', strftime(d, '%Y') FROM months WHERE month(d) = 1
) p USING (period_type)
WHERE period_end(p.period) < current_date;

-- What a report owes: the regime's indicators at the reporter's level; a
-- ministry owes only the national figures of the indicators it owns.
CREATE OR REPLACE TEMP TABLE regime_owed AS
SELECT i.regime, l.level, CASE WHEN l.level = 'national' THEN i.owner END AS owner,
       count(*) AS n_expected, list(i.code) AS codes
FROM indicators i, unnest(string_split(i.levels, ';')) l(level)
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE expected_reports AS
SELECT rp.regime, rp.period, rp.period_type, u.unit_code, 'province' AS level,
       'UBND-' || u.unit_code AS reporter,
       period_end(rp.period) + rp.deadline_days AS due_date
FROM regime_periods rp
JOIN regimes r ON r.code = rp.regime AND r.reporter_level = 'province'
JOIN units u ON u.level = 'province'
  AND period_end(rp.period) BETWEEN u.valid_from AND u.valid_to
UNION ALL
SELECT rp.regime, rp.period, rp.period_type, '00', 'national', i.owner,
       period_end(rp.period) + rp.deadline_days
FROM regime_periods rp
JOIN regimes r ON r.code = rp.regime AND r.reporter_level = 'ministry'
JOIN (SELECT DISTINCT regime, owner FROM indicators) i ON i.regime = rp.regime
UNION ALL
SELECT rp.regime, rp.period, rp.period_type, u.unit_code, 'commune',
       'UBND-' || u.parent_code, period_end(rp.period) + rp.deadline_days
FROM regime_periods rp
JOIN regimes r ON r.code = rp.regime AND r.reporter_level = 'commune'
JOIN units u ON u.level = 'commune'
  AND period_end(rp.period) BETWEEN u.valid_from AND u.valid_to
WHERE u.unit_code IN (SELECT DISTINCT unit_code FROM observations
                      WHERE length(unit_code) = 5);

CREATE OR REPLACE TABLE m_reports AS
SELECT e.regime, e.period, e.period_type, e.unit_code, e.level, e.reporter,
       e.due_date, coalesce(o.n_expected, 0) AS n_expected,
       count(DISTINCT h.indicator_code) AS n_supplied,
       min(h.submitted_at) AS first_submitted_at,
       max(h.submitted_at) AS last_submitted_at
FROM expected_reports e
LEFT JOIN regime_owed o ON o.regime = e.regime AND o.level = e.level
  AND o.owner IS NOT DISTINCT FROM CASE WHEN e.level = 'national' THEN e.reporter END
LEFT JOIN observation_history h ON h.unit_code = e.unit_code AND h.period = e.period
  AND h.kind = 'actual' AND h.revision = 1 AND list_contains(o.codes, h.indicator_code)
GROUP BY ALL
ORDER BY e.period, e.regime, e.unit_code;

DROP TABLE regime_periods; DROP TABLE regime_owed; DROP TABLE expected_reports;
