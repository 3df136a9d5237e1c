"""/api/v1/wall/state: the wall's poll, heartbeat and presenter channel in one.

Every wall asks this every couple of seconds (assets/wall.js). The request is
the screen's heartbeat (screen id, session, what it shows); the answer says
which snapshot the wall should show (the session's frozen one, else CURRENT)
and the session's command with its sequence number. It reads the CURRENT
pointer file and the small state database only, never the warehouse, so it
stays cheap however many screens poll.
"""

from __future__ import annotations

import time

from flask import Blueprint, jsonify, request

from data import queries as q
from wall.state import check_screen_id, check_session_id, wall_state

wall_api = Blueprint("wall_api", __name__, url_prefix="/api/v1/wall")


def _field(body: dict, name: str) -> str | None:
    value = body.get(name, request.args.get(name))
    return value if isinstance(value, str) else None


def frozen_available(snapshot_id: str | None) -> bool:
    """A frozen snapshot is only used while its file is still published."""
    return q.is_published(snapshot_id)


@wall_api.route("/state", methods=["GET", "POST"])
def state():
    body = request.get_json(silent=True) if request.method == "POST" else None
    body = body if isinstance(body, dict) else {}
    current = q.current_snapshot()
    store = wall_state()
    session_id = check_session_id(_field(body, "session"))
    session = store.session(session_id) if session_id else None
    screen = check_screen_id(_field(body, "screen"))
    if screen:
        store.heartbeat(
            screen,
            session.id if session else None,
            _field(body, "showing"),
            _field(body, "view"),
            _field(body, "snapshot"),
            _field(body, "viewport"),
        )
    data_snapshot = current.snapshot_id if current else None
    frozen = session.frozen_snapshot if session else None
    if frozen and frozen_available(frozen):
        data_snapshot = frozen
        q.keep_snapshot(frozen, session.id)  # type: ignore[union-attr]
    answer = {
        "ok": True,
        "now": int(time.time() * 1000),
        "snapshot": current.snapshot_id if current else None,
        "published_at": current.published_at if current else None,
        "data_snapshot": data_snapshot,
        "session": session.as_json() if session else None,
        "unknown_session": bool(_field(body, "session")) and session is None,
    }
    response = jsonify(answer)
    response.headers["Cache-Control"] = "no-store"
    return response
