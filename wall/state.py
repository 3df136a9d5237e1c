"""Presenter sessions and wall screens, shared by every app process.

The app may run as several gunicorn workers, so what a presenter chose must be
visible to the worker that answers a wall's next poll: it lives in a small
SQLite file `<data dir>/wall_state.sqlite` (WAL mode, one short transaction per
call, a new connection each time so threads and processes never share one).
This is the app's own state, not warehouse data: the DuckDB snapshots stay
written by the ETL alone.

A session holds what its walls show: `mode` 'rotate' (each wall runs its
playlist) or 'hold' (every wall shows `view` with `params`), the snapshot its
data are frozen on (or None), and `seq`, raised by every command so a wall
applies each command once. A screen is one wall display, keyed by its screen
id, with its last heartbeat and what it showed then.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import settings

FILE_NAME = "wall_state.sqlite"
SESSION_RE = re.compile(r"^[A-Z2-9]{6}$")
SCREEN_RE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out loud
FORGET_SCREENS_AFTER = 7 * 24 * 3600

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, mode TEXT NOT NULL DEFAULT 'rotate', view TEXT,
  params TEXT NOT NULL DEFAULT '{}', frozen_snapshot TEXT, frozen_at REAL,
  seq INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL, updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS screens (
  screen_id TEXT PRIMARY KEY, session_id TEXT, showing TEXT, view TEXT,
  snapshot TEXT, viewport TEXT, first_seen REAL NOT NULL, last_seen REAL NOT NULL
);
"""


@dataclass(frozen=True)
class Session:
    id: str
    mode: str
    view: str | None
    params: dict
    frozen_snapshot: str | None
    frozen_at: float | None
    seq: int
    created_at: float
    updated_at: float

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "mode": self.mode,
            "view": self.view,
            "params": self.params,
            "frozen": self.frozen_snapshot,
            "seq": self.seq,
        }


@dataclass(frozen=True)
class Screen:
    screen_id: str
    session_id: str | None
    showing: str | None
    view: str | None
    snapshot: str | None
    viewport: str | None
    first_seen: float
    last_seen: float


def check_session_id(value: str | None) -> str | None:
    text = (value or "").strip().upper()
    return text if SESSION_RE.match(text) else None


def check_screen_id(value: str | None) -> str | None:
    text = (value or "").strip()
    return text if SCREEN_RE.match(text) else None


class WallState:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ready = False

    @contextmanager
    def _db(self, immediate: bool = False) -> Iterator[sqlite3.Connection]:
        """One short transaction on a fresh connection (committed on exit);
        `immediate` takes the write lock first (read-then-write)."""
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            con.row_factory = sqlite3.Row
            if not self._ready:
                con.execute("PRAGMA journal_mode=WAL")
                con.executescript(SCHEMA)
                self._ready = True
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    # -- sessions --

    def create_session(self) -> Session:
        now = time.time()
        with self._db(immediate=True) as con:
            for _ in range(20):
                sid = "".join(secrets.choice(_ALPHABET) for _ in range(6))
                if not con.execute(
                    "SELECT 1 FROM sessions WHERE id = ?", [sid]
                ).fetchone():
                    break
            con.execute(
                "INSERT INTO sessions (id, created_at, updated_at) VALUES (?, ?, ?)",
                [sid, now, now],
            )
        return self.session(sid)  # type: ignore[return-value]

    def session(self, session_id: str | None) -> Session | None:
        sid = check_session_id(session_id)
        if sid is None:
            return None
        with self._db() as con:
            row = con.execute("SELECT * FROM sessions WHERE id = ?", [sid]).fetchone()
        return _session(row) if row else None

    def sessions(self, limit: int = 20) -> list[Session]:
        with self._db() as con:
            rows = con.execute(
                "SELECT * FROM sessions ORDER BY updated_at DESC LIMIT ?", [limit]
            ).fetchall()
        return [_session(r) for r in rows]

    def _update(self, session_id: str, sets: str, values: list) -> Session | None:
        sid = check_session_id(session_id)
        if sid is None:
            return None
        with self._db() as con:
            con.execute(
                f"UPDATE sessions SET {sets}, seq = seq + 1, updated_at = ? "
                "WHERE id = ?",
                [*values, time.time(), sid],
            )
        return self.session(sid)

    def hold(self, session_id: str, view: str, params: dict) -> Session | None:
        """Every wall of the session shows `view` with `params`."""
        return self._update(
            session_id,
            "mode = 'hold', view = ?, params = ?",
            [view, json.dumps(params, sort_keys=True)],
        )

    def rotate(self, session_id: str) -> Session | None:
        """Back to rotation: every wall runs its own playlist again."""
        return self._update(session_id, "mode = 'rotate'", [])

    def freeze(self, session_id: str, snapshot_id: str) -> Session | None:
        return self._update(
            session_id, "frozen_snapshot = ?, frozen_at = ?", [snapshot_id, time.time()]
        )

    def release(self, session_id: str) -> Session | None:
        return self._update(session_id, "frozen_snapshot = NULL, frozen_at = NULL", [])

    # -- screens --

    def heartbeat(
        self,
        screen_id: str,
        session_id: str | None,
        showing: str | None,
        view: str | None,
        snapshot: str | None,
        viewport: str | None,
    ) -> None:
        now = time.time()
        with self._db() as con:
            con.execute(
                "INSERT INTO screens VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (screen_id) DO UPDATE SET "
                "session_id = excluded.session_id, "
                "showing = excluded.showing, view = excluded.view, "
                "snapshot = excluded.snapshot, viewport = excluded.viewport, "
                "last_seen = excluded.last_seen",
                [
                    screen_id,
                    session_id,
                    (showing or "")[:300],
                    (view or "")[:40],
                    (snapshot or "")[:80],
                    (viewport or "")[:20],
                    now,
                    now,
                ],
            )
            con.execute(
                "DELETE FROM screens WHERE last_seen < ?", [now - FORGET_SCREENS_AFTER]
            )

    def screens(self, within_seconds: float = 3600) -> list[Screen]:
        """Screens heard from recently, most recent first."""
        with self._db() as con:
            rows = con.execute(
                "SELECT * FROM screens WHERE last_seen >= ? ORDER BY last_seen DESC",
                [time.time() - within_seconds],
            ).fetchall()
        return [Screen(**dict(r)) for r in rows]


def _session(row: sqlite3.Row) -> Session:
    values = dict(row)
    try:
        values["params"] = json.loads(values["params"] or "{}")
    except ValueError:
        values["params"] = {}
    return Session(**values)


_stores: dict[Path, WallState] = {}


def wall_state() -> WallState:
    """The state file of the current data directory (one object per path)."""
    path = settings.data_dir() / FILE_NAME
    if path not in _stores:
        _stores[path] = WallState(path)
    return _stores[path]
