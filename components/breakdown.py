"""One indicator across provinces and regions (data.queries.province_values and
region_values rows): a ranked bar chart, a table with status and rank, and the
regional table that says whether provinces were summed or averaged.

The bars carry the province code as customdata so the page can drill to
/province/<code> on a click; every bar also shows its value as text.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from components.fmt import fmt_pct, fmt_period
from components.indicator_header import (
    format_number,
    name,
    present,
    target_type_key,
    unit_label,
)
from components.status import COLORS, STATUSES, normalize_status, status_badge
from components.trend_chart import separators
from core.i18n import register, t
from core.urls import href
from data.schema import PCT_OF_TARGET, UNIT_CODE, YTD_ACTUAL

register(
    {
        "brk.provinces": {"vi": "Theo tỉnh, thành phố", "en": "By province"},
        "brk.regions": {"vi": "Theo vùng kinh tế - xã hội", "en": "By region"},
        "brk.method.sum": {
            "vi": "Cộng số của các tỉnh trong vùng",
            "en": "Sum of the provinces in the region",
        },
        "brk.method.mean": {
            "vi": "Bình quân (không gia quyền) các tỉnh có số liệu",
            "en": "Unweighted mean of the provinces that report",
        },
        "brk.n_provinces": {"vi": "Số tỉnh có số liệu", "en": "Provinces reporting"},
        "brk.click_hint": {
            "vi": "Bấm vào một thanh để xem tỉnh, thành phố đó",
            "en": "Click a bar to open that province",
        },
        "brk.pct": {"vi": "{pct} KH", "en": "{pct} of plan"},
    }
)

BAR_HEIGHT_PX = 22
HIGHLIGHT_LINE = "#000000"


def shown_column(catalog_row: dict) -> str:
    """Plan targets compare the year-to-date amount; others the period's figure."""
    return YTD_ACTUAL if target_type_key(catalog_row) == "plan" else "actual"


def ranked(frame: pd.DataFrame, catalog_row: dict) -> pd.DataFrame:
    """Provinces with a figure, best first (the query's direction-aware rank)."""
    column = shown_column(catalog_row)
    if frame is None or frame.empty or column not in frame:
        return pd.DataFrame(columns=list(getattr(frame, "columns", [])))
    has = frame[frame[column].notna()]
    return has.sort_values(["rank_value", UNIT_CODE], na_position="last")


def bar_text(row: dict, catalog_row: dict, lang: str) -> str:
    """The label beside a bar: the value, and % of plan when there is a plan."""
    value = format_number(row.get(shown_column(catalog_row)), catalog_row, lang)
    pct = row.get(PCT_OF_TARGET)
    if target_type_key(catalog_row) == "plan" and present(pct):
        return f"{value} · {t('brk.pct', lang, pct=fmt_pct(pct, lang))}"
    return value


def province_figure(
    frame: pd.DataFrame, catalog_row: dict, lang: str, highlight: str | None = None
) -> go.Figure:
    """Horizontal bars, best at the top, one trace per status (legend in words)."""
    rows = ranked(frame, catalog_row)
    column = shown_column(catalog_row)
    order = [name(r, lang) for r in rows.to_dict("records")]
    figure = go.Figure()
    for status in STATUSES:
        part = [
            r
            for r in rows.to_dict("records")
            if normalize_status(r.get("status")) == status
        ]
        if not part:
            continue
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=[name(r, lang) for r in part],
                x=[r[column] for r in part],
                customdata=[r[UNIT_CODE] for r in part],
                text=[bar_text(r, catalog_row, lang) for r in part],
                textposition="outside",
                cliponaxis=False,
                name=t(f"status.{status}", lang),
                marker={
                    "color": COLORS[status],
                    "line": {
                        "color": [
                            HIGHLIGHT_LINE
                            if r[UNIT_CODE] == highlight
                            else COLORS[status]
                            for r in part
                        ],
                        "width": [3 if r[UNIT_CODE] == highlight else 0 for r in part],
                    },
                },
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
        )
    figure.update_layout(
        template="plotly_white",
        separators=separators(lang),
        height=max(240, BAR_HEIGHT_PX * len(order) + 90),
        margin={"l": 10, "r": 110, "t": 30, "b": 30},
        barmode="overlay",
        bargap=0.25,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        xaxis_title=unit_label(catalog_row, lang) or None,
        clickmode="event",
    )
    figure.update_yaxes(
        categoryorder="array", categoryarray=order[::-1], automargin=True
    )
    figure.update_xaxes(tickformat=",~f")  # 30.000, not 30k (separators apply)
    return figure


def _cell(content, numeric: bool = False) -> html.Td:
    return html.Td(content, className="num" if numeric else None)


def province_table(
    frame: pd.DataFrame,
    catalog_row: dict,
    lang: str,
    state: dict,
    highlight: str | None = None,
) -> html.Table:
    """Rank, province (link to its page), figure, % of plan, status."""
    rows = ranked(frame, catalog_row)
    missing = frame[~frame[UNIT_CODE].isin(rows[UNIT_CODE])] if len(frame) else frame
    unit = unit_label(catalog_row, lang)
    head = [
        t("col.rank", lang),
        t("col.province", lang),
        f"{t('col.value', lang)} ({unit})" if unit else t("col.value", lang),
        t("kpi.pct_of_plan", lang),
        t("status.label", lang),
    ]
    body = []
    for record in [*rows.to_dict("records"), *missing.to_dict("records")]:
        code = record[UNIT_CODE]
        rank = record.get("rank_value")
        body.append(
            html.Tr(
                [
                    _cell(str(int(rank)) if present(rank) else "—", numeric=True),
                    html.Td(
                        dcc.Link(
                            name(record, lang), href=href(f"/province/{code}", state)
                        )
                    ),
                    _cell(
                        format_number(
                            record.get(shown_column(catalog_row)), catalog_row, lang
                        ),
                        numeric=True,
                    ),
                    _cell(fmt_pct(record.get(PCT_OF_TARGET), lang), numeric=True),
                    html.Td(status_badge(record.get("status"), lang, small=True)),
                ],
                className="table-active" if code == highlight else None,
                **{"data-unit": code},
            )
        )
    return html.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th(h, className="num" if i in (0, 2, 3) else None)
                        for i, h in enumerate(head)
                    ]
                )
            ),
            html.Tbody(body),
        ],
        className="table table-sm cc-table province-breakdown-table mb-0",
    )


def breakdown_period(frame: pd.DataFrame) -> str | None:
    """The period the query picked (the latest with a province figure)."""
    if frame is None or frame.empty or "period" not in frame:
        return None
    periods = frame["period"].dropna()
    return str(periods.iloc[0]) if len(periods) else None


def region_table(frame: pd.DataFrame, catalog_row: dict, lang: str) -> html.Div:
    """Regions with their figure; says how the provinces were combined."""
    if frame is None or frame.empty:
        return html.Div(t("msg.no_data", lang), className="empty-state")
    method = str(frame["method"].iloc[0])
    unit = unit_label(catalog_row, lang)
    head = [
        t("col.region", lang),
        f"{t('col.value', lang)} ({unit})" if unit else t("col.value", lang),
        t("brk.n_provinces", lang),
    ]
    body = [
        html.Tr(
            [
                html.Td(name(r, lang)),
                _cell(format_number(r.get("value"), catalog_row, lang), numeric=True),
                _cell(str(int(r["n_provinces"])), numeric=True),
            ]
        )
        for r in frame.to_dict("records")
    ]
    return html.Div(
        [
            html.P(
                [
                    html.I(className="bi bi-info-circle me-1"),
                    t(f"brk.method.{'sum' if method == 'sum' else 'mean'}", lang),
                ],
                className="small text-muted mb-2 region-method",
            ),
            html.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(h, className=None if i == 0 else "num")
                                for i, h in enumerate(head)
                            ]
                        )
                    ),
                    html.Tbody(body),
                ],
                className="table table-sm cc-table region-table mb-0",
            ),
        ]
    )


def period_note(period: str | None, lang: str) -> str:
    return f"{t('col.period', lang)}: {fmt_period(period, lang)}" if period else ""
