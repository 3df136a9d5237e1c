"""The indicator page's time series: the shared trend chart (actual, target,
expected pace; components.trend_chart) with the period being looked at marked
and the first view zoomed to the last three years (double-click shows all).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from components.fmt import fmt_period
from components.trend_chart import period_x, trend_chart

YEARS_SHOWN = 3
MARK_COLOR = "#5b6270"  # the theme's muted grey


def indicator_chart(
    series_frame: pd.DataFrame,
    targets_frame: pd.DataFrame | None,
    catalog_row: dict,
    lang: str,
    at: str | None = None,
) -> go.Figure:
    figure = trend_chart(series_frame, targets_frame, catalog_row, lang)
    if series_frame is None or series_frame.empty:
        return figure
    if at:
        x = period_x(at)
        figure.add_shape(
            type="line",
            xref="x",
            yref="paper",
            x0=x,
            x1=x,
            y0=0,
            y1=1,
            line={"color": MARK_COLOR, "width": 1, "dash": "dot"},
        )
        figure.add_annotation(
            x=x,
            xref="x",
            y=1,
            yref="paper",
            yanchor="bottom",
            text=fmt_period(at, lang),
            showarrow=False,
            font={"size": 11, "color": MARK_COLOR},
        )
    last = max(period_x(str(p)) for p in series_frame["period"])
    if at:
        last = max(last, period_x(at))
    first = min(period_x(str(p)) for p in series_frame["period"])
    start = max(first, date(last.year - YEARS_SHOWN + 1, 1, 1))
    figure.update_xaxes(
        range=[
            date(start.year, start.month, 1) - pd.Timedelta(days=20),
            date(last.year, 12, 31),
        ]
    )
    figure.update_layout(margin={"t": 50})
    return figure
