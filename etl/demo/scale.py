"""`python -m etl demo --scale national`: a warehouse the size of the real thing.

The normal demo writes tens of thousands of small, hand-shaped files for a
few years. This one writes what the national system holds: the whole catalog
(about 200 indicators, monthly, quarterly and yearly) for the nation and the
63 provinces (34 from July 2025) since January 2015, and the commune-level
indicators for every commune (10,051 before the reform, 3,321 after): about
9 million figures and 0.7 million corrections. The series are vectorised with
numpy; their magnitudes come from the demo profiles (etl.demo.profiles) and
the provinces' sizes from etl.demo.geo.

They are written as a few large files in the standard submission format
(comma CSV, unit codes, one file per year and level, one of targets and one
of corrections per level) under `<data dir>/demo/national/`, and loaded with
`etl.run.load_files` like any submission: the actuals and targets in one run,
the corrections in a second (so `observation_history` holds revisions).

Same seed, first year and `until`, same files byte for byte.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

import settings
from data.store import Layout
from etl.demo.build import read_catalog, resolve_until
from etl.demo.clock import stable_rng
from etl.demo.geo import Geo, load_geo
from etl.demo.profiles import P
from etl.demo.series import default_profile
from etl.demo.values import decimals_for
from etl.progress import say, track
from etl.run import RunResult, Submission, load_files

FIRST_YEAR = 2015
REFORM = date.fromisoformat(settings.REFORM_FIRST_NEW_DAY)
REVISED_SHARE = 0.08  # actual figures corrected in the second run


# -- the time axis ---------------------------------------------------------------


@dataclass(frozen=True)
class Axis:
    """Months from January `first` to December `last`."""

    first: int
    last: int

    @property
    def T(self) -> int:
        return 12 * (self.last - self.first + 1)

    def periods(self, freq: str, until: str) -> list[tuple[str, int, int]]:
        """(period, first month index, last month index) ended by `until`."""
        uy, um = int(until[:4]), int(until[5:7])
        out = []
        for year in range(self.first, self.last + 1):
            base = 12 * (year - self.first)
            if freq == "month":
                out += [
                    (f"{year}-{m:02d}", base + m - 1, base + m - 1)
                    for m in range(1, 13)
                    if (year, m) <= (uy, um)
                ]
            elif freq == "quarter":
                out += [
                    (f"{year}-Q{q}", base + 3 * q - 3, base + 3 * q - 1)
                    for q in range(1, 5)
                    if (year, 3 * q) <= (uy, um)
                ]
            elif (year, 12) <= (uy, um):
                out.append((str(year), base, base + 11))
        return out


def era_of(period: str) -> str:
    year = int(period[:4])
    last = (
        12
        if len(period) == 4
        else int(period[6]) * 3
        if "Q" in period
        else int(period[5:7])
    )
    return "old" if (year, last) < (REFORM.year, REFORM.month) else "new"


# -- the latent monthly series -------------------------------------------------------


def _level(code: str, row: dict, profiles: dict) -> float:
    """A national monthly amount (flows), level (stocks) or mean (rates)."""
    sp = profiles.get(code) or default_profile(row)
    if sp["kind"] == "D":
        return _level(sp["base"], row, profiles) * 0.5
    value = sp.get("lv", sp.get("path"))
    if isinstance(value, dict):
        value = float(np.mean(list(value.values())))
    if not isinstance(value, int | float):
        return 10_000.0
    return float(value) / (12 if sp["kind"] == "F" else 1)


def latent(
    code: str, row: dict, geo: Geo, axis: Axis, seed: int, national_only: bool
) -> tuple[str, np.ndarray, np.ndarray]:
    """(kind, (n, T) monthly values for the 63 or the nation, weights (n,))."""
    rng = stable_rng(seed, "scale", code)
    n = 1 if national_only else len(geo.old)
    weights = np.ones(1) if national_only else geo.weights("mixed")
    t = np.arange(axis.T)
    month = t % 12
    measure = row["measure"]
    lo = float(row["min_value"]) if row["min_value"] else None
    hi = float(row["max_value"]) if row["max_value"] else None
    if measure == "rate":
        lo_, hi_ = (lo if lo is not None else 0.0), (hi if hi is not None else None)
        span = (hi_ - lo_) if hi_ is not None else max(abs(_level(code, row, P)), 10.0)
        centre = (
            _level(code, row, P)
            if code in P and P[code]["kind"] == "R"
            else lo_ + span * rng.uniform(0.3, 0.7)
        )
        if hi_ is not None:
            centre = min(max(centre, lo_ + 0.05 * span), hi_ - 0.05 * span)
        spread = rng.normal(0, span * 0.06, (n, 1)) if n > 1 else np.zeros((n, 1))
        trend = np.linspace(-1, 1, axis.T)[None, :] * span * rng.normal(0, 0.03)
        season = np.sin(2 * np.pi * month / 12)[None, :] * span * 0.01
        noise = rng.normal(0, span * 0.015, (n, axis.T))
        values = centre + spread + trend + season + noise
        return "rate", np.clip(values, lo_, hi_ if hi_ is not None else np.inf), weights
    level = abs(_level(code, row, P)) or 1000.0
    share = weights * np.exp(rng.normal(0, 0.25, n)) if n > 1 else np.ones(1)
    share = share / share.sum()
    growth = (1 + rng.uniform(0.0, 0.08)) ** ((t - 12 * (2019 - axis.first)) / 12)
    if measure == "stock":
        walk = np.exp(np.cumsum(rng.normal(0, 0.01, (n, axis.T)), axis=1))
        return "stock", level * share[:, None] * growth[None, :] * walk, weights
    season = 1 + 0.15 * np.sin(2 * np.pi * (month - 2) / 12) + 0.4 * (month == 11)
    noise = np.exp(rng.normal(0, 0.08, (n, axis.T)))
    return "flow", level * share[:, None] * (growth * season)[None, :] * noise, weights


def aggregate(geo: Geo, kind: str, values: np.ndarray, weights: np.ndarray):
    """The 63 -> the 34, as the demo does (sums, or size-weighted means)."""
    return geo.aggregate(values, "mean" if kind == "rate" else "sum", weights)


def report(
    kind: str, measure: str, values: np.ndarray, periods: list[tuple[str, int, int]]
) -> np.ndarray:
    """(n, T) monthly latent values -> (n, len(periods)) as reported."""
    first = np.array([p[1] for p in periods], dtype=int)
    last = np.array([p[2] for p in periods], dtype=int)
    if kind in ("stock",):
        return values[:, last]
    if kind == "rate":
        if (last == first).all():
            return values[:, last]
        csum = np.concatenate(
            [np.zeros((values.shape[0], 1)), values.cumsum(axis=1)], 1
        )
        return (csum[:, last + 1] - csum[:, first]) / (last - first + 1)
    # flows: the period's amount, or the year to date at its end
    csum = np.concatenate([np.zeros((values.shape[0], 1)), values.cumsum(axis=1)], 1)
    start = first if measure == "flow" else last - last % 12
    return csum[:, last + 1] - csum[:, start]


# -- rows, files ---------------------------------------------------------------------


@dataclass
class Chunks:
    """Rows of one file, as column chunks (codes are indexes into shared lists)."""

    indicator: list[np.ndarray] = field(default_factory=list)
    unit: list[np.ndarray] = field(default_factory=list)
    period: list[np.ndarray] = field(default_factory=list)
    value: list[np.ndarray] = field(default_factory=list)
    decimals: list[np.ndarray] = field(default_factory=list)

    def add(
        self,
        ind: int,
        units: np.ndarray,
        periods: np.ndarray,
        values: np.ndarray,
        dec: int,
    ) -> None:
        """values (len(units), len(periods)); NaN cells are left out."""
        uu, pp = np.meshgrid(units, periods, indexing="ij")
        ok = np.isfinite(values)
        self.indicator.append(np.full(int(ok.sum()), ind, np.int16))
        self.unit.append(uu[ok].astype(np.int32))
        self.period.append(pp[ok].astype(np.int16))
        self.value.append(values[ok].astype(np.float64))
        self.decimals.append(np.full(int(ok.sum()), dec, np.int8))

    @property
    def n(self) -> int:
        return sum(len(a) for a in self.value)

    def table(self, names: Names) -> pa.Table:
        def cat(parts, dtype):
            return np.concatenate(parts) if parts else np.zeros(0, dtype)

        return pa.table(
            {
                "indicator_code": pa.DictionaryArray.from_arrays(
                    cat(self.indicator, np.int16), names.indicators
                ),
                "unit_code": pa.DictionaryArray.from_arrays(
                    cat(self.unit, np.int32), names.units
                ),
                "period": pa.DictionaryArray.from_arrays(
                    cat(self.period, np.int16), names.periods
                ),
                "value": cat(self.value, np.float64),
                "decimals": cat(self.decimals, np.int8),
            }
        )


@dataclass
class Names:
    indicators: list[str]
    units: list[str]
    periods: list[str]


_VALUE_SQL = (
    "CASE decimals WHEN 0 THEN printf('%.0f', value) "
    "WHEN 1 THEN printf('%.1f', value) WHEN 2 THEN printf('%.2f', value) "
    "ELSE printf('%.3f', value) END"
)


def write_csv(path: Path, table: pa.Table, kind: str | None = None) -> int:
    """Write rows in the submission format (comma CSV); returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.register("rows_arrow", table)
        extra = f", '{kind}' AS kind" if kind else ""
        con.execute(
            f"COPY (SELECT indicator_code::VARCHAR AS indicator_code, "
            f"unit_code::VARCHAR AS unit_code, period::VARCHAR AS period, "
            f"{_VALUE_SQL} AS value{extra} FROM rows_arrow) "
            f"TO '{path}' (HEADER, DELIMITER ',')"
        )
    finally:
        con.close()
    return table.num_rows


@dataclass
class ScaleFiles:
    main: list[Submission] = field(default_factory=list)
    corrections: list[Submission] = field(default_factory=list)
    rows: int = 0
    revised_rows: int = 0


def _commune_shares(geo: Geo, seed: int, share: float) -> dict[str, tuple]:
    """Per era: commune codes, their parent's index, their share of the parent."""
    out = {}
    for era, provinces in (("old", geo.old), ("new", geo.new)):
        codes, parents, shares = [], [], []
        for p, unit in enumerate(provinces):
            pool = geo.commune_pool.get((unit.code, era), [])
            if share < 1:
                keep = max(1, round(len(pool) * share)) if pool else 0
                pool = pool[:keep]
            rng = stable_rng(seed, "scale-communes", unit.code, era)
            size = np.exp(rng.normal(0, 0.5, len(pool)))
            codes += pool
            parents += [p] * len(pool)
            shares.append(size / size.sum() if len(pool) else size)
        out[era] = (
            codes,
            np.array(parents, dtype=int),
            np.concatenate(shares) if shares else np.zeros(0),
        )
    return out


def generate(
    root: Path,
    seed: int = 7,
    until: str | None = None,
    first_year: int = FIRST_YEAR,
    commune_share: float = 1.0,
    now: datetime | None = None,
) -> ScaleFiles:
    """Write the national-scale submission files under root (loading nothing)."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    until = resolve_until(until, now)
    axis = Axis(first_year, int(until[:4]))
    catalog, geo = read_catalog(), load_geo()
    communes = _commune_shares(geo, seed, commune_share)
    unit_codes = (
        ["00"]
        + [u.code for u in geo.old]
        + [u.code for u in geo.new]
        + communes["old"][0]
        + communes["new"][0]
    )
    offset = {
        "old": 1,
        "new": 1 + len(geo.old),
        "c_old": 1 + len(geo.old) + len(geo.new),
    }
    offset["c_new"] = offset["c_old"] + len(communes["old"][0])
    period_list = sorted(
        {p for f in ("month", "quarter") for p, _, _ in axis.periods(f, until)}
        | {str(y) for y in range(axis.first, axis.last + 1)}
    )
    period_index = {p: i for i, p in enumerate(period_list)}
    codes = sorted(c for c, r in catalog.items() if r["aggregation"] != "ratio")
    names = Names(sorted(catalog), unit_codes, period_list)
    ind_index = {c: i for i, c in enumerate(names.indicators)}
    files: dict[tuple[int, str], Chunks] = {}
    targets = Chunks()
    say(
        f"Generating national-scale series {first_year}-01 .. {until} "
        f"({len(codes)} indicators, {len(communes['old'][0])} + "
        f"{len(communes['new'][0])} communes) ..."
    )
    series: dict[str, tuple] = {}
    for code in codes:
        row = catalog[code]
        national_only = "province" not in row["levels"]
        series[code] = latent(code, row, geo, axis, seed, national_only)
    _derive_numerators(catalog, series, seed)
    for code in track(codes, "Series"):
        row = catalog[code]
        kind, values, weights = series[code]
        periods = axis.periods(row["frequency"], until)
        eras = np.array([era_of(p) for p, _, _ in periods])
        pidx = np.array([period_index[p] for p, _, _ in periods], dtype=np.int16)
        years = np.array([int(p[:4]) for p, _, _ in periods])
        integer = row["integer"] == "true"
        lo = float(row["min_value"]) if row["min_value"] else -np.inf
        hi = float(row["max_value"]) if row["max_value"] else np.inf
        if integer:
            values = np.round(values)
        shown = {}
        if values.shape[0] == 1:
            shown["nat"] = report(kind, row["measure"], values, periods)
        else:
            shown["old"] = report(kind, row["measure"], values, periods)
            new = aggregate(geo, kind, values, weights)
            shown["new"] = report(kind, row["measure"], new, periods)
            if kind == "rate" and "national" in row["levels"]:
                shown["nat"] = (weights @ values)[None, :]
                shown["nat"] = report(kind, row["measure"], shown["nat"], periods)
            if "commune" in row["levels"]:
                shown |= _commune_values(
                    code, kind, row, values, new, communes, seed, periods
                )
        dec = decimals_for(np.concatenate([v.ravel() for v in shown.values()]), integer)
        for key, table in shown.items():
            table = np.clip(np.round(table, dec), lo, hi)
            level = "communes" if key.startswith("c_") else "provinces"
            if key == "nat":
                units = np.array([0])
            else:
                units = offset[key] + np.arange(table.shape[0])
            era = key.removeprefix("c_")
            for year in np.unique(years):
                cols = (years == year) & ((eras == era) | (key == "nat"))
                if cols.any():
                    files.setdefault((int(year), level), Chunks()).add(
                        ind_index[code], units, pidx[cols], table[:, cols], dec
                    )
        if row["target_type"]:
            _targets(
                code,
                row,
                shown,
                years,
                periods,
                offset,
                period_index,
                dec,
                lo,
                hi,
                targets,
                ind_index[code],
                seed,
            )
    bounds = np.array(
        [
            [
                float(catalog[c]["min_value"] or "-inf"),
                float(catalog[c]["max_value"] or "inf"),
            ]
            for c in names.indicators
        ]
    )
    return _write(root, files, targets, names, bounds, seed, until, now)


def _derive_numerators(catalog: dict, series: dict, seed: int) -> None:
    """A percentage's numerator stays a share of its denominator (CPS.06 of CPS.05)."""
    pending = [
        r
        for r in catalog.values()
        if r["aggregation"] == "ratio"
        and r["scale"] in ("100",)
        and r["max_value"] == "100"
        and r["numerator"] in series
        and r["denominator"] in series
    ]
    done: set[str] = set()
    for _round in range(3):
        for r in pending:
            num, den = r["numerator"], r["denominator"]
            if num in done or any(
                p["numerator"] == den and den not in done for p in pending
            ):
                continue
            nk, nv, nw = series[num]
            dk, dv, _ = series[den]
            if nk != dk or nv.shape != dv.shape:
                continue
            rng = stable_rng(seed, "scale-share", num)
            share = np.clip(
                rng.uniform(0.6, 0.95, (dv.shape[0], 1))
                + rng.normal(0, 0.02, dv.shape),
                0.05,
                0.99,
            )
            series[num] = (nk, dv * share, nw)
            done.add(num)


def _commune_values(code, kind, row, old, new, communes, seed, periods) -> dict:
    out = {}
    for era, prov in (("old", old), ("new", new)):
        ccodes, parents, shares = communes[era]
        if not ccodes:
            continue
        rng = stable_rng(seed, "scale-commune-values", code, era)
        base = prov[parents]
        if kind == "rate":
            lo = float(row["min_value"]) if row["min_value"] else -np.inf
            hi = float(row["max_value"]) if row["max_value"] else np.inf
            span = np.nanstd(prov) + 1.0
            values = np.clip(base + rng.normal(0, span * 0.3, (len(ccodes), 1)), lo, hi)
        else:
            values = base * shares[:, None]
            if row["integer"] == "true":
                values = np.floor(values + rng.random(values.shape))
        out[f"c_{era}"] = report(kind, row["measure"], values, periods)
    return out


def _targets(
    code,
    row,
    shown,
    years,
    periods,
    offset,
    period_index,
    dec,
    lo,
    hi,
    targets: Chunks,
    ind: int,
    seed: int,
) -> None:
    """Annual targets of the provinces of the year (the 63 before 2025, then the
    34) and of the nation: plans that ~60 % of the provinces will meet, minimums
    and maximums near the year's figures."""
    rng = stable_rng(seed, "scale-targets", code)
    ttype = row["target_type"]
    for key in ("nat", "old", "new"):
        if key not in shown:
            continue
        table = shown[key]
        for year in np.unique(years):
            era = "new" if year >= REFORM.year else "old"
            cols = years == year
            if key not in ("nat", era):
                continue
            last = np.flatnonzero(cols)[-1]
            if row["measure"] in ("ytd", "flow"):
                full = (
                    table[:, cols].sum(axis=1)
                    if row["measure"] == "flow"
                    else table[:, last]
                )
                months = int(periods[last][2] % 12) + 1
                full = full * 12 / months  # the year's amount, as hoped
            else:
                full = table[:, cols].mean(axis=1)
            n = table.shape[0]
            if ttype == "plan":
                draw = rng.random(n)
                ratio = np.where(
                    draw < 0.6,
                    rng.uniform(0.97, 1.12, n),
                    np.where(
                        draw < 0.85,
                        rng.uniform(0.86, 0.94, n),
                        rng.uniform(0.72, 0.84, n),
                    ),
                )
                target = full / ratio
            else:
                move = rng.uniform(-0.06, 0.1, n) * (1 if ttype == "min" else -1)
                target = full * (1 - move)
            target = np.clip(np.round(target, dec), lo, hi)
            units = np.array([0]) if key == "nat" else offset[key] + np.arange(n)
            p = np.array([period_index[str(year)]], dtype=np.int16)
            targets.add(ind, units, p, target[:, None], dec)


def _write(
    root: Path,
    files: dict,
    targets: Chunks,
    names: Names,
    bounds: np.ndarray,
    seed: int,
    until: str,
    now: datetime,
) -> ScaleFiles:
    if root.exists():
        shutil.rmtree(root)
    out = ScaleFiles()
    last_year = int(until[:4])
    for (year, level), chunks in track(sorted(files.items()), "Writing files"):
        table = chunks.table(names)
        submitted = now if year == last_year else datetime(year + 1, 1, 20, 9)
        out.rows += _submit(root, "actuals", year, level, table, submitted, out.main)
        rng = stable_rng(seed, "scale-revisions", year, level)
        pick = rng.random(table.num_rows) < REVISED_SHARE
        if pick.any():
            fixed = table.filter(pa.array(pick))
            values = fixed["value"].to_numpy()
            scale = 10.0 ** fixed["decimals"].to_numpy()
            ind = fixed["indicator_code"].combine_chunks().indices.to_numpy()
            moved = values * (1 + rng.normal(0, 0.03, len(values)))
            moved = np.round(moved * scale) / scale
            moved = np.clip(moved, bounds[ind, 0], bounds[ind, 1])
            fixed = fixed.set_column(
                fixed.schema.get_field_index("value"), "value", pa.array(moved)
            )
            out.revised_rows += _submit(
                root, "corrections", year, level, fixed, now, out.corrections
            )
    path = root / "targets.csv"
    out.rows += write_csv(path, targets.table(names), kind="target")
    out.main.insert(0, Submission(path, None, datetime(names_first_year(names), 1, 10)))
    return out


def _submit(
    root: Path,
    name: str,
    year: int,
    level: str,
    table: pa.Table,
    submitted: datetime,
    into: list[Submission],
) -> int:
    """Write <root>/<year>/<name>-<year>-<level>.csv and add it to `into`; its rows."""
    path = root / f"{year}" / f"{name}-{year}-{level}.csv"
    rows = write_csv(path, table)
    into.append(Submission(path, None, submitted))
    return rows


def names_first_year(names: Names) -> int:
    return int(names.periods[0][:4])


def run_scale(
    data_dir: Path,
    seed: int = 7,
    until: str | None = None,
    first_year: int = FIRST_YEAR,
    commune_share: float = 1.0,
) -> RunResult:
    """Write the national-scale files and load them (actuals, then corrections)."""
    data_dir = Path(data_dir)
    root = Layout(data_dir).demo / "national"
    files = generate(root, seed, until, first_year, commune_share)
    say(
        f"Wrote {files.rows:,} rows and {files.revised_rows:,} corrections in "
        f"{len(files.main) + len(files.corrections)} files under {root}"
    )
    say(f"Loading {len(files.main)} files ({files.rows:,} rows) ...")
    result = load_files(files.main, data_dir)
    say(f"Loading {len(files.corrections)} files of corrections ...")
    revised = load_files(files.corrections, data_dir)
    result.outcomes.extend(revised.outcomes)
    if revised.published:
        result.snapshot_id, result.published = revised.snapshot_id, True
    return result
