"""Sign-in with lock-out: repeated failures lock an account name and an address.

settings.LOGIN_MAX_FAILURES failed sign-ins for one account name within
settings.LOGIN_LOCK_MINUTES lock that name for LOGIN_LOCK_MINUTES (whether
the account exists or not, so a lock says nothing about which names exist);
LOGIN_MAX_FAILURES_IP failures from one client address lock the address. While
locked, even the right password is refused. The counters live in auth.sqlite,
so every worker process sees the same ones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import settings
from auth import db
from auth.store import Identity, check_user_password


@dataclass(frozen=True)
class SignIn:
    identity: Identity | None
    outcome: str  # "ok" | "bad" | "locked"
    retry_after: int = 0  # seconds, when locked


def _keys(name: str, ip: str | None) -> list[tuple[str, int]]:
    keys = [(f"user:{str(name).strip().lower()[:64]}", settings.LOGIN_MAX_FAILURES)]
    if ip:
        keys.append((f"ip:{ip}", settings.LOGIN_MAX_FAILURES_IP))
    return keys


def locked_for(name: str, ip: str | None, root: Path | None = None) -> int:
    """Seconds until the name and address may try again (0: not locked)."""
    now = time.time()
    keys = [k for k, _ in _keys(name, ip)]
    marks = ",".join("?" * len(keys))
    with db.connect(root) as con:
        rows = con.execute(
            f"SELECT locked_until FROM failures WHERE key IN ({marks})", keys
        ).fetchall()
    until = max([r["locked_until"] or 0 for r in rows] + [0])
    return max(0, int(until - now + 0.999))


def _note_failure(name: str, ip: str | None, root: Path | None) -> None:
    now, window = time.time(), settings.LOGIN_LOCK_MINUTES * 60
    with db.connect(root, write=True) as con:
        for key, limit in _keys(name, ip):
            row = con.execute("SELECT * FROM failures WHERE key = ?", [key]).fetchone()
            fresh = (
                row is None
                or now - row["first_at"] > window
                or (row["locked_until"] is not None and row["locked_until"] <= now)
            )
            count = 1 if fresh else row["count"] + 1
            first = now if fresh else row["first_at"]
            locked = now + window if count >= limit else None
            con.execute(
                "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
                [key, count, first, locked],
            )


def _clear(name: str, root: Path | None) -> None:
    with db.connect(root, write=True) as con:
        con.execute("DELETE FROM failures WHERE key = ?", [_keys(name, None)[0][0]])


def sign_in(
    name: str, password: str, ip: str | None, root: Path | None = None
) -> SignIn:
    wait = locked_for(name, ip, root)
    if wait:
        return SignIn(None, "locked", wait)
    identity = check_user_password(name, password, root)
    if identity is None:
        _note_failure(name, ip, root)
        wait = locked_for(name, ip, root)
        return SignIn(None, "locked" if wait else "bad", wait)
    _clear(name, root)
    return SignIn(identity, "ok")


def unlock(name: str, root: Path | None = None) -> None:
    _clear(name, root)
