"""Annual targets of the demo: plans, minimums and maximums.

A `plan` is the year's expected amount divided by a ratio drawn so that about
60 % of provinces end the year on track, 25 % at risk and 15 % off track; a
`min`/`max` is the expected value moved the same way. Some targets are policy
numbers (GRDP growth at least 6-8 %, CPI at most 4 %, CPS.03 at least 30 % in
2020 ...), the same for every province give or take a little.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from etl.demo.clock import Y0, stable_rng
from etl.demo.kinds import yrs
from etl.demo.profiles import PLAN_PCT_PINS, PLAN_PINS
from etl.demo.series import Builder
from etl.demo.values import decimals_for

# code -> ({year: national target}, province spread (low, high) added to it)
POLICY: dict[str, tuple[dict[int, float], tuple[float, float]]] = {
    "KT.01": (yrs(6.8, 6.8, 6.0, 6.0, 6.5, 6.0, 8.0, 10.0), (-0.5, 1.5)),
    "KT.10": (yrs(6.8, 6.8, 6.0, 6.0, 6.5, 6.0, 8.0, 10.0), (0, 0)),
    "KT.04": (yrs(4, 4, 4, 4, 4.5, 4.5, 4.5, 4.5), (-0.5, 0.5)),
    "KT.08": (yrs(4, 4, 4, 4, 4.5, 4.5, 4.5, 4.5), (0, 0)),
    "KT.16": (yrs(5.5, 5.5, 5.5, 5.5, 5.0, 5.0, 5.5, 6.0), (-0.5, 1.0)),
    "NN.11": (yrs(2.5, 2.8, 2.8, 2.8, 3.0, 3.0, 3.0, 3.2), (-0.5, 1.0)),
    "CT.01": (yrs(108, 108, 107, 107, 107, 108, 109, 110), (-2, 3)),
    "CT.06": (yrs(109, 109, 108, 108, 108, 109, 110, 111), (-2, 3)),
    "CT.11": (yrs(10, 10, 8, 8, 9, 9, 10, 10), (-1, 2)),
    "TD.01": (yrs(14, 14, 12, 14, 14.5, 15, 16, 15), (0, 0)),
    "TD.06": (yrs(3, 3, 3, 3, 3, 3, 3, 3), (0, 0)),
    "NS.13": (yrs(3.6, 3.44, 4.0, 4.0, 4.4, 3.6, 3.8, 4.2), (0, 0)),
    "NS.14": (yrs(65, 65, 60, 60, 60, 60, 60, 60), (0, 0)),
    "CPS.03": (
        {2020: 30, 2021: 50, 2022: 70, 2023: 80, 2024: 90, 2025: 95, 2026: 95},
        (0, 0),
    ),
    "CPS.07": (yrs(90, 95, 95, 95, 97, 97, 98, 98), (0, 2)),
}
# Probabilities of (on track, at risk, off track) and the ratio actual / plan
# drawn in each case.
PLAN_MIX = {
    "default": ([0.60, 0.25, 0.15], [(0.97, 1.12), (0.86, 0.94), (0.72, 0.84)]),
    "revenue": ([0.75, 0.17, 0.08], [(1.00, 1.15), (0.86, 0.94), (0.75, 0.84)]),
    "invest": ([0.50, 0.30, 0.20], [(0.95, 1.00), (0.86, 0.94), (0.70, 0.84)]),
}
REVENUE = {"NS.01", "NS.02", "NS.09", "NS.10"}
# Plans set before COVID-19 hit (or hoping for a reopening): the expected amount
# behind the plan is this many times what the year actually brought.
PLAN_HOPES = {
    "DL.01": {2020: 5.0, 2021: 6.0, 2022: 1.6},
    "DL.02": {2020: 1.4, 2021: 1.7},
    "DL.03": {2020: 2.0, 2021: 2.5},
    "CT.02": {2021: 1.08},
    "LD.04": {2020: 1.6, 2021: 2.5},
    "DN.01": {2021: 1.15},
}
INVEST = {"DT.01", "NS.11", "DT.09"}


@dataclass
class Targets:
    years: list[int]
    old: dict[str, np.ndarray] = field(default_factory=dict)  # (63, Y)
    new: dict[str, np.ndarray] = field(default_factory=dict)  # (34, Y)
    nat: dict[str, np.ndarray] = field(default_factory=dict)  # (Y,)


def annual(b: Builder, code: str, arr: np.ndarray, kind: str) -> np.ndarray:
    """(P, T) -> (P, Y): the year's amount, year-end level or mean rate."""
    n = arr.shape[0]
    if kind == "flow":
        return arr.reshape(n, -1, 12).sum(axis=2)
    if kind == "stock" or b.freq(code) == "year":
        return arr[:, 11::12]
    blocks = arr.reshape(n, -1, 12)
    if b.freq(code) == "quarter":
        blocks = blocks[:, :, 2::3]
    with warnings.catch_warnings():  # a year before the first figure: NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(blocks, axis=2)


def _ratio_parts(b: Builder, code: str):
    row = b.catalog[code]
    return row["numerator"], row["denominator"], float(row["scale"] or 1)


def expected(b: Builder, code: str, level: str) -> np.ndarray | None:
    """Expected annual value per unit at a level: 'old', 'new' or 'nat'."""
    row, geo = b.catalog[code], b.geo
    if row["aggregation"] == "ratio":
        num, den, scale = _ratio_parts(b, code)
        n, d = expected(b, num, level), expected(b, den, level)
        if n is None or d is None:
            return None
        with np.errstate(all="ignore"):
            return n / d * scale
    g = b.gens.get(code)
    if g is None:
        return None
    yearly = annual(b, code, g.old, g.kind)
    if b.national_only(code):
        return yearly if level == "nat" else None
    if level == "old":
        return yearly
    if g.kind in ("flow", "stock"):
        merged = geo.aggregate(yearly, "sum", g.weights)
        return merged if level == "new" else np.nansum(yearly, axis=0, keepdims=True)
    if level == "new":
        return geo.aggregate(yearly, "mean", g.weights)
    if g.nat_path is not None:
        return annual(b, code, g.nat_path[None, :], "rate")
    w = g.weights[:, None]
    return (yearly * w).sum(axis=0, keepdims=True) / w.sum()


def _draw(rng, shape, target_type: str, mix: str, national: bool) -> np.ndarray:
    """Multipliers of the expected value that give the status mix."""
    probs, ranges = PLAN_MIX[mix]
    if national:
        probs = [0.7, 0.2, 0.1]
    elif target_type != "plan":  # monthly noise moves some on-track figures down
        probs = [0.66, 0.22, 0.12]
    cat = rng.choice(3, size=shape, p=probs)
    u = rng.random(shape)
    if target_type == "plan":
        lo = np.choose(cat, [r[0] for r in ranges])
        hi = np.choose(cat, [r[1] for r in ranges])
        return 1 / (lo + u * (hi - lo))
    if national:  # national targets are set closer to what is reachable
        near = np.choose(cat, [-(0.005 + 0.02 * u), 0.005 + 0.045 * u, 0.11 + 0.05 * u])
    else:
        near = np.choose(cat, [-(0.02 + 0.1 * u), 0.01 + 0.08 * u, 0.12 + 0.18 * u])
    return 1 + near if target_type == "min" else 1 - near


def build_targets(b: Builder, seed: int) -> Targets:
    years = list(range(2019, b.c.last_year + 1))
    cols = [y - Y0 for y in years]
    out = Targets(years)
    for code, row in sorted(b.catalog.items()):
        ttype = row["target_type"]
        if not ttype:
            continue
        ttype = "min" if ttype == "plan" and row["aggregation"] == "ratio" else ttype
        mix = (
            "revenue" if code in REVENUE else "invest" if code in INVEST else "default"
        )
        for level in ("old", "new", "nat"):
            if level == "nat" and "national" not in row["levels"]:
                continue
            if level != "nat" and "province" not in row["levels"]:
                continue
            exp = expected(b, code, level)
            if exp is None:
                continue
            exp = exp[:, cols]
            rng = stable_rng(seed, code, "target", level)
            if code in POLICY:
                values = _policy(code, years, exp.shape, rng, level == "nat")
            elif ttype == "plan" and level == "new" and code in out.old:
                values = b.geo.aggregate(
                    _full(out.old[code], cols, b), "sum", b.gens[code].weights
                )[:, cols]
            else:
                hopes = np.array([PLAN_HOPES.get(code, {}).get(y, 1.0) for y in years])
                values = exp * hopes * _draw(rng, exp.shape, ttype, mix, level == "nat")
                if ttype == "plan" and level == "nat" and code in out.old:
                    values = np.nansum(out.old[code], axis=0, keepdims=True) * (
                        0.97 + 0.03 * rng.random((1, len(years)))
                    )
            values = _within_reach(row, ttype, values, exp)
            values = b._clip(code, values)
            values = np.round(values, decimals_for(values, b.is_int(code)))
            if level == "old":
                _pin_plans(b, code, values, years)
            table = {"old": out.old, "new": out.new, "nat": out.nat}[level]
            table[code] = values if level != "nat" else values[0]
    return out


def _within_reach(row: dict, ttype: str, values: np.ndarray, exp: np.ndarray):
    """No minimum at the catalog's ceiling (a 100 % target for a 95 % rate)."""
    with np.errstate(invalid="ignore"):
        if ttype == "min" and row["max_value"]:
            hi = float(row["max_value"])
            capped = np.minimum(values, exp + 0.9 * (hi - exp))
            return np.where(exp < hi, capped, values)
        if ttype == "max" and row["min_value"] and row["measure"] == "rate":
            lo = float(row["min_value"])
            floored = np.maximum(values, exp - 0.9 * (exp - lo))
            return np.where(exp > lo, floored, values)
    return values


def _full(per_year: np.ndarray, cols: list[int], b: Builder) -> np.ndarray:
    """(P, len(years)) -> (P, all generated years) for aggregation."""
    full = np.zeros((per_year.shape[0], len(b.c.years)))
    full[:, cols] = per_year
    return full


def _policy(code: str, years: list[int], shape, rng, national: bool) -> np.ndarray:
    by_year, (lo, hi) = POLICY[code]
    values = np.full(shape, np.nan)
    for j, y in enumerate(years):
        if y not in by_year:
            continue
        spread = (
            0
            if national or (code == "CPS.03" and y == 2020)
            else np.round(lo + (hi - lo) * rng.random(shape[0]), 1)
        )
        values[:, j] = by_year[y] + spread
    return values


def _pin_plans(b: Builder, code: str, values: np.ndarray, years: list[int]) -> None:
    index = {u.code: i for i, u in enumerate(b.geo.old)}
    for (pin_code, unit, year), value in PLAN_PINS.items():
        if pin_code == code and year in years and unit in index:
            values[index[unit], years.index(year)] = value
    for (pin_code, unit, period), pct in PLAN_PCT_PINS.items():
        year = int(period[:4])
        if pin_code == code and year in years and unit in index:
            t = b.c.idx(period)
            ytd = b.gens[code].old[index[unit], t - t % 12 : t + 1].sum()
            values[index[unit], years.index(year)] = round(ytd / (pct / 100), 1)


def plans_for_stocks(b: Builder, targets: Targets) -> dict[str, np.ndarray]:
    """Per-year plans (63, all generated years) for NS.04-like stocks."""
    cols = [y - Y0 for y in targets.years]
    out = {}
    for code, values in targets.old.items():
        if b.catalog[code]["target_type"] == "plan":
            full = _full(values, cols, b)
            # years before the first target: the first plan
            full[:, : cols[0]] = values[:, :1]
            out[code] = full
    return out
