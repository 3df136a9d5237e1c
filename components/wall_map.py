"""The wall's map slide: the province choropleth on the dark wall, with the
ranking as text beside it (components.wall_ranking) and an optional
spotlight on one province (thick outline, its name, its figures in a card).

Uses components.choropleth for the map itself; this module only restyles it
for a dark background and sizes its text from the screen height (`vh_px`, the
wall's innerHeight), since plotly sizes text in pixels.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from components.choropleth import choropleth, metric_values
from components.fmt import fmt_period
from components.wall_chrome import slide_frame
from components.wall_ranking import ranking_panel
from core.i18n import register, t
from data.schema import NAME_EN, NAME_VI, UNIT_EN, UNIT_VI

register(
    {
        "wallm.metric.value": {"vi": "Giá trị", "en": "Value"},
        "wallm.metric.pct_of_target": {"vi": "% kế hoạch", "en": "% of target"},
        "wallm.metric.pct_vs_last_year": {"vi": "So cùng kỳ", "en": "vs last year"},
        "wallm.sub": {
            "vi": "{metric} · {period} · {n} tỉnh, thành phố",
            "en": "{metric} · {period} · {n:province|provinces}",
        },
        "wallm.no_figures": {
            "vi": "Chưa có số liệu tỉnh, thành phố cho chỉ tiêu này",
            "en": "No province figures for this indicator yet",
        },
    }
)

SPOT_COLOR = "#ffffff"
INK, MUTED = "#f2f4f7", "#c3cad5"
OUTSIDE_FILL = "#1f2733"  # provinces outside the device's reach, on the dark wall


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _centre(feature: dict) -> tuple[float, float]:
    """Middle of the bounding box of a feature's largest polygon (label point)."""
    geometry = feature["geometry"]
    polygons = (
        geometry["coordinates"]
        if geometry["type"] == "MultiPolygon"
        else [geometry["coordinates"]]
    )
    ring = max((p[0] for p in polygons), key=len)
    lons, lats = [c[0] for c in ring], [c[1] for c in ring]
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


def wall_figure(
    frame: pd.DataFrame,
    geojson: dict,
    labels,
    islands: dict | None,
    metric: str,
    lang: str,
    vh_px: int,
    spotlight: str | None = None,
    unit_vi: str = "",
    unit_en: str = "",
    direction: str = "up",
    integer: bool = False,
) -> go.Figure:
    """components.choropleth restyled for the dark wall, text sized from vh_px."""
    fig = choropleth(
        frame,
        geojson,
        labels,
        metric,
        lang,
        islands=islands,
        unit_vi=unit_vi,
        unit_en=unit_en,
        direction=direction,
        integer=integer,
    )
    size = max(14, round(vh_px * 0.02))
    fig.update_traces(
        selector={"name": "provinces"},
        colorbar={
            "tickfont": {"size": size, "color": INK},
            "title": {"font": {"size": size, "color": INK}},
            "thickness": max(12, round(vh_px * 0.016)),
            "len": 0.5,
            "bgcolor": "rgba(11,15,23,0.75)",
        },
        marker_line_color="#0b0f17",
    )
    fig.update_traces(selector={"name": "islands"}, marker_line_color=MUTED)
    fig.update_traces(
        selector={"name": "outside"},
        colorscale=[[0, OUTSIDE_FILL], [1, OUTSIDE_FILL]],
        marker_line_color="#0b0f17",
    )
    fig.update_traces(
        selector={"name": "outside_islands"},
        colorscale=[[0, OUTSIDE_FILL], [1, OUTSIDE_FILL]],
        marker_line_color=MUTED,
    )
    fig.update_traces(
        selector={"name": "archipelagos"},
        textfont={"size": round(size * 0.8), "color": MUTED},
    )
    feature = next(
        (f for f in geojson["features"] if f["properties"]["code"] == spotlight), None
    )
    if feature is not None:
        lon, lat = _centre(feature)
        name = feature["properties"][NAME_EN if lang == "en" else NAME_VI]
        fig.add_trace(
            go.Choropleth(
                geojson={"type": "FeatureCollection", "features": [feature]},
                locations=[spotlight],
                z=[0],
                featureidkey="properties.code",
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                showscale=False,
                marker={
                    "line": {"color": SPOT_COLOR, "width": max(3, round(vh_px / 300))}
                },
                hoverinfo="skip",
                name="spotlight",
            )
        )
        fig.add_trace(
            go.Scattergeo(
                lon=[lon],
                lat=[lat],
                text=[name],
                mode="text",
                hoverinfo="skip",
                textfont={
                    "size": round(size * 1.3),
                    "color": SPOT_COLOR,
                    "shadow": "0 0 4px #0b0f17",
                },
                textposition="middle right",
                showlegend=False,
                name="spotlight-label",
            )
        )
    fig.update_layout(height=None, autosize=True, font={"color": INK, "size": size})
    return fig


def map_slide(
    frame: pd.DataFrame,
    indicator: dict,
    metric: str,
    lang: str,
    figure: go.Figure | dict | None,
    aspect: float,
    period: str | None,
    spotlight: str | None = None,
    complete: bool = True,
) -> html.Section:
    """`figure`: the map (wall_figure, or its JSON); `indicator`: its catalog
    row; `frame`: the province_values rows the map and the ranking show;
    `complete`: they are every province (else the ranking gives no places)."""
    name = indicator.get(NAME_EN if lang == "en" else NAME_VI) or indicator["code"]
    integer = bool(indicator.get("integer"))
    units = {
        UNIT_VI: indicator.get(UNIT_VI) or "",
        UNIT_EN: indicator.get(UNIT_EN) or "",
    }
    label = t(f"wallm.metric.{metric}", lang)
    unit = units[UNIT_EN if lang == "en" else UNIT_VI]
    if metric == "value" and unit:
        label += f" ({unit})"  # the ranking shows bare numbers
    subtitle = t(
        "wallm.sub", lang, metric=label, period=fmt_period(period, lang), n=len(frame)
    )
    values, _ = metric_values(frame, metric)
    if frame.empty or not values.notna().any() or figure is None:
        body = html.Div(t("wallm.no_figures", lang), className="wall-message")
        return slide_frame(name, subtitle, body, "map")
    graph = dcc.Graph(
        figure=figure,
        className="wall-map-graph",
        responsive=True,
        config={
            "topojsonURL": "/assets/topojson/",
            "displaylogo": False,
            "displayModeBar": False,
            "staticPlot": True,
            "responsive": True,
        },
    )
    body = html.Div(
        [
            html.Div(
                [
                    graph,
                    html.Div(
                        t("map.attribution", lang),
                        className="map-attribution wall-attribution",
                    ),
                ],
                className="wall-map",
            ),
            ranking_panel(frame, metric, lang, aspect, spotlight, integer, complete),
        ],
        className="wall-map-body",
    )
    return slide_frame(name, subtitle, body, "map")
