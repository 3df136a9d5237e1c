"""/wall : the video wall of the operations center and of live conferences.

A kiosk view: no navbar, dark, large type, exactly one screen. The browser
(assets/wall.js) runs the playlist of wall.yaml (`?playlist=`, `?dwell=`),
the clock, the keyboard, and a poll of /api/v1/wall/state that is at once the
screen's heartbeat, the presenter channel (`?session=`) and the new-snapshot
check. Each slide is rendered here from a cue into the hidden one of two
layers; the browser fades it in once it has arrived, so the screen never goes
blank, and a failed request leaves the last good slide on screen.

URL: lang, period (a month; default the latest), geo, playlist, dwell
(seconds, every item), session (a presenter session id), screen (a name for
this display; default a generated one kept in the browser).
"""

from __future__ import annotations

import logging

import dash
from dash import Input, Output, callback, clientside_callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from components import ids
from components.page_title import titled
from components.wall_chrome import (
    freshness_stamp,
    message_slide,
    problems_line,
    splash,
    wall_header,
)
from core.i18n import t
from core.params import read_state
from core.roles import VALUES
from data import queries as q
from data.schema import NAME_EN, NAME_VI, UNIT_CODE
from wall.playlist import DEFAULT_INDICATOR, PlaylistError, choose, load_config
from wall.render import frozen_or_current, frozen_snapshot, render
from wall.state import check_screen_id, check_session_id
from wall.text import fold

dash.register_page(
    __name__, path="/wall", title=titled("Màn hình lớn", "Video wall"), order=90
)

ROOT = "wall-root"
CONFIG = "wall-config"
CUE = "wall-cue"
RENDERED = "wall-rendered"
BOOT = "wall-boot"
TICK = "wall-tick"
LAYERS = ("wall-layer-0", "wall-layer-1")
CLOCK = "wall-clock"
DATE = "wall-date"
STALE = "wall-stale"
POSITION = "wall-position"
OFFLINE = "wall-offline"
SCREEN = "wall-screen"
SEARCH = "wall-search"
SEARCH_TYPED = "wall-search-typed"
SEARCH_MATCH = "wall-search-match"
PROGRESS = "wall-progress"
API = "/api/v1/wall/state"
JS_TEXT = (
    "wall.paused",
    "wall.held",
    "wall.presenter",
    "wall.offline",
    "wall.screen",
    "wall.session",
    "wall.unknown_session",
    "wall.search_none",
)

log = logging.getLogger(__name__)


def _config(
    args: dict, lang: str, geo: str, period: str | None
) -> tuple[dict, list, str | None]:
    """The browser's configuration, the URL's problems, a wall.yaml error."""
    problems: list[str] = []
    error, name, items, wall_config = None, "", [], None
    try:
        wall_config = load_config()
        name, items, problems = choose(wall_config, args)
    except PlaylistError as exc:
        error = str(exc)
    session = args.get("session")
    if session and not check_session_id(session):
        problems.append(f"session={session!r}: expected a 6-character session id")
    screen = args.get("screen")
    if screen and not check_screen_id(screen):
        problems.append(f"screen={screen!r}: letters, digits, '.', '_' or '-' only")
    try:
        frame = q.provinces(geo)
        key = NAME_EN if lang == "en" else NAME_VI
        provinces = [
            {"code": r[UNIT_CODE], "name": r[key], "key": fold(r[key])}
            for r in frame.to_dict("records")
        ]
    except q.NoSnapshot:
        provinces = []
    stale_hours = wall_config.stale_after_hours if wall_config else 36.0
    config = {
        "lang": lang,
        "geo": geo,
        "period": period,
        "session": check_session_id(session),
        "screen": check_screen_id(screen),
        "playlist": name,
        "items": [i.as_json() for i in items],
        "poll_ms": int((wall_config.poll_seconds if wall_config else 2) * 1000),
        "transition_ms": wall_config.transition_ms if wall_config else 700,
        "stale_ms": int(stale_hours * 3600 * 1000),
        "api": API,
        "default_indicator": DEFAULT_INDICATOR,
        "provinces": provinces,
        "text": {key.split(".", 1)[1]: t(key, lang) for key in JS_TEXT},
    }
    return config, problems, error


def layout(**kwargs: str) -> html.Div:
    # a wall shows figures: 'not permitted' for the roles without (auth.pages),
    # rather than a screen that waits forever for views it may not read
    q.require(VALUES, "the wall")
    args = {k: v for k, v in kwargs.items() if isinstance(v, str)}
    state = read_state(args)
    lang = state.lang
    config, problems, error = _config(args, lang, state.geo, state.period)
    problems = state.problems + problems
    frozen = frozen_snapshot(config["session"])
    try:
        with frozen_or_current(frozen):
            meta = q.snapshot_meta()
    except q.NoSnapshot:
        meta = None
    first = (
        message_slide("wall.yaml", error, "bi-exclamation-triangle")
        if error
        else splash(lang)
    )
    stale_hours = config["stale_ms"] / 3_600_000
    return html.Div(
        [
            dcc.Store(id=CONFIG, data=config),
            dcc.Store(id=CUE),
            dcc.Store(id=RENDERED),
            dcc.Store(id=BOOT),
            dcc.Interval(id=TICK, interval=1000),
            wall_header(lang, CLOCK, DATE),
            html.Main(
                [
                    html.Div(first, id=LAYERS[0], className="wall-layer is-active"),
                    html.Div(id=LAYERS[1], className="wall-layer"),
                ],
                className="wall-stage",
                style={"--wall-fade": f"{config['transition_ms']}ms"},
            ),
            html.Footer(
                [
                    html.Div(
                        freshness_stamp(meta, lang, bool(frozen)),
                        id=ids.FRESHNESS,
                        className="wall-freshness",
                    ),
                    html.Div(
                        [
                            html.I(className="bi bi-exclamation-triangle-fill"),
                            t("wall.stale", lang, hours=f"{stale_hours:g}"),
                        ],
                        id=STALE,
                        className="wall-stale",
                    ),
                    problems_line(problems, lang),
                    html.Div(id=POSITION, className="wall-position"),
                    html.Div(id=SCREEN, className="wall-screen"),
                    html.Div(
                        [html.I(className="bi bi-wifi-off"), t("wall.offline", lang)],
                        id=OFFLINE,
                        className="wall-offline",
                    ),
                    html.Div(
                        html.Div(id=PROGRESS, className="wall-progress-fill"),
                        className="wall-progress",
                    ),
                ],
                className="wall-footer",
            ),
            html.Div(
                [
                    html.Div(
                        [html.I(className="bi bi-search"), t("wall.search", lang)],
                        className="wall-search-label",
                    ),
                    html.Div(id=SEARCH_TYPED, className="wall-search-typed"),
                    html.Div(id=SEARCH_MATCH, className="wall-search-match"),
                    html.Div(t("wall.search_keys", lang), className="wall-search-keys"),
                ],
                id=SEARCH,
                className="wall-search",
            ),
        ],
        id=ROOT,
        className="wall-root",
        lang=lang,
        **{"data-bs-theme": "dark"},
    )


clientside_callback(
    dash.ClientsideFunction("wall", "init"),
    Output(BOOT, "data"),
    Input(CONFIG, "data"),
)

clientside_callback(
    dash.ClientsideFunction("wall", "tick"),
    Output(CLOCK, "children"),
    Output(DATE, "children"),
    Input(TICK, "n_intervals"),
)

clientside_callback(
    dash.ClientsideFunction("wall", "rendered"),
    Output(LAYERS[0], "className"),
    Output(LAYERS[1], "className"),
    Input(RENDERED, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(LAYERS[0], "children"),
    Output(LAYERS[1], "children"),
    Output(RENDERED, "data"),
    Output(ids.FRESHNESS, "children"),
    Input(CUE, "data"),
    prevent_initial_call=True,
)
def show(cue: dict | None) -> tuple:
    """Render the cued slide into the hidden layer (the other one keeps showing)."""
    if not cue:
        raise PreventUpdate
    try:
        slide, info, meta = render(cue)
    except Exception:  # keep the last good slide on screen; the wall moves on
        log.exception("wall slide failed for cue %r", cue)
        return no_update, no_update, {"key": cue.get("key"), "error": True}, no_update
    layers = [no_update, no_update]
    layers[info["layer"]] = slide
    stamp = freshness_stamp(meta, cue.get("lang") or "vi", info["frozen"])
    return layers[0], layers[1], info, stamp
