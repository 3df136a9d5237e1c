"""/present : the presenter's control of the video walls, on a tablet or laptop.

Without `?session=`: start a session (or pick a recent one) and see every
screen. With `?session=<id>`: choose what every wall following that session
shows (view, province, indicator, metric, sector, period; each choice is sent
at once), send the walls back to their own rotation, and freeze the data for
the meeting (the snapshot on screen is pinned so a refresh during the meeting
changes nothing on the walls) or release it. The screens table says, from each
wall's heartbeat, what it shows and when it was last heard from.

The session lives in the shared state file (wall.state), so any app process
answers the walls' polls the same way. URL: session, lang.
"""

from __future__ import annotations

import time

import dash
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate
from flask import has_request_context, request

from components import ids
from components.fmt import fmt_local_datetime
from components.page_title import titled
from components.present_controls import (
    ControlIds,
    choices_from,
    controls,
    freeze_label,
    landing,
)
from components.present_parts import (
    screens_table,
    session_summary,
    wall_link,
)
from components.states import not_found
from core.i18n import t
from core.params import read_state
from core.roles import PRESENT
from core.urls import href, same_view
from data import queries as q
from pages._snapshot import no_snapshot
from wall.playlist import DEFAULT_INDICATOR, METRICS
from wall.state import check_session_id, wall_state

dash.register_page(
    __name__,
    path="/present",
    title=titled("Điều khiển màn hình lớn", "Wall control"),
    order=91,
)

SESSION = "present-session"
CREATE = "present-create"
VIEW = "present-view"
PROVINCE = "present-province"
INDICATOR = "present-indicator"
METRIC = "present-metric"
SECTOR = "present-sector"
PERIOD = "present-period"
FREEZE = "present-freeze"
ROTATE = "present-rotate"
FEEDBACK = "present-feedback"
SUMMARY = "present-summary"
SCREENS = "present-screens"
REFRESH = "present-refresh"
LANG = "present-lang"

IDS = ControlIds(
    create=CREATE,
    view=VIEW,
    province=PROVINCE,
    indicator=INDICATOR,
    metric=METRIC,
    sector=SECTOR,
    period=PERIOD,
    rotate=ROTATE,
    freeze=FREEZE,
    feedback=FEEDBACK,
)


def _choices(lang: str) -> dict:
    return choices_from(
        q.provinces("2025"),
        q.sectors(),
        q.catalog(),
        q.months(),
        lang,
        METRICS,
        DEFAULT_INDICATOR,
    )


def _origin() -> str:
    return request.host_url if has_request_context() else ""


WHAT = "the presenter view"


def _ways_out(kwargs: dict, lang: str) -> html.Nav:
    """The console has no navbar (it runs beside the wall): home and the other
    language, at the head's right."""
    other = "en" if lang == "vi" else "vi"
    return html.Nav(
        [
            html.A(
                [html.I(className="bi bi-house me-1"), t("nav.home", lang)],
                href=href("/", {"lang": lang}),
                className="present-home",
            ),
            html.A(
                [
                    html.I(className="bi bi-translate me-1"),
                    "English" if other == "en" else "Tiếng Việt",
                ],
                href=same_view("/present", kwargs, lang=other),
                className="present-lang",
            ),
        ],
        className="present-ways ms-auto d-flex gap-3",
    )


def layout(**kwargs: str) -> html.Div:
    q.require(PRESENT, WHAT)  # 'not permitted' for the other roles (auth.pages)
    state = read_state(kwargs)
    lang = state.lang
    raw = kwargs.get("session")
    sid = check_session_id(raw)
    session = wall_state().session(sid) if sid else None
    header = html.Div(
        [
            html.H1(
                [html.I(className="bi bi-easel me-2"), t("present.title", lang)],
                className="h3 mb-0",
            ),
            html.Span(
                t("present.session", lang, session=sid), className="present-badge"
            )
            if session
            else None,
            _ways_out(kwargs, lang),
        ],
        className="present-head",
    )
    if raw and session is None:
        body = html.Div(
            [
                not_found(
                    lang,
                    t("present.unknown", lang, session=raw),
                    href("/present", {"lang": lang}),
                ),
                landing(lang, wall_state().sessions(limit=8), IDS),
            ]
        )
    elif session is None:
        body = landing(lang, wall_state().sessions(limit=8), IDS)
    else:
        try:
            body = html.Div(
                [
                    wall_link(
                        href("/wall", {"lang": lang}, session=sid), _origin(), lang
                    ),
                    controls(session, lang, _choices(lang), IDS),
                ]
            )
        except q.NoSnapshot:
            body = no_snapshot(lang)
    return html.Div(
        [
            dcc.Store(id=SESSION, data=sid),
            dcc.Store(id=LANG, data=lang),
            dcc.Interval(id=REFRESH, interval=2000),
            header,
            html.Div(id=SUMMARY),
            body,
            html.H2(t("present.screens", lang), className="h5 mt-4"),
            html.Div(id=SCREENS),
        ],
        className="present-root",
    )


@callback(
    Output(ids.URL, "href", allow_duplicate=True),
    Input(CREATE, "n_clicks"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def create_session(clicks: int | None, lang: str) -> str:
    q.require(PRESENT, WHAT)  # a crafted callback request too: 403
    if not clicks:
        raise PreventUpdate
    session = wall_state().create_session()
    return href("/present", {"lang": lang}, session=session.id)


def command_params(
    view: str,
    province: str | None,
    indicator: str | None,
    metric: str | None,
    sector: str | None,
    period: str | None,
) -> dict[str, str] | None:
    """What a view needs from the pickers (None: the view cannot be shown yet)."""
    params: dict[str, str] = {"period": period} if period else {}
    if view == "province":
        if not province:
            return None
        params["province"] = province
    elif view == "map":
        params.update(
            indicator=indicator or DEFAULT_INDICATOR,
            metric=metric if metric in METRICS else METRICS[0],
        )
        if province:
            params["province"] = province  # the spotlight
    elif view == "sector" and sector:
        params["sector"] = sector
    return params


def _sent(lang: str, what: str) -> html.Span:
    stamp = fmt_local_datetime(time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), lang)
    return html.Span(
        [
            html.I(className="bi bi-send-check me-2"),
            t("present.sent", lang, time=stamp) + f" · {what}",
        ]
    )


@callback(
    Output(FEEDBACK, "children"),
    Input(VIEW, "value"),
    Input(PROVINCE, "value"),
    Input(INDICATOR, "value"),
    Input(METRIC, "value"),
    Input(SECTOR, "value"),
    Input(PERIOD, "value"),
    State(SESSION, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def send_view(
    view: str,
    province: str | None,
    indicator: str | None,
    metric: str | None,
    sector: str | None,
    period: str | None,
    sid: str,
    lang: str,
) -> html.Span:
    """Every choice goes to the walls at once: the presenter is speaking live."""
    q.require(PRESENT, WHAT)  # a crafted callback request too: 403
    params = command_params(view, province, indicator, metric, sector, period)
    if params is None:
        return html.Span(
            t("present.pick_province", lang), className="text-warning-emphasis"
        )
    wall_state().hold(sid, view, params)
    return _sent(lang, t(f"present.view.{view}", lang))


@callback(
    Output(FEEDBACK, "children", allow_duplicate=True),
    Input(ROTATE, "n_clicks"),
    State(SESSION, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def back_to_rotation(clicks: int | None, sid: str, lang: str) -> html.Span:
    q.require(PRESENT, WHAT)  # a crafted callback request too: 403
    if not clicks:
        raise PreventUpdate
    wall_state().rotate(sid)
    return _sent(lang, t("present.rotating", lang))


@callback(
    Output(FREEZE, "children"),
    Output(FREEZE, "color"),
    Output(FEEDBACK, "children", allow_duplicate=True),
    Input(FREEZE, "n_clicks"),
    State(SESSION, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def toggle_freeze(clicks: int | None, sid: str, lang: str) -> tuple:
    """Freeze: pin the published snapshot (the ETL's prune keeps it) and make it
    the session's; release: unpin, and the walls pick up the current data."""
    q.require(PRESENT, WHAT)  # a crafted callback request too: 403
    store = wall_state()
    session = store.session(sid)
    if not clicks or session is None:
        raise PreventUpdate
    if session.frozen_snapshot:
        q.release_snapshot(session.frozen_snapshot, session.id)
        session, done = store.release(sid), "present.released"
    else:
        frozen = q.freeze_snapshot(session.id)
        if frozen is None:
            raise PreventUpdate
        session, done = store.freeze(sid, frozen), "present.froze"
    color = "info" if session.frozen_snapshot else "outline-info"
    return freeze_label(session, lang), color, _sent(lang, t(done, lang))


@callback(
    Output(SCREENS, "children"),
    Output(SUMMARY, "children"),
    Input(REFRESH, "n_intervals"),
    State(SESSION, "data"),
    State(LANG, "data"),
)
def refresh(_n: int | None, sid: str | None, lang: str) -> tuple:
    """Every 2 s: the screens' heartbeats and the session's state."""
    q.require(PRESENT, WHAT)  # a crafted callback request too: 403
    store = wall_state()
    screens = screens_table(store.screens(within_seconds=600), sid, lang)
    session = store.session(sid) if sid else None
    if session is None:
        return screens, None
    current = q.current_snapshot()
    following = [s for s in store.screens(60) if s.session_id == sid]
    label = following[0].showing if following else None
    summary = session_summary(
        session, current.snapshot_id if current else None, lang, label
    )
    return screens, summary
