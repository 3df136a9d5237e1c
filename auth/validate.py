"""Requests checked before Dash sees them: a callback request that is not one
of the app's callbacks, or not shaped like one, is a 400 with a message (Dash
itself would answer a 500)."""

from __future__ import annotations

import dash
from flask import jsonify, request

LIST_FIELDS = ("inputs", "state", "changedPropIds")


def _bad(message: str):
    response = jsonify({"error": message, "status": 400})
    response.status_code = 400
    return response


def install_callback_check(app: dash.Dash) -> None:
    endpoint = app.config.routes_pathname_prefix + "_dash-update-component"

    @app.server.before_request
    def _check_callback_request():
        if request.path != endpoint or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _bad("a callback request is a JSON object")
        output = body.get("output")
        if not isinstance(output, str) or output not in app.callback_map:
            return _bad("no such callback")
        for field in LIST_FIELDS:
            if field in body and not isinstance(body[field], list):
                return _bad(f"{field} must be a list")
        return None
