"""Month axis, seasons and shock paths shared by the demo generators."""

from __future__ import annotations

import zlib

import numpy as np

from etl.demo.geo import TET

Y0 = 2018  # generated from here (one warm-up year for year-on-year figures)
FIRST_YEAR = 2019  # reported from here

# 12 monthly factors, then (Tết month factor, month-before-Tết factor)
SEASONS: dict[str, tuple[list[float], float, float]] = {
    "flat": ([1] * 12, 0.85, 1.05),
    "econ": ([0.95, 0.9, 1, 1, 1, 1, 1, 1.02, 1.02, 1.03, 1.04, 1.1], 0.82, 1.05),
    "retail": (
        [1, 1, 0.95, 0.95, 0.96, 0.97, 0.98, 0.99, 1, 1.02, 1.04, 1.14],
        0.95,
        1.12,
    ),
    "budget": (
        [1.4, 0.75, 0.9, 0.95, 0.95, 0.9, 0.95, 0.9, 0.9, 1, 0.95, 1.45],
        0.9,
        1,
    ),
    "spend": ([0.6, 0.65, 0.8, 0.85, 0.9, 0.95, 0.95, 0.95, 1, 1.05, 1.1, 2.2], 0.9, 1),
    "invest": (
        [0.24, 0.3, 0.48, 0.54, 0.66, 0.9, 1.02, 1.14, 1.08, 1.2, 1.44, 3.0],
        1,
        1,
    ),
    "tour_intl": (
        [1.25, 1.15, 1.1, 0.95, 0.85, 0.85, 0.95, 1, 0.8, 0.9, 1.05, 1.15],
        1.05,
        1,
    ),
    "tour_dom": ([1.1, 1.2, 0.9, 1, 1.1, 1.35, 1.35, 1.1, 0.75, 0.8, 0.7, 0.8], 1.2, 1),
    "rice": ([2.2, 2.5, 0.9, 0.1, 0.6, 1.6, 1.7, 1.4, 0.4, 0.3, 0.2, 0.1], 1, 1),
    "fish": ([0.85, 0.85, 0.95, 1, 1.05, 1.1, 1.1, 1.1, 1.05, 1, 0.95, 1], 0.9, 1),
    "dry_fire": ([0.8, 1.2, 1.8, 2, 1.6, 1.3, 0.8, 0.5, 0.4, 0.4, 0.5, 0.7], 1, 1),
    "disaster": ([0.1, 0.1, 0.1, 0.2, 0.4, 0.6, 1, 1.6, 2.5, 3, 2.2, 0.3], 1, 1),
    "dengue": ([0.5, 0.3, 0.3, 0.3, 0.5, 0.8, 1.2, 1.7, 1.9, 1.9, 1.6, 1], 1, 1),
    "measles": ([2, 1.8, 1.6, 1.3, 1, 0.7, 0.5, 0.4, 0.4, 0.6, 0.8, 1.2], 1, 1),
    "fires": ([1.4, 1.5, 1.4, 1.3, 1.1, 0.9, 0.8, 0.7, 0.7, 0.7, 0.8, 1.2], 1.2, 1),
    "traffic": ([1] * 12, 1.25, 1.05),
    "vocational": (
        [0.5, 0.5, 0.7, 0.8, 0.9, 1.2, 1.3, 1.5, 1.8, 1.3, 0.9, 0.6],
        0.7,
        1,
    ),
    "suspend": (
        [1.8, 1.4, 0.9, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.9, 1.1],
        1.6,
        1,
    ),
    "resume": (
        [1.5, 1.6, 1.2, 0.9, 0.9, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85],
        1.3,
        1,
    ),
    "lean": ([1.8, 1.6, 1.3, 1.3, 1.2, 0.8, 0.7, 0.6, 0.7, 0.9, 0.9, 1.2], 1.3, 1),
}

# COVID-19 activity shock: month -> (multiplier elsewhere, multiplier in the south)
COVID = {
    "2020-02": (0.97, 0.97),
    "2020-03": (0.92, 0.92),
    "2020-04": (0.8, 0.78),
    "2020-05": (0.93, 0.92),
    "2020-06": (0.98, 0.98),
    "2020-08": (0.97, 0.98),
    "2021-02": (0.97, 1.0),
    "2021-05": (0.97, 0.98),
    "2021-06": (0.96, 0.92),
    "2021-07": (0.95, 0.75),
    "2021-08": (0.93, 0.6),
    "2021-09": (0.95, 0.65),
    "2021-10": (0.98, 0.85),
    "2021-11": (1.0, 0.95),
}
# Multipliers on the 2019 level (interpolated between the months given).
PATHS = {
    "intl": {
        "2018-01": 0.85,
        "2019-01": 0.95,
        "2019-12": 1.05,
        "2020-01": 1.1,
        "2020-02": 0.7,
        "2020-03": 0.25,
        "2020-04": 0.005,
        "2020-12": 0.01,
        "2021-12": 0.01,
        "2022-02": 0.02,
        "2022-03": 0.04,
        "2022-06": 0.12,
        "2022-09": 0.22,
        "2022-12": 0.45,
        "2023-06": 0.6,
        "2023-12": 0.8,
        "2024-06": 0.88,
        "2024-12": 1.02,
        "2025-12": 1.2,
        "2026-12": 1.3,
    },
    "dom": {
        "2018-01": 0.9,
        "2019-01": 0.95,
        "2019-12": 1.02,
        "2020-01": 1.05,
        "2020-02": 0.8,
        "2020-03": 0.45,
        "2020-04": 0.08,
        "2020-05": 0.5,
        "2020-06": 0.9,
        "2020-07": 0.95,
        "2020-08": 0.35,
        "2020-09": 0.55,
        "2020-10": 0.8,
        "2020-12": 0.85,
        "2021-01": 0.8,
        "2021-02": 0.45,
        "2021-03": 0.75,
        "2021-04": 0.95,
        "2021-05": 0.5,
        "2021-06": 0.35,
        "2021-07": 0.15,
        "2021-08": 0.06,
        "2021-09": 0.08,
        "2021-10": 0.3,
        "2021-11": 0.5,
        "2021-12": 0.6,
        "2022-02": 0.9,
        "2022-03": 1.05,
        "2022-06": 1.25,
        "2022-12": 1.2,
        "2023-12": 1.28,
        "2024-12": 1.32,
        "2025-12": 1.4,
        "2026-12": 1.45,
    },
}


def stable_rng(seed: int, *keys: object) -> np.random.Generator:
    """A generator for one purpose: independent of generation order."""
    words = [seed & 0xFFFFFFFF] + [zlib.crc32(str(k).encode()) for k in keys]
    return np.random.default_rng(words)


class Clock:
    """Months from January Y0 to December of `last_year`."""

    def __init__(self, last_year: int) -> None:
        self.last_year = last_year
        self.years = np.arange(Y0, last_year + 1)
        self.T = 12 * len(self.years)
        t = np.arange(self.T)
        self.year = Y0 + t // 12
        self.month = t % 12 + 1
        self.tet = np.zeros(self.T, dtype=bool)
        for y in self.years:
            self.tet[self.idx(f"{y}-{TET[int(y)][0]:02d}")] = True

    def idx(self, period: str) -> int:
        """Index of the last month of a period ('2020', '2020-Q3', '2020-08')."""
        year = int(period[:4])
        if len(period) == 4:
            month = 12
        elif period[5] == "Q":
            month = int(period[6]) * 3
        else:
            month = int(period[5:7])
        return (year - Y0) * 12 + month - 1

    def anchors(self, spec, year_month: int = 6) -> tuple[np.ndarray, np.ndarray]:
        """Positions and values of a {year | period: value} dict."""
        xs, ys = [], []
        for key, value in spec.items():
            if isinstance(key, int):
                xs.append((key - Y0) * 12 + year_month - 1)
            else:
                xs.append(self.idx(key))
            ys.append(float(value))
        order = np.argsort(xs)
        return np.array(xs, dtype=float)[order], np.array(ys)[order]

    def path(self, spec, year_month: int = 6) -> np.ndarray:
        """A number, or anchors interpolated linearly (flat beyond the ends)."""
        if not isinstance(spec, dict):
            return np.full(self.T, float(spec))
        xs, ys = self.anchors(spec, year_month)
        return np.interp(np.arange(self.T), xs, ys)

    def season(self, kind: str) -> np.ndarray:
        """Monthly factors with the Tết effect, mean 1 within each year."""
        base, tet, pre = SEASONS.get(kind, SEASONS["flat"])
        s = np.array(base * len(self.years), dtype=float)
        where = np.flatnonzero(self.tet)
        s[where] *= tet
        before = where[where > 0] - 1
        s[before] *= pre
        s = s.reshape(-1, 12)
        return (s / s.mean(axis=1, keepdims=True)).ravel()

    def covid(self, south: np.ndarray) -> np.ndarray:
        """(P, T) activity multipliers of the COVID-19 waves."""
        out = np.ones((len(south), self.T))
        for period, (north_m, south_m) in COVID.items():
            t = self.idx(period)
            if t < self.T:
                out[:, t] = np.where(south, south_m, north_m)
        return out

    def named_path(self, name: str) -> np.ndarray:
        return self.path(PATHS[name])

    def ytd(self, flows: np.ndarray) -> np.ndarray:
        """Year-to-date sums of monthly flows (last axis = months)."""
        shape = flows.shape
        return np.cumsum(flows.reshape(*shape[:-1], -1, 12), axis=-1).reshape(shape)
