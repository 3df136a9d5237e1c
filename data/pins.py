"""Pinned snapshots: published snapshots the ETL's prune must keep.

A presenter who freezes the data of a meeting pins the snapshot every wall is
showing, so that a refresh during the meeting can neither change the figures
nor delete the file they come from. A pin is an empty file
`<data dir>/pins/<snapshot_id>+<holder>` (one per holder, so two sessions can
pin the same snapshot and release it independently; creating and deleting a
file are atomic, no lock needed). A bare `pins/<snapshot_id>` file, written by
hand, pins it too. Pins not touched for `MAX_AGE_SECONDS` are ignored (and
removed by `pinned_ids(..., clean=True)`), so a forgotten freeze cannot keep
old snapshots on disk for ever; a frozen wall session touches its pin while
walls follow it.

Shared by the app (which writes pins) and the ETL (which reads them).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

PINS_DIR = "pins"
MAX_AGE_SECONDS = 24 * 3600
_NAME_RE = re.compile(r"^[0-9A-Za-z_.-]{1,80}$")


def _dir(root: Path) -> Path:
    return Path(root) / PINS_DIR


def _check(value: str, what: str) -> str:
    if not _NAME_RE.match(value or ""):
        raise ValueError(f"{what} must be letters, digits, '.', '_' or '-': {value!r}")
    return value


def pin_path(root: Path, snapshot_id: str, holder: str) -> Path:
    return (
        _dir(root) / f"{_check(snapshot_id, 'snapshot id')}+{_check(holder, 'holder')}"
    )


def pin(root: Path, snapshot_id: str, holder: str) -> Path:
    """Pin `snapshot_id` for `holder` (idempotent; refreshes the pin's age)."""
    path = pin_path(root, snapshot_id, holder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return path


def touch(root: Path, snapshot_id: str, holder: str, every: float = 60.0) -> None:
    """Keep a pin alive (at most one write every `every` seconds)."""
    path = pin_path(root, snapshot_id, holder)
    try:
        if time.time() - path.stat().st_mtime > every:
            os.utime(path)
    except FileNotFoundError:
        pass


def release(root: Path, snapshot_id: str, holder: str) -> None:
    pin_path(root, snapshot_id, holder).unlink(missing_ok=True)


def pinned_ids(
    root: Path, max_age: float = MAX_AGE_SECONDS, clean: bool = False
) -> set[str]:
    """Ids of the snapshots pinned by a live pin; `clean` deletes expired pins."""
    folder = _dir(root)
    if not folder.is_dir():
        return set()
    now = time.time()
    ids: set[str] = set()
    for path in folder.iterdir():
        try:
            age = now - path.stat().st_mtime
        except FileNotFoundError:
            continue  # released while we listed
        if age > max_age:
            if clean:
                path.unlink(missing_ok=True)
            continue
        ids.add(path.name.split("+", 1)[0])
    return ids
