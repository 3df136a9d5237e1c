"""Scope in the data layer: every query function as each kind of caller.

A province analyst of 22 reads 22, its communes and the nation, and nothing
of 01; one of 08 also reads old 08 and 02 (merged into it) and 02's communes;
a ministry analyst of BTC reads BTC's indicators everywhere and nothing else;
a data operator reads the reporting status and no figure; nobody reads nothing.
"""

from __future__ import annotations

import pandas as pd
import pytest

from core.context import use_scope
from core.scope import NO_ACCESS, SYSTEM, make_scope
from data import queries as q
from data.access import OutOfScope
from data.rejected import rejected_files

P22 = make_scope("province_analyst", "user:p22", province="22")
P08 = make_scope("province_analyst", "user:p08", province="08")
BTC = make_scope("ministry_analyst", "user:btc", agencies=("BTC",))
OPERATOR = make_scope("data_operator", "user:op")
ADMIN = make_scope("administrator", "user:admin")

# Every query function that takes a unit, called for unit 01 (outside P22).
UNIT_CALLS = {
    "unit_progress": lambda u: q.unit_progress(u, "2026-08"),
    "unit_series": lambda u: q.unit_series("NS.01", u),
    "unit_targets": lambda u: q.unit_targets("NS.01", u),
    "progress": lambda u: q.progress("NS.01", u, "2026-08"),
    "progress_latest": lambda u: q.progress("NS.01", u),
    "progress_in_geo": lambda u: q.progress_in_geo("NS.01", u, "2026-08"),
    "latest_period": lambda u: q.latest_period("NS.01", u),
    "observations": lambda u: q.observations("NS.01", u),
    "revisions": lambda u: q.revisions("NS.01", u, "2026-08"),
    "provenance": lambda u: q.provenance("NS.01", u, "2026-08"),
    "communes": lambda u: q.communes(u, "2020"),
    "unit_versions": lambda u: q.unit_versions(u),
    "province_ranks": lambda u: q.province_ranks(u, "2026-08"),
    "sector_progress": lambda u: q.sector_progress("budget", u, "2026-08"),
    "reports_unit": lambda u: q.reports("2026-08", 12, "province", u),
}


@pytest.fixture(autouse=True)
def _warehouse(scope_warehouse):
    return scope_warehouse


def _units(frame, column="unit_code") -> set[str]:
    return set(frame[column])


@pytest.mark.parametrize("call", UNIT_CALLS.values(), ids=UNIT_CALLS.keys())
def test_a_province_analyst_is_refused_another_province(call):
    with use_scope(P22), pytest.raises(OutOfScope):
        call("01")


@pytest.mark.parametrize("call", UNIT_CALLS.values(), ids=UNIT_CALLS.keys())
def test_a_province_analyst_reads_the_own_province(call):
    with use_scope(P22):
        call("22")  # no OutOfScope


@pytest.mark.parametrize("unit", ["00", "22", "06649"])
def test_a_province_analyst_reads_the_nation_and_own_communes(unit):
    with use_scope(P22):
        assert not q.unit_series("CPS.04" if len(unit) == 5 else "NS.01", unit).empty


def test_a_province_analyst_is_refused_another_provinces_commune():
    with use_scope(P22), pytest.raises(OutOfScope):
        q.unit_series("CPS.04", "00001")


def test_rows_of_many_units_are_only_the_own_province():
    with use_scope(P22):
        assert _units(q.province_values("NS.01", "2026-08")) == {"22"}
        assert _units(q.province_values("NS.01", "2024-08", "2020")) == {"22"}
        assert _units(q.attention("2026-08")) == {"22"}
        assert _units(q.provinces("2025")) == {"22"}
        assert set(q.province_merger()["new_code"]) == {"22"}
        # its own reports and its communes', not the ministries' on the nation
        assert _units(q.reports("2026-08", 36)) <= {"22", "06649"}
        assert "22" in _units(q.reports("2026-08", 36))
        assert q.region_values("NS.01", "2026-08").empty  # sums of neighbours
        assert rejected_files() == []  # a rejected file may hold any unit


def test_a_merged_province_reads_its_predecessors_and_their_communes():
    with use_scope(P08):
        assert _units(q.province_values("NS.01", "2024-08", "2020")) == {"02", "08"}
        assert q.unit_series("NS.01", "02", "2020").iloc[-1]["actual"] == 581357
        assert not q.unit_series("CPS.04", "00688").empty  # a commune of old 02
        with pytest.raises(OutOfScope):
            q.unit_series("NS.01", "22")
        # the 2025 series of 08 before the reform sums 08 and 02
        series = q.unit_series("NS.01", "08", "2025").set_index("period")
        assert series.loc["2024-08", "actual"] == 592468 + 581357


def test_a_ministry_analyst_reads_only_the_own_indicators_everywhere():
    with use_scope(BTC):
        owners = set(q.catalog()["owner"])
        assert owners == {"BTC"}
        assert q.indicator("CPS.04") is None and q.indicator("NS.01") is not None
        assert set(q.unit_progress("01", "2026-08")["owner"]) == {"BTC"}
        sectors = set(q.sectors()["code"])
        assert "budget" in sectors
        assert not sectors & {"digital_gov", "health"}
        assert _units(q.province_values("NS.01", "2026-08")) >= {"01", "22"}
        for call in (
            lambda: q.unit_series("YT.08", "01"),
            lambda: q.province_values("CPS.04", "2024-08", "2020"),
            lambda: q.observations("YT.08", "22"),
        ):
            with pytest.raises(OutOfScope):
                call()
        assert rejected_files() == []


def test_attention_counts_only_the_ministrys_indicators():
    with use_scope(SYSTEM):
        every = q.attention("2026-08").set_index("unit_code")
    with use_scope(BTC):
        own = q.attention("2026-08").set_index("unit_code")
    assert set(own.index) == set(every.index)
    assert (own["n_with_target"] <= every["n_with_target"]).all()
    for codes in own["off_track_codes"].dropna():
        assert all(c.startswith(("NS.", "KT.")) for c in codes)


@pytest.mark.parametrize("scope", [OPERATOR, ADMIN], ids=["operator", "admin"])
def test_roles_without_figures_read_status_and_reference_only(scope):
    with use_scope(scope):
        assert not q.catalog().empty and not q.provinces().empty and q.months()
        assert not q.reports("2026-08", 36).empty
        for name, call in UNIT_CALLS.items():
            if name in ("reports_unit", "unit_versions"):  # status and reference
                continue
            with pytest.raises(OutOfScope):
                call("22")
        with pytest.raises(OutOfScope):
            q.province_values("NS.01", "2026-08")


def test_the_data_operator_sees_rejected_files():
    with use_scope(OPERATOR):
        assert [f["file"] for f in rejected_files()] == ["UBND-01_bad.csv"]


@pytest.mark.parametrize(
    "call",
    [
        q.months,
        q.catalog,
        q.snapshot_meta,
        lambda: q.unit_progress("22", "2026-08"),
        lambda: q.reports("2026-08"),
        rejected_files,
    ],
    ids=["months", "catalog", "snapshot_meta", "unit_progress", "reports", "rejected"],
)
def test_no_identity_reads_nothing(call):
    with use_scope(NO_ACCESS), pytest.raises(OutOfScope):
        call()


def test_a_query_without_a_rule_is_only_for_unrestricted_scopes():
    with use_scope(SYSTEM):
        assert q.run("scope_units", province="22") is not None
    with use_scope(P22), pytest.raises(OutOfScope):
        q.run("scope_units", province="22")


def test_the_shared_cache_never_carries_one_scope_to_another(scope_warehouse):
    """Results are cached per snapshot as the SQL returns them and filtered on
    every call: a province analyst after a national viewer (and the other way
    round) gets only what the scope allows, from the same cache."""
    from flask import Flask, g

    from data.cache import cache

    app = Flask(__name__)
    app.config.update(CACHE_TYPE="SimpleCache")
    cache.init_app(app)

    def as_scope(scope):
        with app.test_request_context("/"):
            g.cc_scope = scope
            return _units(q.province_values("NS.01", "2026-08"))

    full = as_scope(SYSTEM)
    assert full >= {"01", "08", "22"}
    assert as_scope(P22) == {"22"}
    assert as_scope(SYSTEM) == full
    assert as_scope(P22) == {"22"}


def test_a_request_without_identity_ignores_any_process_grant(scope_warehouse):
    """In a web request only the request's identity counts (flask.g)."""
    from flask import Flask

    with Flask(__name__).test_request_context("/"), pytest.raises(OutOfScope):
        q.catalog()


# KT.02 2026-Q2 was reported by 22 (2200) and 01 (646802) only: the nation's
# total (649002) less the own 2200 is Hà Nội's figure. NS.01 2026-08 was
# reported for the nation itself (99999): that one is shown.
THIN_TOTAL = 2200 + 646802


def _national_ktd02(frame):
    row = frame[frame["indicator_code"] == "KT.02"].iloc[0]
    return row["actual"], row["n_parts"]


def test_a_national_total_of_too_few_provinces_is_withheld_from_a_province():
    with use_scope(SYSTEM):
        assert q.unit_series("KT.02", "00")["actual"].tolist() == [THIN_TOTAL]
        assert _national_ktd02(q.unit_progress("00", "2026-08")) == (THIN_TOTAL, 2)
        assert q.progress("KT.02", "00", "2026-Q2") is not None
    with use_scope(P22):
        assert q.unit_series("KT.02", "00").empty
        actual, parts = _national_ktd02(q.unit_progress("00", "2026-08"))
        assert pd.isna(actual) and pd.isna(parts)  # no figure
        assert q.progress("KT.02", "00", "2026-Q2") is None
        assert 99999 in q.unit_series("NS.01", "00")["actual"].tolist()
        own = q.unit_series("KT.02", "22")["actual"].tolist()
        assert own == [2200]


def test_the_freshness_counts_are_the_ministrys_own_indicators():
    """The footer's "n/N indicators supplied" of a ministry analyst counts its
    own catalog (NS.01 and KT.02 of BTC have figures), not the country's."""
    with use_scope(SYSTEM):
        every = q.snapshot_meta()
    with use_scope(BTC):
        own = q.snapshot_meta()
        assert own["n_indicators"] == len(q.catalog())
    assert every["n_indicators_supplied"] == 4 and own["n_indicators_supplied"] == 2
    assert 2 <= own["n_indicators"] < every["n_indicators"]
    assert own["snapshot_id"] == every["snapshot_id"]


def test_the_nations_reports_are_for_national_scopes():
    with use_scope(SYSTEM):
        every = _units(q.reports("2026-08", 36))
    with use_scope(BTC):
        assert _units(q.reports("2026-08", 36)) == every
    assert "00" in every  # the ministries' reports exist, and a province
    with use_scope(P22):  # analyst does not count them as its own
        assert "00" not in _units(q.reports("2026-08", 36))
