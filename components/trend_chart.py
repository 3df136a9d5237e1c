"""Actual vs target vs expected pace over time, for one indicator of one unit.

Pure: frames in (unit_series and unit_targets rows), a Plotly figure out. The
province and indicator pages share it.

What is drawn depends on the catalog's target type:
* plan (an annual amount): the year-to-date actual, the annual plan as a flat
  line over each year, and the expected pace (plan x expected share of the
  year reached by then, the model's expected_pct);
* min/max: the actual against the target it is held to (target_to_date), and
  the annual or period targets;
* no target: the actual alone.
Year-to-date lines break between years (they restart each January).
The figure has no fixed height: size it with the dcc.Graph's style.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from components.fmt import fmt_value
from components.status import COLORS, normalize_status
from core.i18n import normalize_lang, register, t
from data.schema import (
    CATALOG_TARGET_TYPE,
    EXPECTED_PCT,
    TARGET_TO_DATE,
    UNIT_EN,
    UNIT_VI,
    YTD_ACTUAL,
)

register(
    {
        "trend.actual": {"vi": "Thực hiện", "en": "Actual"},
        "trend.actual_ytd": {
            "vi": "Thực hiện (lũy kế từ đầu năm)",
            "en": "Actual (year to date)",
        },
        "trend.target": {"vi": "Kế hoạch, mục tiêu", "en": "Target"},
        "trend.pace": {"vi": "Tiến độ dự kiến", "en": "Expected pace"},
        "trend.no_data": {
            "vi": "Chưa có số liệu theo thời gian",
            "en": "No figures over time yet",
        },
    }
)

ACTUAL_LINE = "#14325c"  # the app's navy; markers carry the status colours
TARGET_LINE = "#000000"  # Okabe-Ito black, dashed
PACE_LINE = COLORS["at_risk"]  # Okabe-Ito orange, dotted
LAST_MONTH_OF = {"year": (12,), "quarter": (3, 6, 9, 12), "month": tuple(range(1, 13))}


def separators(lang: str) -> str:
    """Plotly's decimal and thousands characters: vi 29.915,5 / en 29,915.5."""
    return ",." if normalize_lang(lang) == "vi" else ".,"


def period_x(period: str) -> date:
    """A period placed on a date axis at the first day of its last month."""
    year = int(period[:4])
    if len(period) == 4:
        return date(year, 12, 1)
    if period[5] == "Q":
        return date(year, int(period[6]) * 3, 1)
    return date(year, int(period[5:7]), 1)


def _present(value: object) -> bool:
    try:
        return value is not None and not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def _num(value: object) -> float | None:
    return float(value) if _present(value) else None


def _gapped(
    frame: pd.DataFrame, column: str, break_years: bool, convert=_num
) -> tuple[list, list]:
    """x and y of a column, with a gap (None) where a new year starts."""
    xs: list = []
    ys: list = []
    previous = None
    for period, value in zip(frame["period"], frame[column], strict=True):
        year = str(period)[:4]
        if break_years and previous is not None and year != previous:
            xs.append(None)
            ys.append(None)
        xs.append(period_x(str(period)))
        ys.append(convert(value))
        previous = year
    return xs, ys


def _target_points(
    targets: pd.DataFrame | None, frequency: str, years: set[str]
) -> tuple[list, list]:
    """Annual targets as flat segments over the year; period targets as points."""
    xs: list = []
    ys: list = []
    if targets is None or targets.empty:
        return xs, ys
    for period, value in zip(targets["period"], targets["target"], strict=True):
        period = str(period)
        if period[:4] not in years or not _present(value):
            continue
        if xs:
            xs.append(None)
            ys.append(None)
        if len(period) == 4:
            for month in LAST_MONTH_OF.get(frequency, (12,)):
                xs.append(date(int(period), month, 1))
                ys.append(float(value))
        else:
            xs.append(period_x(period))
            ys.append(float(value))
    return xs, ys


def _labels(ys: list, row: dict, lang: str) -> list[str]:
    return [
        fmt_value(
            y,
            row.get(UNIT_VI),
            row.get(UNIT_EN),
            lang,
            integer=bool(row.get("integer")),
        )
        if y is not None
        else ""
        for y in ys
    ]


def _line(xs: list, ys: list, name: str, row: dict, lang: str, **style) -> go.Scatter:
    texts = _labels(ys, row, lang)
    return go.Scatter(
        x=xs,
        y=ys,
        name=name,
        customdata=texts,
        connectgaps=False,
        hovertemplate="%{customdata}<extra>" + name + "</extra>",
        **style,
    )


def _last_label(xs: list, ys: list, row: dict, lang: str) -> list[str]:
    """Text on the last point only: the latest value is readable without hovering."""
    texts = [""] * len(ys)
    for index in range(len(ys) - 1, -1, -1):
        if ys[index] is not None:
            texts[index] = _labels([ys[index]], row, lang)[0]
            break
    return texts


def trend_chart(
    series_frame: pd.DataFrame,
    targets_frame: pd.DataFrame | None,
    catalog_row: dict,
    lang: str,
) -> go.Figure:
    """`catalog_row`: the indicator (catalog or unit_progress row)."""
    lang = normalize_lang(lang)
    target_type = catalog_row.get("target_type") or catalog_row.get(CATALOG_TARGET_TYPE)
    plan = target_type == "plan"
    measure = catalog_row.get("measure")
    frequency = catalog_row.get("frequency") or "month"
    figure = go.Figure()
    frame = series_frame if series_frame is not None else pd.DataFrame()
    column = YTD_ACTUAL if plan else "actual"
    if frame.empty or column not in frame or not frame[column].notna().any():
        figure.add_annotation(
            text=t("trend.no_data", lang),
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
        )
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        return _style(figure, catalog_row, lang, frequency)
    frame = frame.sort_values("period", key=lambda s: s.map(period_x))
    break_years = measure in ("ytd", "flow") and frequency != "year"

    # the target line first, so the actual line is drawn over it
    years = {str(p)[:4] for p in frame["period"]}
    txs, tys = _target_points(targets_frame, frequency, years)
    if not txs and target_type in ("min", "max") and TARGET_TO_DATE in frame:
        txs, tys = _gapped(frame, TARGET_TO_DATE, break_years)
    if any(y is not None for y in tys):
        figure.add_trace(
            _line(
                txs,
                tys,
                t("trend.target", lang),
                catalog_row,
                lang,
                mode="lines",
                line={"color": TARGET_LINE, "dash": "dash", "width": 2},
            )
        )

    pace = None
    if plan and {"target", EXPECTED_PCT} <= set(frame.columns):
        pace = frame.assign(pace=frame["target"] * frame[EXPECTED_PCT] / 100)
    elif measure in ("ytd", "flow") and target_type in ("min", "max"):
        pace = frame.assign(pace=frame.get(TARGET_TO_DATE))
    if pace is not None and pace["pace"].notna().any():
        pxs, pys = _gapped(pace, "pace", break_years)
        figure.add_trace(
            _line(
                pxs,
                pys,
                t("trend.pace", lang),
                catalog_row,
                lang,
                mode="lines",
                line={"color": PACE_LINE, "dash": "dot", "width": 2},
            )
        )

    xs, ys = _gapped(frame, column, break_years)
    if "status" in frame:
        _, statuses = _gapped(frame, "status", break_years, normalize_status)
    else:
        statuses = ["no_data"] * len(xs)
    ytd = plan and measure in ("ytd", "flow")
    name = t("trend.actual_ytd" if ytd else "trend.actual", lang)
    figure.add_trace(
        _line(
            xs,
            ys,
            name,
            catalog_row,
            lang,
            mode="lines+markers+text",
            text=_last_label(xs, ys, catalog_row, lang),
            textposition="top center",
            line={"color": ACTUAL_LINE, "width": 3},
            marker={
                "size": 8,
                "color": [COLORS[s or "no_data"] for s in statuses],
                "line": {"color": ACTUAL_LINE, "width": 1},
            },
            legendgroup="actual",
            showlegend=False,
        )
    )
    # the legend shows the line in its own colour, not the first point's status
    figure.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            name=name,
            mode="lines+markers",
            legendgroup="actual",
            line={"color": ACTUAL_LINE, "width": 3},
            marker={"size": 8, "color": ACTUAL_LINE},
            hoverinfo="skip",
        )
    )
    return _style(figure, catalog_row, lang, frequency)


def _style(figure: go.Figure, row: dict, lang: str, frequency: str) -> go.Figure:
    unit = row.get(UNIT_EN) if lang == "en" else row.get(UNIT_VI)
    tick = "%Y" if frequency == "year" else ("%m/%Y" if lang == "vi" else "%b %Y")
    figure.update_layout(
        template="plotly_white",
        separators=separators(lang),
        margin={"l": 60, "r": 20, "t": 40, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hovermode="x unified",
        showlegend=True,
        yaxis_title=unit if isinstance(unit, str) else None,
    )
    figure.update_xaxes(type="date", tickformat=tick)
    figure.update_yaxes(tickformat=",~r")  # thousands grouped: 3.000 / 3,000
    return figure
