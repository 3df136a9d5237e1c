"""downloads.py: only the named datasets, each through its query with checked
arguments (ValueError, or its subclass BadParameter, for anything else), and
file names that cannot carry a path.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import downloads
from data.queries import BadParameter


@pytest.fixture(scope="module")
def wh(tmp_path_factory, make_seeded_warehouse, make_submissions):
    """The seeded warehouse (NS.01 22 2020-08 and its 2020 plan) and one rejected
    file, CC_DATA_DIR pointing at it."""
    folder = tmp_path_factory.mktemp("downloads")
    warehouse = make_seeded_warehouse(folder / "warehouse")
    bad = make_submissions(folder / "in").csv(
        "bad.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2020-13",
                "value": "1",
            }
        ],
    )
    result = warehouse.load(bad)
    assert result.outcomes[0].status == "rejected"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CC_DATA_DIR", str(warehouse.root))
        yield warehouse


@pytest.fixture
def data_dir(wh, monkeypatch, tmp_path):
    monkeypatch.setenv("CC_DATA_DIR", str(wh.root))
    # accounts and tokens of this test only (the browser tests of the same run
    # leave their CC_AUTH_DIR, with their reporter tokens, in the environment)
    monkeypatch.setenv("CC_AUTH_DIR", str(tmp_path / "auth"))
    return wh


# dataset -> (packed arguments, rows expected; None: any number)
VALID = {
    "unit_progress": ("22|2020-08|2020", 203),
    "unit_series": ("NS.01|22|2020", 1),
    "province_values": ("NS.01|2020-08|2020", 63),
    "region_values": ("NS.01|2020-08|2020", 1),
    "attention": ("2020-08|2020", 63),
    "revisions": ("NS.01|22|2020-08", 1),
    "provenance": ("NS.01|22|2020-08|2020", 2),
    "reports": ("2020-08", None),
    "catalog": ("", 203),
    "observations": ("NS.01|22", 2),
    "reports_level": ("2020-08|12|province", None),
    "reports_unit": ("2020-08|12|province|22", None),
    "regimes": ("", 13),
    "rejected_files": ("", 1),
    "sector_progress": ("budget|22|2020-08|2020", 14),
    "communes": ("22|2020", 0),
    "links": ("", 0),  # the links register: no reporter token here
}


def test_every_dataset_is_covered():
    assert set(VALID) == set(downloads.DATASETS)


@pytest.mark.parametrize("dataset", sorted(VALID))
def test_a_dataset_with_valid_arguments_is_a_frame(data_dir, dataset):
    packed, n_rows = VALID[dataset]
    frame = downloads.dataset_frame(dataset, packed)
    assert isinstance(frame, pd.DataFrame)
    assert len(frame.columns) > 0
    if n_rows is not None:
        assert len(frame) == n_rows
    else:
        assert len(frame) > 0


def test_the_frames_hold_the_figures(data_dir):
    series = downloads.dataset_frame("unit_series", "NS.01|22|2020")
    assert series[["period", "actual", "target"]].values.tolist() == [
        ["2020-08", 29915, 45053]
    ]
    obs = downloads.dataset_frame("observations", "ns.01|22")
    assert sorted(obs["value"]) == [29915, 45053]
    unit = downloads.dataset_frame("reports_unit", "2020-08|12|province|22")
    assert set(unit["unit_code"]) == {"22"} and set(unit["level"]) == {"province"}
    level = downloads.dataset_frame("reports_level", "2020-08|1|national")
    assert set(level["level"]) == {"national"}
    rejected = downloads.dataset_frame("rejected_files", "")
    assert rejected["file"].tolist() == ["bad.csv"]
    assert not {"source_path", "report_path"} & set(rejected.columns)


def test_an_empty_geo_is_the_default_one(data_dir):
    assert len(downloads.dataset_frame("attention", "2020-08|")) == 34


def test_a_frame_can_be_written_as_csv_and_excel(data_dir, tmp_path):
    frame = downloads.dataset_frame("province_values", "NS.01|2020-08|2020")
    frame.to_csv(tmp_path / "x.csv", index=False, encoding="utf-8-sig")
    frame.to_excel(tmp_path / "x.xlsx", index=False, sheet_name="data")
    assert (tmp_path / "x.xlsx").stat().st_size > 0


@pytest.mark.parametrize(
    "dataset",
    [
        "nope",
        "",
        "CATALOG",
        "catalog ",
        " catalog",
        "../catalog",
        "__class__",
        "DATASETS",
        "rejected",
        "q.catalog",
        "catalog;",
        "observations_range",
        "months",
        "snapshot_meta",
        "run",
    ],
)
def test_an_unknown_dataset_is_refused(data_dir, dataset):
    with pytest.raises(ValueError, match="unknown dataset"):
        downloads.dataset_frame(dataset, "")


@pytest.mark.parametrize(
    "dataset, packed",
    [
        ("catalog", "x"),
        ("catalog", "|"),
        ("regimes", "2020-08"),
        ("unit_progress", "22|2020-08"),
        ("unit_progress", "22|2020-08|2020|x"),
        ("unit_progress", ""),
        ("attention", "2020-08"),
        ("reports", "2020-08|12"),
        ("reports", ""),
        ("observations", "NS.01"),
        ("observations", "NS.01|22|2020"),
        ("provenance", "NS.01|22|2020-08"),
        ("sector_progress", "budget|22|2020-08"),
        ("reports_unit", "2020-08|12|province"),
        ("communes", "22"),
        ("rejected_files", "x"),
    ],
)
def test_a_wrong_number_of_arguments_is_refused(data_dir, dataset, packed):
    with pytest.raises(ValueError, match=f"{dataset} takes \\d+ arguments"):
        downloads.dataset_frame(dataset, packed)


@pytest.mark.parametrize(
    "dataset, packed",
    [
        ("unit_progress", "2x|2020-08|2020"),
        ("unit_progress", "22|2020-13|2020"),
        ("unit_progress", "22|2020-08|2019"),
        ("unit_series", "NS01|22|2020"),
        ("unit_series", "NS.01|22' OR '1'='1|2020"),
        ("province_values", "NS.01|2020-8|2020"),
        ("province_values", "NS.01|2020-08|all"),
        ("region_values", "NS.01; DROP TABLE observations|2020-08|2020"),
        ("attention", "2020-08|2021"),
        ("attention", "|2020"),
        ("revisions", "NS.01|22|"),
        ("provenance", "NS.01|22|2020-08|1999"),
        ("reports", "garbage"),
        ("observations", "NS.01|"),
        ("observations", "|22"),
        ("reports_level", "2020-08|0|province"),
        ("reports_level", "2020-08|121|province"),
        ("reports_level", "2020-08|twelve|province"),
        ("reports_level", "2020-08|12|region"),
        ("reports_level", "2020-08|12|"),
        ("reports_unit", "2020-08|12|province|2x"),
        ("sector_progress", "nosuch|22|2020-08|2020"),
        ("sector_progress", "Budget!|22|2020-08|2020"),
        ("communes", "2x|2020"),
        ("communes", "22|2030"),
        ("unit_progress", "22|" + "2020-08" * 500 + "|2020"),
        ("unit_series", "NS.01|Quảng Ninh|2020"),
    ],
)
def test_bad_values_are_refused(data_dir, dataset, packed):
    with pytest.raises(BadParameter):
        downloads.dataset_frame(dataset, packed)


@pytest.mark.parametrize(
    "dataset, packed",
    [
        ("province_values", "NS.01|٢٠٢٠-08|2020"),
        ("attention", "２０２０-08|2020"),
    ],
)
def test_non_ascii_digits_are_refused(data_dir, dataset, packed):
    with pytest.raises(ValueError):
        downloads.dataset_frame(dataset, packed)


# --- file names -------------------------------------------------------------------


@pytest.mark.parametrize(
    "dataset, packed, fmt, expected",
    [
        (
            "unit_progress",
            "22|2020-08|2025",
            "csv",
            "unit_progress_22_2020-08_2025.csv",
        ),
        ("catalog", "", "xlsx", "catalog.xlsx"),
        ("reports_level", "2020-08|12|", "csv", "reports_level_2020-08_12.csv"),
        (
            "provenance",
            "NS.01|22|2020-Q3|2020",
            "csv",
            "provenance_NS.01_22_2020-Q3_2020.csv",
        ),
    ],
)
def test_file_name(dataset, packed, fmt, expected):
    assert downloads.file_name(dataset, packed, fmt) == expected


CRAFTED = [
    ("../../etc/passwd", "", "csv"),
    ("catalog", "../../etc|passwd", "csv"),
    ("catalog", "/abs/path|..\\..\\windows", "xlsx"),
    ("catalog", "C:\\x|a/b/c", "csv"),
    ("catalog", "a\x00b|c\nd|e\rf", "csv"),
    ("catalog", 'x"; filename="evil.exe', "csv"),
    ("catalog", "..|.|...", "csv"),
    ("", "..", "csv"),
    ("catalog", "Hà Nội|Quảng Ninh", "csv"),
    ("catalog", "🙂|%2e%2e%2f", "csv"),
]


@pytest.mark.parametrize("dataset, packed, fmt", CRAFTED)
def test_file_name_is_safe_for_crafted_arguments(dataset, packed, fmt):
    name = downloads.file_name(dataset, packed, fmt)
    _assert_safe(name, fmt)


def _assert_safe(name: str, fmt: str) -> None:
    assert "/" not in name and "\\" not in name
    assert name.isprintable() and '"' not in name and ";" not in name
    assert name not in (".", "..") and name.endswith(f".{fmt}")
    assert all(c.isalnum() or c in "._-" for c in name[: -len(fmt) - 1])


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(
    dataset=st.text(max_size=40),
    packed=st.text(max_size=200),
    fmt=st.sampled_from(["csv", "xlsx"]),
)
def test_fuzz_file_name_is_always_safe(dataset, packed, fmt):
    _assert_safe(downloads.file_name(dataset, packed, fmt), fmt)
