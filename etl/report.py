"""Row-level reports of bad files, and keeping the files they describe."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from data.store import Layout


@dataclass(frozen=True)
class BadRow:
    file: str
    row: int
    column: str
    value: str
    expected: str


@dataclass
class FileOutcome:
    path: Path
    sha256: str
    status: str  # loaded | rejected | partial | unchanged | invalid (validate only)
    rows_in_file: int = 0
    rows_new: int = 0
    rows_revised: int = 0
    rows_unchanged: int = 0
    errors: list[BadRow] = field(default_factory=list)
    kept_as: Path | None = None
    ignored_columns: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.status in ("rejected", "invalid"):
            return (
                f"{self.status.upper()} {self.path.name}: {len(self.errors)} problem(s)"
                + (f"; kept as {self.kept_as}" if self.kept_as else "")
            )
        text = (
            f"{self.status.upper()} {self.path.name}: {self.rows_in_file} rows, "
            f"{self.rows_new} new, {self.rows_revised} revised, "
            f"{self.rows_unchanged} unchanged"
        )
        if self.errors:
            text += f", {len({e.row for e in self.errors})} bad rows skipped"
        return text


def format_errors(errors: list[BadRow], limit: int | None = None) -> str:
    shown = errors if limit is None else errors[:limit]
    lines = [
        f"  {e.file}:{e.row}: column {e.column or '-'}: "
        f"value {e.value!r}: expected {e.expected}"
        for e in shown
    ]
    if limit is not None and len(errors) > limit:
        lines.append(f"  ... and {len(errors) - limit} more (see the report file)")
    return "\n".join(lines)


def keep_rejected(layout: Layout, outcome: FileOutcome) -> Path:
    """Copy the file under rejected/ with a .report.txt and .report.json beside it."""
    layout.rejected.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = layout.rejected / f"{stamp}-{outcome.sha256[:8]}-{outcome.path.name}"
    shutil.copyfile(outcome.path, kept)
    document = {
        "file": outcome.path.name,
        "source_path": str(outcome.path),
        "sha256": outcome.sha256,
        "status": outcome.status,
        "kept_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows_in_file": outcome.rows_in_file,
        "errors": [asdict(e) for e in outcome.errors],
    }
    Path(f"{kept}.report.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    Path(f"{kept}.report.txt").write_text(
        f"{outcome.summary()}\nsha256 {outcome.sha256}\n"
        f"file:row: column: value: expected\n{format_errors(outcome.errors)}\n",
        encoding="utf-8",
    )
    outcome.kept_as = kept
    return kept
