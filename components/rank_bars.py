"""The ranked bar list beside the province map: every province, best first.

Plain HTML (one link per province to its page), so it reads without hover,
works with the keyboard and prints. Each row: rank, name, a bar, the value
as text and the status (icon + word). Bars grow from a zero line so that
negative changes point left.
"""

from __future__ import annotations

import math

import pandas as pd
from dash import dcc, html

from components.choropleth import METRICS, metric_text, metric_values
from components.status import (
    COLORS,
    ICONS,
    normalize_status,
    status_badge,
    status_label,
)
from core.i18n import normalize_lang, t
from core.urls import href
from data.schema import NAME_EN, NAME_VI, PCT_OF_TARGET, PCT_VS_LAST_YEAR, UNIT_CODE

HEADINGS = {
    "value": "col.value",
    PCT_OF_TARGET: "map.pct_of_target",
    PCT_VS_LAST_YEAR: "map.vs_last_year",
}
TRACKED = ("on_track", "at_risk", "off_track")
BAR_COLOR = "#14325c"  # the theme's navy: plain values carry no judgement
GOOD, BAD, NEUTRAL = "#0072B2", "#D55E00", "#7a8594"  # Okabe-Ito blue, vermillion


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def ranked(
    frame: pd.DataFrame,
    metric: str,
    direction: str = "up",
    among: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rows in display order with `shown` (the metric) and `position`.

    The value metric keeps the data layer's rank (rank_value: among every
    province, whatever the caller sees). The others are ordered by the metric,
    best first (lowest first when lower is better), and placed among `among`
    (default: the frame itself; a region's provinces among the whole
    country's); an empty `among` means the country is not known here (a
    province analyst's own province): no position, rather than a false "1".
    Missing values come last in every case.
    """
    metric = metric if metric in METRICS else "value"
    out = frame.reset_index(drop=True).copy()
    out["shown"], _ = metric_values(out, metric)
    if metric == "value" and "rank_value" in out:
        out = out.sort_values(
            ["rank_value", UNIT_CODE], na_position="last", kind="stable"
        )
        out["position"] = out["rank_value"]
        return out.reset_index(drop=True)
    out = out.sort_values(
        "shown", ascending=direction == "down", na_position="last", kind="stable"
    )
    field = out["shown"] if among is None else metric_values(among, metric)[0]
    field = field.dropna().to_numpy()

    def position(value: float):
        if not _present(value) or len(field) == 0:
            return None
        better = field < value if direction == "down" else field > value
        return int(better.sum()) + 1  # ties share a place, as rank() does

    out["position"] = [position(v) for v in out["shown"]]
    return out.reset_index(drop=True)


def _status(status: str, lang: str):
    """A pill for the tracked statuses; icon and word in grey otherwise (no
    target, no figure), quieter than the statuses that call for action."""
    if status in TRACKED:
        return status_badge(status, lang, small=True)
    word = status_label(status, lang)
    return html.Span(
        [html.I(className=f"bi {ICONS[status]} me-1", **{"aria-hidden": "true"}), word],
        className="rank-status-plain",
        title=word,
    )


def _color(metric: str, value: float, status: str, direction: str) -> str:
    if metric == PCT_OF_TARGET:
        return COLORS[status]
    if metric == PCT_VS_LAST_YEAR:
        if direction == "neutral" or value == 0:
            return NEUTRAL
        return GOOD if (value > 0) == (direction != "down") else BAD
    return BAR_COLOR


def _geometry(values: pd.Series) -> tuple[float, float]:
    """(lowest, highest) of the bar axis, always including zero."""
    valid = values.dropna()
    lo = min(0.0, float(valid.min())) if not valid.empty else 0.0
    hi = max(0.0, float(valid.max())) if not valid.empty else 1.0
    return lo, hi if hi > lo else lo + 1.0


def rank_bars(
    frame: pd.DataFrame,
    metric: str,
    lang: str,
    state: dict,
    *,
    unit_vi: str = "",
    unit_en: str = "",
    direction: str = "up",
    integer: bool = False,
    indicator: str | None = None,
    among: pd.DataFrame | None = None,
) -> html.Div:
    """`frame`: province_values rows; `state`: the shared URL state for the links,
    which open the province's page (on `indicator`'s trend when given);
    `among`: the provinces the positions count (see ranked)."""
    lang = normalize_lang(lang)
    metric = metric if metric in METRICS else "value"
    rows = ranked(frame, metric, direction, among)
    _, kind = metric_values(frame, metric)
    lo, hi = _geometry(rows["shown"])
    zero = -lo / (hi - lo) * 100
    statuses = rows["status"] if "status" in rows else []
    # a status column only when some province is held to a target
    with_status = any(normalize_status(s) in TRACKED for s in statuses)
    row_class = "rank-row" + ("" if with_status else " no-status")
    items = []
    for row in rows.to_dict("records"):
        value, status = row["shown"], normalize_status(row.get("status"))
        if not _present(row.get("actual")):
            status = "no_data"
        name = row[NAME_EN if lang == "en" else NAME_VI]
        bar = html.Div(className="rank-zero", style={"left": f"{zero:.2f}%"})
        track = [bar]
        if _present(value):
            left = (min(value, 0.0) - lo) / (hi - lo) * 100
            width = abs(value) / (hi - lo) * 100
            track.insert(
                0,
                html.Div(
                    className="rank-bar",
                    style={
                        "left": f"{left:.2f}%",
                        "width": f"{max(width, 0.4):.2f}%",
                        "background": _color(metric, value, status, direction),
                    },
                ),
            )
        position = row.get("position")
        cells = [
            html.Span(
                str(int(position)) if _present(position) else "–", className="rank-pos"
            ),
            html.Span(name, className="rank-name", title=name),
            html.Div(track, className="rank-track", **{"aria-hidden": "true"}),
            html.Span(
                metric_text(value, kind, lang, unit_vi, unit_en, integer),
                className="rank-value",
            ),
        ]
        if with_status:
            cells.append(html.Span(_status(status, lang), className="rank-status"))
        # dcc.Link takes no data-* attributes: the row inside carries the code
        code = str(row[UNIT_CODE])
        items.append(
            dcc.Link(
                html.Div(cells, className=row_class, **{"data-code": code}),
                href=href(f"/province/{code}", state, indicator=indicator),
                className="rank-link",
            )
        )
    head = html.Div(
        [
            html.Span("#", className="rank-pos"),
            html.Span(t("col.province", lang), className="rank-name"),
            html.Span("", className="rank-track"),
            html.Span(t(HEADINGS[metric], lang), className="rank-value"),
        ]
        + (
            [html.Span(t("status.label", lang), className="rank-status")]
            if with_status
            else []
        ),
        className=row_class + " rank-head",
    )
    return html.Div(
        [head, html.Div(items, className="rank-list")], className="rank-bars"
    )
