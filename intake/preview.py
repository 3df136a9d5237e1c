"""What the /submit page shows around receive_submission.

* `check_submission`: its checks (size, type, rows and reach, signature), in
  its order, with nothing stored and nothing audited: the page's "check" step
  before *Nộp báo cáo*. receive_submission checks again when it is sent.
* `reports_covered`: which reports (regime, period) a stored submission
  holds figures for, read from its file in the inbox, so that the page can
  say "received" or "rejected" beside what the agency owes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from core.scope import Scope
from etl.readers import read_file
from intake.receive import (
    Refused,
    Rows,
    check_rows,
    check_signature,
    check_size,
    file_type,
)
from store.inbox import Inbox, Received


def check_submission(
    content: bytes,
    file_name: str,
    scope: Scope,
    signature: bytes | None = None,
) -> Rows:
    """The rows of a report that receive_submission would take; Refused (its
    status, code, messages and row errors) when it would not."""
    if not scope.agency:
        raise Refused(
            403,
            "not_permitted",
            "Vai trò này không được nộp báo cáo.",
            f"role {scope.role} may not submit reports (a reporter of one agency may)",
        )
    check_size(len(content))
    ext = file_type(file_name, content)
    rows = check_rows(content, file_name, ext, scope.agency)
    check_signature(content, signature, scope.agency, rows.indicators)
    return rows


def reports_covered(
    item: Received, regime_of: dict[str, str], inbox: Inbox | None = None
) -> frozenset[tuple[str, str]]:
    """(regime, period) of every figure in a stored submission's file;
    `regime_of`: indicator code -> its regime (the catalog). Empty when the
    file is gone or unreadable."""
    path = (inbox or Inbox()).file_of(item)
    pairs = _figures(str(path), item.sha256)
    return frozenset(
        (regime_of[code], period) for code, period in pairs if code in regime_of
    )


@lru_cache(maxsize=256)
def _figures(path: str, sha256: str) -> frozenset[tuple[str, str]]:
    """(indicator, period) pairs of one inbox file (its id and hash name it
    for good: files in the inbox are never rewritten)."""
    if not Path(path).is_file():
        return frozenset()
    parsed = read_file(Path(path))
    if parsed.problems:
        return frozenset()
    table = parsed.rows_table()
    codes = table.column("indicator_code").to_pylist()
    periods = table.column("period").to_pylist()
    return frozenset(
        (str(c).strip().upper(), str(p).strip().upper())
        for c, p in zip(codes, periods, strict=True)
        if c and p
    )
