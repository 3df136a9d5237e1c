"""Checks of the codes an account or a token is given (reference CSVs).

The Scope itself is core/scope.py (the data layer takes one); here its
province, agencies and sectors, and a reporter's reporting agency, are checked
when an account or a token is made.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache

import settings
from core.roles import role


def _reference(name: str) -> list[dict]:
    with open(settings.REFERENCE_DIR / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def _merger() -> dict[str, str]:
    return {r["old_code"]: r["new_code"] for r in _reference("province_merger.csv")}


def check_province(code: str) -> str:
    """A province of the 34; an old code says which one it merged into."""
    value = str(code).strip()
    merger = _merger()
    new_codes = set(merger.values())
    if value in new_codes:
        return value
    if value in merger:
        raise ValueError(
            f"province {value} merged into {merger[value]} on "
            f"{settings.REFORM_FIRST_NEW_DAY}: give {merger[value]}"
        )
    raise ValueError(
        f"province must be a 2-digit code of the 34 provinces, not {code!r}"
    )


def province_codes(province: str) -> set[str]:
    """The province and the old provinces that merged into it."""
    return {province} | {old for old, new in _merger().items() if new == province}


def check_codes(kind: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    """Agency or sector codes that exist in the reference, upper/lower as stored."""
    if kind == "agency":
        known = {r["code"] for r in _reference("agencies.csv")}
        values = tuple(
            sorted({str(c).strip().upper() for c in codes if str(c).strip()})
        )
    else:
        known = {r["code"] for r in _reference("sectors.csv")}
        values = tuple(
            sorted({str(c).strip().lower() for c in codes if str(c).strip()})
        )
    unknown = [c for c in values if c not in known]
    if unknown:
        raise ValueError(
            f"unknown {kind} code(s) {', '.join(unknown)}; known: "
            f"{', '.join(sorted(known))}"
        )
    return values


@lru_cache(maxsize=1)
def _committees() -> dict[str, tuple[str, str]]:
    """People's Committees as the ETL makes them (etl/reference.py agencies):
    UBND-<unit code> of every province and commune -> (level, valid_to)."""
    found: dict[str, tuple[str, str]] = {}
    for r in _reference("units.csv"):
        if r["level"] in ("province", "commune"):
            code = f"UBND-{r['unit_code']}"
            ends = r["valid_to"] or "9999-12-31"
            if code not in found or ends > found[code][1]:
                found[code] = (r["level"], ends)
    return found


def check_reporting_agency(code: str | None, today: date | None = None) -> str:
    """A reporter's one reporting agency: a ministry of agencies.csv (BTC), or
    the People's Committee (UBND-<unit code>) of a province or commune that
    exists today: UBND-22, or a commune's."""
    value = str(code or "").strip().upper()
    if not value:
        raise ValueError("reporter needs --agency: its one reporting agency (UBND-22)")
    if value in {r["code"] for r in _reference("agencies.csv")}:
        return value
    committee = _committees().get(value)
    if committee is None:
        raise ValueError(
            f"unknown reporting agency {code!r}: a ministry code (e.g. BTC) or "
            "UBND-<unit code> of a province or commune (e.g. UBND-22)"
        )
    level, ends = committee
    if ends < (today or date.today()).isoformat():
        merged = _merger().get(value[5:])
        into = f": give UBND-{merged}" if merged else ""
        raise ValueError(f"the {level} of {value} ended on {ends}{into}")
    return value


def check_assignment(
    role_code: str,
    province: str | None,
    agencies: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """The checked (province, agencies, sectors) for a role; ValueError says why not."""
    needs = role(role_code).needs
    if needs == "agency":  # a reporter reads no figures: its agency is apart
        check_reporter(role_code, province, agencies, sectors)
        return None, (), ()
    province = check_province(province) if province else None
    agencies, sectors = check_codes("agency", agencies), check_codes("sector", sectors)
    if needs == "province" and province is None:
        raise ValueError(f"{role_code} needs --province (a province of the 34)")
    if needs == "ministry" and not (agencies or sectors):
        raise ValueError(f"{role_code} needs --agency (e.g. BTC) or --sector")
    if (
        needs != "province"
        and province
        and role_code in ("national_leader", "data_operator", "administrator")
    ):
        raise ValueError(f"{role_code} sees every province: no --province")
    if (
        needs != "ministry"
        and (agencies or sectors)
        and role_code in ("national_leader", "data_operator", "administrator")
    ):
        raise ValueError(f"{role_code} sees every indicator: no --agency/--sector")
    return province, agencies, sectors


def check_reporter(
    role_code: str,
    province: str | None,
    agencies: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
) -> str | None:
    """The reporting agency of a role that needs one (reporter: `--agency`
    given once, checked), else None; ValueError says why not."""
    if role(role_code).needs != "agency":
        return None
    codes = [str(c).strip() for c in agencies if str(c).strip()]
    if province or sectors:
        raise ValueError(f"{role_code} has one --agency only: no --province/--sector")
    if len(codes) != 1:
        raise ValueError(
            f"{role_code} needs exactly one --agency (its reporting agency, "
            "e.g. UBND-22 or BTC)"
        )
    return check_reporting_agency(codes[0])
