"""Rejected submission files: the file side of the warehouse (read-only, no SQL).

The ETL keeps every rejected file under <data_dir>/rejected/ with a
<file>.report.json beside it (etl.report.keep_rejected). This module lists
those reports for the data-status page, without the server paths they hold.
"""

from __future__ import annotations

import pandas as pd

import settings
from core.roles import STATUS
from data.access import require
from data.store import Layout, list_rejected

# The first bad rows a report shows; the full list stays in the report file.
FIRST_ERRORS = 5
# Fields of a report that may be shown (never source_path/report_path: server paths).
FIELDS = ("file", "kept_at", "status", "sha256", "rows_in_file", "n_errors")
ERROR_FIELDS = ("row", "column", "value", "expected")


def _layout() -> Layout:
    return Layout(settings.data_dir())


def rejected_files(
    limit: int | None = 50, first_errors: int = FIRST_ERRORS
) -> list[dict]:
    """The kept reports, newest first: FIELDS plus `errors`, the first bad rows.

    A rejected file may hold figures of any unit and indicator: only scopes
    that read every unit and indicator see them (data.access)."""
    scope = require(STATUS, "the rejected files")
    if not (scope.all_units and scope.all_indicators):
        return []
    out = []
    for doc in list_rejected(_layout())[:limit]:
        item = {key: doc.get(key) for key in FIELDS}
        item["errors"] = [
            {key: e.get(key) for key in ERROR_FIELDS}
            for e in (doc.get("errors") or [])[:first_errors]
        ]
        out.append(item)
    return out


def rejected_frame() -> pd.DataFrame:
    """All kept reports as a table (the download): one row each, first error inline."""
    rows = []
    for doc in rejected_files(limit=None, first_errors=1):
        first = doc.pop("errors")
        first = first[0] if first else {}
        rows.append({**doc, **{f"first_error_{k}": first.get(k) for k in ERROR_FIELDS}})
    columns = [*FIELDS, *(f"first_error_{k}" for k in ERROR_FIELDS)]
    return pd.DataFrame(rows, columns=columns)
