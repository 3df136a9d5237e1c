"""The data layer's argument validators (data/queries.py check_*, geo_key,
period_geo): what each accepts, normalised, and what it refuses, with the
message the caller gets. No warehouse."""

from __future__ import annotations

import pytest

from data import queries as q
from data.queries import BadParameter


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, "2025"),
        ("", "2025"),
        ("2025", "2025"),
        ("2020", "2020"),
    ],
)
def test_check_geo_accepts(value, expected):
    assert q.check_geo(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2021",
        "all",
        "2025 ",
        " 2020",
        "20",
        2025,
        "2025' OR 1=1 --",
        "２０２５",
    ],
)
def test_check_geo_refuses(value):
    with pytest.raises(BadParameter, match="geo must be one of 2025, 2020"):
        q.check_geo(value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2020", "2020"),
        ("2020-Q3", "2020-Q3"),
        ("2020-q3", "2020-Q3"),
        ("2020-08", "2020-08"),
        (" 2020-12 ", "2020-12"),
        ("2020-01", "2020-01"),
        ("2025-Q1", "2025-Q1"),
        (2020, "2020"),
        ("2020-08-01", "2020-08-01"),  # a day, for daily indicators (issue 11)
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_check_period_accepts(value, expected):
    assert q.check_period(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2020-13",
        "2020-8",
        "2020-00",
        "2020-Q5",
        "2020-Q0",
        "2020-Q",
        "20",
        "202",
        "20201",
        "2020-",
        "2020-02-30",  # a day must be a real date (issue 11)
        "2021-02-29",
        "2020-08-32",
        "2020-08-1",
        "2020/08",
        "08-2020",
        "",
        "   ",
        "abc",
        "None",
        "2020-08; DROP TABLE observations",
        "' OR '1'='1",
        "2020-08\n2020-09",
        "2020-08" * 200,
        "năm 2020",
        "2020–08",
    ],
)
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


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2020-08", "2020-08"),
        (" 2020-12 ", "2020-12"),
        ("2026-01", "2026-01"),
    ],
)
def test_check_month_accepts(value, expected):
    assert q.check_month(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2020",
        "2020-Q3",
        "2020-13",
        "2020-8",
        "2020-00",
        "",
        "x",
        "2020-08-01",
        "'; SELECT 1; --",
    ],
)
def test_check_month_refuses(value):
    with pytest.raises(BadParameter, match="must be a month like 2020-08"):
        q.check_month(value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("00", "00"),
        ("22", "22"),
        (" 08 ", "08"),
        ("06649", "06649"),
        (22, "22"),
    ],
)
def test_check_unit_accepts(value, expected):
    assert q.check_unit(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2",
        "222",
        "2x",
        "2x2",
        "0664",
        "066490",
        "",
        "HN",
        "22;",
        "22 OR 1=1",
        "' OR '1'='1",
        "1" * 1000,
        "22\x00",
    ],
)
def test_check_unit_refuses(value):
    with pytest.raises(BadParameter, match="unit must be a GSO code"):
        q.check_unit(value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("NS.01", "NS.01"),
        ("ns.01", "NS.01"),
        (" CPS.03 ", "CPS.03"),
        ("A.1", "A.1"),
        ("ABCD.123", "ABCD.123"),
    ],
)
def test_check_indicator_accepts(value, expected):
    assert q.check_indicator(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "NS01",
        "NS.",
        ".01",
        "NS.0001",
        "ABCDE.01",
        "N S.01",
        "NS-01",
        "",
        "1.01",
        "NS.01'; DROP TABLE indicators; --",
        "NS.01" * 100,
        "Ñ.01",
    ],
)
def test_check_indicator_refuses(value):
    with pytest.raises(BadParameter, match="indicator must be a catalog code"):
        q.check_indicator(value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("budget", "budget"),
        ("BUDGET", "budget"),
        (" digital_gov ", "digital_gov"),
    ],
)
def test_check_sector_accepts(value, expected):
    assert q.check_sector(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "b",
        "budget1",
        "1budget",
        "bud-get",
        "",
        "budget;",
        "a" * 41,
        "ngân_sách",
    ],
)
def test_check_sector_refuses(value):
    with pytest.raises(BadParameter, match="sector must be a code like budget"):
        q.check_sector(value)


@pytest.mark.parametrize(
    "unit, geo, expected",
    [
        ("22", "2025", "2025"),
        ("22", "2020", "2020"),
        ("00", "2020", "all"),
        ("00", "2025", "all"),
        ("06649", "2020", "all"),
    ],
)
def test_geo_key(unit, geo, expected):
    assert q.geo_key(unit, geo) == expected


@pytest.mark.parametrize(
    "period, expected",
    [
        ("2024", "2020"),
        ("2025", "2025"),
        ("2026", "2025"),
        ("2025-06", "2020"),
        ("2025-07", "2025"),
        ("2025-Q2", "2020"),
        ("2025-Q3", "2025"),
        ("2020-08", "2020"),
    ],
)
def test_period_geo(period, expected):
    assert q.period_geo(period) == expected
