"""The named queries of data/queries.py on a small warehouse, and the layers under
them: the argument validators, the snapshot-keyed cache, the Warehouse that
follows CURRENT.

One scenario is loaded once (two files, so that one figure has a revision); it
spans the 2025 reform: Quảng Ninh (22), Hà Nội (01), Nghệ An (40) in 2020 with
their annual plans, Hà Giang (02) + Tuyên Quang (08) -> Tuyên Quang (08) before
and after the merger, a national figure, a ratio pair CPS.01/CPS.02 and a
commune in each era.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time

import pandas as pd
import pytest
from flask import Flask

import data.db as db
from data import queries as q
from data.cache import cache, cache_key
from data.queries import BadParameter
from etl import publish as pub

A, T = "actual", "target"
SUBMITTED_FIRST = dt.datetime(2020, 9, 5, 8, 0)
SUBMITTED_SECOND = dt.datetime(2020, 9, 15, 8, 0)

FIRST = [
    # % of plan and ranks (direction up), 2020
    ("NS.01", "22", "2020-08", A, 29915), ("NS.01", "22", "2020", T, 45053),
    ("NS.01", "01", "2020-08", A, 27000), ("NS.01", "01", "2020", T, 45053),
    ("NS.01", "40", "2020-08", A, 20000), ("NS.01", "40", "2020", T, 45053),
    # direction 'down' (traffic accidents: fewer ranks first)
    ("GT.01", "22", "2020-08", A, 50), ("GT.01", "01", "2020-08", A, 30),
    ("GT.01", "40", "2020-08", A, 70),
    # a rate (not summed: a regional mean)
    ("KT.01", "22", "2020-Q3", A, 7.0), ("KT.01", "01", "2020-Q3", A, 5.0),
    # the ratio pair: CPS.03 = CPS.02 / CPS.01 * 100
    ("CPS.01", "22", "2020-08", A, 1552), ("CPS.02", "22", "2020-08", A, 518),
    # the merger: Hà Giang (02) + Tuyên Quang (08) -> Tuyên Quang (08)
    ("NS.01", "02", "2024-03", A, 100), ("NS.01", "08", "2024-03", A, 200),
    ("NS.01", "02", "2025-03", A, 110), ("NS.01", "08", "2025-03", A, 220),
    ("NS.01", "08", "2026-03", A, 400),
    ("CPS.01", "02", "2024-03", A, 100), ("CPS.01", "08", "2024-03", A, 300),
    ("CPS.02", "02", "2024-03", A, 50), ("CPS.02", "08", "2024-03", A, 60),
    # a national figure reported by the ministry
    ("NS.01", "00", "2025-03", A, 5000),
    # a commune of Quảng Ninh in each era (the code 06652 names two communes)
    ("XH.02", "06649", "2020-08", A, 12),
    ("XH.02", "06652", "2025-08", A, 15),
]
SECOND = [
    ("NS.01", "40", "2020-08", A, 21000),  # a revision of the first file's figure
    ("NS.01", "01", "2020-07", A, 20000),  # July, sent after its deadline
]


def _rows(rows):
    return [{"indicator_code": i, "unit_code": u, "period": p, "kind": k,
             "value": str(v)} for i, u, p, k, v in rows]


@pytest.fixture(scope="module")
def wh(tmp_path_factory, make_submissions, make_warehouse):
    folder = tmp_path_factory.mktemp("queries")
    files = make_submissions(folder / "in")
    warehouse = make_warehouse(folder / "warehouse")
    first = warehouse.load(files.csv("first.csv", _rows(FIRST)),
                           submitted_at=SUBMITTED_FIRST)
    assert first.outcomes[0].status == "loaded", first.outcomes[0].errors
    second = warehouse.load(files.csv("second.csv", _rows(SECOND)),
                            submitted_at=SUBMITTED_SECOND)
    assert second.outcomes[0].status == "loaded", second.outcomes[0].errors
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CC_DATA_DIR", str(warehouse.root))
        yield warehouse


@pytest.fixture
def data_dir(wh, monkeypatch):
    """CC_DATA_DIR is the scenario's (a test before may have pointed it elsewhere)."""
    monkeypatch.setenv("CC_DATA_DIR", str(wh.root))
    return wh


def _row(frame: pd.DataFrame, **match) -> dict:
    mask = pd.Series(True, index=frame.index)
    for column, value in match.items():
        mask &= frame[column] == value
    rows = frame[mask]
    assert len(rows) == 1, (match, rows)
    return rows.iloc[0].to_dict()


# --- validators ---------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (None, "2025"), ("", "2025"), ("2025", "2025"), ("2020", "2020"),
])
def test_check_geo_accepts(value, expected):
    assert q.check_geo(value) == expected


@pytest.mark.parametrize("value", [
    "2021", "all", "2025 ", " 2020", "20", 2025, "2025' OR 1=1 --", "２０２５",
])
def test_check_geo_refuses(value):
    with pytest.raises(BadParameter, match="geo must be one of 2025, 2020"):
        q.check_geo(value)


@pytest.mark.parametrize("value, expected", [
    ("2020", "2020"), ("2020-Q3", "2020-Q3"), ("2020-q3", "2020-Q3"),
    ("2020-08", "2020-08"), (" 2020-12 ", "2020-12"), ("2020-01", "2020-01"),
    ("2025-Q1", "2025-Q1"), (2020, "2020"),
])
def test_check_period_accepts(value, expected):
    assert q.check_period(value) == expected


@pytest.mark.parametrize("value", [
    "2020-13", "2020-8", "2020-00", "2020-Q5", "2020-Q0", "2020-Q", "20", "202",
    "20201", "2020-", "2020-08-01", "2020/08", "08-2020", "", "   ", "abc", "None",
    "2020-08; DROP TABLE observations", "' OR '1'='1", "2020-08\n2020-09",
    "2020-08" * 200, "năm 2020", "2020–08",
])
def test_check_period_refuses(value):
    with pytest.raises(BadParameter, match="must look like 2020, 2020-Q3 or 2020-08"):
        q.check_period(value)


def test_check_period_names_the_parameter():
    with pytest.raises(BadParameter, match=r"^as_of must look like .* not '2020-8'$"):
        q.check_period("2020-8", "as_of")


@pytest.mark.parametrize("value", ["٢٠٢٠", "２０２０-08", "٢٠٢٠-Q3"])
def test_check_period_refuses_non_ascii_digits(value):
    with pytest.raises(BadParameter):
        q.check_period(value)


@pytest.mark.parametrize("value, expected", [
    ("2020-08", "2020-08"), (" 2020-12 ", "2020-12"), ("2026-01", "2026-01"),
])
def test_check_month_accepts(value, expected):
    assert q.check_month(value) == expected


@pytest.mark.parametrize("value", [
    "2020", "2020-Q3", "2020-13", "2020-8", "2020-00", "", "x", "2020-08-01",
    "'; SELECT 1; --",
])
def test_check_month_refuses(value):
    with pytest.raises(BadParameter, match="must be a month like 2020-08"):
        q.check_month(value)


@pytest.mark.parametrize("value, expected", [
    ("00", "00"), ("22", "22"), (" 08 ", "08"), ("06649", "06649"), (22, "22"),
])
def test_check_unit_accepts(value, expected):
    assert q.check_unit(value) == expected


@pytest.mark.parametrize("value", [
    "2", "222", "2x", "2x2", "0664", "066490", "", "HN", "22;", "22 OR 1=1",
    "' OR '1'='1", "1" * 1000, "22\x00",
])
def test_check_unit_refuses(value):
    with pytest.raises(BadParameter, match="unit must be a GSO code"):
        q.check_unit(value)


@pytest.mark.parametrize("value, expected", [
    ("NS.01", "NS.01"), ("ns.01", "NS.01"), (" CPS.03 ", "CPS.03"), ("A.1", "A.1"),
    ("ABCD.123", "ABCD.123"),
])
def test_check_indicator_accepts(value, expected):
    assert q.check_indicator(value) == expected


@pytest.mark.parametrize("value", [
    "NS01", "NS.", ".01", "NS.0001", "ABCDE.01", "N S.01", "NS-01", "", "1.01",
    "NS.01'; DROP TABLE indicators; --", "NS.01" * 100, "Ñ.01",
])
def test_check_indicator_refuses(value):
    with pytest.raises(BadParameter, match="indicator must be a catalog code"):
        q.check_indicator(value)


@pytest.mark.parametrize("value, expected", [
    ("budget", "budget"), ("BUDGET", "budget"), (" digital_gov ", "digital_gov"),
])
def test_check_sector_accepts(value, expected):
    assert q.check_sector(value) == expected


@pytest.mark.parametrize("value", [
    "b", "budget1", "1budget", "bud-get", "", "budget;", "a" * 41, "ngân_sách",
])
def test_check_sector_refuses(value):
    with pytest.raises(BadParameter, match="sector must be a code like budget"):
        q.check_sector(value)


@pytest.mark.parametrize("unit, geo, expected", [
    ("22", "2025", "2025"), ("22", "2020", "2020"), ("00", "2020", "all"),
    ("00", "2025", "all"), ("06649", "2020", "all"),
])
def test_geo_key(unit, geo, expected):
    assert q.geo_key(unit, geo) == expected


@pytest.mark.parametrize("period, expected", [
    ("2024", "2020"), ("2025", "2025"), ("2026", "2025"), ("2025-06", "2020"),
    ("2025-07", "2025"), ("2025-Q2", "2020"), ("2025-Q3", "2025"), ("2020-08", "2020"),
])
def test_period_geo(period, expected):
    assert q.period_geo(period) == expected


# --- the snapshot, months, the catalog -----------------------------------------------


def test_snapshot_id_is_the_current_one(data_dir):
    assert q.snapshot_id() == data_dir.current_id()


def test_snapshot_meta(data_dir):
    meta = q.snapshot_meta()
    assert meta["snapshot_id"] == data_dir.current_id()
    assert meta["n_indicators"] == 200
    assert meta["n_observations"] == data_dir.scalar(
        "SELECT count(*) FROM observations")
    assert meta["n_observations"] == len(FIRST) + 1  # the revision replaces a figure
    # NS.01 GT.01 KT.01 CPS.01 CPS.02 XH.02, and the ratio CPS.03 computed from
    # CPS.02 / CPS.01 (counted as the sector cards count it)
    assert meta["n_indicators_supplied"] == 7
    assert meta["latest_month"] == "2026-03"
    assert meta["last_submitted_at"] == pd.Timestamp(SUBMITTED_SECOND)
    assert pd.notna(meta["published_at"]) and pd.notna(meta["last_loaded_at"])


def test_months_newest_first(data_dir):
    assert q.months() == ["2026-03", "2025-08", "2025-03", "2024-03", "2020-08",
                          "2020-07"]


@pytest.mark.parametrize("asked, expected", [
    (None, "2026-03"), ("", "2026-03"), ("2020-03", "2020-03"),
    (" 2020-08 ", "2020-08"),
])
def test_default_month(data_dir, asked, expected):
    assert q.default_month(asked) == expected


@pytest.mark.parametrize("asked", ["2020", "2020-8", "2020-Q1", "garbage"])
def test_default_month_refuses_a_bad_month(data_dir, asked):
    with pytest.raises(BadParameter):
        q.default_month(asked)


def test_default_month_without_any_month(monkeypatch):
    monkeypatch.setattr(q, "_stamps", lambda: {"latest_month": None})
    assert q.default_month(None) == "2020-01"


def test_catalog(data_dir):
    frame = q.catalog()
    assert len(frame) == 200
    assert frame["code"].is_unique
    assert {"sector_vi", "sector_en", "sector_order", "owner_vi", "owner_en",
            "frequency", "direction", "target_type"} <= set(frame.columns)
    assert frame["sector_order"].is_monotonic_increasing
    assert frame["sector_vi"].notna().all()


def test_indicator(data_dir):
    row = q.indicator(" ns.01 ")
    assert row["code"] == "NS.01"
    assert (row["unit_vi"], row["unit_en"]) == ("tỷ đồng", "billion VND")
    assert (row["target_type"], row["direction"], row["sector"]) == ("plan", "up",
                                                                    "budget")
    ratio = q.indicator("CPS.03")
    assert (ratio["aggregation"], ratio["numerator"], ratio["denominator"]) == (
        "ratio", "CPS.02", "CPS.01")


def test_indicator_unknown_and_bad(data_dir):
    assert q.indicator("ZZ.99") is None
    with pytest.raises(BadParameter):
        q.indicator("not a code")


def test_sectors(data_dir):
    frame = q.sectors()
    assert len(frame) == 18
    assert frame["order"].is_monotonic_increasing
    assert frame["n_indicators"].sum() == 200
    assert _row(frame, code="budget")["name_en"] == "State budget"


# --- units --------------------------------------------------------------------------


@pytest.mark.parametrize("geo, n", [("2025", 34), ("2020", 63), (None, 34), ("", 34)])
def test_provinces(data_dir, geo, n):
    frame = q.provinces(geo)
    assert len(frame) == n
    assert frame["unit_code"].is_unique and frame["unit_code"].is_monotonic_increasing
    assert frame["region_key"].notna().all() and frame["region_vi"].notna().all()


def test_provinces_of_each_era(data_dir):
    assert "02" in set(q.provinces("2020")["unit_code"])
    assert "02" not in set(q.provinces("2025")["unit_code"])
    assert _row(q.provinces("2025"), unit_code="08")["name_vi"] == "Tuyên Quang"


def test_provinces_refuses_a_bad_geo(data_dir):
    with pytest.raises(BadParameter):
        q.provinces("2030")


def test_unit_versions_of_a_province_that_kept_its_code(data_dir):
    frame = q.unit_versions("08")
    assert frame["geo"].tolist() == ["2025", "2020"]  # newest first
    assert frame["valid_from"].astype(str).tolist() == ["2025-07-01", "2000-01-01"]
    assert (frame["parent_vi"] == "Việt Nam").all()


def test_unit_versions_of_a_merged_away_province_and_a_reused_commune_code(data_dir):
    assert q.unit_versions("02")["geo"].tolist() == ["2020"]
    commune = q.unit_versions("06652")
    assert commune["name_vi"].tolist() == ["Phường Hà Tu", "Phường Hà Phong"]
    assert commune["level"].unique().tolist() == ["commune"]
    assert commune["parent_vi"].tolist() == ["Quảng Ninh", "Quảng Ninh"]
    assert q.unit_versions("99").empty
    with pytest.raises(BadParameter):
        q.unit_versions("9")


@pytest.mark.parametrize("geo, codes, names", [
    ("2020", ["06649"], ["Phường Hà Khánh"]),
    ("2025", ["06652"], ["Phường Hà Tu"]),
])
def test_communes_with_figures_in_each_era(data_dir, geo, codes, names):
    frame = q.communes("22", geo)
    assert frame["unit_code"].tolist() == codes
    assert frame["name_vi"].tolist() == names
    assert frame["n_figures"].tolist() == [1]


def test_communes_of_a_province_without_commune_figures(data_dir):
    assert q.communes("01").empty
    with pytest.raises(BadParameter):
        q.communes("2x")
    with pytest.raises(BadParameter):
        q.communes("22", "2019")


# --- one unit ------------------------------------------------------------------------


def test_unit_progress_has_one_row_per_catalog_indicator(data_dir):
    frame = q.unit_progress("22", "2020-08", "2020")
    assert len(frame) == 200 and frame["indicator_code"].is_unique
    ns = _row(frame, indicator_code="NS.01")
    assert (ns["period"], ns["actual"], ns["target"]) == ("2020-08", 29915, 45053)
    assert round(ns["pct_of_target"], 1) == 66.4 and ns["status"] == "on_track"
    assert round(_row(frame, indicator_code="CPS.03")["actual"], 1) == 33.4
    assert _row(frame, indicator_code="GT.01")["actual"] == 50
    assert pd.isna(_row(frame, indicator_code="KT.02")["actual"])


def test_unit_progress_takes_the_latest_figure_ending_by_as_of(data_dir):
    ns = _row(q.unit_progress("01", "2020-07", "2020"), indicator_code="NS.01")
    assert (ns["period"], ns["actual"]) == ("2020-07", 20000)
    before = _row(q.unit_progress("22", "2020-07", "2020"), indicator_code="NS.01")
    assert pd.isna(before["actual"])
    # a quarter counts once it has ended
    assert pd.isna(_row(q.unit_progress("22", "2020-08", "2020"),
                        indicator_code="KT.01")["actual"])
    assert _row(q.unit_progress("22", "2020-09", "2020"),
                indicator_code="KT.01")["period"] == "2020-Q3"


@pytest.mark.parametrize("unit, as_of, geo, period, actual", [
    ("08", "2024-12", "2020", "2024-03", 200),  # old Tuyên Quang alone
    ("08", "2024-12", "2025", "2024-03", 300),  # the merged province: 02 + 08
    ("08", "2026-12", "2025", "2026-03", 400),
    ("00", "2025-03", "2025", "2025-03", 5000),  # national: the reported figure
    ("00", "2025-03", "2020", "2025-03", 5000),  # the nation has one geography
])
def test_unit_progress_in_each_geography(data_dir, unit, as_of, geo, period, actual):
    ns = _row(q.unit_progress(unit, as_of, geo), indicator_code="NS.01")
    assert (ns["period"], ns["actual"]) == (period, actual)


@pytest.mark.parametrize("args", [
    ("2x", "2020-08", "2020"), ("22", "2020-8", "2020"), ("22", "2020-08", "all"),
])
def test_unit_progress_refuses_bad_arguments(data_dir, args):
    with pytest.raises(BadParameter):
        q.unit_progress(*args)


def test_unit_series_across_the_merger(data_dir):
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


def test_unit_series_of_the_nation_ignores_the_geography(data_dir):
    frame = q.unit_series("NS.01", "00", "2020")
    pd.testing.assert_frame_equal(frame, q.unit_series("NS.01", "00", "2025"))
    by_period = dict(zip(frame["period"], frame["actual"], strict=True))
    assert by_period["2020-08"] == 29915 + 27000 + 21000  # rolled up, after revision
    assert by_period["2025-03"] == 5000  # reported
    origins = dict(zip(frame["period"], frame["origin"], strict=True))
    assert origins["2020-08"] == "rollup"


def test_unit_series_of_a_commune(data_dir):
    frame = q.unit_series("XH.02", "06649")
    assert frame[["period", "actual"]].values.tolist() == [["2020-08", 12]]


def test_unit_series_at_the_indicator_frequency_only(data_dir):
    assert q.unit_series("KT.01", "22", "2020")["period"].tolist() == ["2020-Q3"]
    assert q.unit_series("NS.01", "99", "2020").empty


def test_unit_targets(data_dir):
    own = q.unit_targets("NS.01", "22", "2020")
    assert own[["period", "target", "origin"]].values.tolist() == [
        ["2020", 45053, "reported"]]
    # the new province carries its single predecessor's plan
    assert q.unit_targets("NS.01", "22", "2025")["origin"].tolist() == ["merged"]
    national = q.unit_targets("NS.01", "00")
    assert national[["period", "target", "origin"]].values.tolist() == [
        ["2020", 3 * 45053, "rollup"]]
    assert q.unit_targets("GT.01", "22", "2020").empty


# --- across provinces ----------------------------------------------------------------


def test_province_values_ranks_highest_first(data_dir):
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


def test_province_values_ranks_lowest_first_for_direction_down(data_dir):
    frame = q.province_values("GT.01", "2020-08", "2020")
    ranked = frame[frame["rank_value"].notna()]
    assert ranked["unit_code"].tolist() == ["01", "22", "40"]
    assert ranked["actual"].tolist() == [30, 50, 70]
    assert ranked["rank_value"].tolist() == [1, 2, 3]


def test_province_values_picks_the_latest_period_ending_by_as_of(data_dir):
    frame = q.province_values("NS.01", "2020-07", "2020")
    assert set(frame["period"]) == {"2020-07"}
    assert frame[frame["rank_value"].notna()]["unit_code"].tolist() == ["01"]


def test_province_values_in_the_34_provinces(data_dir):
    frame = q.province_values("NS.01", "2026-12", "2025")
    assert len(frame) == 34 and set(frame["period"]) == {"2026-03"}
    first = frame.iloc[0]
    assert (first["unit_code"], first["actual"], first["rank_value"]) == ("08", 400, 1)
    assert round(first["pct_vs_last_year"], 1) == 121.2


def test_province_values_refuses_bad_arguments(data_dir):
    for args in [("NS01", "2020-08"), ("NS.01", "2020-13"), ("NS.01", "2020", "x")]:
        with pytest.raises(BadParameter):
            q.province_values(*args)


def test_region_values_sums_additive_figures(data_dir):
    frame = q.region_values("NS.01", "2020-08", "2020")
    assert frame[["region_key", "value", "method", "n_provinces"]].values.tolist() == [
        ["DBSH", 29915 + 27000, "sum", 2], ["BTBDHMT", 21000, "sum", 1]]


def test_region_values_averages_rates(data_dir):
    frame = q.region_values("KT.01", "2020-Q3", "2020")
    assert frame[["region_key", "value", "method", "n_provinces"]].values.tolist() == [
        ["DBSH", 6.0, "mean", 2]]
    assert q.region_values("KT.01", "2020-Q2", "2020").empty


def test_attention(data_dir):
    frame = q.attention("2020-12", "2020")
    assert len(frame) == 63
    first = frame.iloc[0]
    assert (first["unit_code"], first["n_off_track"], first["n_with_target"]) == (
        "40", 1, 1)
    assert list(first["off_track_codes"]) == ["NS.01"]
    hanoi = _row(frame, unit_code="01")
    assert (hanoi["n_at_risk"], hanoi["n_off_track"]) == (1, 0)
    assert _row(frame, unit_code="22")["n_on_track"] == 1
    assert frame["n_with_target"].sum() == 3
    assert len(q.attention("2020-12", "2025")) == 34


def test_attention_looks_back_one_year_only(data_dir):
    assert q.attention("2022-12", "2020")["n_with_target"].sum() == 0
    july = q.attention("2020-07", "2020")  # only Hà Nội had a July figure
    assert july["n_with_target"].sum() == 1
    assert july.iloc[0]["unit_code"] == "01" and july.iloc[0]["n_off_track"] == 1


# --- one figure -----------------------------------------------------------------------


def test_progress_of_the_contract_example(data_dir):
    row = q.progress("NS.01", "22", "2020-08")
    assert (row["geo"], row["actual"], row["target"], row["target_type"]) == (
        "2020", 29915, 45053, "plan")
    assert round(row["pct_of_target"], 1) == 66.4
    assert row["expected_pct"] == pytest.approx(8 / 12 * 100)
    assert row["status"] == "on_track"
    assert (row["unit_vi"], row["unit_en"]) == ("tỷ đồng", "billion VND")


@pytest.mark.parametrize("period, geo, actual, origin", [
    ("2024-03", "2020", 200, "reported"),  # before the reform: the 63 provinces
    ("2026-03", "2025", 400, "reported"),  # after: the 34
])
def test_progress_reads_the_periods_native_geography(data_dir, period, geo, actual,
                                                     origin):
    row = q.progress("NS.01", "08", period)
    assert (row["geo"], row["period"], row["actual"], row["origin"]) == (
        geo, period, actual, origin)


def test_progress_vs_same_period_last_year_across_the_merger(data_dir):
    row = q.progress("NS.01", "08", "2026-03")
    assert row["last_year_value"] == 330
    assert round(row["pct_vs_last_year"], 1) == 121.2
    assert row["change_vs_last_year"] == 70


def test_progress_without_period_is_the_latest(data_dir):
    assert q.progress("NS.01", "08")["period"] == "2026-03"
    assert q.progress("NS.01", "02")["period"] == "2025-03"  # a merged-away province


def test_progress_of_a_computed_ratio(data_dir):
    row = q.progress("CPS.03", "22", "2020-08")
    assert round(row["actual"], 1) == 33.4
    assert row["actual"] == pytest.approx(518 / 1552 * 100)
    assert (row["computed"], row["origin"]) == (True, "computed")
    assert (row["numerator"], row["denominator"], row["aggregation"]) == (
        "CPS.02", "CPS.01", "ratio")


def test_progress_of_the_nation(data_dir):
    assert q.progress("NS.01", "00", "2025-03")["actual"] == 5000


@pytest.mark.parametrize("args", [
    ("NS.01", "22", "2019-01"), ("NS.01", "99", None), ("NS.01", "22", "2020"),
    ("KT.02", "22", None), ("NS.01", "02", "2026-03"),
])
def test_progress_without_a_figure_is_none(data_dir, args):
    assert q.progress(*args) is None


@pytest.mark.parametrize("args", [
    ("NS01", "22", None), ("NS.01", "2x2", None), ("NS.01", "22", "2020-13"),
    ("NS.01", "22", "2020-8"),
])
def test_progress_refuses_bad_arguments(data_dir, args):
    with pytest.raises(BadParameter):
        q.progress(*args)


def test_progress_in_geo_reads_the_geography_asked_for(data_dir):
    merged = q.progress_in_geo("NS.01", "08", "2024-03", "2025")
    assert (merged["geo"], merged["actual"], merged["origin"], merged["n_parts"]) == (
        "2025", 300, "merged", 2)
    assert q.progress_in_geo("NS.01", "08", "2024-03", "2020")["actual"] == 200
    assert q.progress_in_geo("NS.01", "02", "2024-03", "2025") is None
    assert q.progress_in_geo("NS.01", "00", "2025-03", "2020")["actual"] == 5000
    with pytest.raises(BadParameter):
        q.progress_in_geo("NS.01", "08", "2024-03", "1999")


@pytest.mark.parametrize("indicator, unit, expected", [
    ("NS.01", "08", "2026-03"),  # the 34-province series first
    ("NS.01", "02", "2025-03"),  # else the 63-province one
    ("NS.01", "22", "2020-08"),
    ("KT.01", "22", "2020-Q3"),  # at the indicator's frequency
    ("XH.02", "06649", "2020-08"),
    ("XH.02", "06652", "2025-08"),
    ("NS.01", "00", "2026-03"),
    ("NS.01", "99", None),
    ("KT.02", "22", None),
])
def test_latest_period(data_dir, indicator, unit, expected):
    assert q.latest_period(indicator, unit) == expected


def test_observations_with_from_and_to(data_dir):
    def periods(*args):
        frame = q.observations("NS.01", "01", *args)
        return list(zip(frame["period"], frame["kind"], strict=True))

    everything = [("2020-07", A), ("2020-08", A), ("2020", T)]
    assert periods() == everything
    assert periods(None, None) == everything
    assert periods("2020-08") == [("2020-08", A), ("2020", T)]
    assert periods(None, "2020-07") == [("2020-07", A)]
    assert periods("2020", "2020") == everything
    assert periods("2020-Q3", "2020-Q3") == [("2020-07", A), ("2020-08", A)]
    assert periods("2021", None) == []
    assert periods("2020-09", "2020-07") == []


def test_observations_carry_their_source(data_dir):
    frame = q.observations("NS.01", "40", "2020-08", "2020-08")
    row = frame.iloc[0].to_dict()
    assert (row["value"], row["revision"], row["source_file"]) == (
        21000, 2, "second.csv")
    assert row["submitted_at"] == pd.Timestamp(SUBMITTED_SECOND)
    assert row["reporter"] == "UBND-40"
    assert len(row["source_sha256"]) == 64


def test_observations_refuse_bad_arguments(data_dir):
    for args in [("NS.01", "22", "2020-8"), ("NS.01", "22", None, "x"),
                 ("NS.01", "2x2"), ("bad", "22")]:
        with pytest.raises(BadParameter):
            q.observations(*args)


def test_revisions(data_dir):
    frame = q.revisions("NS.01", "40", "2020-08")
    assert frame[["kind", "revision", "value", "source_file"]].values.tolist() == [
        [A, 1, 20000, "first.csv"], [A, 2, 21000, "second.csv"]]
    assert frame["submitted_at"].tolist() == [pd.Timestamp(SUBMITTED_FIRST),
                                              pd.Timestamp(SUBMITTED_SECOND)]
    assert frame["operator"].unique().tolist() == ["pytest"]
    assert len(q.revisions("NS.01", "22", "2020-08")) == 1
    assert q.revisions("NS.01", "22", "2019-08").empty
    assert q.revisions("NS.01", "22", "2020")[["kind", "value"]].values.tolist() == [
        [T, 45053]]


def _roles(frame):
    return [(r, i, u, p, k, v) for r, i, u, p, k, v in frame[
        ["role", "indicator_code", "unit_code", "period", "kind", "value"]].values]


def test_provenance_of_a_reported_figure_with_a_revision_and_its_target(data_dir):
    frame = q.provenance("NS.01", "40", "2020-08", "2020")
    assert _roles(frame) == [
        ("reported", "NS.01", "40", "2020-08", A, 20000),
        ("reported", "NS.01", "40", "2020-08", A, 21000),
        ("annual_target", "NS.01", "40", "2020", T, 45053),
    ]
    assert frame["revision"].tolist() == [1, 2, 1]
    assert frame["source_file"].tolist() == ["first.csv", "second.csv", "first.csv"]
    assert frame["source_row"].notna().all()


def test_provenance_of_a_merged_figure_lists_the_predecessors(data_dir):
    frame = q.provenance("NS.01", "08", "2024-03", "2025")
    assert _roles(frame) == [
        ("reported", "NS.01", "08", "2024-03", A, 200),  # 08 kept its code
        ("predecessor", "NS.01", "02", "2024-03", A, 100),
    ]  # 08 is listed once: as the unit itself, not again as its own predecessor
    # in the old geography, or after the reform, there is no predecessor
    assert set(q.provenance("NS.01", "08", "2024-03", "2020")["role"]) == {"reported"}
    assert set(q.provenance("NS.01", "08", "2026-03", "2025")["role"]) == {"reported"}


def test_provenance_of_a_ratio_lists_numerator_and_denominator(data_dir):
    frame = q.provenance("CPS.03", "22", "2020-08", "2020")
    assert _roles(frame) == [
        ("numerator", "CPS.02", "22", "2020-08", A, 518),
        ("denominator", "CPS.01", "22", "2020-08", A, 1552),
    ]


def test_provenance_of_a_ratio_across_the_merger_lists_every_component(data_dir):
    assert q.progress_in_geo("CPS.03", "08", "2024-03", "2025")["actual"] == (
        pytest.approx(110 / 400 * 100))
    frame = q.provenance("CPS.03", "08", "2024-03", "2025")
    parts = set(zip(frame["indicator_code"], frame["unit_code"], strict=True))
    assert {("CPS.02", "02"), ("CPS.01", "02"), ("CPS.02", "08"),
            ("CPS.01", "08")} <= parts


def test_provenance_of_a_national_figure_and_of_nothing(data_dir):
    assert _roles(q.provenance("NS.01", "00", "2025-03", "2025")) == [
        ("reported", "NS.01", "00", "2025-03", A, 5000)]
    assert q.provenance("NS.01", "00", "2020-08").empty  # a roll-up has no file
    assert q.provenance("KT.02", "22", "2020-08").empty


# --- reports --------------------------------------------------------------------------


def _status(frame, regime, period, unit):
    row = _row(frame, regime=regime, period=period, unit_code=unit)
    return row["report_status"], row["days_late"]


def _reports_on(day: dt.date, *args):
    """q.reports as if today were `day` (it binds date.today())."""

    class Today(dt.date):
        @classmethod
        def today(cls):
            return cls(day.year, day.month, day.day)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dt, "date", Today)
        return q.reports(*args)


def test_reports_statuses_against_a_bound_today(data_dir):
    # NSNN_M is due 10 days after the month, DTC_M 7, CPS_M 5
    frame = _reports_on(dt.date(2020, 9, 7), "2020-08", 2, "province", "01")
    assert _status(frame, "NSNN_M", "2020-08", "01") == ("on_time", 0)  # sent 09-05
    assert _status(frame, "NSNN_M", "2020-07", "01") == ("late", 36)  # sent 09-15
    assert _status(frame, "DTC_M", "2020-08", "01") == ("due", 0)  # due 09-07
    assert _status(frame, "CPS_M", "2020-08", "01") == ("missing", 2)  # due 09-05
    later = _reports_on(dt.date(2020, 9, 11), "2020-08", 2, "province", "01")
    assert _status(later, "DTC_M", "2020-08", "01") == ("missing", 4)


def test_reports_status_is_keyed_by_today(data_dir):
    early = _reports_on(dt.date(2020, 9, 7), "2020-08", 1, "province", "01")
    late = _reports_on(dt.date(2020, 9, 11), "2020-08", 1, "province", "01")
    assert _status(early, "DTC_M", "2020-08", "01")[0] == "due"
    assert _status(late, "DTC_M", "2020-08", "01")[0] == "missing"


def test_reports_with_the_real_today(data_dir):
    frame = q.reports("2020-08", 1, "province")
    assert set(frame["period"]) == {"2020-08"}
    assert len(frame[frame["regime"] == "NSNN_M"]) == 63  # the 63 provinces then
    assert _status(frame, "NSNN_M", "2020-08", "22") == ("on_time", 0)
    assert _status(frame, "NSNN_M", "2020-08", "02")[0] == "missing"
    hanoi = _row(frame, regime="NSNN_M", period="2020-08", unit_code="01")
    assert (hanoi["unit_vi"], hanoi["n_supplied"], hanoi["reporter"]) == (
        "Hà Nội", 1, "UBND-01")
    assert hanoi["first_submitted_at"] == pd.Timestamp(SUBMITTED_FIRST)
    assert str(hanoi["due_date"])[:10] == "2020-09-10"


def test_reports_after_the_reform_expect_34_provinces(data_dir):
    frame = q.reports("2025-08", 1, "province")
    assert len(frame[frame["regime"] == "NSNN_M"]) == 34


def test_reports_of_a_province_include_its_communes(data_dir):
    frame = q.reports("2020-08", 1, None, "22")
    assert set(frame["level"]) == {"province", "commune"}
    commune = _row(frame, regime="XA_M", period="2020-08", unit_code="06649")
    # XA_M is due 3 days after the month; the commune's figure came on 09-05
    assert (commune["report_status"], commune["days_late"]) == ("late", 2)
    assert commune["reporter"] == "UBND-22"
    assert commune["unit_vi"] == "Phường Hà Khánh"


def test_reports_by_level(data_dir):
    national = q.reports("2020-08", 1, "national")
    assert set(national["level"]) == {"national"}
    assert set(national["unit_code"]) == {"00"}
    assert "BTC" in set(national["reporter"])
    assert national["unit_vi"].notna().all()  # the ministry's name
    communes = q.reports("2020-08", 1, "commune")
    assert set(communes["level"]) == {"commune"}
    assert set(q.reports("2020-08", 3, "province")["period"]) == {
        "2020-08", "2020-07", "2020-06", "2020-Q2"}


@pytest.mark.parametrize("args, message", [
    (("2020-08", 0), "between 1 and 120"),
    (("2020-08", 121), "between 1 and 120"),
    (("2020-08", "x"), "whole number"),
    (("2020-08", None), "whole number"),
    (("2020-08", "1.5"), "whole number"),
    (("2020-08", 12, "region"), "level must be"),
    (("2020-08", 12, ""), "level must be"),
    (("2020-08", 12, None, "2x"), "unit must be"),
    (("2020-8",), "as_of must look like"),
])
def test_reports_refuses_bad_arguments(data_dir, args, message):
    with pytest.raises(BadParameter, match=message):
        q.reports(*args)


def test_reports_takes_months_as_text(data_dir):
    assert len(q.reports("2020-08", "1", "province")) == len(
        q.reports("2020-08", 1, "province"))


# --- the page authors' queries ----------------------------------------------------


def test_sector_progress(data_dir):
    frame = q.sector_progress("BUDGET", "22", "2020-08", "2020")
    assert set(frame["sector"]) == {"budget"}
    assert len(frame) == 14 and list(frame.index) == list(range(14))
    assert _row(frame, indicator_code="NS.01")["actual"] == 29915


@pytest.mark.parametrize("args, message", [
    (("nosuch", "22", "2020-08"), "unknown sector"),
    (("bud get", "22", "2020-08"), "sector must be"),
    (("budget", "2x", "2020-08"), "unit must be"),
    (("budget", "22", "2020-8"), "as_of must"),
])
def test_sector_progress_refuses_bad_arguments(data_dir, args, message):
    with pytest.raises(BadParameter, match=message):
        q.sector_progress(*args)


def test_province_ranks(data_dir):
    frame = q.province_ranks("22", "2020-12", "2020")
    ranks = {r["indicator_code"]: (r["period"], r["rank_value"], r["n_ranked"])
             for r in frame.to_dict("records")}
    assert ranks["NS.01"] == ("2020-08", 1, 3)
    assert ranks["GT.01"] == ("2020-08", 2, 3)  # direction down: 01 has fewer
    assert ranks["KT.01"] == ("2020-Q3", 1, 2)
    assert ranks["CPS.03"] == ("2020-08", 1, 1)
    assert _rank(q.province_ranks("40", "2020-12", "2020"), "NS.01") == 3
    assert _rank(q.province_ranks("01", "2020-12", "2020"), "GT.01") == 1


def _rank(frame, code):
    return _row(frame, indicator_code=code)["rank_value"]


def test_province_ranks_agree_with_province_values(data_dir):
    values = q.province_values("GT.01", "2020-12", "2020")
    for unit in ("01", "22", "40"):
        assert _rank(q.province_ranks(unit, "2020-12", "2020"), "GT.01") == _row(
            values, unit_code=unit)["rank_value"]


def test_province_ranks_of_a_province_without_figures(data_dir):
    assert q.province_ranks("04", "2020-12", "2020").empty
    assert _rank(q.province_ranks("08", "2026-12", "2025"), "NS.01") == 1


@pytest.mark.parametrize("province", ["00", "06649", "2x"])
def test_province_ranks_refuses_a_non_province(data_dir, province):
    with pytest.raises(BadParameter):
        q.province_ranks(province, "2020-08")


def test_province_merger(data_dir):
    frame = q.province_merger()
    assert len(frame) == 63 and frame["old_code"].is_unique
    assert frame["new_code"].nunique() == 34
    hg = _row(frame, old_code="02")
    assert (hg["new_code"], hg["old_vi"], hg["new_vi"]) == ("08", "Hà Giang",
                                                            "Tuyên Quang")


def test_regimes(data_dir):
    frame = q.regimes()
    assert len(frame) == 12 and frame["code"].is_unique
    order = {"month": 1, "quarter": 2, "year": 3}
    assert frame["period_type"].map(order).is_monotonic_increasing
    assert _row(frame, code="NSNN_M")["deadline_days"] == 10


def test_agencies(data_dir):
    frame = q.agencies()
    codes = set(frame["code"])
    assert {"BTC", "VPCP", "UBND-22", "UBND-08"} <= codes
    assert frame["code"].is_monotonic_increasing
    assert _row(frame, code="BTC")["name_en"] == "Ministry of Finance"


def test_run_is_the_named_sql_file(data_dir):
    assert q.run("months")["period"].tolist() == q.months()
    with pytest.raises(FileNotFoundError):
        q.run("no_such_query")


def test_no_published_snapshot(tmp_path, monkeypatch):
    monkeypatch.setenv("CC_DATA_DIR", str(tmp_path / "empty"))
    with pytest.raises(q.NoSnapshot):
        q.months()
    with pytest.raises(q.NoSnapshot):
        q.snapshot_id()


# --- the cache ------------------------------------------------------------------------


@pytest.fixture
def frames(monkeypatch) -> list[str]:
    """Names of the queries that reached DuckDB (cache misses)."""
    calls: list[str] = []
    real = q._frame

    def counting(name, **params):
        calls.append(name)
        return real(name, **params)

    monkeypatch.setattr(q, "_frame", counting)
    return calls


@pytest.fixture
def fresh(make_seeded_warehouse, tmp_path, monkeypatch):
    """A seeded data directory of this test's own, CC_DATA_DIR pointing at it."""
    root = tmp_path / "warehouse"
    monkeypatch.setenv("CC_DATA_DIR", str(root))
    return make_seeded_warehouse(root)


@pytest.fixture
def app():
    app = Flask(__name__)
    app.config.update(CACHE_TYPE="SimpleCache", CACHE_DEFAULT_TIMEOUT=3600)
    cache.init_app(app)
    return app


def _ns22() -> list[float]:
    """The value of NS.01 22 2020-08 (29915 seeded, 30000 once fixed)."""
    return q.observations("NS.01", "22", "2020-08", "2020-08")["value"].tolist()


def test_outside_an_app_queries_are_not_cached(fresh, frames):
    q.observations("NS.01", "22")
    q.observations("NS.01", "22")
    assert frames == ["observations_range", "observations_range"]


def test_a_second_call_is_served_from_the_cache(fresh, frames, app):
    with app.app_context():
        first = q.observations("NS.01", "22")
        again = q.observations("NS.01", "22")
        assert frames == ["observations_range"]
        pd.testing.assert_frame_equal(first, again)
        q.observations("NS.01", "22", "2020-08")  # other arguments: another entry
        assert frames == ["observations_range", "observations_range"]
        params = tuple(sorted({"indicator": "NS.01", "unit": "22", "from_period": None,
                               "to_period": None}.items()))
        key = cache_key(q._cached.__wrapped__, fresh.current_id(),
                        ("observations_range", params))
        assert key.startswith(f"q:{fresh.current_id()}:")
        pd.testing.assert_frame_equal(cache.get(key), first)


def test_a_new_snapshot_changes_the_answer(fresh, frames, app, submissions,
                                           monkeypatch):
    monkeypatch.setattr(db.warehouse(), "recheck", 0)  # look at CURRENT every time
    old = fresh.current_id()
    with app.app_context():
        assert _ns22() == [29915]
        result = fresh.load(submissions.csv("fix.csv", [
            {"indicator_code": "NS.01", "unit_code": "22", "period": "2020-08",
             "value": "30000"}]))
        assert result.published and result.snapshot_id != old
        assert q.snapshot_id() == result.snapshot_id
        assert _ns22() == [30000]
        assert frames == ["observations_range", "observations_range"]
        # the old entry is still there, under the old snapshot's key
        params = tuple(sorted({"indicator": "NS.01", "unit": "22",
                               "from_period": "2020-08",
                               "to_period": "2020-08"}.items()))
        fn = q._cached.__wrapped__
        old_entry = cache.get(cache_key(fn, old, ("observations_range", params)))
        new_entry = cache.get(cache_key(fn, result.snapshot_id,
                                        ("observations_range", params)))
        assert old_entry["value"].tolist() == [29915]
        assert new_entry["value"].tolist() == [30000]


# --- the warehouse follows CURRENT ---------------------------------------------------


@pytest.fixture(scope="module")
def fixed_snapshot(make_seeded_warehouse, make_submissions, tmp_path_factory):
    """(id, file) of a snapshot where NS.01 22 2020-08 is 30000, not 29915: built
    once, published into a test's data directory by _publish (no ETL run)."""
    folder = tmp_path_factory.mktemp("fixed")
    other = make_seeded_warehouse(folder / "warehouse")
    result = other.load(_fix(make_submissions(folder / "in")))
    assert result.published
    return result.snapshot_id, other.current().path


def _publish(target, fixed) -> str:
    snapshot_id, path = fixed
    target.layout.tmp.mkdir(parents=True, exist_ok=True)
    work = target.layout.tmp / f"{snapshot_id}.duckdb"
    shutil.copyfile(path, work)
    pub.publish(target.layout, work, snapshot_id)
    return snapshot_id


def _fix(submissions, value="30000"):
    return submissions.csv("fix.csv", [
        {"indicator_code": "NS.01", "unit_code": "22", "period": "2020-08",
         "value": value}])


def _value(warehouse: db.Warehouse) -> float:
    _, cursor = warehouse.cursor()
    try:
        return cursor.execute(
            "SELECT value FROM observations WHERE indicator_code = 'NS.01' "
            "AND unit_code = '22' AND period = '2020-08'").fetchone()[0]
    finally:
        cursor.close()


class _Clock:
    """data.db's time module with a monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleep = time.sleep

    def monotonic(self) -> float:
        return self.now


def test_the_warehouse_switches_to_a_new_snapshot_within_its_recheck(
    fresh, fixed_snapshot, monkeypatch
):
    clock = _Clock()
    monkeypatch.setattr(db, "time", clock)
    warehouse = db.Warehouse(fresh.root, recheck=0.5)
    old = warehouse.snapshot()
    assert old.snapshot_id == fresh.current_id() and _value(warehouse) == 29915
    new = _publish(fresh, fixed_snapshot)
    clock.now += 0.4  # CURRENT was read less than `recheck` ago: not again
    assert warehouse.snapshot() == old and _value(warehouse) == 29915
    clock.now += 0.2
    assert warehouse.snapshot().snapshot_id == new
    assert _value(warehouse) == 30000
    clock.now += 0.6  # nothing new: the same connection
    assert warehouse.snapshot().snapshot_id == new


def test_the_warehouse_keeps_the_snapshot_until_the_recheck(fresh, fixed_snapshot):
    warehouse = db.Warehouse(fresh.root, recheck=3600)
    old = warehouse.snapshot()
    _publish(fresh, fixed_snapshot)
    assert warehouse.snapshot() == old and _value(warehouse) == 29915
    assert db.Warehouse(fresh.root, recheck=3600).snapshot().snapshot_id == (
        fixed_snapshot[0])


def test_the_warehouse_keeps_the_last_good_snapshot_without_current(fresh):
    warehouse = db.Warehouse(fresh.root, recheck=0)
    old = warehouse.snapshot()
    fresh.layout.current.unlink()
    assert warehouse.snapshot() == old
    assert _value(warehouse) == 29915
    with pytest.raises(db.NoSnapshot):  # a process that never saw one has none
        db.Warehouse(fresh.root, recheck=0).snapshot()


def test_the_warehouse_keeps_the_last_good_snapshot_when_current_names_a_lost_file(
    fresh
):
    warehouse = db.Warehouse(fresh.root, recheck=0)
    old = warehouse.snapshot()
    fresh.layout.current.write_text(
        '{"snapshot_id": "gone", "path": "snapshots/gone.duckdb", '
        '"published_at": "2026-01-01T00:00:00"}', encoding="utf-8")
    assert warehouse.snapshot() == old
    with pytest.raises(db.NoSnapshot):
        db.Warehouse(fresh.root, recheck=0).snapshot()


def test_the_process_warehouse_follows_the_data_directory(fresh, tmp_path,
                                                          monkeypatch):
    first = db.warehouse()
    assert first.root == fresh.root.resolve() and db.warehouse() is first
    monkeypatch.setenv("CC_DATA_DIR", str(tmp_path / "other"))
    assert db.warehouse() is not first
    assert db.warehouse().root == (tmp_path / "other").resolve()


def test_a_pinned_snapshot_is_read_after_a_new_one_is_published(fresh, fixed_snapshot,
                                                                monkeypatch):
    monkeypatch.setattr(db.warehouse(), "recheck", 0)
    old = fresh.current_id()
    new = _publish(fresh, fixed_snapshot)
    with db.pinned_snapshot(old):
        assert q.snapshot_id() == old
        assert _ns22() == [29915]
    assert q.snapshot_id() == new
    assert _ns22() == [30000]
    for unknown in ("../etc", "no-such-snapshot"):
        with db.pinned_snapshot(unknown), pytest.raises(db.NoSnapshot):
            q.snapshot_id()
