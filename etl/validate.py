"""Check staged submission rows against the catalog and the units.

All files of a run are staged into one table and checked with set-based SQL,
so ten thousand demo files cost about as much as one large file. Each rule is
one query that returns the bad rows as (file, row, column, value, expected).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
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


def stage(con: duckdb.DuckDBPyConnection, files: list[ParsedFile], reporters: list[str | None]) -> None:
    """Put every row of every readable file into the temp table `stage`."""
    columns: dict[str, list] = {c: [] for c in ("file_seq", "row_no", "value_num", "file_reporter")}
    columns.update({c: [] for c in COLUMNS})
    for seq, (parsed, reporter) in enumerate(zip(files, reporters, strict=True), start=1):
        if parsed.problems:
            continue
        n = parsed.n_rows
        columns["file_seq"] += [seq] * n
        columns["row_no"] += parsed.row_no
        columns["value_num"] += parsed.value_num
        file_reporter = reporter or parsed.reporter
        columns["file_reporter"] += [file_reporter.strip().upper() if file_reporter else None] * n
        for c in COLUMNS:
            columns[c] += parsed.cells[c]
    schema = pa.schema(
        [("file_seq", pa.int32()), ("row_no", pa.int32()), ("value_num", pa.float64()),
         ("file_reporter", pa.string())] + [(c, pa.string()) for c in COLUMNS]
    )
    con.register("stage_arrow", pa.table(columns, schema=schema))
    con.execute("CREATE OR REPLACE TEMP TABLE stage_raw AS SELECT * FROM stage_arrow")
    con.unregister("stage_arrow")
    con.execute(_NORMALIZE_SQL, [date.today()])
    _resolve_units(con)


_NORMALIZE_SQL = r"""
CREATE OR REPLACE TEMP TABLE stage AS
WITH t AS (
  SELECT file_seq, row_no, value_num, file_reporter,
    indicator_code AS indicator_raw,
    upper(nullif(trim(indicator_code), '')) AS indicator_code,
    nullif(trim(unit_code), '') AS unit_code_in,
    nullif(trim(unit_name), '') AS unit_name,
    period AS period_raw,
    upper(nullif(trim(period), '')) AS p,
    value AS value_raw,
    kind AS kind_raw,
    coalesce(lower(nullif(trim(kind), '')), 'actual') AS kind,
    upper(nullif(trim(reporter), '')) AS reporter_in,
    nullif(trim(note), '') AS note,
    nullif(trim(basis), '') AS basis
  FROM stage_raw
), parsed AS (
  SELECT *,
    CASE WHEN TRY_CAST(left(p, 4) AS INTEGER) NOT BETWEEN 1900 AND 2200 THEN NULL
         WHEN regexp_full_match(p, '[0-9]{4}') THEN 'year'
         WHEN regexp_full_match(p, '[0-9]{4}-Q[1-4]') THEN 'quarter'
         WHEN regexp_full_match(p, '[0-9]{4}-(0[1-9]|1[0-2])') THEN 'month'
    END AS period_type,
    TRY_CAST(left(p, 4) AS INTEGER) AS year,
    CASE WHEN length(p) = 7 AND p[6] = 'Q' THEN TRY_CAST(p[7] AS INTEGER) * 3
         WHEN length(p) = 7 THEN TRY_CAST(right(p, 2) AS INTEGER) ELSE 12
    END AS last_month
  FROM t
)
SELECT *,
  CASE WHEN period_type IS NOT NULL THEN p END AS period,
  CASE period_type WHEN 'year' THEN make_date(year, 1, 1)
       WHEN 'quarter' THEN make_date(year, last_month - 2, 1)
       WHEN 'month' THEN make_date(year, last_month, 1) END AS period_start,
  CASE WHEN period_type IS NOT NULL
       THEN last_day(make_date(year, last_month, 1)) END AS period_end,
  CASE WHEN value_num IS NOT NULL THEN value_num
       WHEN regexp_full_match(trim(value_raw), '-?[0-9]+(\.[0-9]+)?')
       THEN CAST(trim(value_raw) AS DOUBLE)
  END AS value,
  CAST(? AS DATE) AS today
FROM parsed
"""


def _resolve_units(con: duckdb.DuckDBPyConnection) -> None:
    """Add `unit_code` (from the code, else from the name) and the unit's facts."""
    pairs = con.execute(
        "SELECT DISTINCT unit_name, period_start, period_end FROM stage "
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
    con.register("names", names)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE stage AS
        SELECT s.*, n.name_code, n.name_problem,
               coalesce(s.unit_code_in, n.name_code) AS unit_try
        FROM stage s LEFT JOIN names n USING (unit_name, period_start, period_end)
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
        FROM (SELECT DISTINCT unit_try, period_start, period_end FROM stage
              WHERE unit_try IS NOT NULL AND period_start IS NOT NULL) s
        LEFT JOIN units u ON u.unit_code = s.unit_try
        GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE stage AS
        SELECT s.*, CASE WHEN u.unit_code IS NOT NULL THEN s.unit_try END AS unit_code,
               u.level AS unit_level, u.parent_code AS unit_parent,
               u.name_vi AS unit_official, c.unit_valid_from
        FROM stage s
        LEFT JOIN code_pick c USING (unit_try, period_start, period_end)
        LEFT JOIN units u ON u.unit_code = s.unit_try AND u.valid_from = c.unit_valid_from
        """
    )
    # The reporter: as written, else the file's, else the one responsible for the unit.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE stage AS
        SELECT s.*, coalesce(s.reporter_in, s.file_reporter,
          CASE s.unit_level WHEN 'province' THEN 'UBND-' || s.unit_code
                            WHEN 'commune' THEN 'UBND-' || s.unit_parent
                            ELSE i.owner END) AS reporter,
          i.code AS ind_code, i.frequency, i.measure, i.min_value, i.max_value,
          i.integer AS ind_integer, i.target_type, i.unit_en AS ind_unit
        FROM stage s LEFT JOIN indicators i ON i.code = s.indicator_code
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
         'a period written 2020 (year), 2020-Q3 (quarter) or 2020-08 (month)'
       FROM stage WHERE period_start IS NULL""",
    """SELECT file_seq, row_no, 'period', period_raw,
         'a ' || frequency || 'ly period or a longer one for ' || ind_code
         || ' (reported ' || frequency || 'ly)'
       FROM stage WHERE period_start IS NOT NULL AND ind_code IS NOT NULL
         AND list_position(['month', 'quarter', 'year'], period_type)
             < list_position(['month', 'quarter', 'year'], frequency)""",
    """SELECT file_seq, row_no, 'period', period_raw,
         'a period that has started (an actual value cannot be in the future)'
       FROM stage WHERE kind = 'actual' AND period_start > today""",
    # value
    """SELECT file_seq, row_no, 'value', coalesce(value_raw, ''), '""" + NUMBER_HINT + """'
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
         || s.kind || ' (rows ' || d.rows || ' of this file give ' || d.vals || ')'
       FROM stage s JOIN (
         SELECT file_seq, ind_code, unit_code, period, kind,
           string_agg(row_no::VARCHAR, ', ' ORDER BY row_no) AS rows,
           string_agg(DISTINCT value::VARCHAR, ' and ') AS vals
         FROM stage WHERE ind_code IS NOT NULL AND unit_code IS NOT NULL
           AND value IS NOT NULL
         GROUP BY ALL HAVING count(DISTINCT value) > 1
       ) d USING (file_seq, ind_code, unit_code, period, kind)""",
]


def find_errors(con: duckdb.DuckDBPyConnection) -> list[RowError]:
    """Every broken rule of every staged row, ordered by file and row."""
    union = "\nUNION ALL\n".join(f"({rule})" for rule in RULES)
    rows = con.execute(
        f"SELECT * FROM ({union}) e(file_seq, row_no, col, val, expected) "
        "ORDER BY file_seq, row_no, col"
    ).fetchall()
    return [RowError(f, r, c, "" if v is None else str(v), e) for f, r, c, v, e in rows]


def keep_valid(con: duckdb.DuckDBPyConnection, bad_rows: set[tuple[int, int]], skip_files: set[int]) -> None:
    """`stage_ok`: rows to load (one per figure and file), without bad rows/files."""
    bad = pa.table(
        {
            "file_seq": pa.array([f for f, _ in bad_rows], pa.int32()),
            "row_no": pa.array([r for _, r in bad_rows], pa.int32()),
        }
    )
    con.register("bad", bad)
    con.register("skipped", pa.table({"file_seq": pa.array(sorted(skip_files), pa.int32())}))
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE stage_ok AS
        SELECT file_seq, min(row_no) AS row_no, ind_code AS indicator_code, unit_code,
               period, kind, value, min(reporter) AS reporter,
               any_value(note) AS note, any_value(basis) AS basis
        FROM stage s
        WHERE NOT EXISTS (SELECT 1 FROM bad b WHERE b.file_seq = s.file_seq
                                                AND b.row_no = s.row_no)
          AND file_seq NOT IN (SELECT file_seq FROM skipped)
        GROUP BY file_seq, ind_code, unit_code, period, kind, value
        """
    )
