"""Pins the reference catalog CSVs (indicators, sectors, regimes) in data/reference/."""

import csv
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

REF = Path(__file__).resolve().parents[2] / "data/reference"
SHARED = Path(__file__).resolve().parents[3] / "shared/reference"
CORE = SHARED / "indicators_core.csv"

COLUMNS = [
    "code",
    "sector",
    "name_vi",
    "name_en",
    "unit_vi",
    "unit_en",
    "frequency",
    "measure",
    "aggregation",
    "numerator",
    "denominator",
    "scale",
    "direction",
    "target_type",
    "min_value",
    "max_value",
    "owner",
    "regime",
    "levels",
    "integer",
    "headline",
    "target_basis",  # issue 12: the primary plan
]
FREQ_RANK = {"day": -1, "month": 0, "quarter": 1, "year": 2}  # day: issue 11
LEVELS = {"national", "province", "commune"}
BOOL = {"true", "false"}


def _read(path):
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return reader.fieldnames, list(reader)


@pytest.fixture(scope="module")
def indicators():
    fields, rows = _read(REF / "indicators.csv")
    assert fields == COLUMNS
    return rows


@pytest.fixture(scope="module")
def by_code(indicators):
    return {r["code"]: r for r in indicators}


@pytest.fixture(scope="module")
def regimes():
    fields, rows = _read(REF / "regimes.csv")
    assert fields == [
        "code",
        "name_vi",
        "name_en",
        "period_type",
        "cutoff_day",
        "deadline_days",
        "reporter_level",
        "basis",
        "signature_required",
        "lock_days",
    ]
    return {r["code"]: r for r in rows}


@pytest.fixture(scope="module")
def sectors():
    fields, rows = _read(REF / "sectors.csv")
    assert fields == ["code", "name_vi", "name_en", "order"]
    return rows


def _num(value):
    return None if value == "" else float(value)


def test_two_hundred_unique_codes(indicators):
    # 200, plus the daily figures linked from the national portals (issue 11)
    codes = [r["code"] for r in indicators]
    assert len(codes) == 203
    assert len(set(codes)) == 203
    assert sum(r["frequency"] == "day" for r in indicators) == 3


def test_core_rows_unchanged(indicators):
    if not CORE.exists():
        pytest.skip("shared reference folder not available")
    fields, core = _read(CORE)
    assert len(core) == 36
    assert fields == COLUMNS[: len(fields)]
    for i, expected in enumerate(core):
        actual = indicators[i]
        for col in fields:
            assert actual[col] == expected[col], (expected["code"], col)


def test_enums(indicators):
    for r in indicators:
        c = r["code"]
        assert r["frequency"] in FREQ_RANK, c
        assert r["measure"] in {"flow", "ytd", "stock", "rate"}, c
        assert r["aggregation"] in {"sum", "ratio", "none"}, c
        assert r["direction"] in {"up", "down", "neutral"}, c
        assert r["target_type"] in {"plan", "min", "max", ""}, c
        assert r["integer"] in BOOL, c
        assert r["headline"] in BOOL, c
        # the primary plan of an indicator with a target (issue 12)
        assert r["target_basis"] == ("" if not r["target_type"] else r["target_basis"])
        assert r["target_basis"] in (
            {"QH", "TTg", "HDND", "BO"} if r["target_type"] else {""}
        )
        levels = r["levels"].split(";")
        assert levels and set(levels) <= LEVELS and len(set(levels)) == len(levels), c
        for col in ("name_vi", "name_en", "unit_vi", "unit_en", "owner", "regime"):
            assert r[col].strip() == r[col] and r[col], (c, col)


def test_code_prefix_per_sector(indicators):
    prefixes = {}
    for r in indicators:
        prefix, number = r["code"].split(".")
        assert number.isdigit() and len(number) == 2, r["code"]
        prefixes.setdefault(r["sector"], set()).add(prefix)
    for sector, found in prefixes.items():
        assert len(found) == 1, (sector, found)
    assert len({next(iter(p)) for p in prefixes.values()}) == len(prefixes)


def test_target_and_measure_consistent(indicators):
    for r in indicators:
        c = r["code"]
        if r["target_type"] == "plan":
            assert r["measure"] in {"ytd", "flow"}, c
        if r["aggregation"] == "sum":
            assert r["measure"] != "rate", c
        if r["integer"] == "true":
            assert r["measure"] != "rate" and r["aggregation"] != "ratio", c


def test_value_ranges(indicators):
    for r in indicators:
        c = r["code"]
        lo, hi = _num(r["min_value"]), _num(r["max_value"])
        if lo is not None and hi is not None:
            assert lo < hi, c
        if r["unit_vi"].startswith("%"):
            assert hi is not None, c


def test_ratios_reference_catalog(by_code):
    for c, r in by_code.items():
        if r["aggregation"] != "ratio":
            assert r["numerator"] == r["denominator"] == r["scale"] == "", c
            continue
        assert r["measure"] == "rate", c
        assert float(r["scale"]) > 0, c
        levels = set(r["levels"].split(";"))
        for part in (r["numerator"], r["denominator"]):
            assert part in by_code and part != c, (c, part)
            comp = by_code[part]
            assert comp["aggregation"] == "sum", (c, part)
            # same frequency, or a coarser (yearly) ratio built from finer items
            assert FREQ_RANK[comp["frequency"]] <= FREQ_RANK[r["frequency"]], (c, part)
            if r["frequency"] != "year":
                assert comp["frequency"] == r["frequency"], (c, part)
            assert levels <= set(comp["levels"].split(";")), (c, part)


def test_regimes(indicators, regimes):
    assert 8 <= len(regimes) <= 13
    for code, g in regimes.items():
        assert g["period_type"] in FREQ_RANK, code
        assert g["reporter_level"] in {"province", "ministry", "commune"}, code
        assert g["cutoff_day"] == "" or 1 <= int(g["cutoff_day"]) <= 28, code
        assert int(g["deadline_days"]) >= 0, code
        assert g["basis"], code
        assert g["signature_required"] in {"true", "false"}, code
    # the budget report is signed (issue 11); most regimes are not (yet)
    assert regimes["NSNN_M"]["signature_required"] == "true"
    assert 1 <= sum(g["signature_required"] == "true" for g in regimes.values()) < 6
    carried = Counter()
    for r in indicators:
        assert r["regime"] in regimes, r["code"]
        assert regimes[r["regime"]]["period_type"] == r["frequency"], r["code"]
        carried[r["regime"]] += 1
    for code in regimes:
        assert carried[code] >= 3, code


def test_sectors(indicators, sectors):
    codes = [s["code"] for s in sectors]
    assert len(codes) == len(set(codes))
    orders = [int(s["order"]) for s in sectors]
    assert len(orders) == len(set(orders))
    used = {r["sector"] for r in indicators}
    assert used == set(codes)


def test_owners_are_agencies(indicators):
    _, agencies = _read(REF / "agencies.csv")  # tracked: no fallback, no skip
    known = {a["code"] for a in agencies}
    for r in indicators:
        assert r["owner"] in known, r["code"]


def test_headline_and_commune_levels(by_code):
    headline = [c for c, r in by_code.items() if r["headline"] == "true"]
    assert 8 <= len(headline) <= 16
    for c in headline:
        assert "national" in by_code[c]["levels"], c
    commune = [c for c, r in by_code.items() if "commune" in r["levels"]]
    assert 5 <= len(commune) <= 15
    for c in by_code.values():
        assert "national" in c["levels"], c["code"]


def test_text_is_nfc():
    for name in ("indicators.csv", "sectors.csv", "regimes.csv"):
        text = (REF / name).read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, name
