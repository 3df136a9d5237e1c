"""Check staged submission rows against the catalog and the units.

All files of a run are staged into one table and checked with set-based SQL,
so ten thousand demo files cost about as much as one large file. Each rule is
one query that returns the bad rows as (file, row, column, value, expected).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pyarrow as pa

from etl.readers import COLUMNS, ParsedFile
from etl.units import NameIndex

PLAIN_NUMBER = r"-?[0-9]+(\.[0-9]+)?"
NUMBER_HINT = (
    "a plain number with a dot as decimal separator and no thousands separator "
    "(e.g. 29915 or 66.4)"
)


@dataclass(frozen=True)
class RowError:
    file_seq: int
    row: int
    column: str
    value: str
    expected: str


def stage(
    con: duckdb.DuckDBPyConnection, files: list[ParsedFile], reporters: list[str | None]
) -> None:
    """Put every row of every readable file into the temp table `stage`."""
    parts = []
    for seq, (parsed, reporter) in enumerate(
        zip(files, reporters, strict=True), start=1
    ):
        if parsed.problems:
            continue
        rows = parsed.rows_table()
        n = rows.num_rows
        file_reporter = reporter or parsed.reporter
        file_reporter = file_reporter.strip().upper() if file_reporter else None
        parts.append(
            rows.add_column(
                0, "file_seq", pa.array(np.full(n, seq, np.int32))
            ).add_column(
                3, "file_reporter", pa.repeat(pa.scalar(file_reporter, pa.string()), n)
            )
        )
    schema = pa.schema(
        [
            ("file_seq", pa.int32()),
            ("row_no", pa.int32()),
            ("value_num", pa.float64()),
            ("file_reporter", pa.string()),
        ]
        + [(c, pa.string()) for c in COLUMNS]
    )
    table = pa.concat_tables(parts) if parts else schema.empty_table()
    con.register("stage_arrow", table)
    con.execute("CREATE OR REPLACE TEMP TABLE stage_raw AS SELECT * FROM stage_arrow")
    con.unregister("stage_arrow")
    _normalize(con, date.today())


# Each distinct period as written, parsed once (a file has millions of rows
# but a few hundred periods).
_PERIODS_SQL = r"""
CREATE OR REPLACE TEMP TABLE stage_periods AS
WITH d AS (
  SELECT period_raw, upper(nullif(trim(period_raw), '')) AS p
  FROM (SELECT DISTINCT period AS period_raw FROM stage_raw)
), parsed AS (
  SELECT period_raw, p,
    CASE WHEN TRY_CAST(left(p, 4) AS INTEGER) NOT BETWEEN 1900 AND 2200 THEN NULL
         WHEN regexp_full_match(p, '[0-9]{4}') THEN 'year'
         WHEN regexp_full_match(p, '[0-9]{4}-Q[1-4]') THEN 'quarter'
         WHEN regexp_full_match(p, '[0-9]{4}-(0[1-9]|1[0-2])') THEN 'month'
         -- a day must be a real date: 2026-02-30 is no period
         WHEN regexp_full_match(p, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
              AND TRY_CAST(p AS DATE) IS NOT NULL THEN 'day'
    END AS period_type,
    TRY_CAST(left(p, 4) AS INTEGER) AS year,
    CASE WHEN length(p) = 7 AND p[6] = 'Q' THEN TRY_CAST(p[7] AS INTEGER) * 3
         WHEN length(p) IN (7, 10) THEN TRY_CAST(substr(p, 6, 2) AS INTEGER) ELSE 12
    END AS last_month
  FROM d
)
SELECT *,
  CASE WHEN period_type IS NOT NULL THEN p END AS period,
  CASE period_type WHEN 'year' THEN make_date(year, 1, 1)
       WHEN 'quarter' THEN make_date(year, last_month - 2, 1)
       WHEN 'month' THEN make_date(year, last_month, 1)
       WHEN 'day' THEN TRY_CAST(p AS DATE) END AS period_start,
  CASE WHEN period_type = 'day' THEN TRY_CAST(p AS DATE)
       WHEN period_type IS NOT NULL
       THEN last_day(make_date(year, last_month, 1)) END AS period_end
FROM parsed
"""

# Each distinct (code, name, period) as written: which unit it is.
_UNIT_KEYS_SQL = r"""
CREATE OR REPLACE TEMP TABLE stage_unit_keys AS
SELECT k.unit_code_raw, k.unit_name_raw, k.period_raw,
       nullif(trim(k.unit_code_raw), '') AS unit_code_in,
       nullif(trim(k.unit_name_raw), '') AS unit_name,
       pr.period_start, pr.period_end
FROM (SELECT DISTINCT unit_code AS unit_code_raw, unit_name AS unit_name_raw,
                      period AS period_raw
      FROM stage_raw) k
LEFT JOIN stage_periods pr ON pr.period_raw IS NOT DISTINCT FROM k.period_raw
"""

# Every staged row with its cells trimmed, and the facts of its period, unit
# and indicator joined from the small tables above.
_STAGE_SQL = r"""
CREATE OR REPLACE TEMP TABLE stage AS
SELECT r.file_seq, r.row_no, r.value_num, r.file_reporter,
  r.indicator_code AS indicator_raw,
  upper(nullif(trim(r.indicator_code), '')) AS indicator_code,
  k.unit_code_in, k.unit_name,
  r.period AS period_raw, pr.p,
  r.value AS value_raw,
  r.kind AS kind_raw,
  coalesce(lower(nullif(trim(r.kind), '')), 'actual') AS kind,
  upper(nullif(trim(r.reporter), '')) AS reporter_in,
  nullif(trim(r.note), '') AS note,
  nullif(trim(r.basis), '') AS basis,
  r.target_basis AS target_basis_raw,
  -- the plan a target is measured against: as written (QH, TTg, HDND, BO; case
  -- and diacritics aside), else the catalog's; HDND (the unit's elected council)
  -- is, for the nation, the National Assembly (QH). Actuals have none ('').
  CASE WHEN coalesce(lower(nullif(trim(r.kind), '')), 'actual') <> 'target' THEN ''
       ELSE coalesce(
         CASE replace(strip_accents(upper(nullif(trim(r.target_basis), ''))), 'Đ', 'D')
              WHEN 'QH' THEN 'QH' WHEN 'TTG' THEN 'TTg' WHEN 'HDND' THEN 'HDND'
              WHEN 'BO' THEN 'BO' END,
         CASE WHEN nullif(trim(r.target_basis), '') IS NOT NULL THEN NULL
              WHEN i.target_basis = 'HDND' AND k.unit_code = '00' THEN 'QH'
              ELSE i.target_basis END)
  END AS target_basis,
  pr.period_type, pr.year, pr.last_month, pr.period, pr.period_start, pr.period_end,
  CASE WHEN r.value_num IS NOT NULL THEN r.value_num
       WHEN regexp_full_match(trim(r.value), '-?[0-9]+(\.[0-9]+)?')
       THEN CAST(trim(r.value) AS DOUBLE)
  END AS value,
  CAST($today AS DATE) AS today,
  k.name_code, k.name_problem, k.unit_try, k.unit_code, k.unit_level, k.unit_parent,
  k.unit_official, k.unit_valid_from,
  -- the reporter: as written, else the file's, else the one responsible for the unit
  coalesce(upper(nullif(trim(r.reporter), '')), r.file_reporter,
    CASE k.unit_level WHEN 'province' THEN 'UBND-' || k.unit_code
                      WHEN 'commune' THEN 'UBND-' || k.unit_parent
                      ELSE i.owner END) AS reporter,
  i.code AS ind_code, i.frequency, i.measure, i.min_value, i.max_value,
  i.integer AS ind_integer, i.target_type, i.unit_en AS ind_unit
FROM stage_raw r
LEFT JOIN stage_periods pr ON pr.period_raw IS NOT DISTINCT FROM r.period
LEFT JOIN stage_units k ON k.unit_code_raw IS NOT DISTINCT FROM r.unit_code
  AND k.unit_name_raw IS NOT DISTINCT FROM r.unit_name
  AND k.period_raw IS NOT DISTINCT FROM r.period
LEFT JOIN indicators i ON i.code = upper(nullif(trim(r.indicator_code), ''))
"""


def _normalize(con: duckdb.DuckDBPyConnection, today: date) -> None:
    """`stage`: every staged row with its cells trimmed, its period parsed, its
    unit resolved (from the code, else from the name) and its indicator's facts.
    Periods and units are resolved once per distinct value, then joined."""
    con.execute(_PERIODS_SQL)
    con.execute(_UNIT_KEYS_SQL)
    _resolve_units(con)
    con.execute(_STAGE_SQL, {"today": today})
    for table in (
        "stage_periods",
        "stage_unit_keys",
        "stage_units",
        "names",
        "code_pick",
    ):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _resolve_units(con: duckdb.DuckDBPyConnection) -> None:
    """`stage_units`: per (code, name, period) as written, the unit meant."""
    pairs = con.execute(
        "SELECT DISTINCT unit_name, period_start, period_end FROM stage_unit_keys "
        "WHERE unit_name IS NOT NULL AND period_start IS NOT NULL"
    ).fetchall()
    index = NameIndex(con) if pairs else None
    picks = [(name, a, b, index.resolve(name, a, b)) for name, a, b in pairs]
    names = pa.table(
        {
            "unit_name": pa.array([p[0] for p in picks], pa.string()),
            "period_start": pa.array([p[1] for p in picks], pa.date32()),
            "period_end": pa.array([p[2] for p in picks], pa.date32()),
            "name_code": pa.array([p[3].unit_code for p in picks], pa.string()),
            "name_problem": pa.array([p[3].problem for p in picks], pa.string()),
        }
    )
    con.register("names_arrow", names)
    con.execute("CREATE OR REPLACE TEMP TABLE names AS SELECT * FROM names_arrow")
    con.unregister("names_arrow")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE stage_units AS
        SELECT k.*, n.name_code, n.name_problem,
               coalesce(k.unit_code_in, n.name_code) AS unit_try
        FROM stage_unit_keys k LEFT JOIN names n USING (unit_name, period_start, period_end)
        """
    )
    # A code names the version valid at the period's end, else one overlapping it
    # (so `08` in 2024 is old Tuyên Quang and in 2026 the merged province).
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE code_pick AS
        SELECT s.unit_try, s.period_start, s.period_end,
          coalesce(
            max(u.valid_from) FILTER (WHERE s.period_end BETWEEN u.valid_from AND u.valid_to),
            max(u.valid_from) FILTER (WHERE u.valid_from <= s.period_end
                                        AND s.period_start <= u.valid_to)
          ) AS unit_valid_from
        FROM (SELECT DISTINCT unit_try, period_start, period_end FROM stage_units
              WHERE unit_try IS NOT NULL AND period_start IS NOT NULL) s
        LEFT JOIN units u ON u.unit_code = s.unit_try
        GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE stage_units AS
        SELECT s.*, CASE WHEN u.unit_code IS NOT NULL THEN s.unit_try END AS unit_code,
               u.level AS unit_level, u.parent_code AS unit_parent,
               u.name_vi AS unit_official, c.unit_valid_from
        FROM stage_units s
        LEFT JOIN code_pick c USING (unit_try, period_start, period_end)
        LEFT JOIN units u ON u.unit_code = s.unit_try AND u.valid_from = c.unit_valid_from
        """
    )


# Each rule: SQL over `stage` selecting file_seq, row_no, col, val, expected.
RULES: list[str] = [
    # indicator
    """SELECT file_seq, row_no, 'indicator_code', coalesce(indicator_raw, ''),
         'an indicator code from the catalog (e.g. NS.01)'
       FROM stage WHERE ind_code IS NULL""",
    # period
    """SELECT file_seq, row_no, 'period', coalesce(period_raw, ''),
         CASE WHEN regexp_full_match(coalesce(p, ''), '[0-9]{4}-[0-9]{2}-[0-9]{2}')
              THEN 'a real calendar date written YYYY-MM-DD (there is no day '
                   || p || ')'
              ELSE 'a period written 2020 (year), 2020-Q3 (quarter), 2020-08 (month) '
                   || 'or 2020-08-15 (day, for a daily indicator)' END
       FROM stage WHERE period_start IS NULL""",
    """SELECT file_seq, row_no, 'period', period_raw,
         'a ' || adverb || ' period or a longer one for ' || ind_code
         || ' (reported ' || adverb
         || CASE WHEN period_type = 'day'
                 THEN '; write the month ' || left(p, 7) || ', not a day' ELSE '' END
         || ')'
       FROM (SELECT *, CASE frequency WHEN 'day' THEN 'daily'
                                      ELSE frequency || 'ly' END AS adverb FROM stage)
       WHERE period_start IS NOT NULL AND ind_code IS NOT NULL
         AND CASE period_type WHEN 'day' THEN 0 WHEN 'month' THEN 1
                              WHEN 'quarter' THEN 2 ELSE 3 END
             < CASE frequency WHEN 'day' THEN 0 WHEN 'month' THEN 1
                              WHEN 'quarter' THEN 2 ELSE 3 END""",
    # an actual is for the indicator's own period: a quarter of a monthly
    # indicator would be read as one more figure beside its months (a daily
    # indicator may be reported by the month, which its days add up to)
    """SELECT file_seq, row_no, 'period', period_raw,
         'a ' || adverb || ' period for ' || ind_code || ' (an actual is reported for '
         || 'the indicator''s own period, not a ' || period_type
         || CASE WHEN frequency = 'day' THEN '; a month of days is also accepted'
                 WHEN measure = 'ytd' AND frequency = 'month'
                 THEN '; a year-to-date amount to the end of ' || period_raw
                      || ' is the figure of ' || year || '-'
                      || lpad(last_month::VARCHAR, 2, '0')
                 ELSE '' END || ')'
       FROM (SELECT *, CASE frequency WHEN 'day' THEN 'daily'
                                      ELSE frequency || 'ly' END AS adverb FROM stage)
       WHERE kind = 'actual' AND period_start IS NOT NULL AND ind_code IS NOT NULL
         AND NOT (frequency = 'day' AND period_type = 'month')
         -- the year's final figure of a year-to-date amount (e.g. the GDP of
         -- the year, published after its Q4 estimate) is the year's own figure
         AND NOT (measure = 'ytd' AND period_type = 'year')
         AND CASE period_type WHEN 'day' THEN 0 WHEN 'month' THEN 1
                              WHEN 'quarter' THEN 2 ELSE 3 END
             > CASE frequency WHEN 'day' THEN 0 WHEN 'month' THEN 1
                              WHEN 'quarter' THEN 2 ELSE 3 END""",
    """SELECT file_seq, row_no, 'period', period_raw,
         'a period that has started (an actual value cannot be in the future)'
       FROM stage WHERE kind = 'actual' AND period_start > today""",
    # value
    """SELECT file_seq, row_no, 'value', coalesce(value_raw, ''), '"""
    + NUMBER_HINT
    + """'
       FROM stage WHERE value IS NULL OR isnan(value) OR isinf(value)""",
    """SELECT file_seq, row_no, 'value', value_raw,
         'a value between ' || coalesce(printf('%g', min_value), '-inf') || ' and '
         || coalesce(printf('%g', max_value), '+inf') || ' ' || ind_unit
         || ' (the catalog range of ' || ind_code || ')'
       FROM stage WHERE value IS NOT NULL AND NOT isnan(value) AND NOT isinf(value)
         AND (value < min_value OR value > max_value)""",
    """SELECT file_seq, row_no, 'value', value_raw,
         'a whole number of ' || ind_unit || ' for ' || ind_code
       FROM stage WHERE ind_integer AND value IS NOT NULL AND NOT isnan(value)
         AND NOT isinf(value) AND value <> round(value)""",
    # kind
    """SELECT file_seq, row_no, 'kind', coalesce(kind_raw, ''), 'actual or target'
       FROM stage WHERE kind NOT IN ('actual', 'target')""",
    """SELECT file_seq, row_no, 'kind', kind_raw,
         'actual: ' || ind_code || ' has no target in the catalog'
       FROM stage WHERE kind = 'target' AND ind_code IS NOT NULL
         AND target_type IS NULL""",
    # the plan of a target
    """SELECT file_seq, row_no, 'target_basis', target_basis_raw,
         CASE WHEN kind = 'target'
              THEN 'the plan the target belongs to: QH (National Assembly), TTg (Prime '
                   || 'Minister / Government), HDND (People''s Council) or BO (ministry)'
              ELSE 'no target_basis on an actual row (it says whose plan a target is)'
         END
       FROM stage WHERE nullif(trim(target_basis_raw), '') IS NOT NULL
         AND kind IN ('actual', 'target')
         AND (target_basis IS NULL OR kind = 'actual')""",
    """SELECT file_seq, row_no, 'target_basis', target_basis_raw,
         'QH for the nation''s plan (HDND is a province''s or commune''s council)'
       FROM stage WHERE kind = 'target' AND target_basis = 'HDND'
         AND unit_code = '00'""",
    # unit
    """SELECT file_seq, row_no, 'unit_code', '', 'a unit_code or a unit_name'
       FROM stage WHERE unit_code_in IS NULL AND unit_name IS NULL""",
    """SELECT s.file_seq, s.row_no, 'unit_code', s.unit_code_in,
         CASE WHEN m.new_code IS NOT NULL AND s.period_end > DATE '2025-06-30'
              THEN 'a unit valid in ' || s.period || ': ' || s.unit_code_in
                   || ' was merged into ' || m.new_code || ' on 2025-07-01'
              WHEN EXISTS (SELECT 1 FROM units u WHERE u.unit_code = s.unit_code_in)
              THEN 'a unit valid in ' || s.period || ' (' || s.unit_code_in
                   || ' did not exist then)'
              ELSE 'a GSO unit code: 00 for the country, 2 digits for a province, '
                   || '5 digits for a commune' END
       FROM stage s LEFT JOIN province_merger m ON m.old_code = s.unit_code_in
       WHERE s.unit_code_in IS NOT NULL AND s.period_start IS NOT NULL
         AND s.unit_code IS NULL""",
    """SELECT file_seq, row_no, 'unit_name', unit_name, name_problem
       FROM stage WHERE unit_code_in IS NULL AND unit_name IS NOT NULL
         AND name_problem IS NOT NULL""",
    """SELECT file_seq, row_no, 'unit_name', unit_name,
         'the name of unit ' || unit_code || ' (' || unit_official || '), or no name'
       FROM stage WHERE unit_code_in IS NOT NULL AND unit_name IS NOT NULL
         AND unit_code IS NOT NULL AND name_code IS DISTINCT FROM unit_code""",
    # reporter
    """SELECT file_seq, row_no, 'reporter', coalesce(reporter, ''),
         'a reporter code from the catalog of agencies (e.g. BTC, UBND-22)'
       FROM stage s WHERE NOT EXISTS (SELECT 1 FROM agencies a WHERE a.code = s.reporter)""",
    """SELECT s.file_seq, s.row_no, 'reporter', s.reporter,
         'a reporter responsible for unit ' || s.unit_code
         || ' (a People''s Committee reports its own unit and its communes)'
       FROM stage s JOIN agencies a ON a.code = s.reporter
       WHERE a.kind <> 'ministry' AND s.unit_code IS NOT NULL
         AND a.unit_code NOT IN (s.unit_code, coalesce(s.unit_parent, ''))
         AND NOT EXISTS (SELECT 1 FROM province_merger m WHERE m.new_code = a.unit_code
              AND m.old_code IN (s.unit_code, coalesce(s.unit_parent, '')))""",
    # the same figure twice in one file with different values
    """SELECT s.file_seq, s.row_no, 'value', s.value_raw,
         'one value for ' || s.ind_code || ' ' || s.unit_code || ' ' || s.period || ' '
         || s.kind || CASE WHEN s.target_basis <> '' THEN ' ' || s.target_basis ELSE '' END
         || ' (rows ' || d.rows || ' of this file give ' || d.vals || ')'
       FROM stage s JOIN (
         SELECT file_seq, ind_code, unit_code, period, kind, target_basis,
           string_agg(row_no::VARCHAR, ', ' ORDER BY row_no) AS rows,
           string_agg(DISTINCT value::VARCHAR, ' and ') AS vals
         FROM stage SEMI JOIN (
           -- the figures given twice with different values, found cheaply first
           SELECT file_seq, ind_code, unit_code, period, kind, target_basis FROM stage
           WHERE ind_code IS NOT NULL AND unit_code IS NOT NULL AND value IS NOT NULL
           GROUP BY ALL HAVING count(*) > 1 AND min(value) <> max(value)
         ) USING (file_seq, ind_code, unit_code, period, kind, target_basis)
         WHERE value IS NOT NULL
         GROUP BY ALL
       ) d USING (file_seq, ind_code, unit_code, period, kind, target_basis)""",
]


def find_errors(con: duckdb.DuckDBPyConnection) -> list[RowError]:
    """Every broken rule of every staged row, ordered by file and row."""
    union = "\nUNION ALL\n".join(f"({rule})" for rule in RULES)
    rows = con.execute(
        f"SELECT * FROM ({union}) e(file_seq, row_no, col, val, expected) "
        "ORDER BY file_seq, row_no, col"
    ).fetchall()
    return [RowError(f, r, c, "" if v is None else str(v), e) for f, r, c, v, e in rows]


def keep_valid(
    con: duckdb.DuckDBPyConnection, bad_rows: set[tuple[int, int]], skip_files: set[int]
) -> None:
    """`stage_ok`: rows to load (one per figure and file), without bad rows/files."""
    bad = pa.table(
        {
            "file_seq": pa.array([f for f, _ in bad_rows], pa.int32()),
            "row_no": pa.array([r for _, r in bad_rows], pa.int32()),
        }
    )
    con.register("bad", bad)
    con.register(
        "skipped", pa.table({"file_seq": pa.array(sorted(skip_files), pa.int32())})
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE stage_ok AS
        SELECT file_seq, min(row_no) AS row_no, ind_code AS indicator_code, unit_code,
               period, kind, target_basis, value, min(reporter) AS reporter,
               any_value(note) AS note, any_value(basis) AS basis
        FROM stage s
        WHERE NOT EXISTS (SELECT 1 FROM bad b WHERE b.file_seq = s.file_seq
                                                AND b.row_no = s.row_no)
          AND file_seq NOT IN (SELECT file_seq FROM skipped)
        GROUP BY file_seq, ind_code, unit_code, period, kind, target_basis, value
        """
    )
