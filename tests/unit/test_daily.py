"""Daily figures (issue 11): a `day` period (2026-10-15) for the catalog's daily
indicators, checked by the ETL, and rolled up to its month by the models so
that the monthly views read it like any monthly figure."""

from __future__ import annotations

import pytest

from core.params import BadParameter, check_month, check_period
from data import queries as q

A = "actual"
# Dossiers received on the National Public Service Portal (CPS.25, daily flow)
# in Quảng Ninh: every day of September 2026, three days of October; documents
# on the national axis (CPS.27) for the nation, a month reported as such.
SEPTEMBER = [("CPS.25", "22", f"2026-09-{d:02d}", A, 100 + d) for d in range(1, 31)]
OCTOBER = [
    ("CPS.25", "22", "2026-10-01", A, 10),
    ("CPS.25", "22", "2026-10-02", A, 20),
    ("CPS.25", "22", "2026-10-15", A, 30),
]
HANOI = [("CPS.25", "01", f"2026-09-{d:02d}", A, 1) for d in range(1, 31)]
NATIONAL = [
    ("CPS.27", "00", "2026-09-01", A, 5),
    ("CPS.27", "00", "2026-09-02", A, 7),
    ("CPS.27", "00", "2026-08", A, 900),  # a month reported as a month
]
ROWS = SEPTEMBER + OCTOBER + HANOI + NATIONAL


def _csv_rows(rows):
    return [
        {"indicator_code": i, "unit_code": u, "period": p, "kind": k, "value": str(v)}
        for i, u, p, k, v in rows
    ]


@pytest.fixture(scope="module")
def db(tmp_path_factory, make_submissions, make_warehouse):
    folder = tmp_path_factory.mktemp("daily")
    path = make_submissions(folder / "in").csv("daily.csv", _csv_rows(ROWS))
    warehouse = make_warehouse(folder / "warehouse")
    result = warehouse.load(path)
    assert result.outcomes[0].status == "loaded", result.outcomes[0].errors
    return warehouse


@pytest.fixture
def data_dir(db, monkeypatch):
    monkeypatch.setenv("CC_DATA_DIR", str(db.root))
    return db


def _series(db, geo, code, unit, period, columns="value, n_parts, n_expected, origin"):
    rows = db.query(
        f"SELECT {columns} FROM m_series WHERE geo = ? AND indicator_code = ? "
        "AND unit_code = ? AND period = ? AND kind = 'actual'",
        [geo, code, unit, period],
    )
    assert len(rows) <= 1, rows
    return rows[0] if rows else None


def test_the_catalog_has_daily_flows(db):
    rows = db.query(
        "SELECT code, measure, aggregation, regime FROM indicators "
        "WHERE frequency = 'day' ORDER BY code"
    )
    assert [r[0] for r in rows] == ["CPS.25", "CPS.26", "CPS.27"]
    assert {(r[1], r[2], r[3]) for r in rows} == {("flow", "sum", "CPS_D")}
    assert db.query("SELECT period_type FROM regimes WHERE code = 'CPS_D'") == [
        ("day",)
    ]


def test_a_daily_file_loads_its_days(db):
    (n,) = db.query("SELECT count(*) FROM observations WHERE length(period) = 10")[0]
    assert n == len(ROWS) - 1
    assert _series(db, "2025", "CPS.25", "22", "2026-10-15", "value, origin") == (
        30,
        "reported",
    )


def test_the_period_macros_read_a_day(db):
    row = db.query(
        "SELECT period_type('2026-10-15'), period_start('2026-10-15'), "
        "period_end('2026-10-15'), period_last_month('2026-10-15'), "
        "period_month('2026-10-15'), period_month('2026-10'), "
        "period_end('2026-02'), period_start('2026-Q3'), period_type('2026-10')"
    )[0]
    assert [str(v) for v in row] == [
        "day",
        "2026-10-15",
        "2026-10-15",
        "10",
        "2026-10",
        "2026-10",
        "2026-02-28",
        "2026-07-01",
        "month",
    ]


def test_the_month_is_the_sum_of_its_days(db):
    value, n_parts, n_expected, origin = _series(db, "2025", "CPS.25", "22", "2026-09")
    assert value == sum(v for *_, v in SEPTEMBER)
    assert (n_parts, n_expected, origin) == (30, 30, "days")


def test_a_month_missing_days_is_marked_incomplete(db):
    value, n_parts, n_expected, origin = _series(db, "2025", "CPS.25", "22", "2026-10")
    assert (value, n_parts, n_expected, origin) == (60, 3, 31, "days")


def test_a_month_reported_as_such_wins_over_its_days(db):
    assert _series(db, "all", "CPS.27", "00", "2026-08") == (900, 1, 1, "reported")
    # its days of September still make September
    assert _series(db, "all", "CPS.27", "00", "2026-09") == (12, 2, 30, "days")


def test_the_nation_rolls_up_the_provinces_months(db):
    value, n_parts, n_expected, origin = _series(db, "all", "CPS.25", "00", "2026-09")
    assert value == sum(v for *_, v in SEPTEMBER) + 30
    assert (n_parts, n_expected, origin) == (2, 34, "rollup")
    # October: Quảng Ninh has only three days, so no province is complete
    assert _series(db, "all", "CPS.25", "00", "2026-10")[:2] == (60, 0)


def test_progress_reads_the_months_not_the_days(db):
    rows = db.query(
        "SELECT period, actual, ytd_actual FROM m_progress WHERE geo = '2025' "
        "AND indicator_code = 'CPS.25' AND unit_code = '22' ORDER BY period"
    )
    september = sum(v for *_, v in SEPTEMBER)
    assert rows == [("2026-09", september, september), ("2026-10", 60, september + 60)]


def test_monthly_queries_of_a_daily_indicator_answer(data_dir):
    series = q.unit_series("CPS.25", "22", "2025")
    assert list(series["period"]) == ["2026-09", "2026-10"]
    assert list(series["actual"]) == [sum(v for *_, v in SEPTEMBER), 60]
    row = q.progress("CPS.25", "22", "2026-09")
    assert row["actual"] == sum(v for *_, v in SEPTEMBER)
    assert q.latest_period("CPS.25", "22") == "2026-10"
    frame = q.province_values("CPS.25", "2026-09", "2025")
    assert frame.set_index("unit_code").loc["01", "actual"] == 30
    nation = q.unit_progress("00", "2026-10", "2025").set_index("indicator_code")
    assert nation.loc["CPS.25", "period"] == "2026-10"


def test_a_day_is_a_period_for_the_data_layer_but_not_for_the_month_picker():
    assert check_period("2026-10-15") == "2026-10-15"
    assert check_period("2026-10") == "2026-10"
    for bad in ("2026-02-30", "2026-13-01", "2026-10-5", "2026-10-15x"):
        with pytest.raises(BadParameter):
            check_period(bad)
    with pytest.raises(BadParameter):
        check_month("2026-10-15")


@pytest.fixture
def rejected(tmp_path, make_submissions, make_warehouse):
    def run(rows):
        path = make_submissions(tmp_path / "in").csv("bad.csv", _csv_rows(rows))
        outcome = make_warehouse(tmp_path / "warehouse").load(path).outcomes[0]
        assert outcome.status == "rejected"
        return [(e.row, e.column, e.value, e.expected) for e in outcome.errors]

    return run


def test_a_day_on_a_monthly_indicator_is_a_row_error(rejected):
    errors = rejected(
        [("CPS.25", "22", "2026-09-01", A, 1), ("NS.01", "22", "2026-09-15", A, 5)]
    )
    assert errors == [
        (
            3,
            "period",
            "2026-09-15",
            "a monthly period or a longer one for NS.01 "
            "(reported monthly; write the month 2026-09, not a day)",
        )
    ]


def test_a_day_that_does_not_exist_is_a_row_error(rejected):
    errors = rejected(
        [("CPS.25", "22", "2026-02-30", A, 1), ("CPS.25", "22", "2026-02-28", A, 1)]
    )
    assert errors == [
        (
            2,
            "period",
            "2026-02-30",
            "a real calendar date written YYYY-MM-DD (there is no day 2026-02-30)",
        )
    ]


def test_a_future_day_is_a_row_error(rejected):
    errors = rejected([("CPS.25", "22", "2199-01-01", A, 1)])
    assert [e[1] for e in errors] == ["period"]
    assert "has started" in errors[0][3]
