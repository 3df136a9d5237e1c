"""The links register (/links): the reporting systems linked to the center.

A link is a token of role `reporter` (`python -m auth tokens create --role
reporter --agency UBND-22`), held by another system that pushes reports to
/api/v1/submissions. For each one this reads the token (auth.store: agency,
created, expiry, revocation, last use) and the inbox (store.inbox): the link's
own submissions (principal `token:<name>`, received while that token was
live), those of the last 30 days and how many of them the loader rejected,
and the agency's last submission by any channel (a person on /submit too).
Revoked and expired links are listed as such, never hidden.

Gone quiet (`quiet_rule`): a live link that normally reports, i.e. submitted
in at least 2 of the three 30-day windows of the 90 days up to its last
submission, and has sent nothing since for longer than 3 times its usual gap
(the median gap between those submissions), at least 2 days and at most 35
days. The windows are anchored at its last submission, not at today, so the
warning stays while the silence lasts (until the link is revoked). Only the
last HISTORY_DAYS of the inbox are read.

The warehouse side (the indicators each agency's figures cover) is a named
query the page asks itself (data.queries.link_indicators).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from auth import store as auth_store
from core.context import current_scope
from core.roles import LINKS
from data.access import OutOfScope
from store.inbox import Inbox, Received

DAY = 86400.0
RECENT_DAYS = 30  # "submissions and rejections in the last 30 days"
WINDOW_DAYS, WINDOWS, MIN_WINDOWS = 30, 3, 2  # "normally reports"
GAP_FACTOR, MIN_QUIET_DAYS, MAX_QUIET_DAYS = 3.0, 2.0, 35.0
HISTORY_DAYS = 365  # how far back the inbox is read
MAX_ITEMS = 100_000  # per agency within HISTORY_DAYS: far above any real link
STATES = ("active", "expired", "revoked")


@dataclass(frozen=True)
class Quiet:
    """Whether a link normally reports and, if so, whether it went quiet."""

    regular: bool  # submitted in >= MIN_WINDOWS of the WINDOWS windows
    usual_gap_days: float | None  # median gap between those submissions
    threshold_days: float | None  # silence longer than this is "quiet"
    silent_days: float | None  # since its last submission
    quiet: bool


@dataclass(frozen=True)
class Link:
    id: int
    name: str
    agency: str
    state: str  # active | expired | revoked
    created_at: float  # UTC epoch seconds, as auth.store keeps them
    expires_at: float | None
    revoked_at: float | None
    last_used_at: float | None
    last_submission_at: float | None  # by this link (within HISTORY_DAYS)
    agency_last_submission_at: float | None  # by anyone of its agency
    submissions_30d: int
    rejected_30d: int
    regular: bool
    usual_gap_days: float | None
    quiet_after_days: float | None
    silent_days: float | None
    quiet: bool


def quiet_rule(times: list[float], now: float) -> Quiet:
    """The rule of the module's docstring over one link's submission times
    (epoch seconds, any order), as of `now`."""
    if not times:
        return Quiet(False, None, None, None, False)
    last = max(times)
    start = last - WINDOWS * WINDOW_DAYS * DAY
    recent = sorted(x for x in times if start < x <= last)
    # window 0 holds the last submission, window 2 the oldest of the 90 days
    windows = {min(int((last - x) // (WINDOW_DAYS * DAY)), WINDOWS - 1) for x in recent}
    regular = len(windows) >= MIN_WINDOWS
    silent = max(now - last, 0.0) / DAY
    if not regular:
        return Quiet(False, None, None, silent, False)
    gaps = [(b - a) / DAY for a, b in zip(recent, recent[1:], strict=False)]
    gap = statistics.median(gaps)
    threshold = min(MAX_QUIET_DAYS, max(MIN_QUIET_DAYS, GAP_FACTOR * gap))
    return Quiet(True, gap, threshold, silent, silent > threshold)


def token_state(token: dict, now: float) -> str:
    if token.get("revoked_at") is not None:
        return "revoked"
    expires = token.get("expires_at")
    if expires is not None and expires <= now:
        return "expired"
    return "active"


def _own(items: list[Received], token: dict) -> list[Received]:
    """The submissions this token sent: its principal, while it was live (a
    name given again to a new token after a revocation is another link)."""
    principal = f"token:{token['name']}"
    end = token.get("revoked_at") or float("inf")
    return [
        s
        for s in items
        if s.principal == principal and token["created_at"] <= s.received_at <= end
    ]


def make_link(
    token: dict, items: list[Received], agency_last: float | None, now: float
) -> Link:
    """One link from its token row (auth.store.list_tokens) and its agency's
    submissions (newest first)."""
    state = token_state(token, now)
    own = _own(items, token)
    since = now - RECENT_DAYS * DAY
    recent = [s for s in own if s.received_at >= since]
    rule = quiet_rule([s.received_at for s in own], now)
    return Link(
        id=token["id"],
        name=token["name"],
        agency=token.get("agency") or "",
        state=state,
        created_at=token["created_at"],
        expires_at=token.get("expires_at"),
        revoked_at=token.get("revoked_at"),
        last_used_at=token.get("last_used_at"),
        last_submission_at=max((s.received_at for s in own), default=None),
        agency_last_submission_at=agency_last,
        submissions_30d=len(recent),
        rejected_30d=sum(1 for s in recent if s.state == "rejected"),
        regular=rule.regular,
        usual_gap_days=rule.usual_gap_days,
        quiet_after_days=rule.threshold_days,
        silent_days=rule.silent_days,
        quiet=rule.quiet and state == "active",
    )


def read_links(
    now: float | None = None,
    data_root: Path | None = None,
    auth_root: Path | None = None,
) -> list[Link]:
    """Every link (token of role reporter), quiet ones first, then by agency
    and name; OutOfScope for a caller without the `links` capability."""
    if not current_scope().can(LINKS):
        raise OutOfScope("the links register is for data operators and administrators")
    now = time.time() if now is None else now
    tokens = [
        t for t in auth_store.list_tokens(root=auth_root) if t["role"] == "reporter"
    ]
    inbox = Inbox(data_root)
    # a data directory with no inbox yet (nothing ever submitted) is not given
    # one by reading it: it may be a shared, read-only warehouse
    has_inbox = inbox.db.path.exists()
    by_agency: dict[str, tuple[list[Received], float | None]] = {}
    for agency in sorted({t.get("agency") or "" for t in tokens}):
        if not has_inbox or not agency:
            by_agency[agency] = ([], None)
            continue
        items = inbox.list(agency, since=now - HISTORY_DAYS * DAY, limit=MAX_ITEMS)
        newest = items[:1] or inbox.list(agency, limit=1)
        by_agency[agency] = (items, newest[0].received_at if newest else None)
    links = [make_link(t, *by_agency[t.get("agency") or ""], now=now) for t in tokens]
    order = {s: i for i, s in enumerate(STATES)}
    return sorted(links, key=lambda k: (not k.quiet, order[k.state], k.agency, k.name))


def links_frame(now: float | None = None) -> pd.DataFrame:
    """The register as a table (the page's CSV/Excel download)."""
    frame = pd.DataFrame(
        [asdict(k) for k in read_links(now)], columns=list(Link.__dataclass_fields__)
    )
    for column in [c for c in frame.columns if c.endswith("_at")]:
        stamps = pd.to_datetime(frame[column], unit="s", utc=True)
        frame[column] = stamps.dt.strftime("%Y-%m-%dT%H:%M:%SZ")  # UTC, as the API
    return frame
