"""/sector/<code> : one sector's indicators for the nation or a province.

URL: ?unit=<province code> (default the nation), ?owner=<agency code>,
?status=<on_track|at_risk|off_track|no_target|no_data>, plus lang, period, geo.
The unit picker rewrites the URL; owner and status filters are links.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from components import ids
from components.breadcrumbs import breadcrumbs
from components.download import download_buttons
from components.fmt import fmt_number, fmt_period
from components.indicator_table import indicator_table, table_rows
from components.page_title import titled
from components.sector_card import (
    headline,
    owner_filter,
    status_bar,
    status_figure,
    status_filter,
)
from components.states import empty_state, not_found, problems_alert
from components.status import STATUSES
from core.i18n import register, t
from core.params import read_state
from core.urls import href, parse_search, same_view
from data import queries as q
from data.schema import NAME_EN, NAME_VI, OWNER_EN, OWNER_VI, UNIT_CODE
from pages._snapshot import no_snapshot

dash.register_page(
    __name__,
    path_template="/sector/<code>",
    name="Ngành, lĩnh vực",
    title=titled("Ngành, lĩnh vực", "Sector"),
)

SECTOR_UNIT_PICKER = "sector-unit-picker"
SECTOR_OWNER_FILTER = "sector-owner-filter"
SECTOR_STATUS_FILTER = "sector-status-filter"
SECTOR_STATUS_GRAPH = "sector-status-graph"
SECTOR_TABLE = "sector-table"
SECTOR_SUBTITLE = "sector-subtitle"
NATION = "00"

register(
    {
        "sector.unit": {"vi": "Địa bàn", "en": "Area"},
        "sector.chart_title": {
            "vi": "Số chỉ tiêu theo tình trạng",
            "en": "Indicators by status",
        },
        "sector.table_title": {"vi": "Chỉ tiêu ({n})", "en": "Indicators ({n})"},
        "sector.unknown": {
            "vi": "Không có ngành, lĩnh vực “{code}”.",
            "en": "There is no sector “{code}”.",
        },
        "sector.bad_unit": {
            "vi": "unit={value!r}: cần 00 hoặc mã một tỉnh, thành phố",
            "en": "unit={value!r}: expected 00 or a province code",
        },
        "sector.bad_owner": {
            "vi": "owner={value!r}: không chủ trì chỉ tiêu nào của ngành này",
            "en": "owner={value!r}: owns no indicator of this sector",
        },
        "sector.bad_status": {
            "vi": "status={value!r}: không phải một tình trạng",
            "en": "status={value!r}: not a status",
        },
    }
)


def _name(item: dict, lang: str) -> str:
    return item.get(NAME_EN if lang == "en" else NAME_VI) or item.get("code", "")


def unit_options(provinces: pd.DataFrame, lang: str) -> list[dict]:
    names = provinces[NAME_EN if lang == "en" else NAME_VI]
    return [{"label": t("col.national", lang), "value": NATION}] + [
        {"label": name, "value": code}
        for code, name in zip(provinces[UNIT_CODE], names, strict=True)
    ]


def check_filters(
    unit: str | None,
    owner: str | None,
    status: str | None,
    unit_codes: set[str],
    owner_codes: set[str],
    lang: str,
) -> tuple[str, str | None, str | None, list[str]]:
    """The filters to apply; a bad value is reported and dropped."""
    problems = []
    if unit and unit != NATION and unit not in unit_codes:
        problems.append(t("sector.bad_unit", lang, value=unit))
        unit = None
    if owner and owner not in owner_codes:
        problems.append(t("sector.bad_owner", lang, value=owner))
        owner = None
    if status and status not in STATUSES:
        problems.append(t("sector.bad_status", lang, value=status))
        status = None
    return unit or NATION, owner or None, status or None, problems


def _counts(rows: list[dict]) -> dict[str, int]:
    return {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}


def _owners(rows: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for r in rows:
        seen.setdefault(
            r["owner"],
            {
                "code": r["owner"],
                NAME_VI: r.get(OWNER_VI),
                NAME_EN: r.get(OWNER_EN),
            },
        )
    return list(seen.values())


def _header(sector: dict, unit_name: str, month: str, picker, lang: str) -> html.Div:
    return html.Div(
        [
            html.Div(
                [
                    html.H1(_name(sector, lang)),
                    html.Div(
                        f"{unit_name} · {fmt_period(month, lang)}",
                        className="text-muted small",
                        id=SECTOR_SUBTITLE,
                    ),
                ]
            ),
            html.Div(
                [
                    html.Span(t("sector.unit", lang), className="sector-picker-label"),
                    picker,
                ],
                className="d-flex align-items-center gap-2 no-print",
            ),
        ],
        className="page-header",
    )


def _top(rows, by_owner, counts, owner, status, path, view, lang) -> html.Div:
    """Summary and filters on the left, the status chart on the right."""
    summary = {
        "n_indicators": len(by_owner),
        "n_current": sum(1 for r in by_owner if r["current"]),
    }
    return html.Div(
        [
            html.Div(
                [
                    html.Div(headline(summary, lang), className="sector-headline"),
                    status_bar(counts, lang),
                    owner_filter(
                        _owners(rows),
                        rows,
                        owner,
                        path,
                        view,
                        lang,
                        SECTOR_OWNER_FILTER,
                    ),
                    status_filter(
                        counts, status, path, view, lang, SECTOR_STATUS_FILTER
                    ),
                ],
                className="panel sector-filters",
            ),
            html.Div(
                [
                    html.H2(t("sector.chart_title", lang), className="panel-title"),
                    dcc.Graph(
                        id=SECTOR_STATUS_GRAPH,
                        figure=status_figure(counts, lang),
                        config={"displaylogo": False, "displayModeBar": False},
                        className="sector-status-graph",
                    ),
                ],
                className="panel sector-chart",
            ),
        ],
        className="sector-top",
    )


def _table_panel(shown, code, unit, month, view, state) -> html.Div:
    lang = state.lang
    title = t("sector.table_title", lang, n=fmt_number(len(shown), lang))
    return html.Div(
        [
            html.Div(
                [
                    html.H2(title, className="panel-title mb-0"),
                    # one set of buttons for the table and the chart: same data
                    download_buttons(
                        "sector_progress", [code, unit, month, state.geo], lang
                    ),
                ],
                className="d-flex flex-wrap justify-content-between "
                "align-items-center gap-2 mb-2",
            ),
            indicator_table(shown, lang, view, unit) if shown else empty_state(lang),
        ],
        className="panel",
        id=SECTOR_TABLE,
    )


def layout(
    code: str | None = None,
    unit: str | None = None,
    owner: str | None = None,
    status: str | None = None,
    **kwargs: str,
) -> html.Div:
    state = read_state(kwargs)
    lang, params = state.lang, state.as_params()
    home = (t("nav.home", lang), href("/", params))
    sectors_crumb = (t("nav.sectors", lang), href("/sectors", params))
    try:
        sectors = q.sectors()
        match = sectors[sectors["code"] == code]
        if match.empty:
            q.refuse_out_of_reach("sector", str(code))
            what = t("sector.unknown", lang, code=code)
            return html.Div(
                [
                    breadcrumbs([home, sectors_crumb, (str(code), None)]),
                    not_found(lang, what, href("/sectors", params)),
                ]
            )
        sector = match.iloc[0].to_dict()
        provinces, catalog = q.provinces(state.geo), q.catalog()
        month = q.default_month(state.period)
        owner_codes = set(catalog.loc[catalog["sector"] == code, "owner"])
        unit, owner, status, problems = check_filters(
            unit, owner, status, set(provinces[UNIT_CODE]), owner_codes, lang
        )
        progress = q.sector_progress(code, unit, month, state.geo)
    except q.NoSnapshot:
        return html.Div([breadcrumbs([home, sectors_crumb]), no_snapshot(lang)])
    rows = table_rows(progress, catalog, month, lang)
    view = {
        **params,
        "unit": None if unit == NATION else unit,
        "owner": owner,
        "status": status,
    }
    by_owner = [r for r in rows if owner is None or r["owner"] == owner]
    shown = [r for r in by_owner if status is None or r["status"] == status]
    counts = _counts(by_owner)
    if unit == NATION:
        unit_name = t("col.national", lang)
    else:
        unit_name = _name(
            provinces[provinces[UNIT_CODE] == unit].iloc[0].to_dict(), lang
        )
    picker = dcc.Dropdown(
        id=SECTOR_UNIT_PICKER,
        options=unit_options(provinces, lang),
        value=unit,
        clearable=False,
        searchable=True,
        className="sector-unit-picker",
    )
    path = f"/sector/{code}"
    return html.Div(
        [
            breadcrumbs([home, sectors_crumb, (_name(sector, lang), None)]),
            _header(sector, unit_name, month, picker, lang),
            problems_alert(problems + state.problems, lang),
            _top(rows, by_owner, counts, owner, status, path, view, lang),
            _table_panel(shown, code, unit, month, view, state),
        ],
        className="sector-page",
        **{"data-sector": code, "data-unit": unit},
    )


@callback(
    Output(ids.URL, "href", allow_duplicate=True),
    Input(SECTOR_UNIT_PICKER, "value"),
    State(SECTOR_UNIT_PICKER, "options"),
    State(ids.URL, "pathname"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def pick_unit(
    unit: str | None,
    options: list[dict] | None,
    pathname: str | None,
    search: str | None,
) -> str:
    """The unit picker writes the unit into the URL; the layout re-renders from it.

    It also reports the unit it shows when it mounts: the nation when the URL
    names none or a wrong one (whose message must stay), which is no choice.
    The provinces the URL may name are the picker's options, as the layout
    found them in the snapshot (unit_options)."""
    current = parse_search(search)
    wanted = None if unit in (None, "", NATION) else unit
    shown = current.get("unit")
    known = {option["value"] for option in options or ()} - {NATION}
    shown = shown if shown in known else None
    if shown == wanted or not (pathname or "").startswith("/sector/"):
        raise dash.exceptions.PreventUpdate
    return same_view(pathname, current, unit=wanted)
