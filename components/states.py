"""Empty, error and not-found states: never a blank area or a traceback."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from core.i18n import t


def empty_state(lang: str, message: str | None = None) -> html.Div:
    return html.Div(
        [html.I(className="bi bi-inbox me-2"), message or t("msg.no_data", lang)],
        className="empty-state",
    )


def problems_alert(problems: list[str], lang: str) -> dbc.Alert | None:
    """Bad URL parameters: said plainly, the view falls back to defaults."""
    if not problems:
        return None
    title = (
        "Tham số không hợp lệ, đang dùng giá trị mặc định:"
        if lang == "vi"
        else "Invalid parameters, using defaults:"
    )
    return dbc.Alert(
        [html.Strong(title), html.Ul([html.Li(p) for p in problems], className="mb-0")],
        color="warning",
        className="py-2",
    )


def not_found(lang: str, what: str, home: str = "/") -> html.Div:
    return html.Div(
        [
            html.H2(t("msg.not_found", lang)),
            html.P(what),
            html.A(t("nav.home", lang), href=home, className="btn btn-outline-primary"),
        ],
        className="empty-state",
    )
