"""/ : the national overview (placeholder, replaced by the overview page work)."""

from __future__ import annotations

import dash
from dash import html

from components.view import read_state
from data import queries as q

dash.register_page(__name__, path="/", order=0, title="Tổng quan quốc gia")


def layout(**kwargs: str) -> html.Div:
    state = read_state(kwargs)
    month = q.default_month(state.period)
    frame = q.unit_progress("00", month, state.geo)
    return html.Div([html.H1("Tổng quan"), html.P(f"{len(frame)} indicators, {month}")])
