"""A Scope: what one caller may read.

A role (its capabilities) plus, for the restricted roles:
  province  a province of the 34 (from 2025-07-01): the caller reads that
            province in both geographies (e.g. 08 is also the old 08 and 02
            that merged into it), the communes of either era, and the nation
            ('00', national aggregates), nothing of any other province;
  agencies, sectors: a ministry analyst reads the indicators owned by those
            agencies or in those sectors, for every unit, and no other.
The codes are checked against the reference CSVs when an account or token is
made; data/access.py turns a scope into the unit and indicator codes of the
current snapshot.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache

import settings
from auth.roles import REFERENCE, ROLES, VALUES, role


@dataclass(frozen=True)
class Scope:
    role: str
    principal: str  # "user:<name>", "token:<name>", "cli:<os user>", "system"
    province: str | None = None
    agencies: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    capabilities: frozenset[str] = field(default_factory=frozenset)

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    @property
    def all_units(self) -> bool:
        return self.province is None

    @property
    def all_indicators(self) -> bool:
        return not self.agencies and not self.sectors

    def describe(self) -> str:
        parts = [self.role]
        if self.province:
            parts.append(f"province {self.province}")
        if self.agencies:
            parts.append("agencies " + ",".join(self.agencies))
        if self.sectors:
            parts.append("sectors " + ",".join(self.sectors))
        return "; ".join(parts)


# Nobody: a request or a process with no identity reads nothing at all.
NO_ACCESS = Scope(role="none", principal="anonymous")
# Everything: the ETL, the CLI and tests, only when they ask for it explicitly.
SYSTEM = Scope(
    role="system",
    principal="system",
    capabilities=frozenset(
        {REFERENCE, VALUES, *(c for r in ROLES.values() for c in r.capabilities)}
    ),
)


def make_scope(
    role_code: str,
    principal: str,
    province: str | None = None,
    agencies: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
) -> Scope:
    return Scope(
        role_code,
        principal,
        province or None,
        tuple(agencies),
        tuple(sectors),
        role(role_code).capabilities,
    )


# -- checks of the codes an account or a token is given (reference CSVs) --


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


def check_assignment(
    role_code: str,
    province: str | None,
    agencies: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """The checked (province, agencies, sectors) for a role; ValueError says why not."""
    needs = role(role_code).needs
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
