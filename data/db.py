"""Read-only connections to the published snapshot, one set per process.

Every query asks `Warehouse.cursor()`, which looks at CURRENT (at most every
`recheck` seconds) and opens the new snapshot read-only when the ETL has
published one. A connection to a superseded snapshot stays open for the
queries still using it and is closed two generations later; on POSIX a pruned
file stays readable while open, so a query never sees a file vanish under it.

A caller can read one given snapshot instead of CURRENT (the wall's frozen
meeting data): `cursor(snapshot_id=...)`, or `with pinned_snapshot(id):` around
code that goes through data.queries, which passes `current_pin()` down.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import duckdb

import settings
from data.store import Layout, Snapshot, read_current


class NoSnapshot(RuntimeError):
    """Nothing has been published yet in the data directory."""


@dataclass
class _Open:
    snapshot: Snapshot
    con: duckdb.DuckDBPyConnection


class Warehouse:
    def __init__(self, root: Path | None = None, recheck: float = 0.5) -> None:
        self.root = Path(root) if root else settings.data_dir()
        self.recheck = recheck
        self._lock = threading.Lock()
        self._open: list[_Open] = []  # newest last
        self._pinned: list[_Open] = []  # snapshots asked for by id, not current
        self._checked = 0.0

    def _refresh(self) -> _Open:
        now = time.monotonic()
        if self._open and now - self._checked < self.recheck:
            return self._open[-1]
        with self._lock:
            self._checked = now
            for _attempt in range(3):
                current = read_current(self.root)
                if current is None:
                    if self._open:  # keep serving the last good snapshot
                        return self._open[-1]
                    raise NoSnapshot(f"no published snapshot in {self.root}")
                if self._open and self._open[-1].snapshot.path == current.path:
                    return self._open[-1]
                try:
                    con = duckdb.connect(str(current.path), read_only=True)
                except duckdb.IOException:
                    time.sleep(0.05)  # pruned between reading CURRENT and opening
                    continue
                self._open.append(_Open(current, con))
                while len(self._open) > 3:
                    self._open.pop(0).con.close()
                return self._open[-1]
            if self._open:
                return self._open[-1]
            raise NoSnapshot(
                f"the snapshot named by {self.root}/CURRENT cannot be opened"
            )

    def _given(self, snapshot_id: str) -> _Open:
        """An open connection to one published snapshot, current or not."""
        current = self._refresh()
        if current.snapshot.snapshot_id == snapshot_id:
            return current
        with self._lock:
            for known in self._pinned:  # own connections: _open ones get closed
                if known.snapshot.snapshot_id == snapshot_id:
                    return known
            path = Layout(self.root).snapshots / f"{snapshot_id}.duckdb"
            if "/" in snapshot_id or not path.is_file():
                raise NoSnapshot(f"snapshot {snapshot_id!r} is not in {self.root}")
            try:
                con = duckdb.connect(str(path), read_only=True)
            except duckdb.IOException as exc:
                raise NoSnapshot(f"snapshot {snapshot_id!r} cannot be opened") from exc
            self._pinned.append(_Open(Snapshot(snapshot_id, path.resolve(), ""), con))
            while len(self._pinned) > 3:
                self._pinned.pop(0).con.close()
            return self._pinned[-1]

    def snapshot(self, snapshot_id: str | None = None) -> Snapshot:
        return (self._given(snapshot_id) if snapshot_id else self._refresh()).snapshot

    def cursor(
        self, snapshot_id: str | None = None
    ) -> tuple[Snapshot, duckdb.DuckDBPyConnection]:
        """A thread-private cursor on the current snapshot, or on `snapshot_id`
        (NoSnapshot when that one is not, or no longer, published)."""
        chosen = self._given(snapshot_id) if snapshot_id else self._refresh()
        return chosen.snapshot, chosen.con.cursor()


_pin: ContextVar[str | None] = ContextVar("cc_pinned_snapshot", default=None)


def current_pin() -> str | None:
    """The snapshot id this context reads instead of CURRENT, if any."""
    return _pin.get()


@contextmanager
def pinned_snapshot(snapshot_id: str | None) -> Iterator[None]:
    """Within the block, data.queries reads `snapshot_id` (None: CURRENT)."""
    token = _pin.set(snapshot_id or None)
    try:
        yield
    finally:
        _pin.reset(token)


_warehouse: Warehouse | None = None
_warehouse_lock = threading.Lock()


def warehouse() -> Warehouse:
    """The process-wide warehouse for settings.data_dir() (re-read if it changes)."""
    global _warehouse
    root = settings.data_dir()
    if _warehouse is None or _warehouse.root != root:
        with _warehouse_lock:
            if _warehouse is None or _warehouse.root != root:
                _warehouse = Warehouse(root)
    return _warehouse
