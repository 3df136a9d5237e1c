"""The reference queries of data/queries.py on the scenario's warehouse
(tests/unit/queries_scenario.py): the catalog, indicators and sectors, the
provinces and communes of each era, the merger, regimes and agencies."""

from __future__ import annotations

import pytest

from data import queries as q
from data.queries import BadParameter
from tests.unit.queries_scenario import one_row


def test_catalog(queries_data_dir):
    frame = q.catalog()
    assert len(frame) == 203  # 200 + the 3 daily indicators (issue 11)
    assert frame["code"].is_unique
    assert {
        "sector_vi",
        "sector_en",
        "sector_order",
        "owner_vi",
        "owner_en",
        "frequency",
        "direction",
        "target_type",
    } <= set(frame.columns)
    assert frame["sector_order"].is_monotonic_increasing
    assert frame["sector_vi"].notna().all()


def test_indicator(queries_data_dir):
    row = q.indicator(" ns.01 ")
    assert row["code"] == "NS.01"
    assert (row["unit_vi"], row["unit_en"]) == ("tỷ đồng", "billion VND")
    assert (row["target_type"], row["direction"], row["sector"]) == (
        "plan",
        "up",
        "budget",
    )
    ratio = q.indicator("CPS.03")
    assert (ratio["aggregation"], ratio["numerator"], ratio["denominator"]) == (
        "ratio",
        "CPS.02",
        "CPS.01",
    )


def test_indicator_unknown_and_bad(queries_data_dir):
    assert q.indicator("ZZ.99") is None
    with pytest.raises(BadParameter):
        q.indicator("not a code")


def test_sectors(queries_data_dir):
    frame = q.sectors()
    assert len(frame) == 18
    assert frame["order"].is_monotonic_increasing
    assert frame["n_indicators"].sum() == 203
    assert one_row(frame, code="budget")["name_en"] == "State budget"


@pytest.mark.parametrize("geo, n", [("2025", 34), ("2020", 63), (None, 34), ("", 34)])
def test_provinces(queries_data_dir, geo, n):
    frame = q.provinces(geo)
    assert len(frame) == n
    assert frame["unit_code"].is_unique and frame["unit_code"].is_monotonic_increasing
    assert frame["region_key"].notna().all() and frame["region_vi"].notna().all()


def test_provinces_of_each_era(queries_data_dir):
    assert "02" in set(q.provinces("2020")["unit_code"])
    assert "02" not in set(q.provinces("2025")["unit_code"])
    assert one_row(q.provinces("2025"), unit_code="08")["name_vi"] == "Tuyên Quang"


def test_provinces_refuses_a_bad_geo(queries_data_dir):
    with pytest.raises(BadParameter):
        q.provinces("2030")


def test_unit_versions_of_a_province_that_kept_its_code(queries_data_dir):
    frame = q.unit_versions("08")
    assert frame["geo"].tolist() == ["2025", "2020"]  # newest first
    assert frame["valid_from"].astype(str).tolist() == ["2025-07-01", "2000-01-01"]
    assert (frame["parent_vi"] == "Việt Nam").all()


def test_unit_versions_of_a_merged_away_province_and_a_reused_commune_code(
    queries_data_dir,
):
    assert q.unit_versions("02")["geo"].tolist() == ["2020"]
    commune = q.unit_versions("06652")
    assert commune["name_vi"].tolist() == ["Phường Hà Tu", "Phường Hà Phong"]
    assert commune["level"].unique().tolist() == ["commune"]
    assert commune["parent_vi"].tolist() == ["Quảng Ninh", "Quảng Ninh"]
    assert q.unit_versions("99").empty
    with pytest.raises(BadParameter):
        q.unit_versions("9")


@pytest.mark.parametrize(
    "geo, codes, names",
    [
        ("2020", ["06649"], ["Phường Hà Khánh"]),
        ("2025", ["06652"], ["Phường Hà Tu"]),
    ],
)
def test_communes_with_figures_in_each_era(queries_data_dir, geo, codes, names):
    frame = q.communes("22", geo)
    assert frame["unit_code"].tolist() == codes
    assert frame["name_vi"].tolist() == names
    assert frame["n_figures"].tolist() == [1]


def test_communes_of_a_province_without_commune_figures(queries_data_dir):
    assert q.communes("01").empty
    with pytest.raises(BadParameter):
        q.communes("2x")
    with pytest.raises(BadParameter):
        q.communes("22", "2019")


def test_province_merger(queries_data_dir):
    frame = q.province_merger()
    assert len(frame) == 63 and frame["old_code"].is_unique
    assert frame["new_code"].nunique() == 34
    hg = one_row(frame, old_code="02")
    assert (hg["new_code"], hg["old_vi"], hg["new_vi"]) == (
        "08",
        "Hà Giang",
        "Tuyên Quang",
    )


def test_regimes(queries_data_dir):
    frame = q.regimes()
    assert len(frame) == 13 and frame["code"].is_unique  # with CPS_D (daily)
    order = {"month": 1, "quarter": 2, "year": 3, "day": 4}
    assert frame["period_type"].map(order).is_monotonic_increasing
    assert one_row(frame, code="NSNN_M")["deadline_days"] == 10


def test_agencies(queries_data_dir):
    frame = q.agencies()
    codes = set(frame["code"])
    assert {"BTC", "VPCP", "UBND-22", "UBND-08"} <= codes
    assert frame["code"].is_monotonic_increasing
    assert one_row(frame, code="BTC")["name_en"] == "Ministry of Finance"
