"""A Scope: what one caller may read.

A role (its capabilities) plus, for the restricted roles:
  province  a province of the 34 (from 2025-07-01): the caller reads that
            province in both geographies (e.g. 08 is also the old 08 and 02
            that merged into it), the communes of either era, and the nation
            ('00', national aggregates), nothing of any other province;
  agencies, sectors: a ministry analyst reads the indicators owned by those
            agencies or in those sectors, for every unit, and no other;
  agency    a reporter's one reporting agency (UBND-22, a commune's People's
            Committee, BTC): whose reports it submits (intake/), not what it
            reads (that is `agencies`, which data/access.py applies).
The data layer takes a Scope (data/access.py turns it into the unit and
indicator codes of the current snapshot); auth/ makes one per signed-in caller
and checks its codes against the reference CSVs (auth/scope.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.roles import REFERENCE, ROLES, VALUES, role


@dataclass(frozen=True)
class Scope:
    role: str
    principal: str  # "user:<name>", "token:<name>", "cli:<os user>", "system"
    province: str | None = None
    agencies: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    capabilities: frozenset[str] = field(default_factory=frozenset)
    agency: str | None = None  # the reporting agency of a reporter

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
        if self.agency:
            parts.append(f"reports for {self.agency}")
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
    agency: str | None = None,
) -> Scope:
    return Scope(
        role_code,
        principal,
        province or None,
        tuple(agencies),
        tuple(sectors),
        role(role_code).capabilities,
        agency or None,
    )
