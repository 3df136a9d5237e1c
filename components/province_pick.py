"""What the province view shows, chosen from query results (pure helpers).

Which version of a unit code to show (a province code names an old and a
merged province; a commune code can be reused), which indicators its
scorecard lists, which indicator its trend shows and over which periods.
Plain data in (DataFrames from data.queries or their records), plain data out.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from components.trend_chart import period_x
from data.schema import INDICATOR_CODE

REFORM_DAY = date(2025, 7, 1)  # the first day of the 34 provinces


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts, missing values as None (what the builders expect)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _day(value: object) -> date:
    return pd.Timestamp(value).date()


def pick_version(versions: list[dict], geo: str, month: str) -> dict | None:
    """The version of a unit code the view shows.

    Provinces: the one of the URL's geography, else the other one. Communes:
    the one valid at the end of the month, else the newest. The nation: None.
    """
    provinces = [v for v in versions if v.get("level") == "province"]
    if provinces:
        same = [v for v in provinces if v.get("geo") == geo]
        return (same or provinces)[0]
    communes = [v for v in versions if v.get("level") == "commune"]
    end = pd.Period(month, "M").end_time.date()
    valid = [v for v in communes if _day(v["valid_from"]) <= end <= _day(v["valid_to"])]
    return (valid or communes or [None])[0]


def commune_geo(version: dict) -> str:
    """The geography of a commune's parent province (the 63 or the 34)."""
    return "2020" if _day(version["valid_to"]) < REFORM_DAY else "2025"


def scorecard_rows(
    progress: pd.DataFrame, catalog: pd.DataFrame, level: str
) -> list[dict]:
    """Indicators collected at this level, plus any other that has a figure."""
    levels = dict(zip(catalog["code"], catalog["levels"].fillna(""), strict=True))
    return [
        r
        for r in records(progress)
        if level in levels.get(r[INDICATOR_CODE], "").split(";")
        or r.get("actual") is not None
    ]


def pick_indicator(rows: list[dict], asked: str | None) -> tuple[str | None, bool]:
    """The trend's indicator: the one asked if it has figures, else the first
    headline with figures, else the first with figures; and whether `asked`
    had to be replaced."""
    codes = [r[INDICATOR_CODE] for r in rows if r.get("actual") is not None]
    if asked and asked.strip().upper() in codes:
        return asked.strip().upper(), False
    headline = [
        r[INDICATOR_CODE]
        for r in rows
        if r.get("actual") is not None and r.get("headline")
    ]
    return (headline or codes or [None])[0], bool(asked)


def rank_map(frame: pd.DataFrame) -> dict[str, tuple[int, int]]:
    return {
        r[INDICATOR_CODE]: (int(r["rank_value"]), int(r["n_ranked"]))
        for r in records(frame)
    }


def until(
    frame: pd.DataFrame, month: str, whole_years: bool = False, years_back: int = 3
) -> pd.DataFrame:
    """Rows of periods that end by the view's month, as the scorecard reads
    them, from `years_back` years before it; `whole_years`: also the current
    year's yearly rows (its plan)."""
    if frame.empty:
        return frame
    last, first_year = period_x(month), int(month[:4]) - years_back
    keep = [
        int(p[:4]) >= first_year
        and (period_x(p) <= last or (whole_years and p == month[:4]))
        for p in frame["period"].astype(str)
    ]
    return frame[keep]
