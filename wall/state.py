"""Presenter sessions and wall screens, shared by every app process.

The app may run as several gunicorn workers, so what a presenter chose must be
visible to the worker that answers a wall's next poll: it is stored in
`<data dir>/wall_state.sqlite` by store.wall_state (the SQL); this module holds
the rules (valid ids, what each command sets, the records the pages get). This
is the app's own state, not warehouse data: the DuckDB snapshots stay written
by the ETL alone.

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
import time
from dataclasses import dataclass
from pathlib import Path

from store import wall_state as stored
from store.wall_state import FILE_NAME

__all__ = [
    "FILE_NAME",
    "Screen",
    "Session",
    "WallState",
    "check_screen_id",
    "check_session_id",
    "wall_state",
]

SESSION_RE = re.compile(r"^[A-Z2-9]{6}$")
SCREEN_RE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out loud
FORGET_SCREENS_AFTER = 7 * 24 * 3600


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


def _new_session_id() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(6))


class WallState:
    """Sessions and screens of one state file (store.wall_state stores them)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._rows = stored.WallStateStore(self.path)

    # -- sessions --

    def create_session(self) -> Session:
        sid = self._rows.create_session(_new_session_id, time.time())
        return self.session(sid)  # type: ignore[return-value]

    def session(self, session_id: str | None) -> Session | None:
        sid = check_session_id(session_id)
        if sid is None:
            return None
        row = self._rows.session(sid)
        return _session(row) if row else None

    def sessions(self, limit: int = 20) -> list[Session]:
        return [_session(r) for r in self._rows.sessions(limit)]

    def _update(self, session_id: str, changes: dict) -> Session | None:
        """Apply a command: its changes, and seq raised so walls apply it once."""
        sid = check_session_id(session_id)
        if sid is None:
            return None
        row = self._rows.update_session(sid, changes, time.time())
        return _session(row) if row else None

    def hold(self, session_id: str, view: str, params: dict) -> Session | None:
        """Every wall of the session shows `view` with `params`."""
        params_text = json.dumps(params, sort_keys=True)
        return self._update(
            session_id, {"mode": "hold", "view": view, "params": params_text}
        )

    def rotate(self, session_id: str) -> Session | None:
        """Back to rotation: every wall runs its own playlist again."""
        return self._update(session_id, {"mode": "rotate"})

    def freeze(self, session_id: str, snapshot_id: str) -> Session | None:
        return self._update(
            session_id, {"frozen_snapshot": snapshot_id, "frozen_at": time.time()}
        )

    def release(self, session_id: str) -> Session | None:
        return self._update(session_id, {"frozen_snapshot": None, "frozen_at": None})

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
        screen = {
            "screen_id": screen_id,
            "session_id": session_id,
            "showing": (showing or "")[:300],
            "view": (view or "")[:40],
            "snapshot": (snapshot or "")[:80],
            "viewport": (viewport or "")[:20],
        }
        self._rows.heartbeat(screen, now, now - FORGET_SCREENS_AFTER)

    def screens(self, within_seconds: float = 3600) -> list[Screen]:
        """Screens heard from recently, most recent first."""
        rows = self._rows.screens(time.time() - within_seconds)
        return [Screen(**r) for r in rows]


def _session(row: dict) -> Session:
    values = dict(row)
    try:
        values["params"] = json.loads(values["params"] or "{}")
    except ValueError:
        values["params"] = {}
    return Session(**values)


_stores: dict[Path, WallState] = {}


def wall_state() -> WallState:
    """The state file of the current data directory (one object per path)."""
    path = stored.path()
    if path not in _stores:
        _stores[path] = WallState(path)
    return _stores[path]
