"""The audit log: who signed in, read, downloaded or loaded what, and when.

Its own SQLite file (store.sqlite), <auth dir>/audit.sqlite (0600), append-only:
triggers refuse UPDATE and DELETE, and each event carries the SHA-256 of the one
before it and of itself, so an edit made around the triggers (by someone who can
write the file) breaks the chain that `python -m auth audit verify` checks.
Recording never fails the action it records: an error is logged instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import settings
from store.sqlite import Database

FILE_NAME = "audit.sqlite"
LOGIN, LOGIN_FAILED, LOGIN_LOCKED, LOGOUT = (
    "login",
    "login_failed",
    "login_locked",
    "logout",
)
VIEW, DOWNLOAD, API, TOKEN_USE, DENIED = (
    "view",
    "download",
    "api",
    "token_use",
    "denied",
)
ETL_LOAD, ADMIN, EXPORT = "etl_load", "admin", "audit_export"
# a report handed in (/submit, POST /api/v1/submissions): outcome `queued`
# (stored; `duplicate` for a retry of the same Idempotency-Key), `refused`
# (out of the reporter's reach, 403) or `invalid` (anything else refused: bad
# rows, signature, size, type ...)
SUBMIT = "submit"
ACTIONS = (
    LOGIN,
    LOGIN_FAILED,
    LOGIN_LOCKED,
    LOGOUT,
    VIEW,
    DOWNLOAD,
    API,
    TOKEN_USE,
    DENIED,
    ETL_LOAD,
    ADMIN,
    EXPORT,
    SUBMIT,
)
COLUMNS = ("id", "at", "actor", "role", "action", "target", "outcome", "ip", "detail")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT 'ok',
  ip TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_at ON events(at);
CREATE INDEX IF NOT EXISTS events_actor ON events(actor);
CREATE INDEX IF NOT EXISTS events_action ON events(action);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
# Schema versions (store.sqlite): 1 is the schema above, as files made before
# migrations have it; a change is a new script appended here, never an edit.
MIGRATIONS = (SCHEMA,)

log = logging.getLogger(__name__)


def path(root: Path | None = None) -> Path:
    return settings.auth_dir(root) / FILE_NAME


def _database(root: Path | None) -> Database:
    return Database(path(root), MIGRATIONS, private=True)


def _digest(prev: str, fields: list[str]) -> str:
    return hashlib.sha256(
        (prev + json.dumps(fields, ensure_ascii=False)).encode()
    ).hexdigest()


def append(
    action: str,
    actor: str,
    role: str = "",
    target: str = "",
    outcome: str = "ok",
    ip: str | None = None,
    detail: dict | None = None,
    root: Path | None = None,
) -> None:
    """Append one event (UTC time stamped here)."""
    at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    fields = [
        at,
        actor,
        role or "",
        action,
        str(target or "")[:500],
        outcome,
        ip or "",
        json.dumps(detail or {}, ensure_ascii=False, default=str)[:4000],
    ]
    with _database(root).write() as con:  # the write lock: one chain, no fork
        last = con.execute(
            "SELECT hash FROM events ORDER BY id DESC LIMIT 1"
        ).fetchone()
        prev = last["hash"] if last else ""
        con.execute(
            "INSERT INTO events (at, actor, role, action, target, outcome,"
            " ip, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [*fields, prev, _digest(prev, fields)],
        )


def record(
    action: str,
    target: str = "",
    outcome: str = "ok",
    detail: dict | None = None,
    **who: Any,
) -> None:
    """Append an event for the current request's identity (or `who`); never raises."""
    try:
        if "actor" not in who:
            who.update(_request_actor())
        append(action, target=target, outcome=outcome, detail=detail, **who)
    except Exception:  # the audit must not take the app down; say so loudly
        log.exception("could not write the audit log (%s %s)", action, target)


def _request_actor() -> dict:
    from flask import g, has_request_context, request

    if not has_request_context():
        return {"actor": "system"}
    scope = g.get("cc_scope")
    return {
        "actor": scope.principal if scope else "anonymous",
        "role": scope.role if scope else "",
        "ip": request.remote_addr,
    }


def check_date(value: str | None, name: str) -> str | None:
    if value in (None, ""):
        return None
    if not DATE_RE.match(str(value)):
        raise ValueError(f"{name} must be a date like 2026-10-31, not {value!r}")
    datetime.strptime(value, "%Y-%m-%d")  # a real day (ValueError otherwise)
    return value


def _day_start(day: str, plus_days: int, utc_offset_hours: int) -> str:
    """The UTC stamp (as `at` is written) where a local day begins."""
    start = datetime.strptime(day, "%Y-%m-%d") + timedelta(
        days=plus_days, hours=-utc_offset_hours
    )
    return start.strftime("%Y-%m-%dT%H:%M:%S")


def read_events(
    actor: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = 500,
    root: Path | None = None,
    utc_offset_hours: int = 0,
) -> list[dict]:
    """Events newest first; since/until are days, inclusive, at UTC plus
    `utc_offset_hours` (the admin page's days are Vietnam's, GMT+7, as its
    times); bad ones ValueError."""
    since, until = check_date(since, "from"), check_date(until, "to")
    if action and action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    sql, args = f"SELECT {', '.join(COLUMNS)} FROM events WHERE 1=1", []
    if actor:
        sql += " AND actor LIKE ? ESCAPE '\\'"
        escaped = actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args.append(f"%{escaped}%")
    if action:
        sql += " AND action = ?"
        args.append(action)
    if since:
        sql += " AND at >= ?"
        args.append(_day_start(since, 0, utc_offset_hours))
    if until:
        sql += " AND at < ?"
        args.append(_day_start(until, 1, utc_offset_hours))
    sql += " ORDER BY id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    with _database(root).read() as con:
        return [dict(r) for r in con.execute(sql, args).fetchall()]


def to_csv(events: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(events)
    return buffer.getvalue()


def verify(root: Path | None = None) -> tuple[int, int | None]:
    """(events checked, id of the first event whose chain is broken or None)."""
    prev, n = "", 0
    with _database(root).read() as con:  # one snapshot of the whole chain
        for row in con.execute("SELECT * FROM events ORDER BY id"):
            n += 1
            fields = [row[c] for c in COLUMNS[1:]]
            if row["prev_hash"] != prev or row["hash"] != _digest(prev, fields):
                return n, row["id"]
            prev = row["hash"]
    return n, None


def record_etl_load(root: Path, result: Any, operator: str) -> None:
    """An ETL run (etl.run.load_files): its files, their outcomes, the snapshot."""
    files = [
        {
            "file": o.path.name,
            "sha256": o.sha256,
            "status": o.status,
            "rows": o.rows_in_file,
            "new": o.rows_new,
            "revised": o.rows_revised,
        }
        for o in result.outcomes
    ]
    try:
        append(
            ETL_LOAD,
            f"etl:{operator}",
            role="data_operator",
            target=result.snapshot_id or "",
            outcome="published" if result.published else "not_published",
            detail={"files": files[:200], "n_files": len(files)},
            root=root,
        )
    except Exception:
        log.exception("could not write the audit log (etl load)")
