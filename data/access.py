"""Who may read what: the caller's scope applied to every named query.

data.queries.run() sends each query through scoped_run(), so pages, every
Dash callback, downloads and the API are restricted in one place:

1. the query's rule names the capability it needs (reference, values,
   status; auth/roles.py); a scope without it gets OutOfScope;
2. arguments naming a unit (`unit`, `province`) or an indicator (`indicator`)
   outside the scope raise OutOfScope (pages show "not permitted", the API
   answers 403, a download is refused);
3. rows are filtered by the rule's unit, indicator or sector column;
4. aggregates over units or indicators a scope may not see are not shown:
   region sums for a province scope (a region's total less the own province
   would give away its neighbours), national totals the ETL added up from
   fewer than MIN_NATIONAL_PARTS provinces (the nation's figure from one or
   two reporting provinces, less the own, is another province's figure), and
   attention counts only the indicators in scope (the SQL takes $indicators).

The cache (data.cache) holds only results as the SQL returns them, keyed by
snapshot and arguments (and, for $indicators, the scope's indicators); the
filter runs after it on every call, so no caller's view of the data is ever
cached for another. A query without a rule is read only by scopes that see
every unit and indicator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.context import current_scope
from core.roles import LINKS, REFERENCE, STATUS, SUBMIT, VALUES
from core.scope import Scope

Fetch = Callable[[str, dict[str, Any]], pd.DataFrame]


class OutOfScope(PermissionError):
    """The caller's scope does not cover this query, unit or indicator."""


@dataclass(frozen=True)
class Rule:
    needs: str = REFERENCE
    unit_col: str | None = None  # keep rows whose unit is in scope
    indicator_col: str | None = None  # keep rows whose indicator is in scope
    sector_col: str | None = None  # keep sectors that hold an indicator in scope
    all_units: bool = False  # aggregates provinces: only for every-province scopes
    indicators_param: bool = False  # the SQL restricts itself to $indicators
    # national rows with n_parts/origin: a thin total is dropped, or its figure
    # columns blanked (the row lists a catalog indicator: keep these columns)
    national: str | None = None  # "drop" or "blank"
    keep_cols: tuple[str, ...] = ()
    own_units_only: bool = False  # a province scope: not the nation's rows either
    # a reporter's own: the `agency` argument must be the scope's reporting
    # agency, and rows are kept whose agency_col is that agency
    agency_col: str | None = None


NATIONAL = "00"
MIN_NATIONAL_PARTS = 3
# unit_progress: the catalog's columns stay when a thin national figure goes
CATALOG_COLS = (
    "indicator_code",
    "sector",
    "name_vi",
    "name_en",
    "unit_vi",
    "unit_en",
    "frequency",
    "measure",
    "aggregation",
    "direction",
    "catalog_target_type",
    "integer",
    "headline",
    "owner",
    "sector_vi",
    "sector_en",
    "sector_order",
)


RULES: dict[str, Rule] = {
    # reference: every signed-in role; unit lists narrowed to the scope
    "agencies": Rule(),
    "catalog": Rule(indicator_col="code"),
    "catalog_codes": Rule(),  # codes only: to refuse a code out of reach
    "months": Rule(),
    "province_merger": Rule(unit_col="new_code"),
    "provinces": Rule(unit_col="unit_code"),
    "regimes": Rule(),
    "sectors": Rule(sector_col="code"),
    "snapshot_meta": Rule(),
    "supplied_indicators": Rule(indicator_col="indicator_code"),
    "unit_versions": Rule(),
    # figures
    "attention": Rule(VALUES, unit_col="unit_code", indicators_param=True),
    "communes": Rule(VALUES, unit_col="unit_code"),
    "latest_period": Rule(VALUES),
    "observations_range": Rule(
        VALUES, unit_col="unit_code", indicator_col="indicator_code"
    ),
    "progress_one": Rule(VALUES, national="drop"),
    "provenance": Rule(VALUES, unit_col="unit_code", indicator_col="indicator_code"),
    "province_ranks": Rule(VALUES, indicator_col="indicator_code"),
    "province_values": Rule(VALUES, unit_col="unit_code"),
    "region_values": Rule(VALUES, all_units=True),
    "revisions": Rule(VALUES),
    "unit_progress": Rule(
        VALUES,
        indicator_col="indicator_code",
        national="blank",
        keep_cols=CATALOG_COLS,
    ),
    "unit_series": Rule(VALUES, national="drop"),
    "unit_plans": Rule(VALUES, indicator_col="indicator_code"),
    "unit_targets": Rule(VALUES),
    # reporting status (the data-status page): a province scope sees its own
    # reports (and its communes'), not the ministries' reports on the nation,
    # which would fill its counters with other agencies' arrears
    "reports": Rule(STATUS, unit_col="unit_code", own_units_only=True),
    # a reporter (the /submit page): the reports its agency owes, and the form
    # of its own unit with the figures beside each cell, nobody else's
    "reporter_reports": Rule(SUBMIT, agency_col="agency"),
    "reporter_form": Rule(SUBMIT, agency_col="agency"),
    # the links register (/links): which indicators each reporting agency's
    # figures cover, for operators and administrators only
    "link_indicators": Rule(LINKS, indicator_col="indicator_code"),
}
UNLISTED = Rule(VALUES)  # not in RULES: only for scopes that read everything
UNIT_ARGS = ("unit", "province")
INDICATOR_ARGS = ("indicator",)


def allowed_units(scope: Scope, fetch: Fetch) -> frozenset[str] | None:
    """Unit codes the scope reads in this snapshot; None: every unit."""
    if scope.all_units:
        return None
    frame = fetch("scope_units", {"province": scope.province})
    return frozenset(frame["unit_code"])


def allowed_indicators(scope: Scope, fetch: Fetch) -> frozenset[str] | None:
    """Indicator codes the scope reads; None: every indicator."""
    if scope.all_indicators:
        return None
    frame = fetch(
        "scope_indicators",
        {"agencies": ";".join(scope.agencies), "sectors": ";".join(scope.sectors)},
    )
    return frozenset(frame["code"])


def require(capability: str, what: str = "this view") -> Scope:
    """The current scope, if it has `capability`; else OutOfScope."""
    scope = current_scope()
    if not scope.can(capability):
        raise OutOfScope(f"{what} is not permitted for role {scope.role}")
    return scope


def scoped_run(name: str, params: dict[str, Any], fetch: Fetch) -> pd.DataFrame:
    """Run query `name` through `fetch` as the current scope may see it."""
    rule = RULES.get(name, UNLISTED)
    scope = require(rule.needs, f"query {name}")
    if rule is UNLISTED and not (scope.all_units and scope.all_indicators):
        raise OutOfScope(f"query {name} has no scope rule (data/access.py RULES)")
    units, indicators = allowed_units(scope, fetch), allowed_indicators(scope, fetch)
    for key in UNIT_ARGS:
        value = params.get(key)
        if value is not None and units is not None and value not in units:
            raise OutOfScope(f"unit {value} is outside your scope")
    for key in INDICATOR_ARGS:
        value = params.get(key)
        if value is not None and indicators is not None and value not in indicators:
            raise OutOfScope(f"indicator {value} is outside your scope")
    if rule.agency_col:
        check_agency(scope, params.get("agency"))
    if rule.indicators_param:
        params = {
            **params,
            "indicators": None if indicators is None else ";".join(sorted(indicators)),
        }
    frame = fetch(name, params)
    if rule.all_units and units is not None:
        return frame.iloc[0:0]
    if rule.national and units is not None and params.get("unit") == NATIONAL:
        frame = withhold_thin_totals(frame, rule)
    keep = pd.Series(True, index=frame.index)
    if rule.unit_col and units is not None:
        own = units - {NATIONAL} if rule.own_units_only else units
        keep &= frame[rule.unit_col].isin(own)
    if rule.indicator_col and indicators is not None:
        keep &= frame[rule.indicator_col].isin(indicators)
    if rule.agency_col and scope.agency is not None:
        keep &= frame[rule.agency_col] == scope.agency
    if rule.sector_col and indicators is not None:
        catalog = fetch("catalog", {})
        sectors = set(catalog.loc[catalog["code"].isin(indicators), "sector"])
        keep &= frame[rule.sector_col].isin(sectors)
    return frame if bool(keep.all()) else frame[keep].reset_index(drop=True)


def check_agency(scope: Scope, agency: object) -> None:
    """OutOfScope unless `agency` is the scope's reporting agency (a scope
    without one, e.g. the system's, reads any agency's only if it reads
    everything)."""
    if scope.agency is not None:
        if agency != scope.agency:
            raise OutOfScope(f"agency {agency} is not your reporting agency")
    elif not (scope.all_units and scope.all_indicators):
        raise OutOfScope("only a reporter reads its agency's reports")


def withhold_thin_totals(frame: pd.DataFrame, rule: Rule) -> pd.DataFrame:
    """The nation's figures as a province scope may see them: a total the ETL
    added up (origin rollup, or computed from rolled-up parts) from fewer than
    MIN_NATIONAL_PARTS provinces is not shown; a figure reported for the
    nation itself is."""
    if frame.empty or not {"n_parts", "origin"} <= set(frame.columns):
        return frame
    parts = pd.to_numeric(frame["n_parts"], errors="coerce")
    thin = (
        (frame["origin"] != "reported") & parts.notna() & (parts < MIN_NATIONAL_PARTS)
    )
    if not bool(thin.any()):
        return frame
    if rule.national == "drop":
        return frame[~thin].reset_index(drop=True)
    frame = frame.copy()
    for column in (c for c in frame.columns if c not in rule.keep_cols):
        # as the SQL's LEFT JOIN leaves an indicator without figures: NaN in a
        # numeric column (its dtype kept for the pages' arithmetic), else None
        if pd.api.types.is_numeric_dtype(frame[column]) and not (
            pd.api.types.is_bool_dtype(frame[column])
        ):
            frame.loc[thin, column] = float("nan")
        else:
            frame[column] = frame[column].astype(object)
            frame.loc[thin, column] = None
    return frame
