"""JSON API for other systems: /api/v1/progress, /observations, /catalog.

Every parameter is checked; a bad one is a 400 with a message saying what was
expected, never a 500. Values come from the same data layer as the pages.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pandas as pd
from flask import Blueprint, jsonify, request

from data import queries as q

api = Blueprint("api_v1", __name__, url_prefix="/api/v1")


def _clean(value: Any) -> Any:
    """JSON-safe: NaN -> null, timestamps -> ISO text, numpy -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def _error(status: int, message: str):
    return jsonify({"error": message, "status": status}), status


def _arg(name: str, required: bool = True) -> str | None:
    value = request.args.get(name)
    if value is None or not value.strip():
        if required:
            raise q.BadParameter(f"missing required parameter {name!r}")
        return None
    return value.strip()


# The query parameters each endpoint takes; any other, a repeated one or an
# over-long value is a 400 (the values themselves are checked by data.queries).
PARAMETERS = {
    "progress": {"indicator", "unit", "period"},
    "observations": {"indicator", "unit", "from", "to"},
    "catalog": set(),
}
MAX_VALUE_LENGTH = 32


@api.before_request
def _check_parameters() -> None:
    endpoint = (request.endpoint or "").rpartition(".")[2]
    allowed = PARAMETERS.get(endpoint)
    if allowed is None:
        return
    for name in request.args:
        values = request.args.getlist(name)
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise q.BadParameter(
                f"unknown parameter {name!r} (this endpoint takes: {known})"
            )
        if len(values) > 1:
            raise q.BadParameter(f"parameter {name!r} given {len(values)} times")
        if len(values[0]) > MAX_VALUE_LENGTH:
            raise q.BadParameter(f"parameter {name!r} is too long")


@api.errorhandler(q.BadParameter)
def _bad_parameter(exc: q.BadParameter):
    return _error(400, str(exc))


@api.errorhandler(q.NoSnapshot)
def _no_snapshot(_exc: q.NoSnapshot):
    return _error(503, "no data has been published yet")


@api.get("/progress")
def progress():
    indicator, unit = _arg("indicator"), _arg("unit")
    period = _arg("period", required=False)
    if q.indicator(indicator) is None:
        q.refuse_out_of_reach("indicator", q.check_indicator(indicator))  # 403
        return _error(404, f"unknown indicator {indicator!r}")
    row = q.progress(indicator, unit, period)
    if row is None:
        return _error(
            404, f"no figure for {indicator} unit {unit} period {period or 'latest'}"
        )
    body = {
        "indicator": row["indicator_code"],
        "unit": row["unit_code"],
        "period": row["period"],
        "geo": row["geo"],
        "actual": row["actual"],
        "ytd_actual": row["ytd_actual"],
        "target": row["target"],
        "target_type": row["target_type"],
        "target_to_date": row["target_to_date"],
        "pct_of_target": row["pct_of_target"],
        "expected_pct": row["expected_pct"],
        "pace_basis": row["pace_basis"],
        "status": row["status"],
        "met": row["met"],
        "gap": row["gap"],
        "projected_year_end": row["projected_year_end"],
        "monthly_needed": row["monthly_needed"],
        "last_year_value": row["last_year_value"],
        "pct_vs_last_year": row["pct_vs_last_year"],
        "change_vs_last_year": row["change_vs_last_year"],
        "computed": row["computed"],
        "reported_value": row["reported_value"],
        "numerator": row["numerator"],
        "denominator": row["denominator"],
        "unit_of_measure": {"vi": row["unit_vi"], "en": row["unit_en"]},
        "coverage": {
            "units_included": row["n_parts"],
            "units_expected": row["n_expected"],
        },
        "revised": row["revised"],
        "revision": row["revision"],
        "loaded_at": row["loaded_at"],
        "submitted_at": row["submitted_at"],
        "snapshot_id": q.snapshot_id(),
    }
    body = {k: _clean(v) for k, v in body.items()}
    # every plan the figure is held to, the primary one (the fields above) first
    body["plans"] = [{k: _clean(v) for k, v in plan.items()} for plan in q.plans(row)]
    return jsonify(body)


@api.get("/observations")
def observations():
    indicator, unit = _arg("indicator"), _arg("unit")
    frame = q.observations(indicator, unit, _arg("from", False), _arg("to", False))
    rows = [{k: _clean(v) for k, v in r.items()} for r in frame.to_dict("records")]
    return jsonify(
        {"snapshot_id": q.snapshot_id(), "count": len(rows), "observations": rows}
    )


@api.get("/catalog")
def catalog():
    frame = q.catalog()
    rows = [{k: _clean(v) for k, v in r.items()} for r in frame.to_dict("records")]
    return jsonify(
        {"snapshot_id": q.snapshot_id(), "count": len(rows), "indicators": rows}
    )
