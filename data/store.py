"""Where published snapshots live and which one is current.

Shared by the ETL (which writes) and the data layer (which only reads). The
`CURRENT` file names the published snapshot; it is replaced atomically, so a
reader sees either the old snapshot or the new one, never a half-written one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

CURRENT_FILE = "CURRENT"


@dataclass(frozen=True)
class Layout:
    """The files and folders of one data directory."""

    root: Path

    @property
    def current(self) -> Path:
        return self.root / CURRENT_FILE

    @property
    def snapshots(self) -> Path:
        return self.root / "snapshots"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def rejected(self) -> Path:
        return self.root / "rejected"

    @property
    def demo(self) -> Path:
        return self.root / "demo"

    @property
    def lock(self) -> Path:
        return self.root / "etl.lock"


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: str
    path: Path
    published_at: str


def read_current(root: Path) -> Snapshot | None:
    """The published snapshot, or None when nothing was ever published."""
    layout = Layout(root)
    try:
        info = json.loads(layout.current.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return Snapshot(
        snapshot_id=info["snapshot_id"],
        path=(root / info["path"]).resolve(),
        published_at=info["published_at"],
    )


def list_rejected(layout: Layout) -> list[dict]:
    """The reports the ETL kept beside each rejected file (etl.report.keep_rejected),
    newest first."""
    reports = []
    for path in sorted(layout.rejected.glob("*.report.json"), reverse=True):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        doc["report_path"] = str(path)
        doc["n_errors"] = len(doc.get("errors", []))
        reports.append(doc)
    return reports
