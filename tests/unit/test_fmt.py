"""components.fmt: numbers, percentages, units, dates and periods by language."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from components.fmt import (
    MINUS,
    MISSING,
    default_decimals,
    fmt_date,
    fmt_datetime,
    fmt_delta,
    fmt_number,
    fmt_pct,
    fmt_period,
    fmt_signed_pct,
    fmt_value,
)

M = MINUS  # U+2212


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (29915, "29.915", "29,915"),
        (1552, "1.552", "1,552"),
        (66.4, "66,4", "66.4"),
        (1900000, "1.900.000", "1,900,000"),
        (1_234_567_890, "1.234.567.890", "1,234,567,890"),
        (29915.7, "29.916", "29,916"),  # >= 100: no decimals
        (250.4, "250", "250"),
        (12.0, "12", "12"),  # whole number: no decimals
        (0, "0", "0"),
        (0.125, "0,13", "0.13"),  # below 1: two decimals, half-up
        (66.45, "66,5", "66.5"),  # half-up on the written value
        (99.95, "100", "100"),  # rounds into the >= 100 band
        (-1234.5, f"{M}1.235", f"{M}1,235"),
        (-66.4, f"{M}66,4", f"{M}66.4"),
        (Decimal("3.25"), "3,3", "3.3"),
    ],
)
def test_fmt_number_groups_and_decimals_by_language(value, vi, en):
    assert fmt_number(value, "vi") == vi
    assert fmt_number(value, "en") == en


@pytest.mark.parametrize(
    ("value", "decimals", "vi", "en"),
    [
        (66.4, 0, "66", "66"),
        (66.4, 2, "66,40", "66.40"),
        (1900000, 1, "1.900.000,0", "1,900,000.0"),
        (-0.04, 1, "0,0", "0.0"),  # no negative zero
        (2.5, 0, "3", "3"),  # half-up, not banker's rounding
    ],
)
def test_fmt_number_explicit_decimals(value, decimals, vi, en):
    assert fmt_number(value, "vi", decimals) == vi
    assert fmt_number(value, "en", decimals=decimals) == en


@pytest.mark.parametrize(
    "missing", [None, float("nan"), float("inf"), float("-inf"), "abc", True]
)
def test_missing_values_format_as_dash(missing):
    assert fmt_number(missing, "vi") == MISSING == "—"
    assert fmt_pct(missing, "en") == MISSING
    assert fmt_signed_pct(missing, "vi") == MISSING
    assert fmt_delta(missing, "en") == MISSING
    assert fmt_value(missing, "tỷ đồng", "billion VND", "vi") == MISSING


def test_numpy_and_pandas_values():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    assert fmt_number(np.int64(1900000), "vi") == "1.900.000"
    assert fmt_number(np.float64(66.4), "en") == "66.4"
    assert fmt_number(pd.NA, "vi") == MISSING
    assert fmt_datetime(pd.NaT, "vi") == MISSING
    assert fmt_datetime(pd.Timestamp("2020-08-19 14:29"), "en") == "19 Aug 2020 14:29"


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (66.4, "66,4%", "66.4%"),
        (100, "100,0%", "100.0%"),
        (0, "0,0%", "0.0%"),
        (123.456, "123,5%", "123.5%"),
        (-5.25, f"{M}5,3%", f"{M}5.3%"),
        (1550.0, "1.550,0%", "1,550.0%"),
    ],
)
def test_fmt_pct_has_no_space_before_percent(value, vi, en):
    assert fmt_pct(value, "vi") == vi
    assert fmt_pct(value, "en") == en
    assert "\xa0" not in fmt_pct(value, "vi")


def test_fmt_pct_decimals():
    assert fmt_pct(66.44, "vi", decimals=0) == "66%"
    assert fmt_pct(66.444, "en", decimals=2) == "66.44%"


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (2.5, "+2,5%", "+2.5%"),
        (-1.24, f"{M}1,2%", f"{M}1.2%"),
        (0, "0,0%", "0.0%"),
        (0.04, "0,0%", "0.0%"),  # rounds to zero: no sign
        (-0.04, "0,0%", "0.0%"),
    ],
)
def test_fmt_signed_pct_explicit_sign(value, vi, en):
    assert fmt_signed_pct(value, "vi") == vi
    assert fmt_signed_pct(value, "en") == en


@pytest.mark.parametrize(
    ("args", "vi", "en"),
    [
        ((1552,), "+1.552", "+1,552"),
        ((-66.4,), f"{M}66,4", f"{M}66.4"),
        ((0,), "0", "0"),
        (
            (1900000, 0, "tỷ đồng", "billion VND"),
            "+1.900.000 tỷ đồng",
            "+1,900,000 billion VND",
        ),
        ((-2.5, 1, "%", "%"), f"{M}2,5%", f"{M}2.5%"),
    ],
)
def test_fmt_delta_explicit_sign(args, vi, en):
    value, *rest = args
    assert fmt_delta(value, "vi", *rest) == vi
    assert fmt_delta(value, "en", *rest) == en


@pytest.mark.parametrize(
    ("value", "unit_vi", "unit_en", "integer", "vi", "en"),
    [
        (
            29915,
            "tỷ đồng",
            "billion VND",
            False,
            "29.915 tỷ đồng",
            "29,915 billion VND",
        ),
        (66.4, "%", "%", False, "66,4%", "66.4%"),
        (12.0, "dự án", "projects", True, "12 dự án", "12 projects"),
        (7.6, "dự án", "projects", True, "8 dự án", "8 projects"),
        (3.25, "", "", False, "3,3", "3.3"),
        (3.25, None, float("nan"), False, "3,3", "3.3"),  # units missing in CSV
    ],
)
def test_fmt_value_number_and_unit(value, unit_vi, unit_en, integer, vi, en):
    assert fmt_value(value, unit_vi, unit_en, "vi", integer=integer) == vi
    assert fmt_value(value, unit_vi, unit_en, "en", integer=integer) == en


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (datetime(2020, 8, 19, 14, 29), "19/08/2020 14:29", "19 Aug 2020 14:29"),
        (datetime(2021, 1, 5, 7, 3, 59), "05/01/2021 07:03", "5 Jan 2021 07:03"),
        ("2020-08-19T14:29:00", "19/08/2020 14:29", "19 Aug 2020 14:29"),
        (date(2020, 8, 19), "19/08/2020", "19 Aug 2020"),
        (None, MISSING, MISSING),
        ("not a date", MISSING, MISSING),
    ],
)
def test_fmt_datetime(value, vi, en):
    assert fmt_datetime(value, "vi") == vi
    assert fmt_datetime(value, "en") == en


def test_fmt_date():
    assert fmt_date(date(2020, 9, 30), "vi") == "30/09/2020"
    assert fmt_date(datetime(2020, 9, 30, 23, 59), "en") == "30 Sep 2020"
    assert fmt_date("2020-09-30", "en") == "30 Sep 2020"
    assert fmt_date(None, "vi") == MISSING


@pytest.mark.parametrize(
    ("period", "vi", "en"),
    [
        ("2020", "Năm 2020", "2020"),
        (2020, "Năm 2020", "2020"),
        ("2020-Q1", "Quý I/2020", "Q1 2020"),
        ("2020-Q3", "Quý III/2020", "Q3 2020"),
        ("2020-q4", "Quý IV/2020", "Q4 2020"),
        ("2020-08", "Tháng 8/2020", "Aug 2020"),
        ("2020-12", "Tháng 12/2020", "Dec 2020"),
        ("2020-13", "2020-13", "2020-13"),  # not a period: unchanged
        ("ytd", "ytd", "ytd"),
        (None, MISSING, MISSING),
    ],
)
def test_fmt_period(period, vi, en):
    assert fmt_period(period, "vi") == vi
    assert fmt_period(period, "en") == en


@pytest.mark.parametrize("lang", [None, "fr", "", "VI", "vi-VN"])
def test_unknown_or_variant_language_formats_as_vietnamese(lang):
    assert fmt_number(29915, lang) == "29.915"
    assert fmt_period("2020-Q3", lang) == "Quý III/2020"


def test_en_variants_are_english():
    assert fmt_number(29915, "en-US") == "29,915"
    assert fmt_pct(66.4, "EN") == "66.4%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, 0), (5.0, 0), (150.5, 0), (-150.5, 0), (66.4, 1), (-1.5, 1), (0.5, 2)],
)
def test_default_decimals(value, expected):
    assert default_decimals(value) == expected
