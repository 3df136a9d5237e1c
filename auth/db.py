"""The SQLite file of accounts, tokens, sessions, lock-out counters and the
registry of signing certificates (auth/certs.py).

<auth dir>/auth.sqlite (settings.auth_dir()), created 0600 on first use,
through store.sqlite: every worker process opens it per operation, and
SQLite's locking (WAL, a busy timeout, the write lock taken before a write
transaction reads) keeps the counters right across processes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import settings
from store.sqlite import Database, create_private

# create_private: also used for auth's other private files (demo notes, key)
__all__ = [
    "FILE_NAME",
    "MIGRATIONS",
    "SCHEMA",
    "connect",
    "create_private",
    "database",
    "path",
]

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
# 2: the registry of the reporters' signing certificates (auth/certs.py): who
# may sign for which agency. Certificate validity as ISO-8601 UTC text, the
# registry's own events (added, revoked) as epoch seconds like the tokens'.
CERTS = """
CREATE TABLE certs (
  fingerprint TEXT PRIMARY KEY,
  agency TEXT NOT NULL,
  subject TEXT NOT NULL,
  serial TEXT NOT NULL,
  issuer TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  pem TEXT NOT NULL,
  added_at REAL NOT NULL,
  added_by TEXT NOT NULL,
  revoked_at REAL,
  revoked_by TEXT
);
CREATE INDEX certs_agency ON certs(agency);
CREATE INDEX certs_serial ON certs(serial);
"""
# 3: a reporter's one reporting agency (UBND-22, BTC: whose reports it
# submits), apart from `agencies`, a ministry analyst's reading scope.
REPORTING_AGENCY = """
ALTER TABLE users ADD COLUMN agency TEXT;
ALTER TABLE tokens ADD COLUMN agency TEXT;
"""
# Schema versions (store.sqlite): 1 is the schema above, as files made before
# migrations have it; a change is a new script appended here, never an edit.
MIGRATIONS = (SCHEMA, CERTS, REPORTING_AGENCY)


def path(root: Path | None = None) -> Path:
    return settings.auth_dir(root) / FILE_NAME


def database(root: Path | None = None) -> Database:
    return Database(path(root), MIGRATIONS, private=True)


@contextmanager
def connect(
    root: Path | None = None, write: bool = False
) -> Iterator[sqlite3.Connection]:
    """A connection to auth.sqlite in one transaction: `write`, an IMMEDIATE one
    committed at the end (rolled back on error); else a read-only snapshot."""
    db = database(root)
    with db.write() if write else db.read() as con:
        yield con
