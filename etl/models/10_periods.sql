-- Period arithmetic as macros stored in the snapshot, so analysts' SQL and the
-- data layer read periods the same way the models do.
-- The first day of the 34 provinces (Resolution 202/2025/QH15).
CREATE OR REPLACE MACRO reform_day() AS DATE '2025-07-01';
-- A period is '2020' (year), '2020-Q3' (quarter), '2020-08' (month) or
-- '2020-08-15' (day, for daily indicators).
CREATE OR REPLACE MACRO period_type(p) AS
  CASE WHEN length(p) = 4 THEN 'year' WHEN p[6] = 'Q' THEN 'quarter'
       WHEN length(p) = 10 THEN 'day' ELSE 'month' END;
CREATE OR REPLACE MACRO period_year(p) AS CAST(left(p, 4) AS INTEGER);
-- Month (1..12) in which the period ends.
CREATE OR REPLACE MACRO period_last_month(p) AS
  CASE WHEN length(p) = 4 THEN 12
       WHEN p[6] = 'Q' THEN CAST(p[7] AS INTEGER) * 3
       ELSE CAST(substr(p, 6, 2) AS INTEGER) END;
CREATE OR REPLACE MACRO period_end(p) AS
  CASE WHEN length(p) = 10 THEN CAST(p AS DATE)
       ELSE last_day(make_date(period_year(p), period_last_month(p), 1)) END;
CREATE OR REPLACE MACRO period_start(p) AS
  CASE WHEN length(p) = 10 THEN CAST(p AS DATE)
       ELSE make_date(period_year(p),
                      CASE WHEN length(p) = 4 THEN 1
                           WHEN p[6] = 'Q' THEN CAST(p[7] AS INTEGER) * 3 - 2
                           ELSE CAST(substr(p, 6, 2) AS INTEGER) END, 1) END;
-- The month a day belongs to ('2026-10-15' -> '2026-10'); other periods as they are.
CREATE OR REPLACE MACRO period_month(p) AS
  CASE WHEN length(p) = 10 THEN left(p, 7) ELSE p END;
-- The same period n years earlier: '2026-03' -> '2025-03'.
CREATE OR REPLACE MACRO period_shift_years(p, n) AS
  CAST(period_year(p) + n AS VARCHAR) || substr(p, 5);
-- The geography a province figure belongs to: the 63 ('2020') or the 34 ('2025').
CREATE OR REPLACE MACRO period_geo(p) AS
  CASE WHEN period_end(p) < reform_day() THEN '2020' ELSE '2025' END;
