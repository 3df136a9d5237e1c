"""Accounts, device/API tokens and sessions (auth.sqlite; auth/db.py).

An Identity is who a request is: a user or a token, with the role and scope
it was given. Every check reads the database, so disabling an account,
resetting its password or revoking a token ends its sessions at once.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import settings
from auth import db
from auth.passwords import (
    check_password_strength,
    hash_password,
    needs_rehash,
    new_token,
    token_hash,
    verify_password,
)
from auth.scope import check_assignment, check_reporter
from core.roles import role as get_role
from core.scope import Scope, make_scope

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
DEVICE_SESSION_DAYS = 30  # a wall's session; it signs in again from its URL


@dataclass(frozen=True)
class Identity:
    kind: str  # "user" | "token"
    id: int
    name: str
    role: str
    province: str | None = None
    agencies: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    display_name: str = ""
    agency: str | None = None  # a reporter's reporting agency

    @property
    def principal(self) -> str:
        return f"{self.kind}:{self.name}"

    def scope(self) -> Scope:
        return make_scope(
            self.role,
            self.principal,
            self.province,
            self.agencies,
            self.sectors,
            self.agency,
        )


def check_name(name: str) -> str:
    value = str(name).strip().lower()
    if not NAME_RE.match(value):
        raise ValueError("a name is 2-64 characters: letters a-z, digits, . _ @ -")
    return value


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(p for p in (text or "").split(";") if p)


def _identity(kind: str, row) -> Identity:
    return Identity(
        kind,
        row["id"],
        row["name"],
        row["role"],
        row["province"],
        _split(row["agencies"]),
        _split(row["sectors"]),
        row["display_name"] if kind == "user" else "",
        row["agency"],
    )


# -- users --


def add_user(
    name: str,
    role: str,
    password: str,
    province: str | None = None,
    agencies: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    display_name: str = "",
    root: Path | None = None,
) -> Identity:
    name = check_name(name)
    get_role(role)
    agency = check_reporter(role, province, agencies, sectors)
    province, agencies, sectors = check_assignment(role, province, agencies, sectors)
    check_password_strength(password)
    now = time.time()
    with db.connect(root, write=True) as con:
        if con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
            raise ValueError(f"user {name} exists")
        cur = con.execute(
            "INSERT INTO users (name, display_name, role, province, agencies, sectors,"
            " agency, password_hash, created_at, updated_at, password_changed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                name,
                display_name,
                role,
                province,
                ";".join(agencies),
                ";".join(sectors),
                agency,
                hash_password(password),
                now,
                now,
                now,
            ],
        )
        return Identity(
            "user",
            cur.lastrowid,
            name,
            role,
            province,
            agencies,
            sectors,
            display_name,
            agency,
        )


def _user(con, name: str):
    row = con.execute(
        "SELECT * FROM users WHERE name = ?", [check_name(name)]
    ).fetchone()
    if row is None:
        raise ValueError(f"no user {name}")
    return row


def set_disabled(name: str, disabled: bool, root: Path | None = None) -> None:
    with db.connect(root, write=True) as con:
        row = _user(con, name)
        now = time.time()
        con.execute(
            "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",
            [int(disabled), now, row["id"]],
        )
        if disabled:
            con.execute(
                "UPDATE sessions SET ended_at = ? WHERE user_id = ?"
                " AND ended_at IS NULL",
                [now, row["id"]],
            )


def reset_password(name: str, password: str, root: Path | None = None) -> None:
    """A new password; the account's sessions end and its lock-out is lifted."""
    check_password_strength(password)
    with db.connect(root, write=True) as con:
        row = _user(con, name)
        now = time.time()
        con.execute(
            "UPDATE users SET password_hash = ?, password_changed_at = ?,"
            " updated_at = ? WHERE id = ?",
            [hash_password(password), now, now, row["id"]],
        )
        con.execute(
            "UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL",
            [now, row["id"]],
        )
        con.execute("DELETE FROM failures WHERE key = ?", [f"user:{row['name']}"])


def _rows(sql: str, root: Path | None) -> list[dict]:
    with db.connect(root) as con:
        return [dict(r) for r in con.execute(sql).fetchall()]


def list_users(root: Path | None = None) -> list[dict]:
    return _rows(
        "SELECT id, name, display_name, role, province, agencies, sectors, agency,"
        " disabled, created_at, updated_at FROM users ORDER BY name",
        root,
    )


def check_user_password(
    name: str, password: str, root: Path | None = None
) -> Identity | None:
    """The user if the name and password match an enabled account (no lock-out
    here: auth.lockout wraps this for sign-in)."""
    try:
        name = check_name(name)
    except ValueError:
        verify_password(None, password)
        return None
    with db.connect(root) as con:
        row = con.execute("SELECT * FROM users WHERE name = ?", [name]).fetchone()
    usable = row is not None and not row["disabled"]
    if not verify_password(row["password_hash"] if usable else None, password):
        return None
    if needs_rehash(row["password_hash"]):
        with db.connect(root, write=True) as con:
            con.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?",
                [hash_password(password), row["id"]],
            )
    return _identity("user", row)


# -- tokens (walls and other systems) --


def create_token(
    name: str,
    role: str,
    created_by: str,
    province: str | None = None,
    agencies: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    days: float | None = None,
    root: Path | None = None,
) -> tuple[str, Identity]:
    """A new token, returned in clear once (only its hash is kept)."""
    name = check_name(name)
    get_role(role)
    agency = check_reporter(role, province, agencies, sectors)
    province, agencies, sectors = check_assignment(role, province, agencies, sectors)
    token, now = new_token(), time.time()
    with db.connect(root, write=True) as con:
        cur = con.execute(
            "INSERT INTO tokens (name, token_hash, role, province, agencies, sectors,"
            " agency, created_at, created_by, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                name,
                token_hash(token),
                role,
                province,
                ";".join(agencies),
                ";".join(sectors),
                agency,
                now,
                created_by,
                now + days * 86400 if days else None,
            ],
        )
    return token, Identity(
        "token", cur.lastrowid, name, role, province, agencies, sectors, "", agency
    )


def revoke_token(id_or_name: str, root: Path | None = None) -> int:
    """Revoke the token with this id, or every live token with this name;
    their sessions end at once. The number revoked."""
    now = time.time()
    key = str(id_or_name).strip()
    where = "id = ?" if key.isdigit() else "name = ?"
    with db.connect(root, write=True) as con:
        ids = [
            r["id"]
            for r in con.execute(
                f"SELECT id FROM tokens WHERE {where} AND revoked_at IS NULL", [key]
            )
        ]
        for token_id in ids:
            con.execute(
                "UPDATE tokens SET revoked_at = ? WHERE id = ?", [now, token_id]
            )
            con.execute(
                "UPDATE sessions SET ended_at = ? WHERE token_id = ?"
                " AND ended_at IS NULL",
                [now, token_id],
            )
    return len(ids)


def list_tokens(root: Path | None = None) -> list[dict]:
    """Never the secret: only its hash is stored, and not listed."""
    return _rows(
        "SELECT id, name, role, province, agencies, sectors, agency, created_at,"
        " created_by, expires_at, revoked_at, last_used_at FROM tokens ORDER BY id",
        root,
    )


def _live_token(con, token_id_or_hash, by: str, now: float):
    row = con.execute(
        f"SELECT * FROM tokens WHERE {by} = ?", [token_id_or_hash]
    ).fetchone()
    if row is None or row["revoked_at"] is not None:
        return None
    if row["expires_at"] is not None and row["expires_at"] <= now:
        return None
    return row


def identify_token(token: str, root: Path | None = None) -> Identity | None:
    """The token's identity if it is live (not revoked, not expired)."""
    if not token or len(token) > 200:
        return None
    now = time.time()
    with db.connect(root) as con:
        row = _live_token(con, token_hash(token), "token_hash", now)
    if row is None:
        return None
    if row["last_used_at"] is None or now - row["last_used_at"] > 60:
        with db.connect(root, write=True) as con:
            con.execute(
                "UPDATE tokens SET last_used_at = ? WHERE id = ?", [now, row["id"]]
            )
    return _identity("token", row)


# -- sessions (the cookie holds a random id; the database its hash) --


def create_session(identity: Identity, ip: str | None, root: Path | None = None) -> str:
    sid, now = secrets.token_urlsafe(32), time.time()
    if identity.kind == "user":
        expires = now + settings.SESSION_HOURS * 3600
    else:
        expires = now + DEVICE_SESSION_DAYS * 86400
    with db.connect(root, write=True) as con:
        con.execute(
            "INSERT INTO sessions (id_hash, user_id, token_id, created_at, expires_at,"
            " last_seen_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                token_hash(sid),
                identity.id if identity.kind == "user" else None,
                identity.id if identity.kind == "token" else None,
                now,
                expires,
                now,
                ip,
            ],
        )
    return sid


def end_session(sid: str, root: Path | None = None) -> None:
    with db.connect(root, write=True) as con:
        con.execute(
            "UPDATE sessions SET ended_at = ? WHERE id_hash = ?",
            [time.time(), token_hash(sid)],
        )


def session_identity(sid: str, root: Path | None = None) -> Identity | None:
    """Who a session cookie is, if the session and its account or token are live."""
    if not sid or len(sid) > 200:
        return None
    now = time.time()
    with db.connect(root) as con:
        s = con.execute(
            "SELECT * FROM sessions WHERE id_hash = ?", [token_hash(sid)]
        ).fetchone()
        if s is None or s["ended_at"] is not None or s["expires_at"] <= now:
            return None
        if s["user_id"] is not None:
            if now - s["last_seen_at"] > settings.SESSION_IDLE_MINUTES * 60:
                return None
            row = con.execute(
                "SELECT * FROM users WHERE id = ?", [s["user_id"]]
            ).fetchone()
            if (
                row is None
                or row["disabled"]
                or row["password_changed_at"] > s["created_at"]
            ):
                return None
            identity = _identity("user", row)
        else:
            row = _live_token(con, s["token_id"], "id", now)
            if row is None:
                return None
            identity = _identity("token", row)
    if now - s["last_seen_at"] > 30:
        with db.connect(root, write=True) as con:
            con.execute(
                "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?",
                [now, s["id_hash"]],
            )
    return identity
