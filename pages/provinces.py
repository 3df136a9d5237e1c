"""/provinces : one indicator across the provinces, as a map and a ranked list.

URL: ?indicator=<code>&metric=value|pct_of_target|pct_vs_last_year&region=<key>
plus the shared lang, period (a month) and geo (2025: the 34 provinces, the
default; 2020: the 63 before 1 July 2025). A region (DBSH, TDMNPB, ...: the
province page's breadcrumb and the region table link there) narrows the map's
colours and the ranking to its provinces. The map shows the latest period of the
indicator ending by the month (data.queries.province_values); with geo=2020
and a month after June 2025 it shows the last period before the reform and
says so. Clicking a province (map or list) opens /province/<code>.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from components import ids
from components.breadcrumbs import breadcrumbs
from components.choropleth import METRICS, choropleth
from components.download import download_buttons
from components.fmt import fmt_period
from components.freshness import tile_meta
from components.page_title import titled
from components.provinces_view import (
    controls,
    indicator_options,
    map_meta,
    note,
    page_header,
    panel,
    region_note,
    region_table,
)
from components.rank_bars import rank_bars
from components.states import empty_state, problems_alert
from core.i18n import register, t
from core.params import read_state
from core.urls import href, parse_search, same_view
from data import queries as q
from data.schema import NAME_EN, NAME_VI, REGION_KEY, UNIT_CODE, UNIT_EN, UNIT_VI
from pages._snapshot import no_snapshot

dash.register_page(
    __name__,
    path="/provinces",
    order=1,
    name="Tỉnh thành",
    title=titled("Tỉnh thành", "Provinces"),
)

PATH = "/provinces"
PROVINCES_MAP = "provinces-map"
PROVINCES_INDICATOR = "provinces-indicator"
LAST_PRE_REFORM_MONTH = "2025-06"
# offline maps: plotly asks /assets/topojson/ for its (empty) base map
GRAPH_CONFIG = {
    "topojsonURL": "/assets/topojson/",
    "displaylogo": False,
    "displayModeBar": False,
    "scrollZoom": False,
}

register(
    {
        "prov.title": {"vi": "Tỉnh, thành phố", "en": "Provinces"},
        "prov.map": {"vi": "Bản đồ", "en": "Map"},
        "prov.ranking": {"vi": "Xếp hạng các tỉnh, thành", "en": "Province ranking"},
        "prov.regions": {
            "vi": "Theo vùng kinh tế - xã hội",
            "en": "By socio-economic region",
        },
        "prov.hint": {
            "vi": "Bấm vào một tỉnh, thành trên bản đồ hoặc trong danh sách "
            "để xem chi tiết.",
            "en": "Click a province on the map or in the list for its page.",
        },
        "prov.pre_reform": {
            "vi": (
                "Bản đồ 63 tỉnh, thành chỉ có số liệu trước 1/7/2025: đang hiển thị "
                "{period}, kỳ gần nhất trước khi sắp xếp đơn vị hành chính "
                "(kỳ đã chọn: {chosen})."
            ),
            "en": (
                "The 63-province map only has figures before 1 Jul 2025: showing "
                "{period}, the last period before the reform (chosen: {chosen})."
            ),
        },
        "prov.merged": {
            "vi": (
                "Kỳ {period} trước 1/7/2025: số liệu của mỗi tỉnh, thành mới là tổng "
                "(hoặc số liệu) của các tỉnh cũ hợp thành."
            ),
            "en": (
                "{period} is before 1 Jul 2025: each new province shows the sum (or "
                "the figure) of the old provinces it was formed from."
            ),
        },
        "prov.no_figures": {
            "vi": "Chưa có số liệu cấp tỉnh của chỉ tiêu này đến {period}.",
            "en": "No province figures for this indicator up to {period}.",
        },
        "prov.bad_indicator": {
            "vi": "indicator={value!r}: không có chỉ tiêu cấp tỉnh mã này",
            "en": "indicator={value!r}: no province-level indicator with this code",
        },
        "prov.bad_region": {
            "vi": "region={value!r}: không có vùng này (có: {known})",
            "en": "region={value!r}: no such region (known: {known})",
        },
        "prov.region_only": {
            "vi": "Chỉ các tỉnh, thành của vùng {region}.",
            "en": "Only the provinces of the {region} region.",
        },
        "prov.no_regions": {
            "vi": "Không có số liệu theo vùng cho lựa chọn này (số tổng theo "
            "vùng chỉ hiển thị cho người xem được mọi tỉnh, thành trong vùng).",
            "en": "No regional figures for this choice (regional totals are "
            "shown only to those who may see every province of the region).",
        },
        "prov.all_regions": {"vi": "Xem cả nước", "en": "Show the whole country"},
        "prov.other_region": {"vi": "Ngoài vùng đang xem", "en": "Outside this region"},
        "prov.ranking_region": {
            "vi": "Xếp hạng trong vùng {region} (hạng cả nước)",
            "en": "Ranking in {region} (national rank)",
        },
        "prov.bad_metric": {
            "vi": "metric={value!r}: cần value, pct_of_target hoặc pct_vs_last_year",
            "en": "metric={value!r}: expected value, pct_of_target or pct_vs_last_year",
        },
    }
)


def _default_indicator(choices: pd.DataFrame) -> str:
    """The first headline indicator with figures, else the first with figures,
    else the first headline one: an empty map is no way to open the page."""
    supplied = choices[choices["code"].isin(q.supplied_indicators())]
    pool = supplied if not supplied.empty else choices
    headline = pool[pool["headline"].astype(str).str.lower() == "true"]
    return str((headline if not headline.empty else pool)["code"].iloc[0])


def _pick_indicator(
    value: str | None, choices: pd.DataFrame, problems: list[str], lang: str
) -> dict:
    if value:
        try:
            code = q.check_indicator(value)
        except q.BadParameter:
            code = None
        match = choices[choices["code"] == code]
        if not match.empty:
            return match.iloc[0].to_dict()
        problems.append(t("prov.bad_indicator", lang, value=value))
    code = _default_indicator(choices)
    return choices[choices["code"] == code].iloc[0].to_dict()


def layout(**kwargs: str) -> html.Div:
    state = read_state(kwargs)
    lang = state.lang
    problems = list(state.problems)
    metric = kwargs.get("metric") or "value"
    if metric not in METRICS:
        problems.append(t("prov.bad_metric", lang, value=metric))
        metric = "value"
    try:
        region = _pick_region(kwargs.get("region"), state.geo, problems, lang)
        body = _body(state, kwargs.get("indicator"), metric, region, problems)
    except q.NoSnapshot:
        region, body = None, [no_snapshot(lang)]
    crumbs = [(t("nav.home", lang), href("/", state.as_params()))]
    if region is None:
        crumbs.append((t("nav.provinces", lang), None))
    else:
        country = href(PATH, state.as_params(), indicator=kwargs.get("indicator"))
        crumbs += [(t("nav.provinces", lang), country), (region["name"], None)]
    return html.Div([breadcrumbs(crumbs), *body], className="provinces-page")


def _pick_region(
    value: str | None, geo: str, problems: list[str], lang: str
) -> dict | None:
    """The region asked for ({key, name}), or None (a wrong key: a message)."""
    if not value:
        return None
    provinces = q.provinces(geo).dropna(subset=[REGION_KEY])
    names = dict(zip(provinces[REGION_KEY], provinces[f"region_{lang}"], strict=True))
    if value in names:
        return {"key": value, "name": names[value]}
    known = ", ".join(f"{key} ({name})" for key, name in sorted(names.items()))
    problems.append(t("prov.bad_region", lang, value=value[:40], known=known))
    return None


def _panels(
    state,
    view: dict,
    indicator: dict,
    metric: str,
    frame,
    as_of: str,
    period: str,
    region: dict | None,
):
    """Map, ranked bars and regions of one indicator and period; a region
    narrows the map's colours and the ranking (the region table stays whole)."""
    lang, geo, params = state.lang, state.geo, state.as_params()
    shown = frame if region is None else frame[frame[REGION_KEY] == region["key"]]
    # places among the whole country, if the caller sees it (not a province
    # analyst: its own province alone would be "1st")
    whole = q.whole_country(geo, frame[UNIT_CODE])
    country = frame if whole else frame.iloc[0:0]
    code, direction = indicator["code"], indicator["direction"]
    style = {
        UNIT_VI: indicator[UNIT_VI],
        UNIT_EN: indicator[UNIT_EN],
        "direction": direction,
        "integer": str(indicator.get("integer")).lower() == "true",
    }
    figure = choropleth(
        shown,
        q.provinces_geojson(geo),
        q.archipelago_labels(geo),
        metric,
        lang,
        islands=q.archipelago_geojson(geo),
        outside_text=t("prov.other_region", lang) if region else None,
        focus=q.zoom_box(geo, shown[UNIT_CODE]) if region else None,
        **style,
    )
    graph = dcc.Graph(id=PROVINCES_MAP, figure=figure, config=GRAPH_CONFIG)
    regions = q.region_values(code, period, geo)
    return [
        panel(
            t("prov.map", lang),
            [
                graph,
                tile_meta(map_meta(shown, code, period), lang, params),
                html.P(t("map.attribution", lang), className="map-attribution"),
                download_buttons("province_values", [code, as_of, geo], lang),
            ],
            "provinces-map-panel",
        ),
        panel(
            t("prov.ranking_region", lang, region=region["name"])
            if region
            else t("prov.ranking", lang),
            # the list shows the map's data: the map's download buttons serve both
            [
                rank_bars(
                    shown,
                    metric,
                    lang,
                    params,
                    indicator=code,
                    among=country,
                    **style,
                ),
                html.P(t("prov.hint", lang), className="small text-muted mt-2 mb-0"),
            ],
            "provinces-rank-panel",
        ),
        panel(
            t("prov.regions", lang),
            [
                region_table(
                    regions,
                    frame,
                    indicator,
                    lang,
                    links={
                        key: same_view(PATH, view, region=key)
                        for key in regions[REGION_KEY]
                    },
                    selected=region["key"] if region else None,
                )
                if not regions.empty
                else empty_state(lang, t("prov.no_regions", lang)),
                download_buttons("region_values", [code, period, geo], lang)
                if not regions.empty
                else None,
            ],
            "provinces-region-panel",
        ),
    ]


def _province_choices() -> pd.DataFrame:
    catalog = q.catalog()
    return catalog[catalog["levels"].astype(str).str.contains("province")]


def _body(
    state,
    indicator_arg: str | None,
    metric: str,
    region: dict | None,
    problems: list[str],
) -> list:
    lang, geo = state.lang, state.geo
    choices = _province_choices()
    indicator = _pick_indicator(indicator_arg, choices, problems, lang)
    code = indicator["code"]
    month = q.default_month(state.period)
    # the 63 provinces end at the reform: show their last period before it
    pre_reform = geo == "2020" and month > LAST_PRE_REFORM_MONTH
    as_of = LAST_PRE_REFORM_MONTH if pre_reform else month
    frame = q.province_values(code, as_of, geo)
    known = frame["period"].dropna()
    period = str(known.iloc[0]) if not known.empty else None
    view = {**state.as_params(), "metric": None if metric == "value" else metric}
    view["indicator"] = code if indicator_arg else None
    view["region"] = region["key"] if region else None
    picker = dcc.Dropdown(
        id=PROVINCES_INDICATOR,
        value=code,
        options=indicator_options(choices, lang),
        clearable=False,
        searchable=True,
        search_order="original",  # matches stay under their sector heading
        maxHeight=420,
        labels={
            "search": t("ui.search", lang),
            "no_options_found": t("msg.no_data", lang),
        },
    )
    name = indicator[NAME_EN if lang == "en" else NAME_VI]
    top = [
        page_header(
            t("prov.title", lang),
            f"{code} · {name}" + (f" · {region['name']}" if region else ""),
            period,
            lang,
        ),
        problems_alert(problems, lang),
        controls(PATH, view, geo, metric, lang, picker),
    ]
    if period is None:
        missing = t("prov.no_figures", lang, period=fmt_period(as_of, lang))
        return [*top, empty_state(lang, missing)]
    shown, chosen = fmt_period(period, lang), fmt_period(month, lang)
    notes = (
        [t("prov.pre_reform", lang, period=shown, chosen=chosen)] if pre_reform else []
    )
    if geo == "2025" and q.period_geo(period) == "2020":
        notes.append(t("prov.merged", lang, period=shown))
    panels = _panels(state, view, indicator, metric, frame, as_of, period, region)
    narrowed = []
    if region:
        text = t("prov.region_only", lang, region=region["name"])
        everywhere = same_view(PATH, view, region=None)
        narrowed = [region_note(text, t("prov.all_regions", lang), everywhere)]
    return [
        *top,
        *narrowed,
        *map(note, notes),
        html.Div(panels, className="provinces-grid"),
    ]


@callback(
    Output(ids.URL, "href", allow_duplicate=True),
    Input(PROVINCES_INDICATOR, "value"),
    State(ids.URL, "pathname"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def pick_indicator(code: str | None, pathname: str | None, search: str | None) -> str:
    current = parse_search(search)
    # the picker reports its value when it mounts: the indicator already on
    # show (the default when the URL names none or a wrong one) is no pick,
    # and rewriting the URL would draw the page twice and hide the problem
    shown = _pick_indicator(current.get("indicator"), _province_choices(), [], "vi")
    if not code or code.startswith("_") or code == shown["code"]:
        raise dash.exceptions.PreventUpdate
    return same_view(pathname or PATH, current, indicator=code)


def clicked_province(click: dict | None) -> str | None:
    """The province code of a map click (customdata, else the location)."""
    for point in (click or {}).get("points", []):
        code = point.get("customdata") or point.get("location")
        if isinstance(code, list):
            code = code[0] if code else None
        if isinstance(code, str) and code.isdigit() and len(code) == 2:
            return code
    return None


@callback(
    Output(ids.URL, "href", allow_duplicate=True),
    Input(PROVINCES_MAP, "clickData"),
    State(ids.URL, "search"),
    State(PROVINCES_INDICATOR, "value"),
    prevent_initial_call=True,
)
def drill_from_map(
    click: dict | None, search: str | None, indicator: str | None
) -> str:
    """The province's page, with the shared state and the indicator on show."""
    code = clicked_province(click)
    if code is None:
        raise dash.exceptions.PreventUpdate
    return href(f"/province/{code}", parse_search(search), indicator=indicator)
