"""python -m etl worker: the one loader of the submissions inbox.

The web page and the push API store what reporters hand in (store.inbox); this
process takes the queued submissions in arrival order, a batch at a time,
through the same validation and publication as `python -m etl load`
(etl.run.load_files): one new snapshot for the batch's valid files, each bad
file rejected whole with its row-level report. Then it records each
submission's outcome in the inbox: `published` in that snapshot, or
`rejected` with the report's rows.

Exactly once. The publication of a snapshot (the CURRENT pointer replaced) is
the commit: every submission it loaded has a row in its `loads` table with
the submission's id. A worker killed at any point leaves its batch `loading`;
the next one (recover) asks the current snapshot: a submission with a row in
`loads` is finished `published` where that row says, any other is queued
again and loaded as if for the first time. And a build never loads an id its
snapshot already holds (etl.run), whatever the inbox says.

One worker per data directory (`worker.lock`, an fcntl lock held while it
runs): the recovery of `loading` submissions is only right when their loader
is dead. A manual `etl load` may still run beside it: the worker waits for the
ETL's writer lock and tries again.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from data.store import Layout, read_current
from etl.progress import say
from etl.publish import EtlBusy
from etl.run import RunResult, Submission, load_files
from store.inbox import Inbox, Received

OPERATOR = "worker"
LOCK_FILE = "worker.lock"
STAGING = ("inbox", "loading")  # the batch's files under their reporters' names
LOCK_WAIT = 5.0  # seconds to wait for a manual etl load before trying again
MAX_ATTEMPTS = 5  # a file that makes the loader fail this often is rejected
PUBLISHED_STATES = ("loaded", "unchanged", "partial")
# failures of the machine, not of a file: retried, never a reason to reject
TRANSIENT = (OSError, MemoryError, duckdb.IOException, duckdb.OutOfMemoryException)


class WorkerBusy(RuntimeError):
    """Another worker is loading this data directory's inbox."""


@dataclass
class Round:
    """What one round of the worker did (ids of the submissions)."""

    recovered: list[str] = field(default_factory=list)  # found published
    requeued: list[str] = field(default_factory=list)  # found not loaded
    published: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    snapshot_id: str | None = None
    claimed: int = 0
    busy: bool = False  # the ETL's writer lock was held: the batch waits
    failed: bool = False  # the load raised: the batch was queued again

    @property
    def idle(self) -> bool:
        return not (self.claimed or self.recovered or self.requeued)


def loaded_submissions(root: Path, ids: list[str]) -> dict[str, tuple[str, int]]:
    """{submission id: (snapshot it was loaded in, rows in its file)} of those
    of `ids` that the current snapshot holds."""
    current = read_current(root)
    if not ids or current is None or not current.path.exists():
        return {}
    with duckdb.connect(str(current.path), read_only=True) as con:
        has_column = con.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'loads' AND column_name = 'submission_id'"
        ).fetchone()[0]
        if not has_column:  # a snapshot from before the inbox existed
            return {}
        rows = con.execute(
            "SELECT submission_id, min(snapshot_id), min(rows_in_file) FROM loads "
            "WHERE submission_id IN (SELECT unnest($ids)) GROUP BY submission_id",
            {"ids": ids},
        ).fetchall()
    return {sid: (snapshot_id, rows) for sid, snapshot_id, rows in rows}


def staged_name(item: Received) -> str:
    """The file's name as the reporter gave it (no folders, no leading dots),
    ending in the inbox's extension, which the readers go by."""
    name = item.file_name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".")[:120]
    if not name.lower().endswith(f".{item.ext}"):
        name = f"{name or item.id}.{item.ext}"
    return name


def _signer_json(item: Received) -> str | None:
    if not item.signer:
        return None
    return json.dumps(item.signer, ensure_ascii=False, sort_keys=True)


def _problem(item: Received, expected: str) -> list[dict]:
    """A whole-file problem, as etl.report.BadRow writes it (row 0)."""
    return [
        {
            "file": item.file_name,
            "row": 0,
            "column": "",
            "value": item.file_name,
            "expected": expected,
        }
    ]


class Worker:
    """The loader of one data directory; `with Worker(root) as w:` holds its lock."""

    def __init__(
        self,
        root: Path,
        batch: int = 50,
        operator: str = OPERATOR,
        on_load: Callable[[RunResult], None] | None = None,
        lock_wait: float = LOCK_WAIT,
    ) -> None:
        if batch < 1:
            raise ValueError("batch must be at least 1")
        self.root = Path(root)
        self.layout = Layout(self.root)
        self.inbox = Inbox(self.root)
        self.batch = batch
        self.operator = operator
        self.on_load = on_load
        self.lock_wait = lock_wait
        self.staging = self.root.joinpath(*STAGING)
        self._lock = None
        self._one_at_a_time = 0  # after a failed batch: find the file that fails

    # -- the worker's lock --

    def __enter__(self) -> Worker:
        self.root.mkdir(parents=True, exist_ok=True)
        handle = open(self.root / LOCK_FILE, "a+")  # noqa: SIM115 (held while running)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise WorkerBusy(
                f"another worker is loading {self.root} ({self.root / LOCK_FILE})"
            ) from None
        self._lock = handle
        self.inbox.sweep_orphans()
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    # -- one round: recover, claim, load, finish --

    def round(self) -> Round:
        if self._lock is None:
            raise RuntimeError("use the worker inside `with Worker(root) as worker:`")
        done = Round()
        self.recover(done)
        self.load_batch(done)
        return done

    def recover(self, done: Round | None = None) -> Round:
        """Submissions left `loading` by a dead worker: published if the current
        snapshot holds them, else queued again."""
        done = done or Round()
        stuck = self.inbox.loading()
        if not stuck:
            return done
        held = loaded_submissions(self.root, [s.id for s in stuck])
        for item in stuck:
            if item.id in held:
                snapshot_id, rows = held[item.id]
                if self.inbox.finish(item.id, "published", snapshot_id, rows=rows):
                    done.recovered.append(item.id)
        done.requeued = [s.id for s in stuck if s.id not in held]
        self.inbox.requeue(done.requeued)
        say(
            f"worker: recovered {len(done.recovered)} published, "
            f"queued {len(done.requeued)} again"
        )
        return done

    def load_batch(self, done: Round | None = None) -> Round:
        """Claim up to `batch` queued submissions and load them."""
        done = done or Round()
        limit = 1 if self._one_at_a_time else self.batch
        items = self.inbox.claim(limit)
        done.claimed = len(items)
        if not items:
            return done
        if self._one_at_a_time:
            self._one_at_a_time -= 1
        shutil.rmtree(self.staging, ignore_errors=True)
        batch: list[tuple[Received, Submission]] = []
        for item in items:
            source = self.inbox.file_of(item)
            if not source.is_file():  # never happens unless someone deleted it
                self.inbox.finish(
                    item.id, "rejected", errors=_problem(item, "the file received")
                )
                done.rejected.append(item.id)
                continue
            batch.append((item, self._submission(item, source)))
        if not batch:
            return done
        try:
            result = load_files(
                [sub for _, sub in batch],
                self.root,
                accept_valid_rows=False,
                operator=self.operator,
                lock_wait=self.lock_wait,
            )
        except EtlBusy:
            say("worker: another ETL run holds the writer lock; waiting")
            self.inbox.requeue([item.id for item, _ in batch])
            done.busy = True
            return done
        except Exception as exc:
            self._failed([item for item, _ in batch], done, exc)
            return done
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
        if self.on_load is not None:
            self.on_load(result)
        self._finish(batch, result, done)
        return done

    def _submission(self, item: Received, source: Path) -> Submission:
        """The inbox file under its reporter's name (a link, no copy)."""
        folder = self.staging / item.id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / staged_name(item)
        try:
            os.link(source, path)
        except OSError:
            shutil.copyfile(source, path)
        return Submission(
            path,
            reporter=item.agency,
            submitted_at=datetime.fromtimestamp(item.received_at, UTC),
            submission_id=item.id,
            signer=_signer_json(item),
        )

    def _finish(
        self, batch: list[tuple[Received, Submission]], result: RunResult, done: Round
    ) -> None:
        done.snapshot_id = result.snapshot_id
        # where each was loaded: this snapshot, or for one the snapshot held
        # already (etl.run never loads it twice), the one that loaded it
        where = loaded_submissions(self.root, [item.id for item, _ in batch])
        for (item, _), outcome in zip(batch, result.outcomes, strict=True):
            if outcome.status in PUBLISHED_STATES:
                self.inbox.finish(
                    item.id,
                    "published",
                    where.get(item.id, (result.snapshot_id,))[0],
                    rows=outcome.rows_in_file,
                )
                done.published.append(item.id)
            else:
                self.inbox.finish(
                    item.id,
                    "rejected",
                    errors=[asdict(e) for e in outcome.errors],
                    rows=outcome.rows_in_file,
                )
                done.rejected.append(item.id)
        say(
            f"worker: {len(done.published)} published in {result.snapshot_id}, "
            f"{len(done.rejected)} rejected"
        )

    def _failed(self, items: list[Received], done: Round, exc: Exception) -> None:
        """The load raised: nothing was published. The machine's fault (a full
        disk, memory): the batch is queued again, as it is. Any other (a file
        the loader chokes on): the batch is tried one file at a time, and a file
        that fails alone MAX_ATTEMPTS times is rejected with the reason."""
        say(f"worker: the load failed:\n{traceback.format_exc()}")
        done.failed = True
        if isinstance(exc, TRANSIENT):
            self.inbox.requeue([item.id for item in items])
            return
        if len(items) == 1 and items[0].attempts >= MAX_ATTEMPTS:
            item = items[0]
            self.inbox.finish(
                item.id,
                "rejected",
                errors=_problem(item, "a file the loader can load (it failed)"),
            )
            done.rejected.append(item.id)
            return
        self.inbox.requeue([item.id for item in items])
        self._one_at_a_time = max(self._one_at_a_time, len(items))


def serve(
    root: Path,
    *,
    batch: int = 50,
    poll: float = 1.0,
    once: bool = False,
    operator: str = OPERATOR,
    on_load: Callable[[RunResult], None] | None = None,
    lock_wait: float = LOCK_WAIT,
) -> None:
    """Run the worker until SIGTERM or SIGINT (the current batch is finished
    first), or with `once` until the inbox is empty. WorkerBusy if another
    worker runs."""
    stop = threading.Event()

    def _stop(signum, _frame) -> None:
        say(f"worker: {signal.Signals(signum).name}: finishing the current batch")
        stop.set()

    previous = {
        sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        with Worker(root, batch, operator, on_load, lock_wait) as worker:
            say(f"worker: loading the inbox of {root} (batches of {batch})")
            while not stop.is_set():
                done = worker.round()
                if done.busy or done.failed:
                    stop.wait(poll)
                elif done.idle:
                    if once:
                        break
                    stop.wait(poll)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    say("worker: stopped")
