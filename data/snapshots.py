"""The published snapshots as the app uses them: the current one, and the ones
a presenter froze a meeting's walls on (pins that the ETL's pruning keeps).

The pins are small files beside the snapshots (data/pins.py); nothing here
writes a snapshot: the ETL alone does.
"""

from __future__ import annotations

import settings
from data import pins
from data.store import Layout, Snapshot, read_current


def current_snapshot() -> Snapshot | None:
    """The published snapshot now (None: nothing published yet)."""
    return read_current(settings.data_dir())


def is_published(snapshot_id: str | None) -> bool:
    """A snapshot's file is still on disk (a frozen wall reads only such)."""
    if not snapshot_id or "/" in snapshot_id or "\\" in snapshot_id:
        return False
    return (Layout(settings.data_dir()).snapshots / f"{snapshot_id}.duckdb").is_file()


def freeze_snapshot(holder: str) -> str | None:
    """Pin the current snapshot for `holder` (a presenter's session): its id."""
    current = current_snapshot()
    if current is None:
        return None
    pins.pin(settings.data_dir(), current.snapshot_id, holder)
    return current.snapshot_id


def release_snapshot(snapshot_id: str, holder: str) -> None:
    pins.release(settings.data_dir(), snapshot_id, holder)


def keep_snapshot(snapshot_id: str, holder: str) -> None:
    """The holder still uses its pinned snapshot (a frozen wall's poll)."""
    pins.touch(settings.data_dir(), snapshot_id, holder)
