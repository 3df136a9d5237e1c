"""The province map: a plotly choropleth of one indicator, drawn fully offline.

Offline rendering (data/geo/SOURCES.md section 7): the boundaries are sent in
the figure (no topojson), the base map is hidden (`geo.visible=False`, and the
page serves an empty topojson stub via the Graph's `topojsonURL`), and the
view fits the features (`fitbounds="locations"`), so the whole country,
Hoàng Sa and Trường Sa included, is always in the frame.

One trace holds every province, so none is ever left undrawn: plotly skips a
location whose z is missing, so missing values get their own grey band at the
bottom of the colour scale ("no data", with the word on the colour bar).
Metrics (the `metric` argument, also used by the ranked bars):

* value          the figure itself, sequential scale by rank (quantiles),
                 reversed when lower is better
* pct_of_target  progress against the target, coloured by status (categorical)
* pct_vs_last_year  change against the same period last year, diverging at 0
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from components.fmt import MISSING, fmt_delta, fmt_number, fmt_pct, fmt_signed_pct
from components.map_scale import (  # noqa: F401 (NO_DATA_*: the tests' import)
    NO_DATA_BAND,
    NO_DATA_COLOR,
    STATUS_MARK,
    categorical_scale,
    continuous_scale,
)
from components.status import normalize_status, status_label
from core.i18n import normalize_lang, register, t
from data.schema import (
    CHANGE_VS_LAST_YEAR,
    NAME_EN,
    NAME_VI,
    PCT_OF_TARGET,
    PCT_VS_LAST_YEAR,
    UNIT_CODE,
)

register(
    {
        "map.no_data": {"vi": "Chưa có số liệu", "en": "No data"},
        "map.pct_of_target": {"vi": "% kế hoạch", "en": "% of target"},
        "map.vs_last_year": {"vi": "So cùng kỳ", "en": "vs last year"},
        "map.points": {"vi": "điểm %", "en": "pp"},
        "map.outside": {
            "vi": "Ngoài phạm vi được xem",
            "en": "Outside your access",
        },
    }
)

METRICS = ("value", PCT_OF_TARGET, PCT_VS_LAST_YEAR)
SEPARATORS = {"vi": ",.", "en": ".,"}  # plotly: decimal point, then thousands
OUTLINE = "#ffffff"
# provinces outside the caller's reach: drawn so the country keeps its shape
OUTSIDE_FILL = "#eef0f3"
OUTSIDE_OUTLINE = "#c9ced6"
ISLAND_OUTLINE = "#2b3440"


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def metric_values(frame: pd.DataFrame, metric: str) -> tuple[pd.Series, str]:
    """The numbers a metric shows, and how they read: 'value', 'pct', 'change_pct'
    (percent change) or 'change' (a difference, for rates, which have no ratio)."""

    def column(name: str) -> pd.Series:
        if name not in frame:
            return pd.Series([float("nan")] * len(frame), index=frame.index)
        return pd.to_numeric(frame[name], errors="coerce")

    if metric == PCT_OF_TARGET:
        return column(PCT_OF_TARGET), "pct"
    if metric == PCT_VS_LAST_YEAR:
        ratio = column(PCT_VS_LAST_YEAR)
        if ratio.notna().any():
            return ratio - 100.0, "change_pct"
        return column(CHANGE_VS_LAST_YEAR), "change"
    return column("actual"), "value"


def metric_text(
    value: object,
    kind: str,
    lang: str,
    unit_vi: str = "",
    unit_en: str = "",
    integer: bool = False,
) -> str:
    """One metric value as text, numbers formatted for the language."""
    if not _present(value):
        return MISSING
    if kind == "pct":
        return fmt_pct(value, lang)
    if kind == "change_pct":
        return fmt_signed_pct(value, lang)
    if kind == "change":
        if unit_vi == "%":  # a change of a rate is in percentage points
            unit_vi, unit_en = t("map.points", "vi"), t("map.points", "en")
        return fmt_delta(value, lang, unit_vi=unit_vi, unit_en=unit_en)
    number = fmt_number(value, lang, 0 if integer else None)
    unit = unit_en if lang == "en" else unit_vi
    if not unit or not isinstance(unit, str):
        return number
    return number + unit if unit == "%" else f"{number} {unit}"


def _focus_ranges(box: tuple[float, float, float, float]) -> dict:
    """Longitude and latitude ranges around a box, padded, and made about as
    tall as wide on the map (plotly fits the latitudes to the figure's height
    and crops the longitudes of a wide box: a region's coast was cut off)."""
    lon0, lat0, lon1, lat1 = box
    pad = max(lon1 - lon0, lat1 - lat0) * 0.08 + 0.1
    lon0, lon1, lat0, lat1 = lon0 - pad, lon1 + pad, lat0 - pad, lat1 + pad
    wide = (lon1 - lon0) * math.cos(math.radians((lat0 + lat1) / 2))
    if wide > lat1 - lat0:  # grow the latitudes to the width, about the middle
        extra = (wide - (lat1 - lat0)) / 2
        lat0, lat1 = lat0 - extra, lat1 + extra
    return {"lonaxis_range": [lon0, lon1], "lataxis_range": [lat0, lat1]}


def _pale(
    geojson: dict, codes: list[str], hover: list[str], name: str, outline: dict
) -> go.Choropleth:
    """Shapes drawn pale with no figure and no click target (customdata "-",
    which pages/provinces.clicked_province ignores)."""
    return go.Choropleth(
        geojson=geojson,
        locations=codes,
        z=[0] * len(codes),
        colorscale=[[0, OUTSIDE_FILL], [1, OUTSIDE_FILL]],
        showscale=False,
        featureidkey="properties.code",
        customdata=["-"] * len(codes),
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        marker={"line": outline},
        name=name,
    )


def _outside(
    geojson: dict, shown: set[str], lang: str, text: str | None = None
) -> go.Choropleth | None:
    """The provinces the frame does not hold because the caller may not see
    them (a province analyst's neighbours, another region's provinces): pale
    and without figures. A province the caller sees but without a figure is in
    the frame (grey). `text`: what their hover says (default: outside your
    access)."""
    name = NAME_EN if lang == "en" else NAME_VI
    features = [
        f["properties"]
        for f in geojson.get("features", [])
        if f["properties"]["code"] not in shown
    ]
    if not features:
        return None
    text = text or t("map.outside", lang)
    return _pale(
        geojson,
        [f["code"] for f in features],
        [f"{f[name]}<br>{text}" for f in features],
        "outside",
        {"color": OUTSIDE_OUTLINE, "width": 0.6},
    )


def choropleth(
    frame: pd.DataFrame,
    geojson: dict,
    archipelago_labels: tuple[dict, ...] | list[dict],
    metric: str,
    lang: str,
    *,
    islands: dict | None = None,
    unit_vi: str = "",
    unit_en: str = "",
    direction: str = "up",
    integer: bool = False,
    height: int = 640,
    outside_text: str | None = None,
    focus: tuple[float, float, float, float] | None = None,
) -> go.Figure:
    """Map of `frame` (province_values rows: unit_code, name_vi, name_en, actual,
    pct_of_target, status, pct_vs_last_year, change_vs_last_year, rank_value).

    `islands`: data.geo.archipelago_geojson, drawn on top with a dark outline so
    the islets stay visible at national zoom. Every location's customdata is its
    province code (what a click drills into). Provinces of `geojson` not in
    the frame are drawn pale, their hover saying `outside_text`. `focus`: a
    (min_lon, min_lat, max_lon, max_lat) box to zoom to (a region), instead of
    fitting the whole country.
    """
    lang = normalize_lang(lang)
    metric = metric if metric in METRICS else "value"
    frame = frame.reset_index(drop=True)
    values, kind = metric_values(frame, metric)
    codes = frame[UNIT_CODE].astype(str).tolist()
    statuses = [normalize_status(s) for s in frame.get("status", [None] * len(frame))]
    names = frame[NAME_EN if lang == "en" else NAME_VI].astype(str).tolist()

    def fmt(v: object) -> str:
        return metric_text(v, kind, lang, unit_vi, unit_en, integer)

    def tick(v: float) -> str:  # the colour bar's title carries the unit
        if kind == "value":
            return fmt_number(v, lang)
        if kind == "change_pct" and float(v).is_integer():  # +50%, not +50,0%
            return fmt_signed_pct(v, lang, decimals=0)
        return fmt(v)

    if metric == PCT_OF_TARGET:
        statuses = [
            s if _present(v) or s == "no_target" else "no_data"
            for s, v in zip(statuses, values, strict=True)
        ]
        scale = categorical_scale(statuses, lang)
    else:
        scale = continuous_scale(values, kind, direction, lang, tick)
    hover = []
    for name, v, status in zip(names, values, statuses, strict=True):
        line = f"<b>{name}</b><br>{fmt(v)}"
        if metric == PCT_OF_TARGET or status not in ("no_data", "no_target"):
            line += f"<br>{STATUS_MARK[status]} {status_label(status, lang)}"
        hover.append(line)

    title = {
        "value": unit_en if lang == "en" else unit_vi,
        PCT_OF_TARGET: t("map.pct_of_target", lang),
        PCT_VS_LAST_YEAR: t("map.vs_last_year", lang),
    }[metric]
    # top right: the open sea north of Hoàng Sa, at any width of the figure
    colorbar = {
        "tickvals": scale["tickvals"],
        "ticktext": scale["ticktext"],
        "title": {"text": title or "", "side": "top"},
        "len": 0.42,
        "thickness": 14,
        "x": 0.99,
        "xanchor": "right",
        "y": 0.99,
        "yanchor": "top",
        "outlinewidth": 0,
        "bgcolor": "rgba(255,255,255,0.85)",
    }
    common = {
        "colorscale": scale["colorscale"],
        "zmin": scale["zmin"],
        "zmax": scale["zmax"],
        "featureidkey": "properties.code",
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
    fig = go.Figure(
        go.Choropleth(
            geojson=geojson,
            locations=codes,
            z=scale["z"],
            customdata=codes,
            hovertext=hover,
            marker={"line": {"color": OUTLINE, "width": 0.6}},
            colorbar=colorbar,
            name="provinces",
            **common,
        )
    )
    index = {code: i for i, code in enumerate(codes)}
    shown = [a for a in archipelago_labels if a["code"] in index]
    if islands is not None and shown:
        fig.add_trace(
            go.Choropleth(
                geojson=islands,
                locations=[a["code"] for a in shown],
                z=[scale["z"][index[a["code"]]] for a in shown],
                customdata=[a["code"] for a in shown],
                hovertext=[
                    f"{a['label_' + lang]}<br>{hover[index[a['code']]]}" for a in shown
                ],
                marker={"line": {"color": ISLAND_OUTLINE, "width": 1.0}},
                showscale=False,
                name="islands",
                **common,
            )
        )
    outside = _outside(geojson, set(codes), lang, outside_text)
    if outside is not None:
        fig.add_trace(outside)
    unshown = [a for a in archipelago_labels if a["code"] not in index]
    if islands is not None and unshown:
        # Hoàng Sa and Trường Sa are drawn, outlined, whoever sees their
        # provinces' figures: their labels never float over an empty sea
        text = outside_text or t("map.outside", lang)
        fig.add_trace(
            _pale(
                islands,
                [a["code"] for a in unshown],
                [f"{a['label_' + lang]}<br>{text}" for a in unshown],
                "outside_islands",
                {"color": ISLAND_OUTLINE, "width": 1.0},
            )
        )
    # labels just above each archipelago's box, clear of the islets
    fig.add_trace(
        go.Scattergeo(
            lon=[a["lon"] for a in archipelago_labels],
            lat=[a["bbox"][3] for a in archipelago_labels],
            text=[a["label_" + lang] for a in archipelago_labels],
            mode="text",
            textposition="top center",
            textfont={"size": 12, "color": ISLAND_OUTLINE},
            hoverinfo="skip",
            showlegend=False,
            name="archipelagos",
        )
    )
    fig.update_geos(
        fitbounds="locations",
        visible=False,
        projection_type="mercator",
        bgcolor="rgba(0,0,0,0)",
    )
    if focus is not None:
        fig.update_geos(fitbounds=False, **_focus_ranges(focus))
    fig.update_layout(
        template="plotly_white",
        separators=SEPARATORS[lang],
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="rgba(0,0,0,0)",
        dragmode=False,
        font={"family": "Segoe UI, Roboto, Noto Sans, Arial, sans-serif"},
    )
    return fig
