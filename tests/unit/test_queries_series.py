"""One unit's figures (data/queries.py unit_progress, unit_series,
unit_targets) on the scenario's warehouse (tests/unit/queries_scenario.py):
one row per indicator, the latest figure by a date, each geography across the
2025 merger, the nation, a commune."""

from __future__ import annotations

import pandas as pd
import pytest

from data import queries as q
from data.queries import BadParameter
from tests.unit.queries_scenario import one_row


def test_unit_progress_has_one_row_per_catalog_indicator(queries_data_dir):
    frame = q.unit_progress("22", "2020-08", "2020")
    assert len(frame) == 203 and frame["indicator_code"].is_unique
    ns = one_row(frame, indicator_code="NS.01")
    assert (ns["period"], ns["actual"], ns["target"]) == ("2020-08", 29915, 45053)
    assert round(ns["pct_of_target"], 1) == 66.4 and ns["status"] == "on_track"
    assert round(one_row(frame, indicator_code="CPS.03")["actual"], 1) == 33.4
    assert one_row(frame, indicator_code="GT.01")["actual"] == 50
    assert pd.isna(one_row(frame, indicator_code="KT.02")["actual"])


def test_unit_progress_takes_the_latest_figure_ending_by_as_of(queries_data_dir):
    ns = one_row(q.unit_progress("01", "2020-07", "2020"), indicator_code="NS.01")
    assert (ns["period"], ns["actual"]) == ("2020-07", 20000)
    before = one_row(q.unit_progress("22", "2020-07", "2020"), indicator_code="NS.01")
    assert pd.isna(before["actual"])
    # a quarter counts once it has ended
    assert pd.isna(
        one_row(q.unit_progress("22", "2020-08", "2020"), indicator_code="KT.01")[
            "actual"
        ]
    )
    assert (
        one_row(q.unit_progress("22", "2020-09", "2020"), indicator_code="KT.01")[
            "period"
        ]
        == "2020-Q3"
    )


@pytest.mark.parametrize(
    "unit, as_of, geo, period, actual",
    [
        ("08", "2024-12", "2020", "2024-03", 200),  # old Tuyên Quang alone
        ("08", "2024-12", "2025", "2024-03", 300),  # the merged province: 02 + 08
        ("08", "2026-12", "2025", "2026-03", 400),
        ("00", "2025-03", "2025", "2025-03", 5000),  # national: the reported figure
        ("00", "2025-03", "2020", "2025-03", 5000),  # the nation has one geography
    ],
)
def test_unit_progress_in_each_geography(
    queries_data_dir, unit, as_of, geo, period, actual
):
    ns = one_row(q.unit_progress(unit, as_of, geo), indicator_code="NS.01")
    assert (ns["period"], ns["actual"]) == (period, actual)


@pytest.mark.parametrize(
    "args",
    [
        ("2x", "2020-08", "2020"),
        ("22", "2020-8", "2020"),
        ("22", "2020-08", "all"),
    ],
)
def test_unit_progress_refuses_bad_arguments(queries_data_dir, args):
    with pytest.raises(BadParameter):
        q.unit_progress(*args)


def test_unit_series_across_the_merger(queries_data_dir):
    merged = q.unit_series("NS.01", "08", "2025")
    assert merged["period"].tolist() == ["2024-03", "2025-03", "2026-03"]
    assert merged["actual"].tolist() == [300, 330, 400]
    assert merged["origin"].tolist() == ["merged", "merged", "reported"]
    assert merged["n_parts"].tolist() == [2, 2, 1]
    assert merged["last_year_value"].tolist()[1:] == [300, 330]
    assert round(merged["pct_vs_last_year"].iloc[2], 1) == 121.2
    old = q.unit_series("NS.01", "08", "2020")
    assert old["period"].tolist() == ["2024-03", "2025-03"]
    assert old["actual"].tolist() == [200, 220]


def test_unit_series_of_the_nation_ignores_the_geography(queries_data_dir):
    frame = q.unit_series("NS.01", "00", "2020")
    pd.testing.assert_frame_equal(frame, q.unit_series("NS.01", "00", "2025"))
    by_period = dict(zip(frame["period"], frame["actual"], strict=True))
    assert by_period["2020-08"] == 29915 + 27000 + 21000  # rolled up, after revision
    assert by_period["2025-03"] == 5000  # reported
    origins = dict(zip(frame["period"], frame["origin"], strict=True))
    assert origins["2020-08"] == "rollup"


def test_unit_series_of_a_commune(queries_data_dir):
    frame = q.unit_series("XH.02", "06649")
    assert frame[["period", "actual"]].values.tolist() == [["2020-08", 12]]


def test_unit_series_at_the_indicator_frequency_only(queries_data_dir):
    assert q.unit_series("KT.01", "22", "2020")["period"].tolist() == ["2020-Q3"]
    assert q.unit_series("NS.01", "99", "2020").empty


def test_unit_targets(queries_data_dir):
    own = q.unit_targets("NS.01", "22", "2020")
    assert own[["period", "target", "origin"]].values.tolist() == [
        ["2020", 45053, "reported"]
    ]
    # the new province carries its single predecessor's plan
    assert q.unit_targets("NS.01", "22", "2025")["origin"].tolist() == ["merged"]
    national = q.unit_targets("NS.01", "00")
    assert national[["period", "target", "origin"]].values.tolist() == [
        ["2020", 3 * 45053, "rollup"]
    ]
    assert q.unit_targets("GT.01", "22", "2020").empty
