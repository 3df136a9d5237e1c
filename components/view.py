"""The state of a view as read from its URL, checked, with clear problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from components.i18n import DEFAULT_LANG, LANGS

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass
class ViewState:
    lang: str = DEFAULT_LANG
    period: str | None = None  # a month YYYY-MM; None = the latest with data
    geo: str = "2025"
    problems: list[str] = field(default_factory=list)

    def as_params(self) -> dict[str, str | None]:
        return {"lang": self.lang, "period": self.period, "geo": self.geo}


def read_state(args: dict) -> ViewState:
    """Parse the query values Dash passes to a layout; bad ones are reported."""
    state = ViewState()
    lang = args.get("lang")
    if lang:
        if lang in LANGS:
            state.lang = lang
        else:
            state.problems.append(f"lang={lang!r}: expected vi or en")
    period = args.get("period")
    if period:
        if MONTH_RE.match(str(period)):
            state.period = str(period)
        else:
            state.problems.append(f"period={period!r}: expected a month like 2026-03")
    geo = args.get("geo")
    if geo:
        if geo in ("2025", "2020"):
            state.geo = geo
        else:
            state.problems.append(f"geo={geo!r}: expected 2025 (34 provinces) or 2020 (63)")
    return state
