"""Wall list slides: one sector's indicators, and the provinces needing
attention. Each fits the screen it is shown on: the number of columns follows
the wall's aspect ratio (2 on 16:9, 4 on 32:9) and, when the rows do not all
fit, the slide says how many more there are instead of scrolling.
"""

from __future__ import annotations

import math

from dash import html

from components.fmt import fmt_number, fmt_pct, fmt_period
from components.kpi_card import card_status, value_parts
from components.status import ICONS, status_badge
from components.wall_chrome import slide_frame
from components.wall_kpis import status_counts, status_strip
from core.i18n import register, t
from data.schema import (
    CATALOG_TARGET_TYPE,
    INDICATOR_CODE,
    NAME_EN,
    NAME_VI,
    PCT_OF_TARGET,
)

register(
    {
        "walll.sector_sub": {
            "vi": "Toàn quốc · kỳ mới nhất của từng chỉ tiêu đến {period}",
            "en": "National · each indicator's latest period to {period}",
        },
        "walll.more": {
            "vi": "và {n} chỉ tiêu khác",
            "en": "and {n:more indicator|more indicators}",
        },
        "walll.more_provinces": {
            "vi": "và {n} tỉnh, thành phố khác",
            "en": "and {n:more province|more provinces}",
        },
        "walll.of_plan": {"vi": "{pct} KH", "en": "{pct} of plan"},
        "walll.attention": {
            "vi": "Tỉnh, thành phố cần chú ý",
            "en": "Provinces needing attention",
        },
        "walll.attention_sub": {
            "vi": "Số chỉ tiêu chậm tiến độ, có nguy cơ · 12 tháng đến {period}",
            "en": "Indicators off track and at risk · 12 months to {period}",
        },
        "walll.of_n": {"vi": "trên {n} chỉ tiêu", "en": "of {n} indicators"},
        "walll.worst": {"vi": "Chậm nhất: {name}", "en": "Most behind: {name}"},
        "walll.none": {
            "vi": "Không có tỉnh, thành phố nào chậm tiến độ hoặc có nguy cơ",
            "en": "No province is off track or at risk",
        },
        "walll.sector_none": {
            "vi": "Ngành, lĩnh vực này chưa có số liệu",
            "en": "No figures for this sector yet",
        },
    }
)

SECTOR_ROWS_PER_COLUMN = 8
ATTENTION_ROWS_PER_COLUMN = 6
SEVERITY = {"off_track": 0, "at_risk": 1, "on_track": 2, "no_target": 3, "no_data": 4}


def list_columns(aspect: float) -> int:
    """Columns of a list slide: one per ~85 vh of width (2 on 16:9, 4 on 32:9)."""
    return max(1, math.floor(aspect * 100 / 85))


def _split(items: list, per: int) -> list[list]:
    return [items[i : i + per] for i in range(0, len(items), per)]


def fit_rows(rows: list[dict], capacity: int) -> tuple[list[dict], int]:
    """At most `capacity` rows, keeping catalog order; rows without a figure,
    then rows without a target, go first when some must go. Returns (kept,
    number left out)."""
    if len(rows) <= capacity:
        return rows, 0
    last = {"no_data": 2, "no_target": 1}  # without a figure, then without a target
    ranked = sorted(
        range(len(rows)), key=lambda i: (last.get(card_status(rows[i]), 0), i)
    )
    keep = sorted(ranked[:capacity])
    return [rows[i] for i in keep], len(rows) - capacity


def indicator_row(row: dict, lang: str) -> html.Div:
    """Name, figure with unit, % of plan and status (colour + icon + word)."""
    status = card_status(row)
    number, unit = value_parts(row, lang)
    name = row.get(NAME_EN if lang == "en" else NAME_VI) or row.get(INDICATOR_CODE)
    pct = row.get(PCT_OF_TARGET)
    pct_text = (
        t("walll.of_plan", lang, pct=fmt_pct(pct, lang))
        if row.get(CATALOG_TARGET_TYPE) == "plan" and pct == pct and pct is not None
        else ""
    )
    css = "no_data" if status == "no_target" else status
    glued = " wall-unit-glued" if unit == "%" else ""
    figure = html.Div(
        [
            html.Span(number, className="wall-row-number"),
            html.Span(unit, className="wall-row-unit" + glued) if unit else None,
            html.Span(fmt_period(row.get("period"), lang), className="wall-row-period"),
            html.Span(pct_text, className="wall-row-pct"),
            status_badge(status, lang),
        ],
        className="wall-row-line",
    )
    return html.Div(
        [html.Div(name, className="wall-row-name"), figure],
        className=f"wall-row status-{css}",
        **{"data-indicator": str(row.get(INDICATOR_CODE))},
    )


def sector_slide(
    name: str,
    rows: list[dict],
    lang: str,
    month: str,
    aspect: float,
    position: str | None = None,
) -> html.Section:
    """One sector's national indicators, in catalog order."""
    subtitle = t("walll.sector_sub", lang, period=fmt_period(month, lang))
    if not rows:
        body = html.Div(t("walll.sector_none", lang), className="wall-message")
        return slide_frame(name, subtitle, body, "sector", side=_position(position))
    # at least 4 rows a column before another column opens
    cols = min(list_columns(aspect), math.ceil(len(rows) / 4))
    kept, left_out = fit_rows(rows, cols * SECTOR_ROWS_PER_COLUMN)
    per = max(1, math.ceil(len(kept) / cols))
    style = {
        "--cols": str(cols),
        "--per": str(per),
        "--scale": "1.25" if per <= 5 else "1" if per <= 6 else "0.9",
    }
    body = html.Div(
        [
            html.Div([indicator_row(r, lang) for r in chunk], className="wall-list-col")
            for chunk in _split(kept, per)
        ],
        className="wall-list wall-list-sector",
        style=style,
    )
    more = (
        html.Div(t("walll.more", lang, n=left_out), className="wall-more")
        if left_out
        else None
    )
    side = [status_strip(status_counts(rows), lang), more, _position(position)]
    return slide_frame(name, subtitle, body, "sector", side=side)


def _position(position: str | None) -> html.Div | None:
    return html.Div(position, className="wall-cycle-pos") if position else None


def _count(status: str, n: int, lang: str) -> html.Span:
    return html.Span(
        [
            html.I(className=f"bi {ICONS[status]}", **{"aria-hidden": "true"}),
            html.Span(fmt_number(n, lang), className="wall-count-n"),
            html.Span(t(f"status.{status}", lang), className="wall-count-word"),
        ],
        className=f"wall-count status-{status}",
    )


def attention_row(rank: int, row: dict, names: dict[str, str], lang: str) -> html.Div:
    """A province: off-track and at-risk counts (colour + icon + word), a bar of
    its indicators by status, and its indicator furthest behind, by name."""
    off, risk = int(row.get("n_off_track") or 0), int(row.get("n_at_risk") or 0)
    on, total = int(row.get("n_on_track") or 0), int(row.get("n_with_target") or 0)
    shares = [
        (s, n / total * 100 if total else 0)
        for s, n in (("off_track", off), ("at_risk", risk), ("on_track", on))
    ]
    listed = row.get("off_track_codes")  # a list, a numpy array, or None/NaN
    codes = [str(c) for c in listed] if hasattr(listed, "__iter__") else []
    worst = t("walll.worst", lang, name=names.get(codes[0], codes[0])) if codes else ""
    name = row[NAME_EN if lang == "en" else NAME_VI]
    line = html.Div(
        [
            html.Span(name, className="wall-att-name"),
            _count("off_track", off, lang),
            _count("at_risk", risk, lang),
        ],
        className="wall-att-line",
    )
    bar = html.Div(
        [
            html.Div(className=f"wall-att-seg status-{s}", style={"width": f"{w:.1f}%"})
            for s, w in shares
        ],
        className="wall-att-bar",
    )
    foot = html.Div(
        [
            html.Span(worst, className="wall-att-codes"),
            html.Span(t("walll.of_n", lang, n=total)),
        ],
        className="wall-att-foot",
    )
    return html.Div(
        [
            html.Span(str(rank), className="wall-att-rank"),
            html.Div([line, bar, foot], className="wall-att-main"),
        ],
        className="wall-att-row",
    )


def attention_slide(
    rows: list[dict], names: dict[str, str], lang: str, month: str, aspect: float
) -> html.Section:
    """Provinces with indicators off track or at risk, worst first."""
    subtitle = t("walll.attention_sub", lang, period=fmt_period(month, lang))
    flagged = [
        r for r in rows if (r.get("n_off_track") or 0) + (r.get("n_at_risk") or 0)
    ]
    if not flagged:
        body = html.Div(t("walll.none", lang), className="wall-message")
        return slide_frame(t("walll.attention", lang), subtitle, body, "attention")
    cols = list_columns(aspect)
    capacity = cols * ATTENTION_ROWS_PER_COLUMN
    shown = flagged[:capacity]
    per = max(1, math.ceil(len(shown) / cols))
    items = [attention_row(i, r, names, lang) for i, r in enumerate(shown, start=1)]
    body = html.Div(
        [html.Div(chunk, className="wall-list-col") for chunk in _split(items, per)],
        className="wall-list",
        style={"--cols": str(cols)},
    )
    more = (
        html.Div(
            t("walll.more_provinces", lang, n=len(flagged) - capacity),
            className="wall-more",
        )
        if len(flagged) > capacity
        else None
    )
    return slide_frame(
        t("walll.attention", lang), subtitle, body, "attention", side=more
    )
