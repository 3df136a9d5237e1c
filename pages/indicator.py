"""/indicator/<code>: one indicator for one unit, over time and across provinces,
with the files behind the figure and its revisions.

URL: /indicator/NS.01?unit=00&at=2026-10&period=2026-10&geo=2025&lang=vi
  unit  00 (nation, default), a province or a commune code
  at    the figure's own period whose provenance and revisions are shown;
        default the latest period at the indicator's frequency ending by period
Other pages link to #provenance (the sources of a figure).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from components import ids
from components.breakdown import (
    breakdown_period,
    period_note,
    province_figure,
    province_table,
    region_table,
)
from components.download import download_buttons
from components.fmt import fmt_period
from components.indicator_chart import indicator_chart
from components.indicator_header import indicator_facts, indicator_header, name, text
from components.indicator_headline import headline, panel, pickers
from components.page_title import titled
from components.provenance_table import (
    provenance_note,
    provenance_table,
    revisions_table,
)
from components.states import empty_state, not_found, problems_alert
from core.i18n import register, t
from core.params import read_state
from core.urls import href, parse_search, same_view
from data import queries as q
from data.schema import INDICATOR_CODE, UNIT_CODE
from pages._snapshot import or_no_snapshot

dash.register_page(
    __name__,
    path_template="/indicator/<code>",
    title=titled("{code} · Chỉ tiêu", "{code} · Indicator"),
    name="Chỉ tiêu",
    nav=False,
)

UNIT_PICKER = "indicator-unit-picker"
AT_PICKER = "indicator-at-picker"
TREND_GRAPH = "indicator-trend-graph"
PROVINCE_BARS = "indicator-province-bars"
PROVINCE_TABLE = "indicator-province-table"
REGION_TABLE = "indicator-region-table"
PROVENANCE = "provenance"  # other pages link to /indicator/<code>?...#provenance
REVISIONS = "revisions"
SCROLL_HOOK = "indicator-scroll-hook"
VIEW_STORE = "indicator-view"  # the unit and period the layout rendered
NATIONAL = "00"
GRAPH_CONFIG = {"displaylogo": False}

register(
    {
        "ind.series": {"vi": "Diễn biến theo thời gian", "en": "Over time"},
        "ind.provenance_of": {
            "vi": "Nguồn gốc số liệu: {unit}, {period}",
            "en": "Provenance: {unit}, {period}",
        },
        "ind.revisions_of": {
            "vi": "Lịch sử điều chỉnh: {unit}, {period}",
            "en": "Revision history: {unit}, {period}",
        },
        "ind.bad_unit": {
            "vi": "unit={value}: không có đơn vị này, đang hiển thị toàn quốc",
            "en": "unit={value}: no such unit, showing the nation",
        },
        "ind.not_in_geo": {
            "vi": "Tỉnh {value} không thuộc {geo}; thử geo={other}",
            "en": "Province {value} is not one of {geo}; try geo={other}",
        },
        "ind.bad_at": {
            "vi": "at={value}: cần một kỳ {frequency} như {example}",
            "en": "at={value}: expected a {frequency} period like {example}",
        },
        "ind.geo.2025": {"vi": "34 tỉnh, thành phố", "en": "the 34 provinces"},
        "ind.geo.2020": {"vi": "63 tỉnh, thành phố", "en": "the 63 provinces"},
    }
)
EXAMPLES = {"month": "2026-03", "quarter": "2026-Q1", "year": "2025"}


def period_type(period: str) -> str:
    return "year" if len(period) == 4 else ("quarter" if "Q" in period else "month")


def read_unit(value: str | None, geo: str, lang: str, problems: list[str]):
    """The unit code and its m_units row in `geo`; bad codes fall back to 00."""
    if value in (None, "", NATIONAL):
        return NATIONAL, None
    try:
        unit = q.check_unit(value)
        versions = q.unit_versions(unit)
    except q.BadParameter:
        versions = None
    if versions is None or versions.empty:
        problems.append(t("ind.bad_unit", lang, value=value))
        return NATIONAL, None
    if len(unit) == 2 and geo not in set(versions["geo"]):
        other = "2020" if geo == "2025" else "2025"
        problems.append(
            t(
                "ind.not_in_geo",
                lang,
                value=unit,
                other=other,
                geo=t(f"ind.geo.{geo}", lang),
            )
        )
    same_geo = versions[versions["geo"].isin([geo, "all"])]
    return unit, (same_geo if not same_geo.empty else versions).iloc[0].to_dict()


def read_at(value: str | None, frequency: str, lang: str, problems: list[str]):
    """The figure's period from the URL, if it is one at the indicator's frequency."""
    if not value:
        return None
    try:
        at = q.check_period(value, "at")
    except q.BadParameter:
        at = None
    if at is None or period_type(at) != frequency:
        problems.append(
            t(
                "ind.bad_at",
                lang,
                value=value,
                frequency=t(f"ind.freq.{frequency}", lang).lower(),
                example=EXAMPLES.get(frequency, "2026-03"),
            )
        )
        return None
    return at


def layout(code: str | None = None, **kwargs: str) -> html.Div:
    state = read_state(kwargs)
    return or_no_snapshot(lambda: _view(code, kwargs, state), state.lang)


def _view(code: str | None, kwargs: dict, state) -> html.Div:
    lang, geo, params = state.lang, state.geo, state.as_params()
    try:
        row = q.indicator(code or "")
    except q.BadParameter:
        row = None
    if row is None:
        q.refuse_out_of_reach("indicator", str(code or "").strip().upper())
        return not_found(
            lang, t("msg.unknown_code", lang, code=code or ""), home=href("/", params)
        )
    problems = list(state.problems)
    unit, version = read_unit(kwargs.get("unit"), geo, lang, problems)
    unit_name = name(version, lang) if version else t("col.national", lang)
    month = q.default_month(state.period)
    at = read_at(kwargs.get("at"), row["frequency"], lang, problems)
    if at is None:  # the latest figure at the indicator's frequency by `month`
        latest = q.unit_progress(unit, month, geo)
        match = latest[latest[INDICATOR_CODE] == row["code"]]["period"].dropna()
        at = str(match.iloc[0]) if len(match) else None
    progress = q.progress_in_geo(row["code"], unit, at, geo) if at else None
    series = q.unit_series(row["code"], unit, geo)
    parts = {
        c: name(r, lang)
        for c, r in q.catalog().set_index("code").iterrows()
        if c in (text(row.get("numerator")), text(row.get("denominator")))
    }
    units = [{"label": t("col.national", lang), "value": NATIONAL}] + [
        {"label": f"{name(p, lang)} ({p['unit_code']})", "value": p[UNIT_CODE]}
        for p in q.provinces(geo).to_dict("records")
    ]
    if version and unit not in {o["value"] for o in units}:  # a commune
        units.append({"label": f"{name(version, lang)} ({unit})", "value": unit})
    periods = [str(p) for p in series["period"]][::-1]
    figure = html.Div(
        [
            pickers(units, unit, periods, at, lang, UNIT_PICKER, AT_PICKER),
            headline(progress, row, unit_name, lang, params, unit),
        ],
        className="panel h-100",
    )
    chart = panel(
        f"{t('ind.series', lang)}: {unit_name}",
        [
            dcc.Graph(
                id=TREND_GRAPH,
                config=GRAPH_CONFIG,
                figure=indicator_chart(
                    series, q.unit_targets(row["code"], unit, geo), row, lang, at
                ),
            )
        ],
        download_buttons("unit_series", [row["code"], unit, geo], lang),
    )
    return html.Div(
        [
            problems_alert(problems, lang),
            indicator_header(row, lang, params),
            dbc.Row(
                [
                    dbc.Col(indicator_facts(row, lang, params, parts), lg=4),
                    dbc.Col(figure, lg=8),
                ],
                className="g-3 mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(chart, lg=8),
                    dbc.Col(_regions(row, at or month, geo, lang), lg=4),
                ],
                className="g-3 mb-3",
            ),
            _provinces(row, at or month, geo, unit, lang, params),
            _sources(row, unit, unit_name, at, geo, progress, lang),
            html.Div(id=SCROLL_HOOK, hidden=True),
            dcc.Store(id=VIEW_STORE, data={"unit": unit, "at": at}),
        ],
        className="indicator-page",
        **{"data-indicator": row["code"], "data-unit": unit, "data-at": at or ""},
    )


def _regions(row: dict, as_of: str, geo: str, lang: str) -> html.Div:
    period = breakdown_period(q.province_values(row["code"], as_of, geo))
    regions = q.region_values(row["code"], period, geo) if period else None
    return panel(
        t("brk.regions", lang),
        [
            html.P(period_note(period, lang), className="small text-muted"),
            html.Div(region_table(regions, row, lang), id=REGION_TABLE),
        ],
        download_buttons("region_values", [row["code"], period or as_of, geo], lang),
    )


def _provinces(
    row: dict, as_of: str, geo: str, unit: str, lang: str, params: dict
) -> html.Div | None:
    if "province" not in text(row.get("levels")).split(";"):
        return None
    frame = q.province_values(row["code"], as_of, geo)
    period = breakdown_period(frame)
    body = (
        [empty_state(lang)]
        if period is None
        else [
            html.P(
                [period_note(period, lang), " · ", t("brk.click_hint", lang)],
                className="small text-muted",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Graph(
                            id=PROVINCE_BARS,
                            config=GRAPH_CONFIG,
                            figure=province_figure(frame, row, lang, unit),
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        html.Div(
                            province_table(frame, row, lang, params, unit),
                            id=PROVINCE_TABLE,
                            className="breakdown-scroll",
                        ),
                        lg=5,
                    ),
                ],
                className="g-3",
            ),
        ]
    )
    return html.Div(
        panel(
            t("brk.provinces", lang),
            body,
            download_buttons("province_values", [row["code"], as_of, geo], lang),
        ),
        className="mb-3",
    )


def _sources(
    row: dict,
    unit: str,
    unit_name: str,
    at: str | None,
    geo: str,
    progress: dict | None,
    lang: str,
) -> html.Div:
    if at is None:
        return html.Section([empty_state(lang)], id=PROVENANCE)
    label = {"unit": unit_name, "period": fmt_period(at, lang)}
    provenance = provenance_table(
        q.provenance(row["code"], unit, at, geo),
        row,
        lang,
        provenance_note(progress, row, unit, lang),
    )
    revisions = revisions_table(q.revisions(row["code"], unit, at), row, lang)
    return html.Div(
        [
            html.Section(
                panel(
                    t("ind.provenance_of", lang, **label),
                    [provenance],
                    download_buttons("provenance", [row["code"], unit, at, geo], lang),
                ),
                id=PROVENANCE,
                className="mb-3",
            ),
            html.Section(
                panel(
                    t("ind.revisions_of", lang, **label),
                    [revisions],
                    download_buttons("revisions", [row["code"], unit, at], lang),
                ),
                id=REVISIONS,
                className="mb-3",
            ),
        ]
    )


def changed_url(
    pathname: str | None,
    search: str | None,
    key: str,
    value: str | None,
    shown: str | None,
) -> str:
    """The same view with one query value changed. A dropdown reports its value
    when it mounts too: the value the layout rendered is no change."""
    if not value or value == shown:
        raise dash.exceptions.PreventUpdate
    return same_view(pathname or "/", parse_search(search), **{key: value})


@callback(
    Output(ids.URL, "href", allow_duplicate=True),
    Input(UNIT_PICKER, "value"),
    State(VIEW_STORE, "data"),
    State(ids.URL, "pathname"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def pick_unit(
    unit: str | None, view: dict | None, pathname: str | None, search: str | None
) -> str:
    return changed_url(pathname, search, "unit", unit, (view or {}).get("unit"))


@callback(
    Output(ids.URL, "href", allow_duplicate=True),
    Input(AT_PICKER, "value"),
    State(VIEW_STORE, "data"),
    State(ids.URL, "pathname"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def pick_at(
    at: str | None, view: dict | None, pathname: str | None, search: str | None
) -> str:
    return changed_url(pathname, search, "at", at, (view or {}).get("at"))


def clicked_province(click: dict | None) -> str | None:
    """The province code of a clicked bar (its customdata)."""
    points = (click or {}).get("points") or []
    code = points[0].get("customdata") if points else None
    return code if isinstance(code, str) and len(code) == 2 else None


@callback(
    Output(ids.URL, "href", allow_duplicate=True),
    Input(PROVINCE_BARS, "clickData"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def drill_to_province(click: dict | None, search: str | None) -> str:
    code = clicked_province(click)
    if code is None:
        raise dash.exceptions.PreventUpdate
    return href(f"/province/{code}", parse_search(search))


# A link to .../indicator/<code>#provenance renders the page after the browser
# looked for the anchor, and a navigation that follows may drop the hash from
# the address bar (assets/indicator.js remembers it): scroll once it exists.
clientside_callback(
    """function (_children) {
        const pending = window.ccPendingHash;
        const recent = pending && Date.now() - pending.at < 15000 ? pending.hash : "";
        const id = (window.location.hash || recent || "").slice(1);
        const el = id && document.getElementById(id);
        if (el) { setTimeout(() => el.scrollIntoView({block: "start"}), 300); }
        return window.dash_clientside.no_update;
    }""",
    Output(SCROLL_HOOK, "title"),
    Input(SCROLL_HOOK, "children"),
)
