"""Reported demo values: the 63, the 34, the nation and the demo communes.

Post-reform figures are the 63-province series aggregated to the 34 (sums for
additive indicators, size-weighted means for rates), so history stays
comparable across the merger.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from etl.demo.clock import stable_rng
from etl.demo.profiles import NATIONAL_TOTALS, PINS
from etl.demo.series import Builder

COMMUNE_PROVINCES = ("22", "40", "01")
COMMUNES_EACH = 4


@dataclass
class Values:
    old: dict[str, np.ndarray] = field(default_factory=dict)  # (63, T)
    new: dict[str, np.ndarray] = field(default_factory=dict)  # (34, T)
    nat: dict[str, np.ndarray] = field(default_factory=dict)  # (T,)
    com: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    communes: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    decimals: dict[str, int] = field(default_factory=dict)
    flows34: dict[str, np.ndarray] = field(default_factory=dict)


def decimals_for(values: np.ndarray, integer: bool) -> int:
    if integer:
        return 0
    finite = np.abs(values[np.isfinite(values)])
    top = finite.max() if finite.size else 0.0
    return 1 if top >= 100 else 2 if top >= 1 else 3


def _wmean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    ok = np.isfinite(values)
    w = np.where(ok, weights[:, None], 0.0)
    with np.errstate(invalid="ignore"):
        return (np.where(ok, values, 0.0) * w).sum(0) / w.sum(0)


def finalize(b: Builder, seed: int) -> Values:
    c, geo, out = b.c, b.geo, Values()
    reported = [
        code for code, row in b.catalog.items() if row["aggregation"] != "ratio"
    ]
    for code in sorted(reported):
        g = b.gens[code]
        integer = b.is_int(code)
        if b.national_only(code):
            nat = c.ytd(g.old)[0] if g.kind == "flow" else g.old[0]
            out.nat[code] = nat
            out.decimals[code] = decimals_for(nat, integer)
            continue
        if g.kind == "flow":
            old = c.ytd(g.old)
            out.flows34[code] = geo.aggregate(g.old, "sum", g.weights)
            new = c.ytd(out.flows34[code])
        elif g.kind == "stock":
            old, new = g.old, geo.aggregate(g.old, "sum", g.weights)
        else:
            old = g.old  # a rate not yet measured is missing everywhere at once
            new = geo.aggregate(g.old, "mean", g.weights)
        if integer:
            new = np.round(new)
        out.old[code], out.new[code] = old, new
        out.decimals[code] = decimals_for(old, integer)
        nat = _national(b, code, g, old, seed)
        if nat is not None:
            out.nat[code] = nat
    for pin_code, unit, period, value in PINS:
        if unit == "00" and pin_code in out.nat and c.idx(period) < c.T:
            out.nat[pin_code][c.idx(period)] = value
    _communes(b, out, seed)
    for table in (out.old, out.new, out.nat):
        for code, arr in table.items():
            table[code] = np.round(arr, out.decimals[code])
    for code, per_commune in out.com.items():
        for key, arr in per_commune.items():
            per_commune[key] = np.round(arr, out.decimals[code])
    return out


def _national(b: Builder, code: str, g, old: np.ndarray, seed: int):
    """The national figure a ministry reports, or None when it is rolled up."""
    row = b.catalog[code]
    if "national" not in row["levels"]:
        return None
    if g.kind == "rate":
        return g.nat_path if g.nat_path is not None else _wmean(old, g.weights)
    if code not in NATIONAL_TOTALS:
        return None
    spec = NATIONAL_TOTALS[code]
    if spec is None:
        rng = stable_rng(seed, code, "national")
        total = np.nansum(old, axis=0) * (1 + rng.normal(0, 0.003, old.shape[1]))
    else:
        total = b.national_stock(code, spec)
    return np.round(total) if b.is_int(code) else total


def _communes(b: Builder, out: Values, seed: int) -> None:
    """Four communes of each demo province in each era, shares of the province."""
    c, geo = b.c, b.geo
    codes = [
        code
        for code in b.order()
        if code in b.catalog
        and "commune" in b.catalog[code]["levels"]
        and b.catalog[code]["aggregation"] != "ratio"
    ]
    old_index = {u.code: i for i, u in enumerate(geo.old)}
    new_index = {u.code: i for i, u in enumerate(geo.new)}
    flows: dict[tuple[str, str], np.ndarray] = {}
    for prov in COMMUNE_PROVINCES:
        for era in ("old", "new"):
            pool = geo.commune_pool.get((prov, era), [])
            index = old_index if era == "old" else new_index
            if not pool or prov not in index:
                continue
            rng = stable_rng(seed, "communes", prov, era)
            picked = sorted(
                rng.choice(
                    pool, size=min(COMMUNES_EACH, len(pool)), replace=False
                ).tolist()
            )
            out.communes[(prov, era)] = picked
            p = index[prov]
            for commune in picked:
                crng = stable_rng(seed, "commune", commune, era)
                size = np.exp(crng.normal(0, 0.4)) / len(pool)
                for code in codes:
                    sp, g = b.profiles[code], b.gens[code]
                    if g.kind == "flow":
                        prov_flows = (g.old if era == "old" else out.flows34[code])[p]
                        if sp["kind"] == "D":
                            base = sp["base"]
                            base_prov = (
                                b.gens[base].old if era == "old" else out.flows34[base]
                            )[p]
                            with np.errstate(invalid="ignore", divide="ignore"):
                                ratio = np.nan_to_num(prov_flows / base_prov)
                            f = flows[(base, commune)] * ratio
                            f = np.round(f) if b.is_int(code) else f
                        else:
                            f = prov_flows * size * np.exp(crng.normal(0, 0.1, c.T))
                            if b.is_int(code):
                                f = np.floor(f + crng.random(c.T))
                        flows[(code, commune)] = f
                        value = c.ytd(f)
                    else:
                        prov_values = (out.old if era == "old" else out.new)[code][p]
                        if g.kind == "stock":
                            value = prov_values * size
                        elif sp.get("mode") == "mult":
                            value = prov_values * np.exp(crng.normal(0, sp["sd"] / 2))
                        else:
                            value = (
                                prov_values
                                + crng.normal(0, sp["sd"] / 2)
                                + crng.normal(0, sp["noise"], c.T)
                            )
                        value = b._clip(code, value, sp.get("lo"), sp.get("hi"))
                        if b.is_int(code):
                            value = np.round(value)
                    out.com.setdefault(code, {})[commune] = value
