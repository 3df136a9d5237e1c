"""The load and validate pipelines: read, stage, check, apply, publish."""

from __future__ import annotations

import getpass
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

import settings
from data.store import Layout, read_current
from etl import publish as pub
from etl.models import build_models
from etl.progress import say, track
from etl.readers import ParsedFile, read_file
from etl.reference import load_reference
from etl.report import BadRow, FileOutcome, keep_rejected
from etl.validate import find_errors, keep_valid, stage
from etl.warehouse import (
    FileLoad,
    apply_batch,
    ensure_schema,
    fill_target_basis,
    rebuild_current,
)


@dataclass(frozen=True)
class Submission:
    """One file to load, with what the command line says about it."""

    path: Path
    reporter: str | None = None
    submitted_at: datetime | None = None  # UTC; default: the load time
    # from the inbox (python -m etl worker): the submission's id, recorded in
    # `loads` (a snapshot holds each id at most once), and its signer (JSON)
    submission_id: str | None = None
    signer: str | None = None


@dataclass
class RunResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    snapshot_id: str | None = None
    published: bool = False

    @property
    def ok(self) -> bool:
        return all(o.status not in ("rejected", "invalid") for o in self.outcomes)


def operator_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def reference_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(settings.REFERENCE_DIR.glob("*.csv")):
        digest.update(path.name.encode() + path.read_bytes())
    for path in sorted((Path(__file__).parent / "models").glob("*.sql")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _check(
    con: duckdb.DuckDBPyConnection,
    parsed: list[ParsedFile],
    reporters: list[str | None],
) -> dict[int, list[BadRow]]:
    """Stage and validate; bad rows per file (1-based position in `parsed`)."""
    stage(con, parsed, reporters)
    errors: dict[int, list[BadRow]] = defaultdict(list)
    for seq, p in enumerate(parsed, start=1):
        for problem in p.problems:
            errors[seq].append(
                BadRow(
                    p.path.name,
                    problem.row,
                    problem.column,
                    problem.value,
                    problem.expected,
                )
            )
    for e in find_errors(con):
        errors[e.file_seq].append(
            BadRow(
                parsed[e.file_seq - 1].path.name, e.row, e.column, e.value, e.expected
            )
        )
    return errors


def validate_files(submissions: list[Submission]) -> RunResult:
    """The load's checks, loading nothing (no warehouse needed)."""
    parsed = [read_file(s.path) for s in track(submissions, "Reading")]
    con = duckdb.connect()
    load_reference(con)
    errors = _check(con, parsed, [s.reporter for s in submissions])
    result = RunResult()
    for seq, p in enumerate(parsed, start=1):
        bad = errors.get(seq, [])
        result.outcomes.append(
            FileOutcome(
                p.path,
                p.sha256,
                "invalid" if bad else "valid",
                p.n_rows,
                errors=bad,
                ignored_columns=p.ignored_columns,
            )
        )
    return result


def load_files(
    submissions: list[Submission],
    data_dir: Path | None = None,
    accept_valid_rows: bool = False,
    operator: str | None = None,
    lock_wait: float | None = None,
) -> RunResult:
    """Load files into a new snapshot and publish it, or reject them with reports.

    `lock_wait`: seconds to wait for another run's writer lock before EtlBusy
    (default: publish.writer_lock's)."""
    layout = Layout(data_dir or settings.data_dir())
    operator = operator or operator_name()
    result = RunResult()
    wait = {} if lock_wait is None else {"wait_seconds": lock_wait}
    with pub.writer_lock(layout, **wait):
        pub.prune(layout)
        snapshot_id = pub.new_snapshot_id()
        parent = read_current(layout.root)
        parsed = [read_file(s.path) for s in track(submissions, "Reading")]
        work = pub.start_build(layout, snapshot_id)
        try:
            con = pub.connect_work(work)
            published = _load_into(
                con,
                layout,
                parsed,
                submissions,
                accept_valid_rows,
                operator,
                snapshot_id,
                parent.snapshot_id if parent else None,
                result,
            )
            con.close()
            if published:
                pub.publish(layout, work, snapshot_id)
                result.snapshot_id, result.published = snapshot_id, True
            else:
                pub.discard(work)
                result.snapshot_id = parent.snapshot_id if parent else None
        except BaseException:
            pub.discard(work)
            raise
        pub.prune(layout)
    return result


def _loaded_submissions(
    con: duckdb.DuckDBPyConnection, submissions: list[Submission]
) -> set[str]:
    """The inbox submissions of this batch that the snapshot already holds."""
    ids = [s.submission_id for s in submissions if s.submission_id is not None]
    if not ids:
        return set()
    rows = con.execute(
        "SELECT DISTINCT submission_id FROM loads WHERE submission_id IN "
        "(SELECT unnest($ids))",
        {"ids": ids},
    ).fetchall()
    return {r[0] for r in rows}


def _load_into(
    con: duckdb.DuckDBPyConnection,
    layout: Layout,
    parsed: list[ParsedFile],
    submissions: list[Submission],
    accept_valid_rows: bool,
    operator: str,
    snapshot_id: str,
    parent_id: str | None,
    result: RunResult,
) -> bool:
    """Apply the batch to the working copy; True when a new snapshot is due."""
    ensure_schema(con)
    fingerprint = reference_fingerprint()
    old_fingerprint = con.execute(
        "SELECT max(reason) FILTER (WHERE reason LIKE 'reference:%') FROM snapshot_info"
    ).fetchall()[0][0]
    load_reference(con)
    fill_target_basis(con)
    errors = _check(con, parsed, [s.reporter for s in submissions])
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    already = _loaded_submissions(con, submissions)
    skip, bad_rows, loads = set(), set(), []
    for seq, (p, sub) in enumerate(zip(parsed, submissions, strict=True), start=1):
        bad = errors.get(seq, [])
        if sub.submission_id is not None and sub.submission_id in already:
            # this submission is in the snapshot already: never loaded twice
            skip.add(seq)
            outcome = FileOutcome(
                p.path,
                p.sha256,
                "unchanged",
                p.n_rows,
                rows_unchanged=p.n_rows,
                ignored_columns=p.ignored_columns,
            )
        elif p.problems or (bad and not accept_valid_rows):
            skip.add(seq)
            outcome = FileOutcome(
                p.path,
                p.sha256,
                "rejected",
                p.n_rows,
                errors=bad,
                ignored_columns=p.ignored_columns,
            )
            keep_rejected(layout, outcome)
        else:
            bad_rows |= {(seq, e.row) for e in bad}
            outcome = FileOutcome(
                p.path,
                p.sha256,
                "partial" if bad else "loaded",
                p.n_rows,
                errors=bad,
                ignored_columns=p.ignored_columns,
            )
            if bad:
                keep_rejected(layout, outcome)
            submitted = sub.submitted_at or loaded_at
            if submitted.tzinfo is not None:  # aware: store as naive UTC
                submitted = submitted.astimezone(UTC)
            loads.append(
                FileLoad(
                    seq,
                    p.path.name,
                    p.sha256,
                    sub.reporter or p.reporter,
                    p.n_rows,
                    len({e.row for e in bad}),
                    submitted.replace(tzinfo=None),
                    sub.submission_id,
                    sub.signer,
                )
            )
        result.outcomes.append(outcome)
    keep_valid(con, bad_rows, skip)
    applied = apply_batch(con, loads, snapshot_id, operator, loaded_at)
    for load in loads:
        outcome = result.outcomes[load.file_seq - 1]
        counts = applied[load.file_seq]
        outcome.rows_new, outcome.rows_revised = counts.rows_new, counts.rows_revised
        outcome.rows_unchanged = counts.rows_unchanged
        if (
            not counts.rows_new
            and not counts.rows_revised
            and outcome.status == "loaded"
        ):
            outcome.status = "unchanged"
    changed = any(a.rows_new or a.rows_revised for a in applied.values())
    # an inbox submission's load is published even if it changes no figure:
    # its `loads` row is the record that it was loaded (etl/worker.py)
    changed = changed or any(load.submission_id is not None for load in loads)
    first = parent_id is None
    if not (changed or first or old_fingerprint != f"reference:{fingerprint}"):
        return False
    say("Building the modelled tables ...")
    rebuild_current(con)
    build_models(con)
    con.execute("DELETE FROM snapshot_info")
    con.execute(
        "INSERT INTO snapshot_info VALUES (?, ?, ?, ?)",
        [snapshot_id, parent_id, loaded_at, f"reference:{fingerprint}"],
    )
    con.execute("CHECKPOINT")
    return True
