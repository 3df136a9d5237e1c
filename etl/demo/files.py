"""Which demo files exist, what they contain, and when they were submitted.

One file per (reporter, regime, period): a province's People's Committee
(`UBND-<code>`) reports its province and demo communes; a ministry reports
national figures (and province rows of the regimes ministries report).
Targets come in one file per reporter and year. Submission times follow each
regime's deadline: about 90 % on time, 7 % late, 3 % of the provinces' monthly
and quarterly reports never sent (not the big cities'), and nothing
submitted after the as-of moment (such files are simply still due).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

import settings
from etl.demo.clock import FIRST_YEAR, Clock, stable_rng
from etl.demo.profiles import SECOND_PLAN_PINS
from etl.demo.targets import Targets
from etl.demo.values import COMMUNE_PROVINCES, Values

TARGET_REGIME = "KH"  # kế hoạch: the file of a reporter's annual targets
RELIABLE = {"01", "79", "31", "48", "92", "22"}  # never miss a report
REFORM_DAY = date.fromisoformat(settings.REFORM_FIRST_NEW_DAY)
# Files that carry the real figures of seed_facts.csv are never left out.
FORCED = {
    ("UBND-22", "NSNN_M", "2019-08"),
    ("UBND-22", "NSNN_M", "2020-08"),
    ("UBND-22", "DTC_M", "2020-08"),
    ("UBND-22", "CPS_M", "2020-08"),
    ("UBND-22", "KTXH_Q", "2020-Q2"),
    ("UBND-22", TARGET_REGIME, "2020"),
    ("VPCP", "CPS_M", "2020-06"),
    ("VPCP", TARGET_REGIME, "2020"),
}


@dataclass
class Row:
    code: str
    unit: str
    period: str
    value: float
    decimals: int
    kind: str = "actual"
    basis: str = ""
    target_basis: str = ""  # another plan than the catalog's primary one


@dataclass
class DemoFile:
    reporter: str
    regime: str
    period: str
    rows: list[Row] = field(default_factory=list)
    submitted_at: datetime | None = None
    era: str = "old"
    suffix: str = ""  # _rev1, _rev2 for corrections
    fmt: str | None = None  # forced format (corrections are plain CSV)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.reporter, self.regime, self.period)


def read_regimes() -> dict[str, dict]:
    with (settings.REFERENCE_DIR / "regimes.csv").open(encoding="utf-8") as fh:
        return {r["code"]: r for r in csv.DictReader(fh)}


def period_end(period: str) -> date:
    year = int(period[:4])
    month = (
        12
        if len(period) == 4
        else int(period[6]) * 3
        if period[5] == "Q"
        else int(period[5:7])
    )
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def periods(freq: str, until: str) -> list[str]:
    """Periods of a frequency that have ended by the end of month `until`."""
    last_year, last_month = int(until[:4]), int(until[5:7])
    out = []
    for year in range(FIRST_YEAR, last_year + 1):
        if freq == "month":
            out += [
                f"{year}-{m:02d}"
                for m in range(1, 13)
                if (year, m) <= (last_year, last_month)
            ]
        elif freq == "quarter":
            out += [
                f"{year}-Q{q}"
                for q in range(1, 5)
                if (year, 3 * q) <= (last_year, last_month)
            ]
        elif (year, 12) <= (last_year, last_month):
            out.append(str(year))
    return out


def era_of(period: str) -> str:
    return "old" if period_end(period) < REFORM_DAY else "new"


def plan_files(
    catalog: dict,
    values: Values,
    targets: Targets,
    clock: Clock,
    geo,
    until: str,
    as_of: datetime,
) -> dict[tuple, DemoFile]:
    """All files with their rows, before submission times."""
    regimes = read_regimes()
    files: dict[tuple, DemoFile] = {}

    def add(reporter, regime, period, row, era):
        key = (reporter, regime, period)
        if key not in files:
            files[key] = DemoFile(reporter, regime, period, era=era)
        files[key].rows.append(row)

    units = {"old": [u.code for u in geo.old], "new": [u.code for u in geo.new]}
    for code, row in sorted(catalog.items()):
        if row["aggregation"] == "ratio":
            continue
        regime, owner, dec = row["regime"], row["owner"], values.decimals[code]
        by_ministry = regimes.get(regime, {}).get("reporter_level") == "ministry"
        for period in periods(row["frequency"], until):
            t, era = clock.idx(period), era_of(period)
            if code in values.nat and not np.isnan(values.nat[code][t]):
                add(
                    owner,
                    regime,
                    period,
                    Row(code, "00", period, float(values.nat[code][t]), dec),
                    era,
                )
            if "province" not in row["levels"]:
                continue
            column = (values.old if era == "old" else values.new)[code][:, t].tolist()
            for unit, value in zip(units[era], column, strict=True):
                if value == value:  # not NaN
                    reporter = owner if by_ministry else f"UBND-{unit}"
                    add(
                        reporter,
                        regime,
                        period,
                        Row(code, unit, period, value, dec),
                        era,
                    )
            for prov in COMMUNE_PROVINCES if code in values.com else ():
                for commune in values.communes.get((prov, era), []):
                    value = float(values.com[code][commune][t])
                    add(
                        f"UBND-{prov}",
                        regime,
                        period,
                        Row(code, commune, period, value, dec),
                        era,
                    )
    _target_files(catalog, targets, geo, values, files, as_of)
    return files


def _target_files(catalog, targets: Targets, geo, values: Values, files, as_of) -> None:
    names = {u.code: u.name for u in geo.old} | {u.code: u.name for u in geo.new}
    for j, year in enumerate(targets.years):
        # the year's plans are set by the provinces that exist when they are set
        era = (
            "old"
            if year < REFORM_DAY.year
            or (year == REFORM_DAY.year and as_of.date() < REFORM_DAY)
            else "new"
        )
        table = targets.old if era == "old" else targets.new
        units = [u.code for u in (geo.old if era == "old" else geo.new)]
        for code in sorted(table):
            dec = values.decimals.get(code, 2)
            for unit, value in zip(units, table[code][:, j].tolist(), strict=True):
                if value != value:
                    continue
                key = (f"UBND-{unit}", TARGET_REGIME, str(year))
                f = files.setdefault(key, DemoFile(*key, era=era))
                f.rows.append(
                    Row(
                        code,
                        unit,
                        str(year),
                        value,
                        dec,
                        "target",
                        _basis(unit, year, names[unit]),
                    )
                )
        _second_plans(table, units, year, j, files, values)
        for code in sorted(targets.nat):
            value = float(targets.nat[code][j])
            if value != value:
                continue
            key = (catalog[code]["owner"], TARGET_REGIME, str(year))
            f = files.setdefault(key, DemoFile(*key, era=era))
            f.rows.append(
                Row(
                    code,
                    "00",
                    str(year),
                    value,
                    values.decimals.get(code, 2),
                    "target",
                    f"Nghị quyết 01/NQ-CP ngày 01/01/{year} của Chính phủ",
                )
            )


def _second_plans(table, units, year: int, j: int, files, values: Values) -> None:
    """The seed's figures held to two plans: Quảng Ninh's public investment
    disbursed by 15/8/2020 was 90,1 % of the Prime Minister's plan (the primary
    one, written above) and 59,4 % of the province's own (HĐND) plan."""
    for (code, unit, period), (basis, pct, primary_pct) in SECOND_PLAN_PINS.items():
        if int(period[:4]) != year or code not in table or unit not in units:
            continue
        primary = table[code][units.index(unit), j]
        f = files[(f"UBND-{unit}", TARGET_REGIME, str(year))]
        f.rows.append(
            Row(
                code,
                unit,
                str(year),
                round(float(primary) * primary_pct / pct, 1),
                values.decimals.get(code, 2),
                "target",
                "Nghị quyết 27/NQ-HĐND tỉnh về kế hoạch vốn đầu tư công năm 2020",
                basis,
            )
        )


def _basis(unit: str, year: int, name: str) -> str:
    number = 5 + stable_rng(0, "basis", unit, year).integers(1, 60)
    level = (
        "thành phố"
        if name.startswith("TP.") or unit in ("01", "31", "48", "92")
        else "tỉnh"
    )
    return f"Nghị quyết {number}/NQ-HĐND {level}"


def _may_miss(f: DemoFile) -> bool:
    """Monthly and quarterly province reports go missing now and then; annual
    reports, plans and the ministries' and big cities' reports come, if late."""
    return (
        f.reporter.startswith("UBND-")
        and f.reporter[5:] not in RELIABLE
        and len(f.period) > 4
    )


def schedule(files: dict[tuple, DemoFile], seed: int, as_of: datetime) -> list:
    """Submission times; the files actually submitted by `as_of`."""
    regimes = read_regimes()
    sent = []
    for key in sorted(files):
        f = files[key]
        rng = stable_rng(seed, "submit", *key)
        draw = rng.random()
        if draw < 0.035 and _may_miss(f) and key not in FORCED:
            continue  # never sent
        if f.regime == TARGET_REGIME:
            start = datetime(int(f.period), 1, 1)
            if int(f.period) == REFORM_DAY.year and f.era == "new":
                start = datetime(REFORM_DAY.year, 7, 1)
            days = int(rng.integers(2, 15 if f.reporter[:5] != "UBND-" else 26))
        else:
            start = datetime.combine(period_end(f.period), datetime.min.time())
            deadline = int(regimes[f.regime]["deadline_days"] or 10)
            if draw < 0.10 and key not in FORCED:
                days = deadline + int(rng.integers(1, 21))
            else:
                days = int(rng.integers(max(1, deadline - 4), deadline + 1))
        f.submitted_at = start + timedelta(
            days=days, hours=int(rng.integers(1, 10)), minutes=int(rng.integers(0, 60))
        )
        if f.submitted_at <= as_of:
            sent.append(f)
    return sent
