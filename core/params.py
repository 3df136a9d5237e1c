"""URL and query parameters: each one's form, checked in one place.

The pages read a view's state from its URL with `read_state` (bad values are
reported in the page's language and fall back to defaults); the data layer and
the API check every argument with the `check_*` functions, which raise
BadParameter (a 400, never a 500) in English, the API's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from core.i18n import DEFAULT_LANG, LANGS, register, t

GEOS: tuple[str, ...] = ("2025", "2020")  # 34 provinces (from 2025-07-01), 63
DEFAULT_GEO = GEOS[0]
# a year, quarter, month or (daily indicators) day: 2020, 2020-Q3, 2020-08, 2020-08-15
PERIOD_RE = re.compile(
    r"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
)
MONTH_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
UNIT_RE = re.compile(r"^([0-9]{2}|[0-9]{5})$")
INDICATOR_RE = re.compile(r"^[A-Z]{1,4}\.[0-9]{1,3}$")
SECTOR_RE = re.compile(r"^[a-z][a-z_]{1,39}$")
YEARS = (1900, 2200)


class BadParameter(ValueError):
    """A query argument that is not of the expected form (a 400, never a 500)."""


def _in_years(value: str) -> bool:
    return YEARS[0] <= int(value[:4]) <= YEARS[1]


def check_geo(geo: str | None) -> str:
    if geo in (None, ""):
        return DEFAULT_GEO
    if geo not in GEOS:
        raise BadParameter(f"geo must be one of {', '.join(GEOS)}, not {geo!r}")
    return geo


def check_period(period: str, name: str = "period") -> str:
    value = str(period).strip().upper()
    if not PERIOD_RE.match(value) or not _in_years(value) or not _real_day(value):
        raise BadParameter(
            f"{name} must look like 2020, 2020-Q3 or 2020-08, or a real day "
            f"2020-08-15 for a daily indicator (years 1900-2200), not {period!r}"
        )
    return value


def _real_day(value: str) -> bool:
    """Not a day, or a day of the calendar (2026-02-30 is none)."""
    if len(value) != 10:
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_month(month: str, name: str = "period") -> str:
    value = str(month).strip()
    if not MONTH_RE.match(value) or not _in_years(value):
        raise BadParameter(f"{name} must be a month like 2020-08, not {month!r}")
    return value


def check_unit(unit: str) -> str:
    value = str(unit).strip()
    if not UNIT_RE.match(value):
        raise BadParameter(
            "unit must be a GSO code (00, 2-digit province, 5-digit commune), "
            f"not {unit!r}"
        )
    return value


def check_indicator(code: str) -> str:
    value = str(code).strip().upper()
    if not INDICATOR_RE.match(value):
        raise BadParameter(f"indicator must be a catalog code like NS.01, not {code!r}")
    return value


def check_sector(code: str) -> str:
    value = str(code).strip().lower()
    if not SECTOR_RE.match(value):
        raise BadParameter(f"sector must be a code like budget, not {code!r}")
    return value


def is_month(value: object) -> bool:
    """A well-formed month (YYYY-MM, years 1900-2200)."""
    try:
        check_month(str(value))
    except BadParameter:
        return False
    return True


# -- a view's state from its URL, for the pages --

register(
    {
        "param.bad_lang": {
            "vi": "lang={value}: cần là vi hoặc en",
            "en": "lang={value}: expected vi or en",
        },
        "param.bad_period": {
            "vi": "period={value}: cần là một tháng, ví dụ 2026-03",
            "en": "period={value}: expected a month like 2026-03",
        },
        "param.bad_geo": {
            "vi": "geo={value}: cần là 2025 (34 tỉnh) hoặc 2020 (63 tỉnh)",
            "en": "geo={value}: expected 2025 (34 provinces) or 2020 (63)",
        },
    }
)


@dataclass
class ViewState:
    lang: str = DEFAULT_LANG
    period: str | None = None  # a month YYYY-MM; None = the latest with data
    geo: str = DEFAULT_GEO
    problems: list[str] = field(default_factory=list)

    def as_params(self) -> dict[str, str | None]:
        return {"lang": self.lang, "period": self.period, "geo": self.geo}


def read_state(args: dict) -> ViewState:
    """The view's language, period and geography from the query values Dash
    passes to a layout; a bad one is reported (in the page's language) and
    falls back to its default."""
    state = ViewState()
    lang, bad_lang = args.get("lang"), None
    if lang:
        if lang in LANGS:
            state.lang = lang
        else:
            bad_lang = lang
    if bad_lang is not None:
        state.problems.append(t("param.bad_lang", state.lang, value=repr(bad_lang)))
    period = args.get("period")
    if period:
        if is_month(period):
            state.period = str(period).strip()
        else:
            state.problems.append(t("param.bad_period", state.lang, value=repr(period)))
    geo = args.get("geo")
    if geo:
        if geo in GEOS:
            state.geo = geo
        else:
            state.problems.append(t("param.bad_geo", state.lang, value=repr(geo)))
    return state
