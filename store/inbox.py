"""The submissions inbox: what reporters handed in, kept until the ETL loads it.

A submission is received by the web page or the push API, and acknowledged
(202) only once it is durable: its file is written under
`<data dir>/inbox/files/<id>.<ext>` (temporary name, fsync, rename, fsync of
the folder: store.sqlite.write_durably), then its row is committed to
`<data dir>/inbox.sqlite` (synchronous=FULL). A process killed between the two
leaves a file without a row: never acknowledged, swept by `sweep_orphans`.

One loader, `python -m etl worker`, takes the queued submissions in arrival
order (`seq`), a batch at a time: `claim` marks them `loading`; `finish`
records each one's outcome (`published` in a snapshot, or `rejected` with its
row errors). A worker killed while a batch is `loading` is recovered by the
next one (`loading()`: the worker asks the warehouse whether the snapshot
already holds the submission, and finishes it or queues it again), so each
acknowledged submission ends published or rejected exactly once.

The same `Idempotency-Key` from the same principal names the same submission:
a retry of a request whose answer was lost gets the first one's id back and
queues nothing new.

The warehouse stays the ETL's alone: this is operational data (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import settings
from store.sqlite import Database, write_durably

FILE_NAME = "inbox.sqlite"
FILES_DIR = ("inbox", "files")
STATES = ("queued", "loading", "published", "rejected")
FINAL_STATES = ("published", "rejected")
CHANNELS = ("web", "api")
EXTENSIONS = ("csv", "xlsx", "json")

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,     -- arrival order
  id TEXT NOT NULL UNIQUE,
  principal TEXT NOT NULL,                   -- user:<name> / token:<name>
  agency TEXT NOT NULL,                      -- the reporting agency (UBND-22, BTC)
  channel TEXT NOT NULL,                     -- web / api
  idempotency_key TEXT,
  file_name TEXT NOT NULL,                   -- as the reporter named it
  ext TEXT NOT NULL,                         -- csv / xlsx / json
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  rows INTEGER,                              -- figures in the file, if known
  signer TEXT,                               -- JSON of intake.signatures.Signer
  received_at REAL NOT NULL,                 -- UTC epoch seconds
  state TEXT NOT NULL DEFAULT 'queued',
  attempts INTEGER NOT NULL DEFAULT 0,
  snapshot_id TEXT,                          -- published in
  errors TEXT,                               -- JSON: the row-level report
  updated_at REAL NOT NULL,
  UNIQUE (principal, idempotency_key)
);
CREATE INDEX IF NOT EXISTS submissions_state ON submissions(state, seq);
CREATE INDEX IF NOT EXISTS submissions_agency ON submissions(agency, received_at);
"""
MIGRATIONS = (SCHEMA,)


@dataclass(frozen=True)
class Received:
    """One submission as stored."""

    seq: int
    id: str
    principal: str
    agency: str
    channel: str
    idempotency_key: str | None
    file_name: str
    ext: str
    sha256: str
    size: int
    rows: int | None
    signer: dict | None
    received_at: float
    state: str
    attempts: int
    snapshot_id: str | None
    errors: list[dict]
    updated_at: float

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES

    def as_json(self) -> dict:
        """The fields the API answers with (no server paths)."""
        return {
            "id": self.id,
            "state": self.state,
            "snapshot_id": self.snapshot_id,
            "errors": self.errors,
            "agency": self.agency,
            "channel": self.channel,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "size": self.size,
            "rows": self.rows,
            "signer": self.signer,
            "received_at": _iso(self.received_at),
            "updated_at": _iso(self.updated_at),
        }


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _received(row) -> Received:
    data = dict(row)
    data["signer"] = json.loads(data["signer"]) if data["signer"] else None
    data["errors"] = json.loads(data["errors"]) if data["errors"] else []
    return Received(**data)


def new_id() -> str:
    """A submission id: sortable by time, unguessable (it is shown to its
    reporter only, and every read is checked against the caller anyway)."""
    return time.strftime("%Y%m%d%H%M%S", time.gmtime()) + "-" + secrets.token_hex(6)


class Inbox:
    """The inbox of one data directory."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root or settings.data_dir())
        self.files = self.root.joinpath(*FILES_DIR)
        self.db = Database(self.root / FILE_NAME, MIGRATIONS)

    def file_of(self, item: Received) -> Path:
        return self.files / f"{item.id}.{item.ext}"

    # -- receiving (the web page, the API) --

    def receive(
        self,
        content: bytes,
        *,
        file_name: str,
        ext: str,
        principal: str,
        agency: str,
        channel: str,
        idempotency_key: str | None = None,
        rows: int | None = None,
        signer: dict | None = None,
        signature: bytes | None = None,
    ) -> tuple[Received, bool]:
        """Store a submission durably; (it, True) once committed, or (the
        earlier one, False) when this principal already sent this key."""
        if ext not in EXTENSIONS:
            raise ValueError(f"ext must be one of {', '.join(EXTENSIONS)}")
        if channel not in CHANNELS:
            raise ValueError(f"channel must be one of {', '.join(CHANNELS)}")
        if idempotency_key is not None:
            earlier = self.by_key(principal, idempotency_key)
            if earlier is not None:
                return earlier, False
        sid = new_id()
        write_durably(self.files / f"{sid}.{ext}", content)
        if signature is not None:
            write_durably(self.files / f"{sid}.{ext}.p7s", signature)
        now = time.time()
        with self.db.write() as con:
            if idempotency_key is not None:  # a concurrent retry may have won
                row = con.execute(
                    "SELECT * FROM submissions WHERE principal = ? "
                    "AND idempotency_key = ?",
                    [principal, idempotency_key],
                ).fetchone()
                if row is not None:
                    self._drop_files(sid, ext)
                    return _received(row), False
            con.execute(
                "INSERT INTO submissions (id, principal, agency, channel, "
                "idempotency_key, file_name, ext, sha256, size, rows, signer, "
                "received_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    sid,
                    principal,
                    agency,
                    channel,
                    idempotency_key,
                    file_name[:200],
                    ext,
                    hashlib.sha256(content).hexdigest(),
                    len(content),
                    rows,
                    json.dumps(signer) if signer else None,
                    now,
                    now,
                ],
            )
            row = con.execute(
                "SELECT * FROM submissions WHERE id = ?", [sid]
            ).fetchone()
        return _received(row), True

    def _drop_files(self, sid: str, ext: str) -> None:
        for name in (f"{sid}.{ext}", f"{sid}.{ext}.p7s"):
            (self.files / name).unlink(missing_ok=True)

    # -- reading (the reporter's own, the operators' list) --

    def get(self, sid: str) -> Received | None:
        with self.db.read() as con:
            row = con.execute(
                "SELECT * FROM submissions WHERE id = ?", [sid]
            ).fetchone()
        return _received(row) if row else None

    def by_key(self, principal: str, key: str) -> Received | None:
        with self.db.read() as con:
            row = con.execute(
                "SELECT * FROM submissions WHERE principal = ? AND idempotency_key = ?",
                [principal, key],
            ).fetchone()
        return _received(row) if row else None

    def list(
        self,
        agency: str | None = None,
        since: float | None = None,
        limit: int = 200,
    ) -> list[Received]:
        """Newest first; one agency's (None: every agency's), received at or
        after `since` (epoch seconds)."""
        sql, args = "SELECT * FROM submissions WHERE 1 = 1", []
        if agency is not None:
            sql, args = sql + " AND agency = ?", [*args, agency]
        if since is not None:
            sql, args = sql + " AND received_at >= ?", [*args, since]
        with self.db.read() as con:
            rows = con.execute(
                sql + " ORDER BY seq DESC LIMIT ?", [*args, int(limit)]
            ).fetchall()
        return [_received(r) for r in rows]

    # -- loading (python -m etl worker, the only loader) --

    def loading(self) -> list[Received]:
        """Submissions a worker claimed and did not finish (it died)."""
        with self.db.read() as con:
            rows = con.execute(
                "SELECT * FROM submissions WHERE state = 'loading' ORDER BY seq"
            ).fetchall()
        return [_received(r) for r in rows]

    def requeue(self, ids: list[str]) -> None:
        with self.db.write() as con:
            con.executemany(
                "UPDATE submissions SET state = 'queued', updated_at = ? "
                "WHERE id = ? AND state = 'loading'",
                [(time.time(), sid) for sid in ids],
            )

    def claim(self, limit: int = 50) -> list[Received]:
        """The oldest queued submissions, now `loading`, in arrival order."""
        now = time.time()
        with self.db.write() as con:
            rows = con.execute(
                "SELECT seq FROM submissions WHERE state = 'queued' ORDER BY seq LIMIT ?",
                [int(limit)],
            ).fetchall()
            seqs = [r["seq"] for r in rows]
            con.executemany(
                "UPDATE submissions SET state = 'loading', attempts = attempts + 1, "
                "updated_at = ? WHERE seq = ?",
                [(now, s) for s in seqs],
            )
            claimed = (
                con.execute(
                    f"SELECT * FROM submissions WHERE seq IN ({','.join('?' * len(seqs))}) "
                    "ORDER BY seq",
                    seqs,
                ).fetchall()
                if seqs
                else []
            )
        return [_received(r) for r in claimed]

    def finish(
        self,
        sid: str,
        state: str,
        snapshot_id: str | None = None,
        errors: list[dict] | None = None,
        rows: int | None = None,
    ) -> bool:
        """Record a claimed submission's outcome, once: False if it was not
        `loading` any more (another worker's recovery finished it)."""
        if state not in FINAL_STATES:
            raise ValueError(f"state must be one of {', '.join(FINAL_STATES)}")
        with self.db.write() as con:
            done = con.execute(
                "UPDATE submissions SET state = ?, snapshot_id = ?, errors = ?, "
                "rows = coalesce(?, rows), updated_at = ? "
                "WHERE id = ? AND state = 'loading'",
                [
                    state,
                    snapshot_id,
                    json.dumps(errors or [], ensure_ascii=False),
                    rows,
                    time.time(),
                    sid,
                ],
            ).rowcount
        return bool(done)

    def sweep_orphans(self, older_than: float = 3600.0) -> int:
        """Files with no row (a receipt killed before its commit), older than
        `older_than` seconds: removed. Their number."""
        if not self.files.is_dir():
            return 0
        with self.db.read() as con:
            known = {r["id"] for r in con.execute("SELECT id FROM submissions")}
        cutoff, removed = time.time() - older_than, 0
        for path in self.files.iterdir():
            sid = path.name.split(".", 1)[0]
            if path.name.startswith("."):
                sid = path.name[1:].split(".", 1)[0]  # an unfinished draft
            if sid not in known and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
