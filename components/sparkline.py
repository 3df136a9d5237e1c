"""A tiny trend line for a KPI card: no axes, no hover, a static picture.

The card states the figures in words; the line only shows the shape of the
last periods, so it is drawn as a static plot (no mode bar, no interaction)
and the first and last periods are written under it by the caller.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
from dash import dcc, html

from core.i18n import normalize_lang

LINE_COLOR = "#14325c"  # the theme's navy (--cc-navy)
HEIGHT_PX = 56
STATIC_CONFIG = {
    "staticPlot": True,
    "displayModeBar": False,
    "displaylogo": False,
    "responsive": True,
}


def _finite(value: object) -> bool:
    try:
        return value is not None and math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def clean_points(series: Sequence[tuple[str, object]]) -> list[tuple[str, float]]:
    """(period, value) pairs with a finite value, order kept."""
    return [(str(p), float(v)) for p, v in series if _finite(v)]  # type: ignore[arg-type]


def sparkline_figure(
    series: Sequence[tuple[str, object]], lang: str = "vi", color: str = LINE_COLOR
) -> go.Figure:
    """A line through the (period, value) pairs with a dot on the last one."""
    points = clean_points(series)
    periods = [p for p, _ in points]
    values = [v for _, v in points]
    fig = go.Figure()
    if points:
        fig.add_trace(
            go.Scatter(
                x=periods,
                y=values,
                mode="lines",
                line={"color": color, "width": 2},
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=periods[-1:],
                y=values[-1:],
                mode="markers",
                marker={"color": color, "size": 7},
                hoverinfo="skip",
            )
        )
    fig.update_layout(
        template="plotly_white",
        separators=",." if normalize_lang(lang) == "vi" else ".,",
        height=HEIGHT_PX,
        margin={"l": 2, "r": 6, "t": 6, "b": 2},
        showlegend=False,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        xaxis={"visible": False, "type": "category", "fixedrange": True},
        yaxis={"visible": False, "fixedrange": True},
    )
    return fig


def sparkline(
    series: Sequence[tuple[str, object]], lang: str = "vi", label: str = ""
) -> html.Div:
    """The figure in a static graph, inside an image role that screen readers
    announce with `label` (the graph itself takes no aria attributes)."""
    graph = dcc.Graph(
        figure=sparkline_figure(series, lang),
        config=STATIC_CONFIG,
        style={"height": f"{HEIGHT_PX}px"},
        responsive=True,
    )
    return html.Div(graph, className="sparkline", role="img", **{"aria-label": label})
