"""Pins the administrative-unit reference CSVs built by tools/build_units.py."""

import csv
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REF = ROOT / "data" / "reference"
GEO = ROOT / "data" / "geo"

OLD = ("2000-01-01", "2025-06-30")
NEW = ("2025-07-01", "")


def read(name):
    with (REF / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def units():
    return read("units.csv")


@pytest.fixture(scope="module")
def aliases():
    return read("unit_aliases.csv")


@pytest.fixture(scope="module")
def merger():
    return read("province_merger.csv")


def provinces(units, era):
    return {
        u["unit_code"]: u
        for u in units
        if u["level"] == "province" and (u["valid_from"], u["valid_to"]) == era
    }


def normalise(text):
    key = unicodedata.normalize("NFC", text).casefold().strip()
    key = re.sub(r"^(tỉnh|thành phố|tp\.|tp)(\s+|(?<=\.))", "", key)
    key = re.sub(r"[-‐‑‒–—]", " ", key)
    return " ".join(key.split())


def test_header(units):
    assert list(units[0]) == [
        "unit_code",
        "level",
        "name_vi",
        "name_en",
        "parent_code",
        "valid_from",
        "valid_to",
        "region_key",
    ]


def test_country_row(units):
    countries = [u for u in units if u["level"] == "country"]
    assert countries == [
        {
            "unit_code": "00",
            "level": "country",
            "name_vi": "Việt Nam",
            "name_en": "Viet Nam",
            "parent_code": "",
            "valid_from": "2000-01-01",
            "valid_to": "",
            "region_key": "",
        }
    ]


def test_63_old_and_34_new_provinces(units):
    old, new = provinces(units, OLD), provinces(units, NEW)
    assert len(old) == 63
    assert len(new) == 34
    assert all(re.fullmatch(r"\d\d", c) for c in list(old) + list(new))
    assert old["79"]["name_vi"] == "TP. Hồ Chí Minh"
    assert old["46"]["name_vi"] == "Thừa Thiên Huế"
    assert old["22"]["name_vi"] == "Quảng Ninh"
    assert new["46"]["name_vi"] == "Huế"
    assert old["08"]["name_vi"] == new["08"]["name_vi"] == "Tuyên Quang"
    assert set(new) <= set(old)


def test_only_known_levels_and_eras(units):
    eras = {(u["valid_from"], u["valid_to"]) for u in units if u["level"] != "country"}
    assert eras == {OLD, NEW}
    assert {u["level"] for u in units} == {"country", "province", "commune"}


def test_province_regions(units):
    keys = {r["region_key"] for r in read("regions.csv")}
    assert len(keys) == 6
    for era in (OLD, NEW):
        assert all(p["region_key"] in keys for p in provinces(units, era).values())
    pr = read("province_regions.csv")
    assert sorted(r["unit_code"] for r in pr if r["geo"] == "2020") == sorted(
        provinces(units, OLD)
    )
    assert sorted(r["unit_code"] for r in pr if r["geo"] == "2025") == sorted(
        provinces(units, NEW)
    )
    assert len(pr) == 97


def test_every_old_province_maps_to_exactly_one_new(units, merger):
    old, new = provinces(units, OLD), provinces(units, NEW)
    olds = [m["old_code"] for m in merger]
    assert len(merger) == 63
    assert sorted(olds) == sorted(old)
    assert {m["new_code"] for m in merger} == set(new)
    # a province that keeps its code merges into itself
    for m in merger:
        if m["old_code"] in new:
            assert m["new_code"] == m["old_code"]


def test_commune_codes_five_digits_unique_per_era(units):
    for era in (OLD, NEW):
        codes = [
            u["unit_code"]
            for u in units
            if u["level"] == "commune" and (u["valid_from"], u["valid_to"]) == era
        ]
        assert codes
        assert all(re.fullmatch(r"\d{5}", c) for c in codes)
        assert len(codes) == len(set(codes))
    new_communes = [
        u for u in units if u["level"] == "commune" and u["valid_from"] == NEW[0]
    ]
    assert len(new_communes) == 3321


def test_commune_names_have_type_prefix(units):
    prefixes = ("Xã ", "Phường ", "Thị trấn ", "Đặc khu ")
    for u in units:
        if u["level"] == "commune":
            assert u["name_vi"].startswith(prefixes), u
            assert u["name_en"].isascii(), u
            assert u["region_key"] == ""


def test_parents_valid_for_era(units):
    for era in (OLD, NEW):
        province_codes = set(provinces(units, era))
        for u in units:
            if (u["valid_from"], u["valid_to"]) != era:
                continue
            if u["level"] == "province":
                assert u["parent_code"] == "00"
            elif u["level"] == "commune":
                assert u["parent_code"] in province_codes, u


def test_every_province_has_communes(units):
    for era in (OLD, NEW):
        parents = {
            u["parent_code"]
            for u in units
            if u["level"] == "commune" and (u["valid_from"], u["valid_to"]) == era
        }
        assert parents == set(provinces(units, era))


def test_sorted(units):
    order = {"country": 0, "province": 1, "commune": 2}
    keys = [(u["valid_from"], order[u["level"]], u["unit_code"]) for u in units]
    assert keys == sorted(keys)


def test_names_nfc(units, aliases):
    texts = [u[f] for u in units for f in ("name_vi", "name_en")]
    texts += [a["alias"] for a in aliases]
    texts += [r[f] for r in read("regions.csv") for f in ("name_vi", "name_en")]
    for t in texts:
        assert t == unicodedata.normalize("NFC", t) and t == t.strip(), t


def test_aliases_point_at_units_of_their_era(units, aliases):
    for a in aliases:
        era = (a["valid_from"], a["valid_to"])
        assert era in (OLD, NEW)
        assert a["unit_code"] in provinces(units, era), a


def test_aliases_never_ambiguous_within_era(units, aliases):
    targets = defaultdict(set)
    for a in aliases:
        targets[(a["valid_from"], normalise(a["alias"]))].add(a["unit_code"])
    for era in (OLD, NEW):
        for code, p in provinces(units, era).items():
            targets[(era[0], normalise(p["name_vi"]))].add(code)
    clashes = {k: v for k, v in targets.items() if len(v) > 1}
    assert not clashes


@pytest.mark.parametrize(
    "alias,code,eras",
    [
        ("Ho Chi Minh City", "79", (OLD, NEW)),
        ("HCMC", "79", (OLD, NEW)),
        ("TPHCM", "79", (OLD, NEW)),
        ("TP.HCM", "79", (OLD, NEW)),
        ("Sài Gòn", "79", (OLD, NEW)),
        ("Hanoi", "01", (OLD, NEW)),
        ("Ha Noi", "01", (OLD, NEW)),
        ("Huế", "46", (OLD, NEW)),
        ("Thua Thien Hue", "46", (OLD, NEW)),
        ("Thừa Thiên-Huế", "46", (OLD, NEW)),
        ("Quang Ninh", "22", (OLD, NEW)),
        ("Khánh Hoà", "56", (OLD, NEW)),
        ("Thanh Hoá", "38", (OLD, NEW)),
        ("Hoà Bình", "17", (OLD,)),
        ("Đắc Lắc", "66", (OLD, NEW)),
        ("Đăk Lăk", "66", (OLD, NEW)),
        ("Đăk Nông", "67", (OLD,)),
        ("Bà Rịa-Vũng Tàu", "77", (OLD,)),
        ("Bà Rịa Vũng Tàu", "77", (OLD,)),
    ],
)
def test_known_aliases(aliases, alias, code, eras):
    found = {
        (a["valid_from"], a["valid_to"])
        for a in aliases
        if a["alias"] == alias and a["unit_code"] == code
    }
    assert found == set(eras)


def test_every_province_has_ascii_name(units, aliases):
    for era in (OLD, NEW):
        names = {
            (a["unit_code"], a["alias"]) for a in aliases if a["valid_from"] == era[0]
        }
        for code, p in provinces(units, era).items():
            assert p["name_en"].isascii()
            assert p["name_vi"].isascii() or any(
                c == code and n.isascii() for c, n in names
            )


@pytest.mark.parametrize(
    "geo_file,era", [("vn_provinces_63.geojson", OLD), ("vn_provinces_34.geojson", NEW)]
)
def test_geojson_codes_equal_province_codes(units, geo_file, era):
    features = json.loads((GEO / geo_file).read_text(encoding="utf-8"))["features"]
    codes = [f["properties"]["code"] for f in features]
    assert len(codes) == len(set(codes))
    assert set(codes) == set(provinces(units, era))
    by_code = {f["properties"]["code"]: f["properties"] for f in features}
    for code, p in provinces(units, era).items():
        assert (p["name_vi"], p["name_en"]) == (
            by_code[code]["name_vi"],
            by_code[code]["name_en"],
        )


def test_geo_attribution_ships():
    assert (GEO / "SOURCES.md").is_file()
    text = (GEO / "ATTRIBUTION.txt").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in text and "Open Development Mekong" in text
    assert "\n" not in text.rstrip("\n") and not text.startswith(">")
