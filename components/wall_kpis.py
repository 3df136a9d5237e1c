"""Wall tiles: one indicator's figure in type readable across a room, and the
two slides made of them (national overview, one province's scorecard).

Rows are data.queries.unit_progress rows (dicts). The lead figure, its unit
and its status follow the KPI cards of the overview page (components.kpi_card):
the year-to-date amount for plan targets, else the period's own figure.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from dash import html

from components.fmt import MISSING, fmt_number, fmt_pct, fmt_period
from components.kpi_card import card_status, value_parts, vs_last_year_text
from components.status import ICONS, status_badge, status_label
from components.wall_chrome import slide_frame
from core.i18n import register, t
from data.schema import (
    CATALOG_TARGET_TYPE,
    EXPECTED_PCT,
    INDICATOR_CODE,
    NAME_EN,
    NAME_VI,
    PCT_OF_TARGET,
)

register(
    {
        "wallk.overview": {"vi": "Tổng quan quốc gia", "en": "National overview"},
        "wallk.as_of": {"vi": "Số liệu đến {period}", "en": "Figures to {period}"},
        "wallk.headline_n": {
            "vi": "{n} chỉ tiêu chủ yếu",
            "en": "{n:headline indicator|headline indicators}",
        },
        "wallk.ytd": {"vi": "Lũy kế", "en": "Year to date"},
        "wallk.of_plan": {"vi": "{pct} kế hoạch", "en": "{pct} of plan"},
        "wallk.pace": {"vi": "dự kiến {pct}", "en": "expected {pct}"},
        "wallk.vs_ly": {"vi": "So cùng kỳ {value}", "en": "vs last year {value}"},
        "wallk.rank": {"vi": "Hạng {rank}/{n}", "en": "Rank {rank} of {n}"},
        "wallk.province_sub": {
            "vi": "Số liệu đến {period} · chỉ tiêu chủ yếu của tỉnh, thành phố",
            "en": "Figures to {period} · the province's headline indicators",
        },
        "wallk.none": {
            "vi": "Chưa có số liệu chỉ tiêu chủ yếu",
            "en": "No headline figures yet",
        },
    }
)

COUNTED = ("on_track", "at_risk", "off_track")


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def columns_for(aspect: float, n_tiles: int) -> int:
    """Tiles per row: more on wider walls (4 on 16:9, 6 on 32:9)."""
    if n_tiles <= 0:
        return 1
    wanted = 3 if aspect < 1.5 else 4 if aspect < 2.5 else 6
    return max(1, min(wanted, n_tiles))


def status_counts(rows: Iterable[dict]) -> Counter:
    return Counter(card_status(r) for r in rows)


def status_strip(counts: Counter, lang: str) -> html.Div:
    """'✔ 95 Đạt tiến độ  ▲ 27 Có nguy cơ  ✖ 21 Chậm tiến độ': count + icon + word."""
    return html.Div(
        [
            html.Span(
                [
                    html.I(className=f"bi {ICONS[s]}", **{"aria-hidden": "true"}),
                    html.Span(
                        fmt_number(counts.get(s, 0), lang), className="wall-count-n"
                    ),
                    html.Span(status_label(s, lang), className="wall-count-word"),
                ],
                className=f"wall-count status-{s}",
            )
            for s in COUNTED
        ],
        className="wall-counts",
    )


def _bar(row: dict) -> html.Div | None:
    """% of plan as a bar with a tick at the expected pace (plan targets only)."""
    pct, pace = row.get(PCT_OF_TARGET), row.get(EXPECTED_PCT)
    if row.get(CATALOG_TARGET_TYPE) != "plan" or not _present(pct):
        return None
    width = max(0.0, min(100.0, float(pct)))
    parts = [html.Div(className="wall-bar-fill", style={"width": f"{width:.1f}%"})]
    if _present(pace):
        left = max(0.0, min(100.0, float(pace)))
        parts.append(
            html.Div(className="wall-bar-tick", style={"left": f"{left:.1f}%"})
        )
    return html.Div(parts, className="wall-bar")


def wall_tile(row: dict, lang: str, rank: tuple[int, int] | None = None) -> html.Div:
    """One indicator: name, status (colour + icon + word), the big figure and
    its unit, % of plan against the pace, change on last year, rank."""
    status = card_status(row)
    number, unit = value_parts(row, lang)
    name = row.get(NAME_EN if lang == "en" else NAME_VI) or row.get(INDICATOR_CODE)
    sub = [fmt_period(row.get("period"), lang)] if _present(row.get("period")) else []
    if number != MISSING and (
        row.get(CATALOG_TARGET_TYPE) == "plan" or row.get("measure") == "ytd"
    ):
        sub.insert(0, t("wallk.ytd", lang))
    facts: list = []
    if _present(row.get(PCT_OF_TARGET)):
        facts.append(
            html.Span(
                t("wallk.of_plan", lang, pct=fmt_pct(row[PCT_OF_TARGET], lang)),
                className="wall-fact wall-fact-main",
            )
        )
    if row.get(CATALOG_TARGET_TYPE) == "plan" and _present(row.get(EXPECTED_PCT)):
        facts.append(
            html.Span(
                t("wallk.pace", lang, pct=fmt_pct(row[EXPECTED_PCT], lang)),
                className="wall-fact",
            )
        )
    ly = vs_last_year_text(row, lang)
    if ly:
        facts.append(html.Span(t("wallk.vs_ly", lang, value=ly), className="wall-fact"))
    if rank:
        facts.append(
            html.Span(
                t("wallk.rank", lang, rank=rank[0], n=rank[1]),
                className="wall-fact wall-fact-rank",
            )
        )
    glued = " wall-unit-glued" if unit == "%" else ""  # 66,4% as fmt_value writes it
    children = [
        html.Div(name, className="wall-tile-name"),
        html.Div(
            [
                html.Span(number, className="wall-tile-number"),
                html.Span(unit, className="wall-tile-unit" + glued) if unit else None,
            ],
            className="wall-tile-value",
        ),
        html.Div(
            [html.Span(" · ".join(sub)), status_badge(status, lang)],
            className="wall-tile-sub",
        ),
        _bar(row),
        html.Div(facts, className="wall-tile-facts") if facts else None,
    ]
    css = "no_data" if status == "no_target" else status
    return html.Div(
        [c for c in children if c is not None],
        className=f"wall-tile status-{css}",
        **{"data-indicator": str(row.get(INDICATOR_CODE))},
    )


def tile_grid(tiles: list, aspect: float) -> html.Div:
    cols = columns_for(aspect, len(tiles))
    rows = max(1, math.ceil(len(tiles) / cols))
    scale = 1.0 if rows >= 3 else 1.3  # fewer, taller tiles: larger type
    return html.Div(
        tiles,
        className="wall-grid",
        style={"--cols": str(cols), "--rows": str(rows), "--scale": str(scale)},
    )


def overview_slide(
    rows: list[dict], lang: str, month: str, aspect: float
) -> html.Section:
    """National headline indicators, with the status counts of all indicators."""
    headline = [r for r in rows if r.get("headline") is True]
    counts = status_counts(rows)
    body = (
        tile_grid([wall_tile(r, lang) for r in headline], aspect)
        if headline
        else html.Div(t("wallk.none", lang), className="wall-message")
    )
    subtitle = (
        t("wallk.as_of", lang, period=fmt_period(month, lang))
        + " · "
        + t("wallk.headline_n", lang, n=len(headline))
    )
    return slide_frame(
        t("wallk.overview", lang),
        subtitle,
        body,
        "overview",
        side=status_strip(counts, lang),
    )


def province_slide(
    name: str,
    rows: list[dict],
    ranks: dict[str, tuple[int, int]],
    lang: str,
    month: str,
    aspect: float,
    position: str | None = None,
) -> html.Section:
    """One province's scorecard: its headline indicators with their rank among
    the provinces; `position` e.g. '3/34' when the wall cycles through them."""
    headline = [r for r in rows if r.get("headline") is True]
    tiles = [
        wall_tile(r, lang, ranks.get(str(r.get(INDICATOR_CODE)))) for r in headline
    ]
    body = (
        tile_grid(tiles, aspect)
        if tiles
        else html.Div(t("wallk.none", lang), className="wall-message")
    )
    counts = status_counts(rows)
    side = [status_strip(counts, lang)]
    if position:
        side.append(html.Div(position, className="wall-cycle-pos"))
    return slide_frame(
        name,
        t("wallk.province_sub", lang, period=fmt_period(month, lang)),
        body,
        "province",
        side=side,
    )
