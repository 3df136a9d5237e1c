"""Generate the underlying demo series at the level of the 63 provinces.

Every indicator is generated for every month from 2018 (warm-up) to December
of the last year, for the 63 provinces (or one national series when the
indicator is national only). Flows are kept as monthly amounts; the reported
year-to-date figures are their running sums within the year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.demo.clock import Y0, Clock, stable_rng
from etl.demo.geo import Geo
from etl.demo.kinds import F, R, S
from etl.demo.profiles import PINS, SHARE_PINS, P

NATIONAL_SUFFIX = "@00"  # a national-only variant of a province indicator


@dataclass
class Gen:
    kind: str  # flow | stock | rate
    old: np.ndarray  # (P, T); monthly amounts for flows
    weights: np.ndarray  # (P,) for size-weighted means
    nat_path: np.ndarray | None = None


def default_profile(row: dict) -> dict:
    """A plain profile for an indicator the demo tables do not describe."""
    if row["measure"] == "rate":
        lo = float(row["min_value"]) if row["min_value"] else 0.0
        hi = float(row["max_value"]) if row["max_value"] else lo + 100.0
        return R(
            (lo + hi) / 2 if hi - lo <= 100 else lo + 10,
            sd=(hi - lo) / 10,
            noise=(hi - lo) / 100,
        )
    if row["measure"] == "stock":
        return S(10_000)
    return F(10_000)


class Builder:
    def __init__(self, geo: Geo, catalog: dict[str, dict], seed: int, clock: Clock):
        self.geo, self.catalog, self.seed, self.c = geo, catalog, seed, clock
        self.gens: dict[str, Gen] = {}
        self.profiles = {
            code: P.get(code) or default_profile(row)
            for code, row in catalog.items()
            if row["aggregation"] != "ratio"
        }
        for code in list(self.profiles):
            for dep in self.deps(code):
                self.profiles.setdefault(dep, P[dep])
        self.old_index = {u.code: i for i, u in enumerate(geo.old)}

    # -- structure ---------------------------------------------------------
    def deps(self, code: str) -> list[str]:
        sp = self.profiles.get(code) or P[code]
        if sp["kind"] == "D":
            return [sp["base"]]
        if sp["kind"] == "X":
            return [
                a
                for a in sp["args"]
                if isinstance(a, str) and (a in P or a in self.catalog)
            ]
        return []

    def order(self) -> list[str]:
        done: list[str] = []

        def visit(code: str) -> None:
            if code in done:
                return
            for dep in self.deps(code):
                visit(dep)
            done.append(code)

        for code in sorted(self.profiles):
            visit(code)
        return done

    def national_only(self, code: str) -> bool:
        if code.endswith(NATIONAL_SUFFIX):
            return True
        row = self.catalog.get(code)
        if row is None:  # a hidden helper follows what uses it
            return False
        return "province" not in row["levels"]

    def freq(self, code: str) -> str:
        return self.catalog[code]["frequency"] if code in self.catalog else "month"

    def weights(self, basis: str, code: str) -> np.ndarray:
        return np.ones(1) if self.national_only(code) else self.geo.weights(basis)

    # -- generation --------------------------------------------------------
    def build(self) -> None:
        for code in self.order():
            sp = self.profiles[code]
            if sp["kind"] == "X" and sp["op"] == "plan":
                continue  # after the targets
            make = {
                "F": self._flow,
                "S": self._stock,
                "R": self._rate,
                "D": self._derived,
                "X": self._transform,
            }[sp["kind"]]
            self.gens[code] = make(code, sp)
            self._pin(code)

    def _ctx(self, code: str):
        if self.national_only(code):
            return 1, np.zeros(1, dtype=bool), np.zeros(1), [""]
        g = self.geo
        return len(g.old), g.south, g.dev, [u.region for u in g.old]

    def _levels(self, lv, g: float) -> np.ndarray:
        """National amount per generated year."""
        years = self.c.years
        if not isinstance(lv, dict):
            return lv * (1 + g) ** (years - 2019)
        known = sorted(lv)
        out = []
        for y in years:
            if y in lv:
                out.append(lv[y])
            elif y > known[-1]:
                out.append(lv[known[-1]] * (1 + g) ** (y - known[-1]))
            else:
                out.append(lv[known[0]] / (1 + g) ** (known[0] - y))
        return np.array(out, dtype=float)

    def _shares(self, code: str, basis: str, sd: float, n: int, rng) -> np.ndarray:
        if n == 1:
            return np.ones(1)
        share = self.geo.weights(basis) * np.exp(rng.normal(0, sd, n))
        return share / share.sum()

    def _flow(self, code: str, sp: dict) -> Gen:
        c, rng = self.c, stable_rng(self.seed, code, "flow")
        n, south, _, _ = self._ctx(code)
        years = c.year - Y0
        share = self._shares(code, sp["w"], sp.get("idio", 0.25), n, rng)
        drift = np.ones((n, len(c.years)))
        if n > 1:
            steps = rng.normal(0, 0.03, drift.shape)
            steps[:, 0] = 0
            drift = np.exp(np.cumsum(steps, axis=1))
            drift /= (share[:, None] * drift).sum(axis=0, keepdims=True)
        sm = np.tile(c.season(sp["season"]), (n, 1))
        if sp["covid"]:
            sm *= c.covid(south) ** sp["covid"]
        if sp["path"]:
            sm *= c.named_path(sp["path"])[None, :]
        if isinstance(sp["lv"], dict):  # the yearly totals are given: keep them
            blocks = sm.reshape(n, -1, 12)
            sm = (blocks / blocks.mean(axis=2, keepdims=True)).reshape(n, -1)
        sd = sp["sd"]
        noise = np.exp(rng.normal(0, sd, (n, c.T)) - sd * sd / 2)
        level = self._levels(sp["lv"], sp["g"]) / 12
        flows = level[years][None, :] * share[:, None] * drift[:, years] * sm * noise
        if self.is_int(code):
            flows = np.floor(flows + rng.random(flows.shape))
        return Gen("flow", flows, self.weights(sp["w"], code))

    def _stock(self, code: str, sp: dict) -> Gen:
        c, rng = self.c, stable_rng(self.seed, code, "stock")
        n = self._ctx(code)[0]
        t = np.arange(c.T, dtype=float)
        lv, g = sp["lv"], sp["g"]
        if isinstance(lv, dict):
            xs, ys = c.anchors(lv, year_month=12)
        else:
            xs, ys = np.array([c.idx("2019-12")], dtype=float), np.array([float(lv)])
        if sp["lin"] or (ys <= 0).any():
            base = np.interp(t, xs, ys)
        else:
            base = np.exp(np.interp(t, xs, np.log(ys)))
        rate = np.log1p(g) / 12
        base = np.where(t > xs[-1], ys[-1] * np.exp(rate * (t - xs[-1])), base)
        base = np.where(t < xs[0], ys[0] * np.exp(rate * (t - xs[0])), base)
        share = self._shares(code, sp["w"], sp["idio"], n, rng)
        steps = rng.normal(0, sp["sd"] / np.sqrt(12), (n, c.T))
        walk = np.exp(np.cumsum(steps, axis=1))
        values = base[None, :] * share[:, None] * walk
        if self.is_int(code):
            values = np.round(values)
        if sp["start"]:
            values[:, : c.idx(sp["start"])] = np.nan
        return Gen("stock", values, self.weights(sp["w"], code))

    def _rate(self, code: str, sp: dict) -> Gen:
        c, rng = self.c, stable_rng(self.seed, code, "rate")
        n, south, dev, regions = self._ctx(code)
        base = c.path(sp["path"], 12 if self.freq(code) == "year" else 6)
        w = self.weights(sp["w"], code)
        offsets = np.zeros(n)
        if n > 1:
            rho = sp["dev"]
            own = rng.normal(0, 1, n)
            offsets = sp["sd"] * (rho * dev + np.sqrt(1 - rho * rho) * own)
            offsets += np.array([(sp["reg"] or {}).get(r, 0.0) for r in regions])
            offsets -= (w * offsets).sum()
        extra = np.zeros((n, c.T))
        extra += (c.tet * sp["tet"] + np.roll(c.tet, 1) * sp["post"])[None, :]
        for period, (north_add, south_add) in (sp["shock"] or {}).items():
            if c.idx(period) < c.T:
                extra[:, c.idx(period)] += np.where(south, south_add, north_add)
        season = np.array(sp["season"] or [0.0 if sp["mode"] == "add" else 1.0] * 12)
        season = season[c.month - 1][None, :]
        noise = rng.normal(0, sp["noise"], (n, c.T))
        if sp["mode"] == "add":
            values = base[None, :] + offsets[:, None] + season + extra + noise
        else:
            values = base[None, :] * np.exp(offsets[:, None] + noise) * season + extra
        values = self._clip(code, values, sp["lo"], sp["hi"])
        nat = None
        if sp["nat"] == "path":
            nat = self._clip(
                code, base + rng.normal(0, sp["noise"] * 0.3, c.T), sp["lo"], sp["hi"]
            )
        if sp["start"]:
            values[:, : c.idx(sp["start"])] = np.nan
        return Gen("rate", values, w, nat)

    def _derived(self, code: str, sp: dict) -> Gen:
        c, rng = self.c, stable_rng(self.seed, code, "derived")
        base = self.gens[sp["base"]]
        n = base.old.shape[0]
        path = c.path(sp["share"], 12 if self.freq(code) == "year" else 6)
        share = path[None, :] + (rng.normal(0, sp["sd"], n)[:, None] if n > 1 else 0)
        share = share + rng.normal(0, sp["noise"], (n, c.T))
        share = np.clip(share, sp["lo"], sp["hi"])
        for pin_code, unit, first, last, value in SHARE_PINS:
            if pin_code == code and unit in self.old_index and n > 1:
                share[self.old_index[unit], c.idx(first) : c.idx(last) + 1] = value
        values = base.old * share
        if self.is_int(code):
            values = np.round(values)
        return Gen(base.kind, values, base.weights)

    def _transform(self, code: str, sp: dict) -> Gen:
        c, op, args = self.c, sp["op"], sp["args"]
        rng = stable_rng(self.seed, code, "x")
        g = self.gens.get(args[0]) if isinstance(args[0], str) else None
        w = self.weights("grdp", code)
        with np.errstate(divide="ignore", invalid="ignore"):
            if op in ("yoy", "mom"):
                lag = 12 if op == "yoy" else 1
                v = np.full_like(g.old, np.nan)
                v[:, lag:] = g.old[:, lag:] / g.old[:, :-lag] * 100
                return Gen("rate", self._clip(code, v), w)
            if op in ("ytd_yoy", "ytd_growth"):
                ytd = c.ytd(g.old)
                v = np.full_like(ytd, np.nan)
                v[:, 12:] = ytd[:, 12:] / ytd[:, :-12] * 100
                return Gen("rate", self._clip(code, v - (op == "ytd_growth") * 100), w)
        if op == "cum":
            monthly = (1 + g.old / 100).reshape(g.old.shape[0], -1, 12)
            growth = np.cumprod(monthly, axis=2)
            return Gen("rate", (growth.reshape(g.old.shape) - 1) * 100, g.weights)
        if op in ("diff", "sum"):
            other = self.gens[args[1]].old
            combined = g.old - other if op == "diff" else g.old + other
            return Gen(g.kind, combined, g.weights)
        if op == "ytd_pct":
            ends = self._levels(args[0], 0.0)[c.year - Y0]
            v = ends * (c.month / 12) ** 1.15 + rng.normal(0, 0.3, c.T)
            v -= 0.5 * (c.month == 1)  # January often dips below December
            return Gen("rate", v[None, :], np.ones(1))
        if op == "credit":
            growth = g.old[0] / 100
            level, out = float(args[1]), np.zeros(c.T)
            for t in range(c.T):
                out[t] = level * (1 + growth[t])
                if c.month[t] == 12:
                    level = out[t]
            return Gen("stock", out[None, :], np.ones(1))
        raise ValueError(f"unknown transform {op} for {code}")

    def national_stock(self, code: str, spec: dict) -> np.ndarray:
        """A national-only stock series for a province indicator (portal counts)."""
        return self._stock(code + NATIONAL_SUFFIX, spec).old[0]

    def fill_plans(self, plans: dict[str, np.ndarray]) -> None:
        """Stocks equal to the year's plan of another indicator (NS.04, DT.03)."""
        for code, sp in self.profiles.items():
            if sp["kind"] == "X" and sp["op"] == "plan" and sp["args"][0] in plans:
                per_year = plans[sp["args"][0]]
                base = self.gens[sp["args"][0]]
                self.gens[code] = Gen(
                    "stock", per_year[:, self.c.year - Y0], base.weights
                )

    # -- helpers -----------------------------------------------------------
    def is_int(self, code: str) -> bool:
        code = code.removesuffix(NATIONAL_SUFFIX)
        return self.catalog.get(code, {}).get("integer") == "true"

    def _clip(self, code: str, values: np.ndarray, lo=None, hi=None) -> np.ndarray:
        row = self.catalog.get(code.removesuffix(NATIONAL_SUFFIX), {})
        bounds_lo = [b for b in (lo, row.get("min_value")) if b not in (None, "")]
        bounds_hi = [b for b in (hi, row.get("max_value")) if b not in (None, "")]
        if bounds_lo:
            values = np.maximum(values, max(float(b) for b in bounds_lo))
        if bounds_hi:
            values = np.minimum(values, min(float(b) for b in bounds_hi))
        return values

    def _pin(self, code: str) -> None:
        """Put the real figures of seed_facts.csv in place, exactly."""
        g, c = self.gens[code], self.c
        for pin_code, unit, period, value in PINS:
            if (
                pin_code != code
                or unit not in self.old_index
                or self.national_only(code)
                or c.idx(period) >= c.T
            ):
                continue
            p, t = self.old_index[unit], c.idx(period)
            if g.kind == "rate":
                g.old[p, t] = value
            elif g.kind == "stock":
                g.old[p] *= value / g.old[p, t]
                if self.is_int(code):
                    g.old[p] = np.round(g.old[p])
                g.old[p, t] = value
                sp = self.profiles[code]
                if sp["kind"] == "D":  # stays within its base
                    g.old[p] = np.minimum(g.old[p], self.gens[sp["base"]].old[p])
            else:
                self._pin_flow(code, p, t, value)

    def _pin_flow(self, code: str, p: int, t: int, value: float) -> None:
        """Scale the year's flows so that the year to date at t is `value`."""
        sp, start = self.profiles[code], t - t % 12
        scaled = [self.gens[code]]
        if sp["kind"] == "D":  # keep the part below its whole
            scaled.append(self.gens[sp["base"]])
        factor = value / self.gens[code].old[p, start : t + 1].sum()
        for g in scaled:
            g.old[p, start : start + 12] *= factor
            if self.is_int(code):
                g.old[p, start : start + 12] = np.round(g.old[p, start : start + 12])
        g = self.gens[code]
        g.old[p, t] += value - g.old[p, start : t + 1].sum()
