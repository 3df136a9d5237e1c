"""The wall's presenter sessions and screens, as stored.

The app may run as several gunicorn workers, so what a presenter chose must be
visible to the worker that answers a wall's next poll: it lives in
`<data dir>/wall_state.sqlite` (store.sqlite: WAL, one short transaction per
call, a new connection each time). This module only reads and writes the rows;
what they mean (valid ids, the commands, the records handed to the pages) is
wall.state's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import settings
from store.sqlite import Database

FILE_NAME = "wall_state.sqlite"
BUSY_TIMEOUT = 10.0  # a wall polls again soon; a presenter's click waits this long

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
# Schema versions (store.sqlite): 1 is the schema above, as files made before
# migrations have it; a change is a new script appended here, never an edit.
MIGRATIONS = (SCHEMA,)

# What a command may set on a session (besides seq and updated_at).
SESSION_FIELDS = ("mode", "view", "params", "frozen_snapshot", "frozen_at")


def path() -> Path:
    """The state file of the current data directory."""
    return settings.data_dir() / FILE_NAME


class WallStateStore:
    """The rows of one state file; ids come checked by the caller."""

    def __init__(self, file: Path) -> None:
        self.path = Path(file)
        self.db = Database(self.path, MIGRATIONS, busy_timeout=BUSY_TIMEOUT)

    def create_session(self, new_id: Callable[[], str], now: float) -> str:
        """Insert a session under an id from `new_id` not taken yet (20 tries;
        the check and the insert hold the write lock together)."""
        with self.db.write() as con:
            for _ in range(20):
                sid = new_id()
                if not con.execute(
                    "SELECT 1 FROM sessions WHERE id = ?", [sid]
                ).fetchone():
                    break
            con.execute(
                "INSERT INTO sessions (id, created_at, updated_at) VALUES (?, ?, ?)",
                [sid, now, now],
            )
        return sid

    def session(self, sid: str) -> dict | None:
        with self.db.read() as con:
            row = con.execute("SELECT * FROM sessions WHERE id = ?", [sid]).fetchone()
        return dict(row) if row else None

    def sessions(self, limit: int) -> list[dict]:
        with self.db.read() as con:
            rows = con.execute(
                "SELECT * FROM sessions ORDER BY updated_at DESC LIMIT ?", [limit]
            ).fetchall()
        return [dict(r) for r in rows]

    def update_session(self, sid: str, changes: dict, now: float) -> dict | None:
        """Set `changes` (columns of SESSION_FIELDS), raise seq; the row after,
        or None if there is no such session."""
        unknown = set(changes) - set(SESSION_FIELDS)
        if unknown:
            raise ValueError(f"not a session field: {', '.join(sorted(unknown))}")
        sets = "".join(f"{column} = ?, " for column in changes)  # names checked
        with self.db.write() as con:
            con.execute(
                f"UPDATE sessions SET {sets}seq = seq + 1, updated_at = ? WHERE id = ?",
                [*changes.values(), now, sid],
            )
            row = con.execute("SELECT * FROM sessions WHERE id = ?", [sid]).fetchone()
        return dict(row) if row else None

    def heartbeat(self, screen: dict, now: float, forget_before: float) -> None:
        """Record what a screen shows (its columns but the times), and forget
        the screens not heard from since `forget_before`."""
        with self.db.write() as con:
            con.execute(
                "INSERT INTO screens (screen_id, session_id, showing, view, snapshot,"
                " viewport, first_seen, last_seen) VALUES"
                " (:screen_id, :session_id, :showing, :view, :snapshot, :viewport,"
                " :now, :now) "
                "ON CONFLICT (screen_id) DO UPDATE SET "
                "session_id = excluded.session_id, "
                "showing = excluded.showing, view = excluded.view, "
                "snapshot = excluded.snapshot, viewport = excluded.viewport, "
                "last_seen = excluded.last_seen",
                {**screen, "now": now},
            )
            con.execute("DELETE FROM screens WHERE last_seen < ?", [forget_before])

    def screens(self, since: float) -> list[dict]:
        """Screens heard from since `since`, most recent first."""
        with self.db.read() as con:
            rows = con.execute(
                "SELECT * FROM screens WHERE last_seen >= ? ORDER BY last_seen DESC",
                [since],
            ).fetchall()
        return [dict(r) for r in rows]
