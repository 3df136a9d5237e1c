"""The colour scales of the province map (components.choropleth): values by
rank with quartile ticks, changes diverging around no change, statuses as
flat bands; a grey band at the bottom for provinces without a figure."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right

import pandas as pd

from components.status import COLORS, status_label
from core.i18n import t


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


NO_DATA_BAND = 0.08  # share of the colour scale given to "no data"
VALUE_START = 0.1  # where values start: clear of the grey band's edge
QUANTILES = (0.0, 0.25, 0.5, 0.75, 1.0)  # colour-bar ticks of the value scale
NO_DATA_COLOR = "#bdbdbd"
# ColorBrewer YlGnBu without its palest step (colour-blind safe, readable on white)
SEQUENTIAL = [
    "#edf8b1",
    "#c7e9b4",
    "#7fcdbb",
    "#41b6c4",
    "#1d91c0",
    "#225ea8",
    "#253494",
    "#081d58",
]
# Okabe-Ito vermillion, neutral grey-white, Okabe-Ito blue
DIVERGING = ["#D55E00", "#f0a270", "#f7f7f7", "#78b0d8", "#0072B2"]

STATUS_MARK = {
    "on_track": "✔",
    "at_risk": "▲",
    "off_track": "✖",
    "no_target": "○",
    "no_data": "–",
}


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values within [lo, hi] (1, 2, 5 x 10^n steps)."""
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step) * step
    ticks = []
    value = first
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks or [lo, hi]


def _band_scale(colors: list[str], start: float) -> list[list]:
    """Colour scale over [0, 1]: `colors` evenly from `start`; below it (when
    start > 0) the grey "no data" band, with a sharp edge between the two."""
    last = len(colors) - 1
    scale = [[start + (1 - start) * i / last, color] for i, color in enumerate(colors)]
    if start > 0:
        grey = [[0.0, NO_DATA_COLOR], [NO_DATA_BAND, NO_DATA_COLOR]]
        scale = [*grey, [NO_DATA_BAND + 1e-6, colors[0]], *scale]
    return scale


def _rank_share(ordered: list[float]):
    """v -> its place among `ordered` in [0, 1] (ties share the middle place)."""
    last = len(ordered) - 1

    def share(v: float) -> float:
        middle = (bisect_left(ordered, v) + bisect_right(ordered, v) - 1) / 2
        return middle / last if last > 0 else 0.5

    return share


def continuous_scale(
    values: pd.Series, kind: str, direction: str, lang: str, fmt
) -> dict:
    """z positions in [0, 1] (missing -> the grey band), scale and colour bar.

    Changes are linear and symmetric around no change. Values are coloured by
    rank (quantiles, ticks at the minimum, quartiles and maximum): a linear
    scale would paint all but the two or three largest provinces alike.
    """
    valid = values.dropna()
    if kind in ("change_pct", "change"):
        span = (float(valid.abs().max()) if not valid.empty else 0.0) or 1.0

        def share(v: float) -> float:
            return (v + span) / (2 * span)

        ticks = _nice_ticks(-span, span) if not valid.empty else []  # no made-up scale
        colors = list(reversed(DIVERGING)) if direction == "down" else DIVERGING
    else:
        ordered = sorted(float(v) for v in valid)
        share = _rank_share(ordered)
        last = len(ordered) - 1
        ticks = sorted({ordered[round(q * last)] for q in QUANTILES}) if ordered else []
        colors = list(reversed(SEQUENTIAL)) if direction == "down" else SEQUENTIAL
    missing = bool(values.isna().any())
    start = VALUE_START if missing else 0.0  # the grey band only when needed

    def position(v: float) -> float:
        return start + (1 - start) * share(v)

    z = [position(v) if _present(v) else 0.0 for v in values]
    tickvals, ticktext = [], []
    for v in ticks:  # close quartiles may read alike once rounded: say each once
        if not ticktext or fmt(v) != ticktext[-1]:
            tickvals.append(position(v))
            ticktext.append(fmt(v))
    if missing:
        tickvals.insert(0, NO_DATA_BAND / 2)
        ticktext.insert(0, t("map.no_data", lang))
    return {
        "z": z,
        "colorscale": _band_scale(colors, start),
        "zmin": 0.0,
        "zmax": 1.0,
        "tickvals": tickvals,
        "ticktext": ticktext,
    }


def categorical_scale(statuses: list[str], lang: str) -> dict:
    """z = band of each status among those present, one flat band each; the
    best status on top of the colour bar (the highest z)."""
    order = ("no_data", "no_target", "off_track", "at_risk", "on_track")
    present = [s for s in order if s in statuses]
    n = len(present)
    scale: list[list] = []
    for i, status in enumerate(present):
        scale += [[i / n, COLORS[status]], [(i + 1) / n, COLORS[status]]]
    return {
        "z": [present.index(s) for s in statuses],
        "colorscale": scale,
        "zmin": -0.5,
        "zmax": n - 0.5,
        "tickvals": list(range(n)),
        "ticktext": [f"{STATUS_MARK[s]} {status_label(s, lang)}" for s in present],
    }
