"""Named queries on the published snapshot: the only way pages reach data.

Each function validates its arguments, then runs one SQL file of data/sql/
with bound parameters (never text built from input) and returns a DataFrame
or a dict. Results are cached per snapshot id (data.cache).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from core.params import (
    BadParameter,
    check_geo,
    check_indicator,
    check_month,
    check_period,
    check_sector,
    check_unit,
)
from data.access import OutOfScope, require, scoped_run
from data.cache import snapshot_cached
from data.db import NoSnapshot, current_pin, pinned_snapshot, warehouse

# The rest of the data layer that pages, the wall and the API use, reached
# through this one module (docs/ARCHITECTURE.md): boundaries, rejected files,
# the snapshots a presenter freezes.
from data.geo import (  # noqa: E402
    archipelago_geojson,
    archipelago_labels,
    province_codes,
    provinces_geojson,
    whole_country,
    zoom_box,
)
from data.rejected import rejected_files, rejected_frame  # noqa: E402
from data.snapshots import (  # noqa: E402
    current_snapshot,
    freeze_snapshot,
    is_published,
    keep_snapshot,
    release_snapshot,
)

SQL_DIR = Path(__file__).resolve().parent / "sql"

__all__ = [
    "NoSnapshot",
    "BadParameter",
    "OutOfScope",
    "require",
    "pinned_snapshot",
    "archipelago_geojson",
    "archipelago_labels",
    "province_codes",
    "provinces_geojson",
    "whole_country",
    "zoom_box",
    "rejected_files",
    "rejected_frame",
    "current_snapshot",
    "freeze_snapshot",
    "is_published",
    "keep_snapshot",
    "release_snapshot",
]


@cache
def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _frame(name: str, **params: Any) -> pd.DataFrame:
    _, cursor = warehouse().cursor(current_pin())  # a frozen wall reads its snapshot
    try:
        try:
            return cursor.execute(_sql(name), params).df()
        except (duckdb.CatalogException, duckdb.BinderException):
            # a snapshot built before a precomputed table (or a column, such as
            # observation_history.signer) existed: the old query
            if not (SQL_DIR / "compat" / f"{name}.sql").is_file():
                raise
            return cursor.execute(_sql(f"compat/{name}"), params).df()
    finally:
        cursor.close()


def snapshot_id() -> str:
    return warehouse().snapshot(current_pin()).snapshot_id


# -- cached bodies: the first argument is the snapshot id (part of the key) --


@snapshot_cached()
def _cached(
    snapshot: str, name: str, params: tuple[tuple[str, Any], ...]
) -> pd.DataFrame:
    return _frame(name, **dict(params))


def run(name: str, **params: Any) -> pd.DataFrame:
    """Run data/sql/<name>.sql with named parameters, cached per snapshot, as the
    caller's scope may see it (data.access: OutOfScope, or rows filtered)."""
    snapshot = snapshot_id()

    def fetch(query: str, args: dict[str, Any]) -> pd.DataFrame:
        return _cached(snapshot, query, tuple(sorted(args.items())))

    return scoped_run(name, params, fetch)


# -- the named queries --


def _stamps() -> dict:
    """The snapshot's row of data/sql/snapshot_meta.sql, as the SQL gives it."""
    return run("snapshot_meta").iloc[0].to_dict()


def snapshot_meta() -> dict:
    """The snapshot's stamps and counts; the indicator counts are those of the
    caller's reach (a ministry analyst's "12/15 indicators supplied", not the
    country's catalog)."""
    meta = _stamps()
    meta["n_indicators"] = len(catalog())
    meta["n_indicators_supplied"] = len(supplied_indicators())
    return meta


def supplied_indicators() -> frozenset[str]:
    """Codes of the indicators with actual figures (in the caller's reach)."""
    return frozenset(run("supplied_indicators")["indicator_code"])


def months() -> list[str]:
    return run("months")["period"].tolist()


def default_month(month: str | None) -> str:
    """A valid month to show: the one asked for, else the latest with data."""
    if month:
        return check_month(month)
    # the stamps only: snapshot_meta's counts are two more scoped queries,
    # not needed on this path every page and callback takes
    latest = _stamps().get("latest_month")
    return latest if isinstance(latest, str) else "2020-01"


def catalog() -> pd.DataFrame:
    return run("catalog")


def indicator(code: str) -> dict | None:
    code = check_indicator(code)
    frame = catalog()
    match = frame[frame["code"] == code]
    return None if match.empty else match.iloc[0].to_dict()


def sectors() -> pd.DataFrame:
    return run("sectors")


def refuse_out_of_reach(kind: str, code: str) -> None:
    """OutOfScope if `code` ("indicator" or "sector") is in the national catalog
    although the caller's catalog lacks it, so that a ministry analyst asking
    for another ministry's indicator is told "not permitted" (and the audit
    log records a refusal); an unknown code stays "not found"."""
    if in_catalog(kind, code):
        raise OutOfScope(f"{kind} {code} is outside your scope")


def in_catalog(kind: str, code: str) -> bool:
    """Whether the national catalog has this indicator or sector code, whatever
    the caller's reach (the codes are the fixed catalog, not figures)."""
    codes = run("catalog_codes")
    return bool(((codes["kind"] == kind) & (codes["code"] == code)).any())


def provinces(geo: str = "2025") -> pd.DataFrame:
    return run("provinces", geo=check_geo(geo))


def unit_versions(unit: str) -> pd.DataFrame:
    return run("unit_versions", unit=check_unit(unit))


def communes(province: str, geo: str = "2025") -> pd.DataFrame:
    return run("communes", province=check_unit(province), geo=check_geo(geo))


def geo_key(unit: str, geo: str) -> str:
    """The series geography of a unit: 'all' for the nation and communes."""
    return geo if len(unit) == 2 and unit != "00" else "all"


def unit_progress(unit: str, as_of: str, geo: str = "2025") -> pd.DataFrame:
    unit = check_unit(unit)
    return run(
        "unit_progress",
        unit=unit,
        geo=geo_key(unit, check_geo(geo)),
        as_of=check_period(as_of, "as_of"),
    )


def unit_series(indicator_code: str, unit: str, geo: str = "2025") -> pd.DataFrame:
    unit = check_unit(unit)
    return run(
        "unit_series",
        indicator=check_indicator(indicator_code),
        unit=unit,
        geo=geo_key(unit, check_geo(geo)),
    )


def unit_targets(indicator_code: str, unit: str, geo: str = "2025") -> pd.DataFrame:
    unit = check_unit(unit)
    return run(
        "unit_targets",
        indicator=check_indicator(indicator_code),
        unit=unit,
        geo=geo_key(unit, check_geo(geo)),
    )


def province_values(indicator_code: str, as_of: str, geo: str = "2025") -> pd.DataFrame:
    return run(
        "province_values",
        indicator=check_indicator(indicator_code),
        as_of=check_period(as_of, "as_of"),
        geo=check_geo(geo),
    )


def region_values(indicator_code: str, period: str, geo: str = "2025") -> pd.DataFrame:
    return run(
        "region_values",
        indicator=check_indicator(indicator_code),
        period=check_period(period),
        geo=check_geo(geo),
    )


def attention(as_of: str, geo: str = "2025") -> pd.DataFrame:
    return run("attention", as_of=check_period(as_of, "as_of"), geo=check_geo(geo))


def period_geo(period: str) -> str:
    """The geography a province figure of this period is native to."""
    from datetime import date

    year = int(period[:4])
    if len(period) == 4:
        return "2025" if year >= 2025 else "2020"
    last = int(period[6]) * 3 if "Q" in period else int(period[5:7])
    return "2025" if date(year, last, 1) >= date(2025, 7, 1) else "2020"


def progress(indicator_code: str, unit: str, period: str | None = None) -> dict | None:
    """One figure's tracking in the unit's native geography for the period."""
    code, unit = check_indicator(indicator_code), check_unit(unit)
    if period is None:
        period = latest_period(code, unit)
        if period is None:
            return None
    period = check_period(period)
    geo = geo_key(unit, period_geo(period))
    frame = run("progress_one", indicator=code, unit=unit, period=period, geo=geo)
    return None if frame.empty else frame.iloc[0].to_dict()


def unit_plans(unit: str, geo: str = "2025") -> pd.DataFrame:
    """The unit's figures measured against other plans than the primary one:
    indicator_code, period, basis (QH, TTg, HDND, BO), target, pct_of_target."""
    unit = check_unit(unit)
    return run("unit_plans", unit=unit, geo=geo_key(unit, check_geo(geo)))


def plans(row: dict) -> list[dict]:
    """Every plan a progress row is held to, the primary one first:
    [{"basis", "target", "pct_of_target", "primary"}]."""
    out = []
    if row.get("target") is not None and row["target"] == row["target"]:
        entry = indicator(row["indicator_code"]) or {}
        basis = entry.get("target_basis") or ""
        if basis == "HDND" and row["unit_code"] == "00":
            basis = "QH"
        out.append(
            {
                "basis": basis,
                "target": row["target"],
                "pct_of_target": row["pct_of_target"],
                "primary": True,
            }
        )
    frame = unit_plans(row["unit_code"], row["geo"] if row["geo"] != "all" else "2025")
    match = frame[
        (frame["indicator_code"] == row["indicator_code"])
        & (frame["period"] == row["period"])
    ]
    for item in match.itertuples():
        out.append(
            {
                "basis": item.basis,
                "target": item.target,
                "pct_of_target": item.pct_of_target,
                "primary": False,
            }
        )
    return out


def latest_period(indicator_code: str, unit: str) -> str | None:
    unit = check_unit(unit)
    for geo in ("2025", "2020"):
        frame = run(
            "latest_period",
            indicator=check_indicator(indicator_code),
            unit=unit,
            geo=geo_key(unit, geo),
        )
        value = frame["period"].iloc[0]
        if isinstance(value, str):
            return value
    return None


def observations(
    indicator_code: str,
    unit: str,
    from_period: str | None = None,
    to_period: str | None = None,
) -> pd.DataFrame:
    return run(
        "observations_range",
        indicator=check_indicator(indicator_code),
        unit=check_unit(unit),
        from_period=check_period(from_period, "from") if from_period else None,
        to_period=check_period(to_period, "to") if to_period else None,
    )


def revisions(indicator_code: str, unit: str, period: str) -> pd.DataFrame:
    return run(
        "revisions",
        indicator=check_indicator(indicator_code),
        unit=check_unit(unit),
        period=check_period(period),
    )


def provenance(
    indicator_code: str, unit: str, period: str, geo: str = "2025"
) -> pd.DataFrame:
    unit = check_unit(unit)
    return run(
        "provenance",
        indicator=check_indicator(indicator_code),
        unit=unit,
        period=check_period(period),
        geo=geo_key(unit, check_geo(geo)),
    )


def reports(
    as_of: str, months_back: int = 12, level: str | None = None, unit: str | None = None
) -> pd.DataFrame:
    try:
        months_back = int(months_back)
    except (TypeError, ValueError):
        raise BadParameter(
            f"months must be a whole number, not {months_back!r}"
        ) from None
    if not 1 <= months_back <= 120:
        raise BadParameter(f"months must be between 1 and 120, not {months_back}")
    if level not in (None, "province", "national", "commune"):
        raise BadParameter(
            f"level must be province, national or commune, not {level!r}"
        )
    from datetime import date

    return run(
        "reports",
        as_of=check_period(as_of, "as_of"),
        months=months_back,
        level=level,
        unit=check_unit(unit) if unit else None,
        today=date.today().isoformat(),
    )


def sector_progress(
    sector: str, unit: str, as_of: str, geo: str = "2025"
) -> pd.DataFrame:
    """unit_progress of one sector's indicators (the sector page and its download)."""
    sector = check_sector(sector)
    if sector not in set(sectors()["code"]):
        raise BadParameter(f"unknown sector {sector!r}")
    frame = unit_progress(unit, as_of, geo)
    return frame[frame["sector"] == sector].reset_index(drop=True)


def province_ranks(province: str, as_of: str, geo: str = "2025") -> pd.DataFrame:
    """A province's rank among the provinces of `geo` for every indicator (the
    province scorecard); ranked as province_values ranks one indicator."""
    province = check_unit(province)
    if len(province) != 2 or province == "00":
        raise BadParameter(
            f"province must be a 2-digit province code, not {province!r}"
        )
    return run(
        "province_ranks",
        unit=province,
        as_of=check_period(as_of, "as_of"),
        geo=check_geo(geo),
    )


def province_merger() -> pd.DataFrame:
    """The 2025 merger: old_code, old_vi, old_en, new_code, new_vi, new_en."""
    return run("province_merger")


def regimes() -> pd.DataFrame:
    """The reporting regimes: period type, cut-off and deadline days, legal basis."""
    return run("regimes")


def agencies() -> pd.DataFrame:
    """Reporting agencies (code, name_vi, name_en): who a ministry report is from."""
    return run("agencies")


def progress_in_geo(
    indicator_code: str, unit: str, period: str, geo: str = "2025"
) -> dict | None:
    """One figure's tracking in the geography the view shows (progress() uses the
    period's native one): the indicator page's headline for unit, period, geo."""
    unit = check_unit(unit)
    frame = run(
        "progress_one",
        indicator=check_indicator(indicator_code),
        unit=unit,
        period=check_period(period),
        geo=geo_key(unit, check_geo(geo)),
    )
    return None if frame.empty else frame.iloc[0].to_dict()


# -- a reporter's own (the /submit page): data.access checks the agency --

AGENCY_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,15}(-[0-9]{2}|-[0-9]{5})?$")


def _check_agency(agency: str) -> str:
    value = str(agency or "").strip().upper()
    if not AGENCY_RE.match(value):
        raise BadParameter(f"agency must look like BTC or UBND-22, not {agency!r}")
    return value


def reporter_reports(agency: str, months_back: int = 12) -> pd.DataFrame:
    """The reports `agency` owes for periods that ended in the last
    `months_back` months, with deadline and state as of today (owed,
    overdue, published): one row per regime and period."""
    if not isinstance(months_back, int) or not 1 <= months_back <= 60:
        raise BadParameter(f"months must be 1 to 60, not {months_back!r}")
    from datetime import date

    return run(
        "reporter_reports",
        agency=_check_agency(agency),
        months=months_back,
        today=date.today().isoformat(),
    )


def reporter_form(agency: str, regime: str, period: str) -> pd.DataFrame:
    """The indicators of `regime` that `agency` reports for its unit, with the
    figures published for `period`, the previous period and a year earlier."""
    regime = str(regime or "").strip().upper()
    if regime not in set(regimes()["code"]):
        raise BadParameter(f"unknown regime {regime!r}")
    return run(
        "reporter_form",
        agency=_check_agency(agency),
        regime=regime,
        period=check_period(period),
    )


# -- the links register (/links): operators and administrators --


def link_indicators(agencies: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """The indicators each of `agencies` supplies (actual figures whose
    reporter it is): agency, indicator_code, name_vi, name_en, n_figures,
    last_submitted_at."""
    codes = sorted({_check_agency(a) for a in agencies})
    return run("link_indicators", agencies=";".join(codes))
