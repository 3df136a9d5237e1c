"""The fact tables of a snapshot and how a batch of valid rows is applied.

`observation_history` is append-only: a changed value is a new revision, an
unchanged one adds nothing, and nothing is ever updated or deleted in it.
`observations` is rebuilt from it: the latest revision of every figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

SCHEMA = """
CREATE TABLE IF NOT EXISTS loads (
  load_id INTEGER PRIMARY KEY,
  snapshot_id VARCHAR NOT NULL,
  source_file VARCHAR NOT NULL,
  source_sha256 VARCHAR NOT NULL,
  reporter VARCHAR,
  operator VARCHAR NOT NULL,
  loaded_at TIMESTAMP NOT NULL,      -- UTC
  submitted_at TIMESTAMP NOT NULL,   -- UTC; when the reporter submitted it
  rows_in_file INTEGER NOT NULL,
  rows_new INTEGER NOT NULL,
  rows_revised INTEGER NOT NULL,
  rows_unchanged INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS observation_history (
  indicator_code VARCHAR NOT NULL,
  unit_code VARCHAR NOT NULL,
  period VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  value DOUBLE NOT NULL,
  revision INTEGER NOT NULL,
  loaded_at TIMESTAMP NOT NULL,
  submitted_at TIMESTAMP NOT NULL,
  source_sha256 VARCHAR NOT NULL,
  source_file VARCHAR NOT NULL,
  load_id INTEGER NOT NULL,
  source_row INTEGER NOT NULL,
  reporter VARCHAR,
  operator VARCHAR NOT NULL,
  note VARCHAR,
  basis VARCHAR,
  target_basis VARCHAR DEFAULT ''
);
CREATE TABLE IF NOT EXISTS observations AS
  SELECT indicator_code, unit_code, period, kind, target_basis, value, revision,
         loaded_at, source_sha256, source_file, submitted_at, reporter, note, basis
  FROM observation_history LIMIT 0;
CREATE TABLE IF NOT EXISTS snapshot_info (
  snapshot_id VARCHAR, parent_snapshot_id VARCHAR, published_at TIMESTAMP,
  reason VARCHAR
);
"""
# Columns added after the first snapshots were built: snapshots are copies of
# the one before, so a build adds what its parent lacks (ensure_schema).
ADDED_COLUMNS = (
    # the inbox submission a load came from (python -m etl worker): a load of a
    # submission id is in a snapshot at most once, and the worker recovering
    # from a crash asks the current snapshot whether it is there
    ("loads", "submission_id", "VARCHAR"),
    # JSON {subject, serial, issuer, signing_time} of the signed submission
    ("loads", "signer", "VARCHAR"),
    ("observation_history", "signer", "VARCHAR"),
    # the plan a target belongs to (QH, TTg, HDND, BO); '' for actuals. A
    # figure is (indicator, unit, period, kind, target_basis): one target per plan
    ("observation_history", "target_basis", "VARCHAR DEFAULT ''"),
)


@dataclass(frozen=True)
class FileLoad:
    """What the ETL knows of one valid file when applying it."""

    file_seq: int
    source_file: str
    sha256: str
    reporter: str | None
    rows_in_file: int
    rows_rejected: int
    submitted_at: datetime
    submission_id: str | None = None  # the inbox's, for python -m etl worker
    signer: str | None = None  # JSON of the submission's signer


@dataclass(frozen=True)
class Applied:
    load_id: int
    rows_new: int
    rows_revised: int
    rows_unchanged: int


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA)
    for table, column, kind in ADDED_COLUMNS:
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}")


def fill_target_basis(con: duckdb.DuckDBPyConnection) -> None:
    """Targets loaded before target_basis existed belong to the catalog's primary
    plan: say so once (a schema migration, not a revision), so that the same
    target sent again with its basis is the same figure, not a second one."""
    con.execute(
        """
        UPDATE observation_history h
        SET target_basis = CASE WHEN i.target_basis = 'HDND' AND h.unit_code = '00'
                                THEN 'QH' ELSE coalesce(i.target_basis, '') END
        FROM indicators i
        WHERE h.kind = 'target' AND coalesce(h.target_basis, '') = ''
          AND i.code = h.indicator_code
        """
    )


def apply_batch(
    con: duckdb.DuckDBPyConnection,
    files: list[FileLoad],
    snapshot_id: str,
    operator: str,
    loaded_at: datetime,
) -> dict[int, Applied]:
    """Append the revisions in `stage_ok`, file by file in order; returns counts."""
    if not files:
        return {}
    first_id = con.execute(
        "SELECT coalesce(max(load_id), 0) + 1 FROM loads"
    ).fetchall()[0][0]
    load_ids = [first_id + i for i in range(len(files))]
    con.register(
        "batch_files_arrow",
        pa.table(
            {
                "file_seq": pa.array([f.file_seq for f in files], pa.int32()),
                "load_id": pa.array(load_ids, pa.int32()),
                "source_file": [f.source_file for f in files],
                "sha256": [f.sha256 for f in files],
                "submitted_at": pa.array(
                    [f.submitted_at for f in files], pa.timestamp("us")
                ),
                "signer": pa.array([f.signer for f in files], pa.string()),
            }
        ),
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE batch_files AS SELECT * FROM batch_files_arrow"
    )
    con.unregister("batch_files_arrow")
    # Figures of the batch, how many files give each, and those already in the
    # snapshot (their current value and revision).
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE batch_keys AS
        SELECT indicator_code, unit_code, period, kind, target_basis, count(*) AS n_files
        FROM stage_ok GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE batch_current AS
        SELECT o.indicator_code, o.unit_code, o.period, o.kind, o.target_basis, o.value,
               o.revision
        FROM observations o
        SEMI JOIN batch_keys USING (indicator_code, unit_code, period, kind, target_basis)
        """
    )
    # A figure new to the snapshot and given by one file is revision 1. The
    # others walk their values in load order (the current one first): a value
    # equal to the one before it is no change, any other is the next revision.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE new_revisions AS
        WITH walked AS (
          SELECT indicator_code, unit_code, period, kind, target_basis
          FROM batch_keys WHERE n_files > 1
          UNION SELECT indicator_code, unit_code, period, kind, target_basis FROM batch_current
        ),
        seq AS (
          SELECT s.indicator_code, s.unit_code, s.period, s.kind, s.target_basis, s.value,
                 s.file_seq, s.row_no, s.reporter, s.note, s.basis, NULL::INTEGER AS base_revision
          FROM stage_ok s
          SEMI JOIN walked USING (indicator_code, unit_code, period, kind, target_basis)
          UNION ALL
          SELECT indicator_code, unit_code, period, kind, target_basis, value, 0, 0, NULL,
                 NULL, NULL, revision
          FROM batch_current
        ),
        marked AS (
          SELECT *, lag(value) OVER w AS previous,
                 max(base_revision) OVER (PARTITION BY indicator_code, unit_code,
                                          period, kind, target_basis) AS current_revision
          FROM seq
          WINDOW w AS (PARTITION BY indicator_code, unit_code, period, kind, target_basis
                       ORDER BY file_seq)
        )
        SELECT s.indicator_code, s.unit_code, s.period, s.kind, s.target_basis, s.value,
               s.file_seq, s.row_no, s.reporter, s.note, s.basis, 1 AS revision
        FROM stage_ok s
        ANTI JOIN walked USING (indicator_code, unit_code, period, kind, target_basis)
        UNION ALL
        SELECT indicator_code, unit_code, period, kind, target_basis, value, file_seq,
          row_no, reporter, note, basis,
          coalesce(current_revision, 0) + row_number() OVER (
            PARTITION BY indicator_code, unit_code, period, kind, target_basis
            ORDER BY file_seq
          ) AS revision
        FROM marked
        WHERE file_seq > 0 AND previous IS DISTINCT FROM value
        """
    )
    con.execute(
        """
        INSERT INTO observation_history (indicator_code, unit_code, period, kind,
          target_basis, value, revision, loaded_at, submitted_at, source_sha256, source_file,
          load_id, source_row, reporter, operator, note, basis, signer)
        SELECT n.indicator_code, n.unit_code, n.period, n.kind, n.target_basis, n.value,
               n.revision,
               ?, b.submitted_at, b.sha256, b.source_file, b.load_id, n.row_no,
               n.reporter, ?, n.note, n.basis, b.signer
        FROM new_revisions n
        JOIN batch_files b USING (file_seq)
        """,
        [loaded_at, operator],
    )
    totals = dict(
        con.execute(
            "SELECT file_seq, count(*) FROM stage_ok GROUP BY file_seq"
        ).fetchall()
    )
    changed = {
        seq: (new, revised)
        for seq, new, revised in con.execute(
            """
            SELECT file_seq, count(*) FILTER (WHERE revision = 1),
                   count(*) FILTER (WHERE revision > 1)
            FROM new_revisions GROUP BY file_seq
            """
        ).fetchall()
    }
    counts = {seq: (*changed.get(seq, (0, 0)), total) for seq, total in totals.items()}
    for table in ("batch_keys", "batch_current"):
        con.execute(f"DROP TABLE {table}")
    result: dict[int, Applied] = {}
    rows: dict[str, list] = {k: [] for k in _LOAD_COLUMNS}
    for load_id, f in zip(load_ids, files, strict=True):
        new, revised, total = counts.get(f.file_seq, (0, 0, 0))
        applied = Applied(load_id, new, revised, total - new - revised)
        result[f.file_seq] = applied
        for key, value in (
            ("load_id", load_id),
            ("snapshot_id", snapshot_id),
            ("source_file", f.source_file),
            ("source_sha256", f.sha256),
            ("reporter", f.reporter),
            ("operator", operator),
            ("loaded_at", loaded_at),
            ("submitted_at", f.submitted_at),
            ("rows_in_file", f.rows_in_file),
            ("rows_new", applied.rows_new),
            ("rows_revised", applied.rows_revised),
            ("rows_unchanged", applied.rows_unchanged),
            ("rows_rejected", f.rows_rejected),
            ("submission_id", f.submission_id),
            ("signer", f.signer),
        ):
            rows[key].append(value)
    table = pa.table(
        {
            k: pa.array(v, pa.string()) if k in ("submission_id", "signer") else v
            for k, v in rows.items()
        }
    )
    con.register("loads_arrow", table)
    columns = ", ".join(_LOAD_COLUMNS)
    con.execute(f"INSERT INTO loads ({columns}) SELECT {columns} FROM loads_arrow")
    con.unregister("loads_arrow")
    return result


_LOAD_COLUMNS = (
    "load_id",
    "snapshot_id",
    "source_file",
    "source_sha256",
    "reporter",
    "operator",
    "loaded_at",
    "submitted_at",
    "rows_in_file",
    "rows_new",
    "rows_revised",
    "rows_unchanged",
    "rows_rejected",
    "submission_id",
    "signer",
)


def rebuild_current(con: duckdb.DuckDBPyConnection) -> None:
    """`observations`: the latest revision of every figure, stored in the order
    of its figures (a query for one indicator and unit reads few row groups)."""
    con.execute(
        """
        CREATE OR REPLACE TABLE observations AS
        SELECT indicator_code, unit_code, period, kind, target_basis, value, revision,
               loaded_at, source_sha256, source_file, submitted_at, reporter, note, basis
        FROM observation_history
        QUALIFY row_number() OVER (PARTITION BY indicator_code, unit_code, period, kind,
                                                target_basis
                                   ORDER BY revision DESC) = 1
        ORDER BY indicator_code, unit_code, period, kind, target_basis
        """
    )
