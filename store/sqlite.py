"""The one helper every operational SQLite file is opened through.

    DB = Database(path, MIGRATIONS, private=True)
    with DB.read() as con:    # one consistent snapshot, writes refused
        row = con.execute("SELECT ...", [value]).fetchone()
    with DB.write() as con:   # BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error
        con.execute("UPDATE ...", [value])

Every operation gets a fresh connection (threads and gunicorn processes never
share one), in autocommit mode (`isolation_level=None`: the transactions are
the ones written here), rows by name, a busy timeout, foreign keys on and
`synchronous=FULL`, so that an acknowledged write survives a power loss, not
only a killed process. The file is put in WAL mode (readers never wait for the
writer) the first time a process opens it, and created 0600 when `private`.

Migrations are a tuple of SQL scripts applied in order and counted in `PRAGMA
user_version`; pending ones are applied together in one transaction under the
write lock, so processes starting together apply each exactly once and a
failed one leaves the file as it was. A file made before migrations existed
(its schema written with CREATE ... IF NOT EXISTS, user_version 0) upgrades
because migration 1 is that schema as it was written. Each process checks a
file once (again if the file was deleted); a script may not change
journal_mode or run VACUUM (they cannot run inside a transaction).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUSY_TIMEOUT = 30.0  # seconds a connection waits for another's lock

_ready: set[tuple[str, tuple[str, ...]]] = set()
_ready_lock = threading.Lock()


def _new_lock_after_fork() -> None:
    global _ready_lock
    _ready_lock = threading.Lock()  # a fork may copy it while another thread held it


os.register_at_fork(after_in_child=_new_lock_after_fork)


class Database:
    """One SQLite file of the app's own state (see the module's docstring)."""

    def __init__(
        self,
        path: Path | str,
        migrations: tuple[str, ...],
        private: bool = False,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> None:
        self.path = Path(path)
        self.migrations = tuple(migrations)
        self.private = private
        self.busy_timeout = busy_timeout

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r}, {len(self.migrations)} migrations)"

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection in one read transaction (every query sees the same
        committed state); it refuses writes (`PRAGMA query_only`)."""
        con = self._open()
        try:
            con.execute("PRAGMA query_only=ON")
            con.execute("BEGIN")
            yield con
        finally:
            _rollback(con)
            con.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A connection in one write transaction: the write lock is taken first
        (BEGIN IMMEDIATE, so read-then-write is safe across processes), COMMIT
        when the block ends, ROLLBACK if it raises anything (BaseException)."""
        con = self._open()
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                _rollback(con)
                raise
        finally:
            con.close()

    def ensure(self) -> None:
        """Create the file and apply pending migrations, once per process (and
        again if the file was deleted since)."""
        key = (str(self.path.absolute()), self.migrations)
        if key in _ready and self.path.exists():
            return
        with _ready_lock:
            if key in _ready and self.path.exists():
                return
            _ready.discard(key)
            self._create()
            con = self._connect()
            try:
                con.execute("PRAGMA journal_mode=WAL")  # kept in the file
                if _user_version(con) < len(self.migrations):
                    self._migrate(con)
                elif _user_version(con) > len(self.migrations):
                    raise RuntimeError(_too_new(self.path, con, self.migrations))
            finally:
                con.close()
            _ready.add(key)

    def _migrate(self, con: sqlite3.Connection) -> None:
        con.execute("BEGIN IMMEDIATE")  # another process may be migrating too
        try:
            done = _user_version(con)
            if done > len(self.migrations):
                raise RuntimeError(_too_new(self.path, con, self.migrations))
            for number in range(done + 1, len(self.migrations) + 1):
                for statement in statements(self.migrations[number - 1]):
                    con.execute(statement)
                con.execute(f"PRAGMA user_version = {number:d}")
            con.execute("COMMIT")
        except BaseException:
            _rollback(con)
            raise

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            return
        mode = 0o600 if self.private else 0o644  # SQLite's own default: 0644
        try:
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode))
        except FileExistsError:
            return  # another process made it
        fsync_path(self.path.parent)  # the new name survives a power loss

    def _open(self) -> sqlite3.Connection:
        self.ensure()
        return self._connect()

    def _connect(self) -> sqlite3.Connection:
        # mode=rw: never create the file here (a file deleted under us must not
        # come back empty, or readable by all, behind ensure()'s back)
        uri = self.path.absolute().as_uri() + "?mode=rw"
        con = sqlite3.connect(
            uri, uri=True, timeout=self.busy_timeout, isolation_level=None
        )
        try:
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA foreign_keys=ON")
            con.execute("PRAGMA synchronous=FULL")
        except BaseException:
            con.close()
            raise
        return con


def statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, each whole (a trigger's BEGIN ... END
    and semicolons in strings included), for sqlite3's one-at-a-time execute:
    executescript() would COMMIT the migration's transaction first."""
    start = 0
    for end, char in enumerate(script):
        if char == ";" and sqlite3.complete_statement(script[start : end + 1]):
            statement = script[start : end + 1].strip()
            if statement.strip(";").strip():
                yield statement
            start = end + 1
    rest = script[start:].strip()
    if rest:
        yield rest  # the last statement may omit its semicolon


def create_private(file: Path) -> None:
    """Create `file` (and its folder) readable by its owner only, if missing."""
    file.parent.mkdir(parents=True, exist_ok=True)
    if not file.exists():
        os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))


def write_durably(file: Path, data: bytes, private: bool = False) -> None:
    """Replace `file` by `data` so that a crash or a power loss leaves the old
    content or the new, whole: a temporary file beside it, fsync, rename, fsync
    of the folder."""
    file = Path(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    draft = file.with_name(f".{file.name}.{os.getpid()}.{threading.get_ident()}")
    mode = 0o600 if private else 0o644
    fd = os.open(draft, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(draft, file)
    except BaseException:
        draft.unlink(missing_ok=True)
        raise
    fsync_path(file.parent)


def fsync_path(path: Path) -> None:
    """Make a file's content, or a folder's entries (a created or renamed
    file), durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _user_version(con: sqlite3.Connection) -> int:
    return int(con.execute("PRAGMA user_version").fetchone()[0])


def _too_new(path: Path, con: sqlite3.Connection, migrations: tuple) -> str:
    return (
        f"{path} is at schema version {_user_version(con)}, newer than this "
        f"code's {len(migrations)}: run the newer code, or restore a backup"
    )


def _rollback(con: sqlite3.Connection) -> None:
    """End an open transaction, keeping the error that led here (if ROLLBACK
    fails too, closing the connection rolls back)."""
    if con.in_transaction:
        try:
            con.execute("ROLLBACK")
        except sqlite3.Error:
            pass
