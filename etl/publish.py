"""Build a new snapshot beside the published one and publish it atomically.

DuckDB lets one process write a file or many read it, not both, and the
dashboard reads all the time. So the ETL never writes to a published file: it
copies the current snapshot into tmp/, changes the copy, then renames it into
snapshots/ and replaces the CURRENT pointer with os.replace (atomic on POSIX).
A run killed at any point leaves CURRENT naming the last complete snapshot.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

import settings
from data.pins import pinned_ids
from data.store import Layout, read_current
from store.sqlite import fsync_path


class EtlBusy(RuntimeError):
    """Another ETL run holds the writer lock."""


def new_snapshot_id(now: datetime | None = None) -> str:
    """Sortable by time, unique across hosts: 20261122T031500123456Z-1a2b3c."""
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + uuid.uuid4().hex[:6]


@contextmanager
def writer_lock(layout: Layout, wait_seconds: float = 600) -> Iterator[None]:
    """One ETL writer at a time per data directory."""
    layout.root.mkdir(parents=True, exist_ok=True)
    with open(layout.lock, "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise EtlBusy(f"another ETL run holds {layout.lock}") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def start_build(layout: Layout, snapshot_id: str) -> Path:
    """A private working copy of the current snapshot (or a new empty file)."""
    layout.tmp.mkdir(parents=True, exist_ok=True)
    layout.snapshots.mkdir(parents=True, exist_ok=True)
    work = layout.tmp / f"{snapshot_id}.duckdb"
    current = read_current(layout.root)
    if current is not None and current.path.exists():
        shutil.copyfile(current.path, work)
    return work


def publish(layout: Layout, work: Path, snapshot_id: str) -> Path:
    """Move a finished, closed snapshot into place and point CURRENT at it."""
    final = layout.snapshots / f"{snapshot_id}.duckdb"
    fsync_path(work)
    os.replace(work, final)
    pointer = {
        "snapshot_id": snapshot_id,
        "path": str(final.relative_to(layout.root)),
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    staging = layout.root / f".CURRENT.{snapshot_id}"
    staging.write_text(json.dumps(pointer), encoding="utf-8")
    fsync_path(staging)
    os.replace(staging, layout.current)
    fsync_path(layout.root)
    return final


def discard(work: Path) -> None:
    for path in (work, work.with_suffix(".duckdb.wal")):
        path.unlink(missing_ok=True)
    shutil.rmtree(_spill_dir(work), ignore_errors=True)


def _spill_dir(work: Path) -> Path:
    return work.with_suffix(".spill")


def prune(
    layout: Layout, keep: int | None = None, grace: int | None = None
) -> list[Path]:
    """Delete old snapshots and abandoned builds; never the current one, nor
    one pinned by a presenter's freeze (data.pins).

    Keeps the newest `keep` besides the current, and anything younger than
    `grace` seconds, so a reader that has just read CURRENT can still open the
    file it names. A reader that already has a file open keeps reading it after
    the unlink (POSIX), so pruning never breaks a running query.
    """
    keep = settings.KEEP_SNAPSHOTS if keep is None else keep
    grace = settings.PRUNE_GRACE_SECONDS if grace is None else grace
    current = read_current(layout.root)
    now = time.time()
    removed: list[Path] = []
    pinned = pinned_ids(layout.root, clean=True)
    others = [
        path
        for path in sorted(layout.snapshots.glob("*.duckdb"), reverse=True)
        if not (current and path.resolve() == current.path)
    ]
    for index, path in enumerate(others):
        if index < keep or path.stem in pinned or now - path.stat().st_mtime < grace:
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    # Builds left by killed runs: only called while holding the writer lock.
    for path in layout.tmp.glob("*"):
        if path.is_dir():  # a spill directory of DuckDB's
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    for path in layout.root.glob(".CURRENT.*"):
        path.unlink(missing_ok=True)
    return removed


def connect_work(work: Path) -> duckdb.DuckDBPyConnection:
    """The build's connection: bounded memory, spilling beside the work file."""
    return duckdb.connect(
        str(work),
        config={
            "memory_limit": settings.ETL_MEMORY_LIMIT,
            "temp_directory": str(_spill_dir(work)),
        },
    )
