"""/province/<code>: one province's (or commune's) scorecard across sectors.

URL: /province/<2-digit province | 5-digit commune>?indicator=<code> (the
trend chart's indicator) plus the shared lang, period, geo. A province code can
name an old province (the 63, geo 2020) and a merged one (the 34, geo 2025):
the URL's geo picks the version, falling back to the one that exists. With
geo 2025 and a month before 2025-07-01 the figures are the merged province's
comparable series (the sum of its predecessors), and the page says which.
Communes are read in geo 'all'; their trail leads up to their province.
Ranks among provinces are shown for every indicator (one query for all rows).
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from components import ids
from components.download import download_buttons
from components.freshness import tile_meta
from components.page_title import titled
from components.plans import attach_plans
from components.province_parts import (
    commune_list,
    lineage_notes,
    name_of,
    unit_header,
    unit_trail,
)
from components.province_pick import (
    commune_geo,
    pick_indicator,
    pick_version,
    rank_map,
    records,
    scorecard_rows,
    until,
)
from components.scorecard import scorecard
from components.states import empty_state, not_found, problems_alert
from components.trend_chart import trend_chart
from core.i18n import register, t
from core.params import ViewState, read_state
from core.urls import href, parse_search, same_view
from data import queries as q
from data.schema import INDICATOR_CODE, UNIT_CODE
from pages._snapshot import or_no_snapshot

dash.register_page(
    __name__,
    path_template="/province/<code>",
    title=titled("Tỉnh, thành phố", "Province"),
    name="Tỉnh, thành phố",
    nav=False,
)

PROVINCE_HEADER = "province-header"
PROVINCE_SCORECARD = "province-scorecard"
PROVINCE_TREND = "province-trend"
PROVINCE_TREND_GRAPH = "province-trend-graph"
PROVINCE_TREND_PICKER = "province-trend-picker"
PROVINCE_TREND_SHOWN = "province-trend-shown"  # the indicator the chart shows
PROVINCE_COMMUNES = "province-communes"

register(
    {
        "province.scorecard": {"vi": "Bảng theo dõi chỉ tiêu", "en": "Scorecard"},
        "province.trend": {"vi": "Diễn biến theo thời gian", "en": "Trend over time"},
        "province.rank_note": {
            "vi": "Xếp hạng: vị trí của tỉnh trong số các tỉnh, thành phố có số liệu "
            "cùng kỳ gần nhất, cho mọi chỉ tiêu (cao nhất là 1; với chỉ tiêu "
            "càng thấp càng tốt, thấp nhất là 1).",
            "en": "Rank: position among the provinces with a figure for the latest "
            "period, for every indicator (highest is 1; lowest is 1 where "
            "lower is better).",
        },
        "province.unknown": {
            "vi": "Không có tỉnh, thành phố hay xã, phường nào mang mã “{code}”.",
            "en": "There is no province or commune with code “{code}”.",
        },
        "province.national": {
            "vi": "Mã 00 là toàn quốc: xem trang Tổng quan quốc gia.",
            "en": "Code 00 is the nation: see the national overview.",
        },
        "province.bad_indicator": {
            "vi": "indicator={code!r}: đơn vị này không có số liệu của chỉ tiêu đó",
            "en": "indicator={code!r}: this unit has no figures for it",
        },
    }
)


def _panel_head(title: str, downloads: html.Div) -> html.Div:
    return html.Div(
        [html.H2(title, className="panel-title"), downloads], className="panel-head"
    )


def _trend_panel(
    rows: list[dict],
    indicator: str | None,
    unit: str,
    geo: str,
    month: str,
    state: dict,
    lang: str,
) -> html.Section:
    if indicator is None:
        title = html.H2(t("province.trend", lang), className="panel-title")
        return html.Section(
            [title, empty_state(lang)], id=PROVINCE_TREND, className="panel"
        )
    row = next(r for r in rows if r[INDICATOR_CODE] == indicator)
    options = [
        {
            "label": f"{r['indicator_code']} · {name_of(r, lang)}",
            "value": r[INDICATOR_CODE],
        }
        for r in rows
        if r.get("actual") is not None
    ]
    series = until(q.unit_series(indicator, unit, geo), month)
    targets = until(q.unit_targets(indicator, unit, geo), month, whole_years=True)
    figure = trend_chart(series, targets, row, lang)
    return html.Section(
        [
            _panel_head(
                t("province.trend", lang),
                download_buttons("unit_series", [indicator, unit, geo], lang),
            ),
            dcc.Store(id=PROVINCE_TREND_SHOWN, data=indicator),
            dcc.Dropdown(
                id=PROVINCE_TREND_PICKER,
                options=options,
                value=indicator,
                clearable=False,
                className="province-trend-picker no-print",
            ),
            dcc.Graph(
                id=PROVINCE_TREND_GRAPH,
                figure=figure,
                style={"height": "22rem"},
                config={"displaylogo": False, "responsive": True},
            ),
            tile_meta(row, lang, state, unit),
        ],
        id=PROVINCE_TREND,
        className="panel province-trend",
    )


def _communes_panel(code: str, geo: str, state: dict, lang: str) -> html.Section:
    return html.Section(
        [
            _panel_head(
                t("province.communes", lang),
                download_buttons("communes", [code, geo], lang),
            ),
            commune_list(records(q.communes(code, geo)), state, lang),
        ],
        id=PROVINCE_COMMUNES,
        className="panel province-communes",
    )


def layout(code: str | None = None, **kwargs: str) -> html.Div:
    state = read_state(kwargs)
    return or_no_snapshot(
        lambda: _view(str(code or "").strip(), state, kwargs), state.lang
    )


def _view(code: str, state: ViewState, kwargs: dict) -> html.Div:
    lang, problems = state.lang, list(state.problems)
    home = href("/", state.as_params())
    if code == "00":
        return not_found(lang, t("province.national", lang), home=home)
    try:
        versions = records(q.unit_versions(code))
    except q.BadParameter:
        versions = []
    month = q.default_month(state.period)
    unit = pick_version(versions, state.geo, month)
    if unit is None:
        return not_found(lang, t("province.unknown", lang, code=code), home=home)
    level = unit["level"]
    # the geography of the figures shown; every link of the view carries it
    geo = unit["geo"] if level == "province" else state.geo
    link_state = {**state.as_params(), "geo": geo}
    rows = scorecard_rows(q.unit_progress(code, month, geo), q.catalog(), level)
    rows = attach_plans(rows, records(q.unit_plans(code, geo)), code)
    indicator, replaced = pick_indicator(rows, kwargs.get("indicator"))
    if replaced:
        problems.append(t("province.bad_indicator", lang, code=kwargs.get("indicator")))

    if level == "province":
        province, province_geo = unit, geo
        ranks = rank_map(q.province_ranks(code, month, geo))
        notes = lineage_notes(
            unit,
            state.geo,
            q.period_geo(month) == "2020",
            records(q.province_merger()),
            link_state,
            lang,
        )
    else:
        province_geo, ranks, notes = commune_geo(unit), None, []
        province = (
            pick_version(
                records(q.unit_versions(unit["parent_code"])), province_geo, month
            )
            or {}
        )
    provinces = q.provinces(province_geo)
    region = (
        records(provinces[provinces[UNIT_CODE] == province.get(UNIT_CODE)]) or [{}]
    )[0]

    view_params = {k: v for k, v in kwargs.items() if isinstance(v, str) and v}

    def trend_href(indicator_code: str) -> str:
        return same_view(f"/province/{code}", view_params, indicator=indicator_code)

    table = html.Section(
        [
            _panel_head(
                t("province.scorecard", lang),
                download_buttons("unit_progress", [code, month, geo], lang),
            ),
            html.P(t("province.rank_note", lang), className="text-muted small mb-2")
            if ranks is not None
            else None,
            scorecard(rows, lang, link_state, code, ranks, trend_href),
        ],
        id=PROVINCE_SCORECARD,
        className="panel province-scorecard",
    )
    trend = _trend_panel(rows, indicator, code, geo, month, link_state, lang)
    if level == "province":
        top = html.Div(
            [
                html.Div(trend, className="col-xl-8"),
                html.Div(
                    _communes_panel(code, geo, link_state, lang), className="col-xl-4"
                ),
            ],
            className="row g-3 mb-3",
        )
    else:
        top = html.Div(trend, className="mb-3")
    return html.Div(
        [
            unit_trail(
                lang,
                link_state,
                region,
                province,
                province_geo,
                unit if level == "commune" else None,
            ),
            problems_alert(problems, lang),
            unit_header(
                unit, region, province, geo, month, rows, lang, PROVINCE_HEADER
            ),
            *notes,
            top,
            table,
        ],
        className="province-page",
        **{"data-unit": code, "data-level": level},
    )


@callback(
    Output(ids.URL, "href", allow_duplicate=True),
    Input(PROVINCE_TREND_PICKER, "value"),
    State(PROVINCE_TREND_SHOWN, "data"),
    State(ids.URL, "pathname"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def pick_trend(
    indicator: str | None, shown: str | None, pathname: str | None, search: str | None
) -> str:
    """Choosing the trend's indicator puts it in the URL; the layout re-renders.

    The dropdown also reports its value when it mounts: that is the indicator
    already shown, and must not rewrite the URL.
    """
    current = parse_search(search)
    if not indicator or not pathname or indicator == shown:
        raise dash.exceptions.PreventUpdate
    return same_view(pathname, current, indicator=indicator)
