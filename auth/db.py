"""The SQLite file of accounts, tokens, sessions and lock-out counters.

<auth dir>/auth.sqlite (settings.auth_dir()), created 0600 on first use. Every
worker process opens it per operation; SQLite's locking (WAL, a busy timeout,
BEGIN IMMEDIATE for writes) keeps the counters right across processes.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import settings

FILE_NAME = "auth.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  province TEXT,
  agencies TEXT NOT NULL DEFAULT '',
  sectors TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at REAL NOT NULL,
  updated_at REAL NOT NULL,
  password_changed_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  province TEXT,
  agencies TEXT NOT NULL DEFAULT '',
  sectors TEXT NOT NULL DEFAULT '',
  created_at REAL NOT NULL,
  created_by TEXT NOT NULL,
  expires_at REAL,
  revoked_at REAL,
  last_used_at REAL
);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER REFERENCES users(id),
  token_id INTEGER REFERENCES tokens(id),
  created_at REAL NOT NULL,
  expires_at REAL NOT NULL,
  last_seen_at REAL NOT NULL,
  ip TEXT,
  ended_at REAL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
CREATE INDEX IF NOT EXISTS sessions_token ON sessions(token_id);
CREATE TABLE IF NOT EXISTS failures (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  first_at REAL NOT NULL,
  locked_until REAL
);
"""

_ready: set[Path] = set()
_ready_lock = threading.Lock()


def path(root: Path | None = None) -> Path:
    return settings.auth_dir(root) / FILE_NAME


def create_private(file: Path) -> None:
    """Create `file` readable by its owner only (it holds hashes and sessions)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    if not file.exists():
        os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))


def open_private(file: Path, schema: str) -> sqlite3.Connection:
    """A connection (autocommit, rows by name) to the 0600 SQLite `file`, made
    with `schema` in WAL mode the first time this process opens it."""
    if file not in _ready or not file.exists():
        with _ready_lock:
            create_private(file)
            con = sqlite3.connect(file, timeout=30)
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(schema)
            con.close()
            _ready.add(file)
    con = sqlite3.connect(file, timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    return con


@contextmanager
def connect(
    root: Path | None = None, write: bool = False
) -> Iterator[sqlite3.Connection]:
    """A connection to auth.sqlite; `write`: one IMMEDIATE transaction, committed."""
    con = open_private(path(root), SCHEMA)
    con.execute("PRAGMA foreign_keys=ON")
    try:
        if write:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        else:
            yield con
    finally:
        con.close()
