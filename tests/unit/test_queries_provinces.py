"""Figures across provinces (data/queries.py province_values, region_values,
attention, province_ranks) on the scenario's warehouse
(tests/unit/queries_scenario.py): ranks in both directions, regional sums and
means, the provinces needing attention, in the 63 and the 34 provinces."""

from __future__ import annotations

import pandas as pd
import pytest

from data import queries as q
from data.queries import BadParameter
from tests.unit.queries_scenario import one_row


def test_province_values_ranks_highest_first(queries_data_dir):
    frame = q.province_values("NS.01", "2020-12", "2020")
    assert len(frame) == 63
    assert set(frame["period"]) == {"2020-08"}  # the latest with a province figure
    top = frame.head(4)
    assert top["unit_code"].tolist()[:3] == ["22", "01", "40"]
    assert top["rank_value"].tolist()[:3] == [1, 2, 3]
    assert pd.isna(top["rank_value"].iloc[3])
    assert top["status"].tolist()[:3] == ["on_track", "at_risk", "off_track"]
    assert top["actual"].tolist()[:3] == [29915, 27000, 21000]
    assert top["region_key"].tolist()[:3] == ["DBSH", "DBSH", "BTBDHMT"]
    assert frame["rank_value"].notna().sum() == 3


def test_province_values_ranks_lowest_first_for_direction_down(queries_data_dir):
    frame = q.province_values("GT.01", "2020-08", "2020")
    ranked = frame[frame["rank_value"].notna()]
    assert ranked["unit_code"].tolist() == ["01", "22", "40"]
    assert ranked["actual"].tolist() == [30, 50, 70]
    assert ranked["rank_value"].tolist() == [1, 2, 3]


def test_province_values_picks_the_latest_period_ending_by_as_of(queries_data_dir):
    frame = q.province_values("NS.01", "2020-07", "2020")
    assert set(frame["period"]) == {"2020-07"}
    assert frame[frame["rank_value"].notna()]["unit_code"].tolist() == ["01"]


def test_province_values_in_the_34_provinces(queries_data_dir):
    frame = q.province_values("NS.01", "2026-12", "2025")
    assert len(frame) == 34 and set(frame["period"]) == {"2026-03"}
    first = frame.iloc[0]
    assert (first["unit_code"], first["actual"], first["rank_value"]) == ("08", 400, 1)
    assert round(first["pct_vs_last_year"], 1) == 121.2


def test_province_values_refuses_bad_arguments(queries_data_dir):
    for args in [("NS01", "2020-08"), ("NS.01", "2020-13"), ("NS.01", "2020", "x")]:
        with pytest.raises(BadParameter):
            q.province_values(*args)


def test_region_values_sums_additive_figures(queries_data_dir):
    frame = q.region_values("NS.01", "2020-08", "2020")
    assert frame[["region_key", "value", "method", "n_provinces"]].values.tolist() == [
        ["DBSH", 29915 + 27000, "sum", 2],
        ["BTBDHMT", 21000, "sum", 1],
    ]


def test_region_values_averages_rates(queries_data_dir):
    frame = q.region_values("KT.01", "2020-Q3", "2020")
    assert frame[["region_key", "value", "method", "n_provinces"]].values.tolist() == [
        ["DBSH", 6.0, "mean", 2]
    ]
    assert q.region_values("KT.01", "2020-Q2", "2020").empty


def test_attention(queries_data_dir):
    frame = q.attention("2020-12", "2020")
    assert len(frame) == 63
    first = frame.iloc[0]
    assert (first["unit_code"], first["n_off_track"], first["n_with_target"]) == (
        "40",
        1,
        1,
    )
    assert list(first["off_track_codes"]) == ["NS.01"]
    hanoi = one_row(frame, unit_code="01")
    assert (hanoi["n_at_risk"], hanoi["n_off_track"]) == (1, 0)
    assert one_row(frame, unit_code="22")["n_on_track"] == 1
    assert frame["n_with_target"].sum() == 3
    assert len(q.attention("2020-12", "2025")) == 34


def test_attention_looks_back_one_year_only(queries_data_dir):
    assert q.attention("2022-12", "2020")["n_with_target"].sum() == 0
    july = q.attention("2020-07", "2020")  # only Hà Nội had a July figure
    assert july["n_with_target"].sum() == 1
    assert july.iloc[0]["unit_code"] == "01" and july.iloc[0]["n_off_track"] == 1


def test_province_ranks(queries_data_dir):
    frame = q.province_ranks("22", "2020-12", "2020")
    ranks = {
        r["indicator_code"]: (r["period"], r["rank_value"], r["n_ranked"])
        for r in frame.to_dict("records")
    }
    assert ranks["NS.01"] == ("2020-08", 1, 3)
    assert ranks["GT.01"] == ("2020-08", 2, 3)  # direction down: 01 has fewer
    assert ranks["KT.01"] == ("2020-Q3", 1, 2)
    assert ranks["CPS.03"] == ("2020-08", 1, 1)
    assert _rank(q.province_ranks("40", "2020-12", "2020"), "NS.01") == 3
    assert _rank(q.province_ranks("01", "2020-12", "2020"), "GT.01") == 1


def _rank(frame, code):
    return one_row(frame, indicator_code=code)["rank_value"]


def test_province_ranks_agree_with_province_values(queries_data_dir):
    values = q.province_values("GT.01", "2020-12", "2020")
    for unit in ("01", "22", "40"):
        assert (
            _rank(q.province_ranks(unit, "2020-12", "2020"), "GT.01")
            == one_row(values, unit_code=unit)["rank_value"]
        )


def test_province_ranks_of_a_province_without_figures(queries_data_dir):
    assert q.province_ranks("04", "2020-12", "2020").empty
    assert _rank(q.province_ranks("08", "2026-12", "2025"), "NS.01") == 1


@pytest.mark.parametrize("province", ["00", "06649", "2x"])
def test_province_ranks_refuses_a_non_province(queries_data_dir, province):
    with pytest.raises(BadParameter):
        q.province_ranks(province, "2020-08")
