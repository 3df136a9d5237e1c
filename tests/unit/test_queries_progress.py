"""One figure and where it comes from (data/queries.py progress,
progress_in_geo, latest_period, observations, revisions, provenance) and a
sector's figures (sector_progress), on the scenario's warehouse
(tests/unit/queries_scenario.py): % of plan, last year, ratios, the merger, the
revised figure and its files."""

from __future__ import annotations

import pandas as pd
import pytest

from data import queries as q
from data.queries import BadParameter
from tests.unit.queries_scenario import SUBMITTED_FIRST, SUBMITTED_SECOND, A, T, one_row


def test_progress_of_the_contract_example(queries_data_dir):
    row = q.progress("NS.01", "22", "2020-08")
    assert (row["geo"], row["actual"], row["target"], row["target_type"]) == (
        "2020",
        29915,
        45053,
        "plan",
    )
    assert round(row["pct_of_target"], 1) == 66.4
    assert row["expected_pct"] == pytest.approx(8 / 12 * 100)
    assert row["status"] == "on_track"
    assert (row["unit_vi"], row["unit_en"]) == ("tỷ đồng", "billion VND")


@pytest.mark.parametrize(
    "period, geo, actual, origin",
    [
        ("2024-03", "2020", 200, "reported"),  # before the reform: the 63 provinces
        ("2026-03", "2025", 400, "reported"),  # after: the 34
    ],
)
def test_progress_reads_the_periods_native_geography(
    queries_data_dir, period, geo, actual, origin
):
    row = q.progress("NS.01", "08", period)
    assert (row["geo"], row["period"], row["actual"], row["origin"]) == (
        geo,
        period,
        actual,
        origin,
    )


def test_progress_vs_same_period_last_year_across_the_merger(queries_data_dir):
    row = q.progress("NS.01", "08", "2026-03")
    assert row["last_year_value"] == 330
    assert round(row["pct_vs_last_year"], 1) == 121.2
    assert row["change_vs_last_year"] == 70


def test_progress_without_period_is_the_latest(queries_data_dir):
    assert q.progress("NS.01", "08")["period"] == "2026-03"
    assert q.progress("NS.01", "02")["period"] == "2025-03"  # a merged-away province


def test_progress_of_a_computed_ratio(queries_data_dir):
    row = q.progress("CPS.03", "22", "2020-08")
    assert round(row["actual"], 1) == 33.4
    assert row["actual"] == pytest.approx(518 / 1552 * 100)
    assert (row["computed"], row["origin"]) == (True, "computed")
    assert (row["numerator"], row["denominator"], row["aggregation"]) == (
        "CPS.02",
        "CPS.01",
        "ratio",
    )


def test_progress_of_the_nation(queries_data_dir):
    assert q.progress("NS.01", "00", "2025-03")["actual"] == 5000


@pytest.mark.parametrize(
    "args",
    [
        ("NS.01", "22", "2019-01"),
        ("NS.01", "99", None),
        ("NS.01", "22", "2020"),
        ("KT.02", "22", None),
        ("NS.01", "02", "2026-03"),
    ],
)
def test_progress_without_a_figure_is_none(queries_data_dir, args):
    assert q.progress(*args) is None


@pytest.mark.parametrize(
    "args",
    [
        ("NS01", "22", None),
        ("NS.01", "2x2", None),
        ("NS.01", "22", "2020-13"),
        ("NS.01", "22", "2020-8"),
    ],
)
def test_progress_refuses_bad_arguments(queries_data_dir, args):
    with pytest.raises(BadParameter):
        q.progress(*args)


def test_progress_in_geo_reads_the_geography_asked_for(queries_data_dir):
    merged = q.progress_in_geo("NS.01", "08", "2024-03", "2025")
    assert (merged["geo"], merged["actual"], merged["origin"], merged["n_parts"]) == (
        "2025",
        300,
        "merged",
        2,
    )
    assert q.progress_in_geo("NS.01", "08", "2024-03", "2020")["actual"] == 200
    assert q.progress_in_geo("NS.01", "02", "2024-03", "2025") is None
    assert q.progress_in_geo("NS.01", "00", "2025-03", "2020")["actual"] == 5000
    with pytest.raises(BadParameter):
        q.progress_in_geo("NS.01", "08", "2024-03", "1999")


@pytest.mark.parametrize(
    "indicator, unit, expected",
    [
        ("NS.01", "08", "2026-03"),  # the 34-province series first
        ("NS.01", "02", "2025-03"),  # else the 63-province one
        ("NS.01", "22", "2020-08"),
        ("KT.01", "22", "2020-Q3"),  # at the indicator's frequency
        ("XH.02", "06649", "2020-08"),
        ("XH.02", "06652", "2025-08"),
        ("NS.01", "00", "2026-03"),
        ("NS.01", "99", None),
        ("KT.02", "22", None),
    ],
)
def test_latest_period(queries_data_dir, indicator, unit, expected):
    assert q.latest_period(indicator, unit) == expected


def test_observations_with_from_and_to(queries_data_dir):
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


def test_observations_carry_their_source(queries_data_dir):
    frame = q.observations("NS.01", "40", "2020-08", "2020-08")
    row = frame.iloc[0].to_dict()
    assert (row["value"], row["revision"], row["source_file"]) == (
        21000,
        2,
        "second.csv",
    )
    assert row["submitted_at"] == pd.Timestamp(SUBMITTED_SECOND)
    assert row["reporter"] == "UBND-40"
    assert len(row["source_sha256"]) == 64


def test_observations_refuse_bad_arguments(queries_data_dir):
    for args in [
        ("NS.01", "22", "2020-8"),
        ("NS.01", "22", None, "x"),
        ("NS.01", "2x2"),
        ("bad", "22"),
    ]:
        with pytest.raises(BadParameter):
            q.observations(*args)


def test_revisions(queries_data_dir):
    frame = q.revisions("NS.01", "40", "2020-08")
    assert frame[["kind", "revision", "value", "source_file"]].values.tolist() == [
        [A, 1, 20000, "first.csv"],
        [A, 2, 21000, "second.csv"],
    ]
    assert frame["submitted_at"].tolist() == [
        pd.Timestamp(SUBMITTED_FIRST),
        pd.Timestamp(SUBMITTED_SECOND),
    ]
    assert frame["operator"].unique().tolist() == ["pytest"]
    assert len(q.revisions("NS.01", "22", "2020-08")) == 1
    assert q.revisions("NS.01", "22", "2019-08").empty
    assert q.revisions("NS.01", "22", "2020")[["kind", "value"]].values.tolist() == [
        [T, 45053]
    ]


def _roles(frame):
    return [
        (r, i, u, p, k, v)
        for r, i, u, p, k, v in frame[
            ["role", "indicator_code", "unit_code", "period", "kind", "value"]
        ].values
    ]


def test_provenance_of_a_reported_figure_with_a_revision_and_its_target(
    queries_data_dir,
):
    frame = q.provenance("NS.01", "40", "2020-08", "2020")
    assert _roles(frame) == [
        ("reported", "NS.01", "40", "2020-08", A, 20000),
        ("reported", "NS.01", "40", "2020-08", A, 21000),
        ("annual_target", "NS.01", "40", "2020", T, 45053),
    ]
    assert frame["revision"].tolist() == [1, 2, 1]
    assert frame["source_file"].tolist() == ["first.csv", "second.csv", "first.csv"]
    assert frame["source_row"].notna().all()


def test_provenance_of_a_merged_figure_lists_the_predecessors(queries_data_dir):
    frame = q.provenance("NS.01", "08", "2024-03", "2025")
    assert _roles(frame) == [
        ("reported", "NS.01", "08", "2024-03", A, 200),  # 08 kept its code
        ("predecessor", "NS.01", "02", "2024-03", A, 100),
    ]  # 08 is listed once: as the unit itself, not again as its own predecessor
    # in the old geography, or after the reform, there is no predecessor
    assert set(q.provenance("NS.01", "08", "2024-03", "2020")["role"]) == {"reported"}
    assert set(q.provenance("NS.01", "08", "2026-03", "2025")["role"]) == {"reported"}


def test_provenance_of_a_ratio_lists_numerator_and_denominator(queries_data_dir):
    frame = q.provenance("CPS.03", "22", "2020-08", "2020")
    assert _roles(frame) == [
        ("numerator", "CPS.02", "22", "2020-08", A, 518),
        ("denominator", "CPS.01", "22", "2020-08", A, 1552),
    ]


def test_provenance_of_a_ratio_across_the_merger_lists_every_component(
    queries_data_dir,
):
    assert q.progress_in_geo("CPS.03", "08", "2024-03", "2025")["actual"] == (
        pytest.approx(110 / 400 * 100)
    )
    frame = q.provenance("CPS.03", "08", "2024-03", "2025")
    parts = set(zip(frame["indicator_code"], frame["unit_code"], strict=True))
    assert {
        ("CPS.02", "02"),
        ("CPS.01", "02"),
        ("CPS.02", "08"),
        ("CPS.01", "08"),
    } <= parts


def test_provenance_of_a_national_figure_and_of_nothing(queries_data_dir):
    assert _roles(q.provenance("NS.01", "00", "2025-03", "2025")) == [
        ("reported", "NS.01", "00", "2025-03", A, 5000)
    ]
    assert q.provenance("NS.01", "00", "2020-08").empty  # a roll-up has no file
    assert q.provenance("KT.02", "22", "2020-08").empty


def test_sector_progress(queries_data_dir):
    frame = q.sector_progress("BUDGET", "22", "2020-08", "2020")
    assert set(frame["sector"]) == {"budget"}
    assert len(frame) == 14 and list(frame.index) == list(range(14))
    assert one_row(frame, indicator_code="NS.01")["actual"] == 29915


@pytest.mark.parametrize(
    "args, message",
    [
        (("nosuch", "22", "2020-08"), "unknown sector"),
        (("bud get", "22", "2020-08"), "sector must be"),
        (("budget", "2x", "2020-08"), "unit must be"),
        (("budget", "22", "2020-8"), "as_of must"),
    ],
)
def test_sector_progress_refuses_bad_arguments(queries_data_dir, args, message):
    with pytest.raises(BadParameter, match=message):
        q.sector_progress(*args)


def test_revisions_and_provenance_carry_the_signer_even_from_an_older_snapshot(
    queries_data_dir, tmp_path, monkeypatch
):
    """observation_history.signer came with the inbox (etl/worker.py): a
    snapshot built before it is answered by data/sql/compat/, signer empty."""
    import json
    import shutil

    import duckdb

    assert "signer" in q.revisions("NS.01", "40", "2020-08").columns
    assert "signer" in q.provenance("NS.01", "40", "2020-08", "2020").columns
    old = tmp_path / "old"
    (old / "snapshots").mkdir(parents=True)
    current = queries_data_dir.current()
    copy = old / "snapshots" / "20000101T000000000000Z-0ld000.duckdb"
    shutil.copyfile(current.path, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("ALTER TABLE observation_history DROP COLUMN signer")
    pointer = {"snapshot_id": copy.stem, "path": f"snapshots/{copy.name}"}
    (old / "CURRENT").write_text(json.dumps(pointer | {"published_at": "2000-01-01"}))
    monkeypatch.setenv("CC_DATA_DIR", str(old))
    frame = q.revisions("NS.01", "40", "2020-08")
    assert frame["value"].tolist() == [20000, 21000]
    assert frame["signer"].isna().all()
    frame = q.provenance("NS.01", "40", "2020-08", "2020")
    assert len(frame) == 3 and frame["signer"].isna().all()
