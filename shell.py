"""The chrome around every page: URL, navbar, footer, and their callbacks."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from auth.ui import ACCOUNT_BAR
from components import ids
from components.shell import freshness_footer, navbar
from core.context import current_scope
from core.params import read_state
from core.roles import menu
from core.urls import parse_search, same_view
from data import queries as q

KIOSK_PATHS = ("/wall", "/present")  # no navbar, no footer


def layout() -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Download(id=ids.DOWNLOAD),
            html.Div(id=ACCOUNT_BAR),  # who is signed in, sign out (auth/ui.py)
            html.Div(id=ids.NAVBAR),
            html.Main(dash.page_container, className="container-fluid px-4"),
            html.Div(id=ids.FOOTER),
        ]
    )


@callback(
    Output(ids.NAVBAR, "children"),
    Output(ids.FOOTER, "children"),
    Input(ids.URL, "pathname"),
    Input(ids.URL, "search"),
)
def render_chrome(pathname: str | None, search: str | None) -> tuple:
    if (pathname or "").rstrip("/") in KIOSK_PATHS:
        return None, None  # the wall and its presenter draw their own frame
    search_params = parse_search(search)
    state = read_state(search_params)
    try:
        months, meta = q.months(), q.snapshot_meta()
    except q.NoSnapshot:
        months, meta = [], None
    params, can = state.as_params(), current_scope().capabilities
    return (
        navbar(pathname or "/", params, months, search_params, menu(can)),
        freshness_footer(meta, state.lang),
    )


@callback(
    Output(ids.URL, "href", allow_duplicate=True),
    Input(ids.PERIOD_PICKER, "value"),
    State(ids.URL, "pathname"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def pick_period(month: str | None, pathname: str | None, search: str | None) -> str:
    current = parse_search(search)
    # Dash 4's dropdown reports its value when it mounts: only a value that
    # differs from the one the navbar rendered is the user's choice (a wrong
    # period= rendered the latest month, and its message must stay)
    try:
        valid = read_state(current).as_params().get("period")
        rendered = valid or next(iter(q.months()), None)
    except q.NoSnapshot:
        rendered = None
    if not month or month == rendered:
        raise dash.exceptions.PreventUpdate
    return same_view(pathname or "/", current, period=month)
