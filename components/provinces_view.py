"""Builders of the /provinces view around its map and bars: the controls (each
a link that changes the URL), the region summary table and the map's
freshness row. Pure: plain data in, components out."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from components.choropleth import METRICS
from components.fmt import fmt_number, fmt_period, fmt_value
from core.i18n import register, t
from core.params import GEOS
from core.urls import same_view
from data.schema import (
    INDICATOR_CODE,
    NAME_EN,
    NAME_VI,
    REGION_KEY,
    SECTOR_EN,
    SECTOR_VI,
    SUBMITTED_AT,
    UNIT_EN,
    UNIT_VI,
)

register(
    {
        "prov.geo_label": {"vi": "Địa giới", "en": "Boundaries"},
        "prov.geo_2025": {
            "vi": "34 tỉnh, thành (từ 1/7/2025)",
            "en": "34 provinces (from 1 Jul 2025)",
        },
        "prov.geo_2020": {
            "vi": "63 tỉnh, thành (trước 1/7/2025)",
            "en": "63 provinces (before 1 Jul 2025)",
        },
        "prov.metric_label": {"vi": "Hiển thị", "en": "Show"},
        "prov.metric_value": {"vi": "Giá trị", "en": "Value"},
        "prov.metric_pct_of_target": {"vi": "% kế hoạch", "en": "% of target"},
        "prov.metric_pct_vs_last_year": {"vi": "So với cùng kỳ", "en": "vs last year"},
        "prov.method": {"vi": "Cách tính", "en": "Method"},
        "prov.method_sum": {"vi": "Tổng các tỉnh", "en": "Sum of provinces"},
        "prov.method_mean": {"vi": "Bình quân các tỉnh", "en": "Mean of provinces"},
        "prov.reporting": {"vi": "Tỉnh có số liệu", "en": "Provinces reporting"},
        "prov.partial_sum": {
            "vi": "* Tổng chưa đủ: còn tỉnh, thành chưa có số liệu.",
            "en": "* Partial sum: some provinces have no figure yet.",
        },
    }
)

SWITCH_ID = "provinces-switch-{}"  # one link per choice, e.g. provinces-switch-2020


def indicator_options(choices: pd.DataFrame, lang: str) -> list[dict]:
    """Catalog rows as dropdown options, each sector under a disabled heading
    (values of headings start with '_': never an indicator code)."""
    options, sector = [], None
    for row in choices.to_dict("records"):
        if row["sector"] != sector:
            sector = row["sector"]
            heading = row[SECTOR_EN if lang == "en" else SECTOR_VI] or sector
            options.append(
                {"label": f"— {heading} —", "value": f"_{sector}", "disabled": True}
            )
        name = row[NAME_EN if lang == "en" else NAME_VI]
        options.append({"label": f"{row['code']} · {name}", "value": row["code"]})
    return options


def _switch(label: str, choices: list[tuple[str, str, str]], active: str) -> html.Div:
    """A group of links (value, text, href): picking one changes the URL."""
    links = [
        dcc.Link(
            text,
            href=target,
            id=SWITCH_ID.format(value),
            className="btn btn-sm btn-outline-primary"
            + (" active" if value == active else ""),
        )
        for value, text, target in choices
    ]
    return html.Div(
        [
            html.Span(label, className="provinces-control-label"),
            html.Div(links, className="btn-group", role="group"),
        ],
        className="provinces-control",
    )


def controls(
    path: str, view: dict, geo: str, metric: str, lang: str, picker
) -> html.Div:
    """Indicator picker (a component the page owns), geography and metric switches.

    `view`: every query value of the current view; each link changes one.
    """
    geos = [(g, t(f"prov.geo_{g}", lang), same_view(path, view, geo=g)) for g in GEOS]
    metrics = [
        (m, t(f"prov.metric_{m}", lang), same_view(path, view, metric=m))
        for m in METRICS
    ]
    picker_box = html.Div(
        [
            html.Span(t("col.indicator", lang), className="provinces-control-label"),
            picker,
        ],
        className="provinces-control provinces-control-wide",
    )
    return html.Div(
        [
            picker_box,
            _switch(t("prov.geo_label", lang), geos, geo),
            _switch(t("prov.metric_label", lang), metrics, metric),
        ],
        className="provinces-controls no-print",
    )


def map_meta(frame: pd.DataFrame, code: str, period: str) -> dict:
    """The map's freshness row (for freshness.tile_meta): latest submission,
    provinces with a figure out of all, whether any figure was revised."""
    reported = frame[frame["actual"].notna()]
    return {
        "period": period,
        INDICATOR_CODE: code,
        SUBMITTED_AT: reported[SUBMITTED_AT].max(),
        "n_parts": len(reported),
        "n_expected": len(frame),
        "revised": bool(reported["revised"].fillna(False).astype(bool).any()),
    }


def region_table(
    regions: pd.DataFrame,
    frame: pd.DataFrame,
    indicator: dict,
    lang: str,
    links: dict[str, str] | None = None,
    selected: str | None = None,
) -> html.Div:
    """region_values rows; `frame` (province_values) gives each region's size.
    `links`: region key -> the view of that region (its name links there);
    `selected`: the region on show, marked."""
    totals = frame.groupby(REGION_KEY).size()
    integer = str(indicator.get("integer")).lower() == "true"
    name = NAME_EN if lang == "en" else NAME_VI
    links = links or {}

    def partial(r: dict) -> bool:
        """A sum over fewer provinces than the region has is not the region's."""
        size = int(totals.get(r[REGION_KEY], 0))
        return r["method"] == "sum" and 0 < int(r["n_provinces"]) < size

    def label(r: dict):
        link = links.get(r[REGION_KEY])
        return html.A(r[name], href=link, className="region-link") if link else r[name]

    rows = [
        html.Tr(
            [
                html.Td(label(r)),
                html.Td(
                    fmt_value(
                        r["value"],
                        indicator[UNIT_VI],
                        indicator[UNIT_EN],
                        lang,
                        integer=integer,
                    )
                    + (" *" if partial(r) else ""),
                    className="num" + (" text-warning-emphasis" if partial(r) else ""),
                ),
                html.Td(
                    f"{fmt_number(r['n_provinces'], lang)}/"
                    f"{fmt_number(int(totals.get(r['region_key'], 0)), lang)}",
                    className="num",
                ),
            ],
            className="table-active" if r[REGION_KEY] == selected else None,
            **{"data-region": r[REGION_KEY]},
        )
        for r in regions.to_dict("records")
    ]
    head = html.Tr(
        [
            html.Th(t("col.region", lang)),
            html.Th(t("col.value", lang), className="num"),
            html.Th(t("prov.reporting", lang), className="num"),
        ]
    )
    # one method for the indicator (sum or mean of its provinces): said once
    methods = sorted({t(f"prov.method_{m}", lang) for m in regions["method"]})
    return html.Div(
        [
            html.Table(
                [html.Thead(head), html.Tbody(rows)],
                className="table table-sm cc-table provinces-regions mb-1",
            ),
            html.P(
                f"{t('prov.method', lang)}: {', '.join(methods)}",
                className="small text-muted mb-2",
            ),
            html.P(t("prov.partial_sum", lang), className="small text-muted mb-2")
            if any(partial(r) for r in regions.to_dict("records"))
            else None,
        ]
    )


def page_header(title: str, subject: str, period: str | None, lang: str) -> html.Div:
    """Title, and what the view shows: the indicator and its period."""
    period_text = fmt_period(period, lang) if period else ""
    return html.Div(
        [
            html.H1(title),
            html.Div(
                [
                    html.Span(subject, className="fw-semibold"),
                    html.Span(period_text, className="text-muted ms-2"),
                ],
                className="provinces-subtitle",
            ),
        ],
        className="page-header",
    )


def region_note(text: str, clear_text: str, clear_href: str) -> html.P:
    """Which region the view is narrowed to, and the way back to the country."""
    return html.P(
        [
            html.I(className="bi bi-funnel me-2"),
            text,
            " ",
            html.A(clear_text, href=clear_href, className="region-clear ms-1"),
        ],
        className="provinces-note provinces-region-note",
    )


def note(text: str) -> html.P:
    """An information line above the map (which period is shown, and why)."""
    return html.P(
        [html.I(className="bi bi-info-circle me-2"), text], className="provinces-note"
    )


def panel(title: str, children: list, class_name: str) -> html.Section:
    return html.Section(
        [html.H2(title, className="panel-title"), *children],
        className=f"panel {class_name}",
    )
