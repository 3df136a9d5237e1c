"""The modelled tables (m_series, m_progress): % of plan, pace, status, min/max
targets, ratios, the 2025 province merger and national roll-ups.

One scenario file is loaded once; each block of rows below uses its own units,
indicators or periods so the cases do not touch each other.
"""

from __future__ import annotations

import pytest

import settings

A, T = "actual", "target"
SCENARIO = [
    # % of plan, pace by elapsed share, status (Quảng Ninh, Hà Nội, Nghệ An, 2020)
    ("NS.01", "22", "2020-08", A, 29915),
    ("NS.01", "22", "2020", T, 45053),
    ("NS.01", "01", "2020-08", A, 27000),
    ("NS.01", "01", "2020", T, 45053),
    ("NS.01", "40", "2020-08", A, 20000),
    ("NS.01", "40", "2020", T, 45053),
    # seasonality (Lạng Sơn): August reached 60% and 50% of the year before
    ("NS.01", "20", "2021-08", A, 60),
    ("NS.01", "20", "2021-12", A, 100),
    ("NS.01", "20", "2022-08", A, 50),
    ("NS.01", "20", "2022-12", A, 100),
    ("NS.01", "20", "2022", T, 100),
    ("NS.01", "20", "2023-08", A, 40),
    ("NS.01", "20", "2023", T, 100),
    # a min target on a stock (Điện Biên, 2019)
    ("CPS.01", "11", "2019", T, 100),
    ("CPS.01", "11", "2019-06", A, 100),
    ("CPS.01", "11", "2019-07", A, 95),
    ("CPS.01", "11", "2019-08", A, 80),
    # a max target on a year-to-date count, pro-rated (Lai Châu, 2020)
    ("GT.01", "12", "2020", T, 120),
    ("GT.01", "12", "2020-06", A, 70),
    ("GT.01", "12", "2020-08", A, 70),
    ("GT.01", "12", "2020-09", A, 92),
    # ratios from numerator and denominator
    ("CPS.01", "22", "2020-08", A, 1552),
    ("CPS.02", "22", "2020-08", A, 518),
    ("CPS.05", "22", "2020-08", A, 200),
    ("CPS.06", "22", "2020-08", A, 150),
    ("CPS.01", "01", "2020-08", A, 1000),
    ("CPS.02", "01", "2020-08", A, 250),
    ("CPS.03", "01", "2020-08", A, 30),
    ("KT.02", "22", "2020-Q4", A, 260000),
    ("XH.01", "22", "2020", A, 1.3),
    ("KT.02", "01", "2020", A, 1000000),
    ("KT.02", "01", "2020-Q4", A, 999999),
    ("XH.01", "01", "2020", A, 8),
    ("KT.02", "40", "2020-Q3", A, 5000),
    ("XH.01", "40", "2020", A, 3.4),
    # the merger: Hà Giang (02) + Tuyên Quang (08) -> Tuyên Quang (08)
    ("NS.01", "02", "2024-03", A, 100),
    ("NS.01", "08", "2024-03", A, 200),
    ("NS.01", "02", "2025-03", A, 110),
    ("NS.01", "08", "2025-03", A, 220),
    ("NS.01", "08", "2026-03", A, 400),
    ("NS.01", "08", "2025-04", A, 250),
    ("NS.01", "08", "2026-04", A, 500),
    ("KT.01", "02", "2024-Q1", A, 5.0),
    ("KT.01", "08", "2024-Q1", A, 7.0),
    ("CPS.01", "02", "2024-03", A, 100),
    ("CPS.01", "08", "2024-03", A, 300),
    ("CPS.02", "02", "2024-03", A, 50),
    ("CPS.02", "08", "2024-03", A, 60),
    # a single-predecessor province carries its history as is
    ("KT.01", "22", "2024-Q1", A, 6.5),
    ("NS.01", "22", "2024-03", A, 777),
    # a national figure reported by the ministry wins over the roll-up
    ("NS.01", "00", "2025-03", A, 5000),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory, make_submissions, make_warehouse):
    folder = tmp_path_factory.mktemp("models")
    path = make_submissions(folder / "in").csv(
        "scenario.csv",
        [
            {
                "indicator_code": i,
                "unit_code": u,
                "period": p,
                "kind": k,
                "value": str(v),
            }
            for i, u, p, k, v in SCENARIO
        ],
    )
    warehouse = make_warehouse(folder / "warehouse")
    result = warehouse.load(path)
    assert result.outcomes[0].status == "loaded", result.outcomes[0].errors
    return warehouse


def _one(db, table, columns, geo, indicator, unit, period, kind=None):
    sql = (
        f"SELECT {columns} FROM {table} WHERE geo = ? AND indicator_code = ? "
        "AND unit_code = ? AND period = ?"
    )
    params = [geo, indicator, unit, period]
    if kind:
        sql += " AND kind = ?"
        params.append(kind)
    rows = db.query(sql, params)
    assert len(rows) == 1, (table, geo, indicator, unit, period, rows)
    return rows[0]


def series(db, geo, indicator, unit, period, columns="value", kind="actual"):
    return _one(db, "m_series", columns, geo, indicator, unit, period, kind)


def progress(db, geo, indicator, unit, period, columns):
    return _one(db, "m_progress", columns, geo, indicator, unit, period)


def _status(pct: float, expected: float) -> str:
    if pct >= settings.ON_TRACK_SHARE * expected:
        return "on_track"
    if pct >= settings.AT_RISK_SHARE * expected:
        return "at_risk"
    return "off_track"


# --- data tests: should return 0 rows ---------------------------------------------


@pytest.mark.parametrize(
    "table, key",
    [
        ("m_series", "geo, indicator_code, unit_code, period, kind"),
        ("m_progress", "geo, indicator_code, unit_code, period"),
        ("observations", "indicator_code, unit_code, period, kind"),
    ],
)
def test_modelled_tables_have_one_row_per_key(db, table, key):
    assert (
        db.query(
            f"SELECT {key}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1"
        )
        == []
    )


def test_every_reported_figure_is_in_m_series(db):
    assert (
        db.query(
            "SELECT o.* FROM observations o WHERE NOT EXISTS (SELECT 1 FROM m_series s "
            "WHERE s.indicator_code = o.indicator_code AND s.unit_code = o.unit_code "
            "AND s.period = o.period AND s.kind = o.kind AND s.reported_value = o.value)"
        )
        == []
    )


# --- % of plan, pace, status -------------------------------------------------------


def test_percent_of_plan(db):
    pct, target, status = progress(
        db, "2020", "NS.01", "22", "2020-08", "pct_of_target, target, status"
    )
    assert target == 45053
    assert round(pct, 1) == 66.4
    assert status == _status(pct, 8 / 12 * 100) == "on_track"


def test_expected_pace_falls_back_to_the_elapsed_share_without_history(db):
    expected, basis = progress(
        db, "2020", "NS.01", "22", "2020-08", "expected_pct, pace_basis"
    )
    assert expected == pytest.approx(8 / 12 * 100)
    assert basis == "elapsed"


def test_one_earlier_year_is_not_enough_for_seasonality(db):
    expected, basis = progress(
        db, "2020", "NS.01", "20", "2022-08", "expected_pct, pace_basis"
    )
    assert (expected, basis) == (pytest.approx(8 / 12 * 100), "elapsed")


def test_expected_pace_uses_seasonality_with_two_earlier_years(db):
    expected, basis, pct, status, projected = progress(
        db,
        "2020",
        "NS.01",
        "20",
        "2023-08",
        "expected_pct, pace_basis, pct_of_target, status, projected_year_end",
    )
    assert basis == "seasonal"
    assert expected == pytest.approx((0.6 + 0.5) / 2 * 100)
    assert pct == pytest.approx(40.0)
    assert status == _status(40.0, 55.0)
    assert projected == pytest.approx(40 / 55 * 100)


@pytest.mark.parametrize("unit, actual", [("22", 29915), ("01", 27000), ("40", 20000)])
def test_status_thresholds(db, unit, actual):
    pct, expected, status = progress(
        db, "2020", "NS.01", unit, "2020-08", "pct_of_target, expected_pct, status"
    )
    assert pct == pytest.approx(actual / 45053 * 100)
    assert status == _status(pct, expected)


def test_the_three_statuses_are_reached(db):
    statuses = [
        progress(db, "2020", "NS.01", u, "2020-08", "status")[0]
        for u in ("22", "01", "40")
    ]
    assert statuses == ["on_track", "at_risk", "off_track"]


def test_projected_year_end_and_monthly_needed(db):
    projected, needed = progress(
        db, "2020", "NS.01", "22", "2020-08", "projected_year_end, monthly_needed"
    )
    assert projected == pytest.approx(29915 / (8 / 12))
    assert needed == pytest.approx((45053 - 29915) / 4)


def test_a_figure_without_a_target_has_no_status(db):
    status, pct = progress(
        db, "2020", "NS.01", "20", "2021-08", "status, pct_of_target"
    )
    assert (status, pct) == ("no_target", None)


# --- min / max targets ---------------------------------------------------------------


@pytest.mark.parametrize(
    "period, met, gap, status",
    [
        ("2019-06", True, 0, "on_track"),
        ("2019-07", False, -5, "at_risk"),
        ("2019-08", False, -20, "off_track"),
    ],
)
def test_a_min_target_on_a_stock_is_met_or_not(db, period, met, gap, status):
    assert progress(
        db, "2020", "CPS.01", "11", period, "target_to_date, met, gap, status"
    ) == (100, met, gap, status)


@pytest.mark.parametrize(
    "period, target_to_date, met, status",
    [
        ("2020-06", 60, False, "off_track"),
        ("2020-08", 80, True, "on_track"),
        ("2020-09", 90, False, "at_risk"),
    ],
)
def test_a_yearly_max_target_is_pro_rated_for_a_year_to_date_count(
    db, period, target_to_date, met, status
):
    got = progress(
        db, "2020", "GT.01", "12", period, "target_to_date, met, gap, status, actual"
    )
    assert got[0] == pytest.approx(target_to_date)
    assert got[1:4] == (met, pytest.approx(got[4] - target_to_date), status)


# --- ratios --------------------------------------------------------------------------


def test_a_ratio_is_computed_from_numerator_and_denominator(db):
    value, computed = series(db, "2020", "CPS.03", "22", "2020-08", "value, computed")
    assert round(value, 1) == 33.4
    assert value == pytest.approx(518 / 1552 * 100)
    assert computed is True


def test_cps07_is_computed_from_cps06_and_cps05(db):
    assert series(db, "2020", "CPS.07", "22", "2020-08")[0] == pytest.approx(75.0)


def test_a_computed_ratio_wins_over_a_reported_one(db):
    value, reported, computed = series(
        db, "2020", "CPS.03", "01", "2020-08", "value, reported_value, computed"
    )
    assert (value, reported, computed) == (pytest.approx(25.0), 30, True)


def test_a_national_ratio_is_computed_from_rolled_up_components(db):
    value = series(db, "all", "CPS.03", "00", "2020-08")[0]
    assert value == pytest.approx((518 + 250) / (1552 + 1000) * 100)


def test_kt03_uses_the_q4_year_to_date_gdp_and_the_population(db):
    assert series(db, "2020", "KT.03", "22", "2020")[0] == pytest.approx(260000 / 1.3)


def test_kt03_prefers_the_yearly_gdp_over_q4(db):
    assert series(db, "2020", "KT.03", "01", "2020")[0] == pytest.approx(1000000 / 8)


def test_kt03_is_not_computed_from_a_q3_figure(db):
    assert (
        db.query(
            "SELECT value FROM m_series WHERE indicator_code = 'KT.03' "
            "AND unit_code = '40'"
        )
        == []
    )


# --- the 2025 merger --------------------------------------------------------------


def test_a_merged_province_sums_its_predecessors_before_the_reform(db):
    value, n_parts, n_expected, origin = series(
        db, "2025", "NS.01", "08", "2024-03", "value, n_parts, n_expected, origin"
    )
    assert (value, n_parts, n_expected, origin) == (300, 2, 2, "merged")


def test_old_provinces_keep_their_own_figures_in_the_2020_geography(db):
    assert series(db, "2020", "NS.01", "02", "2024-03")[0] == 100
    assert series(db, "2020", "NS.01", "08", "2024-03")[0] == 200
    # old Hà Giang has no figure in the 34-province geography
    assert (
        db.query("SELECT * FROM m_series WHERE geo = '2025' AND unit_code = '02'") == []
    )


def test_same_period_last_year_across_the_merger(db):
    last, pct, change = progress(
        db,
        "2025",
        "NS.01",
        "08",
        "2026-03",
        "last_year_value, pct_vs_last_year, change_vs_last_year",
    )
    assert last == 330
    assert pct == pytest.approx(400 / 330 * 100)
    assert change == 70


def test_an_incomplete_merged_figure_is_not_compared(db):
    n_parts, n_expected = series(
        db, "2025", "NS.01", "08", "2025-04", "n_parts, n_expected"
    )
    assert (n_parts, n_expected) == (1, 2)
    assert progress(
        db, "2025", "NS.01", "08", "2026-04", "last_year_value, pct_vs_last_year"
    ) == (None, None)


def test_a_rate_is_not_summed_across_a_multi_province_merger(db):
    assert (
        db.query(
            "SELECT value FROM m_series WHERE geo = '2025' AND "
            "indicator_code = 'KT.01' AND unit_code = '08'"
        )
        == []
    )


def test_a_ratio_across_the_merger_is_recomputed_from_summed_parts(db):
    value, computed = series(db, "2025", "CPS.03", "08", "2024-03", "value, computed")
    assert value == pytest.approx((50 + 60) / (100 + 300) * 100)
    assert computed is True


@pytest.mark.parametrize(
    "indicator, period, value",
    [
        ("KT.01", "2024-Q1", 6.5),
        ("NS.01", "2024-03", 777),
    ],
)
def test_a_single_predecessor_province_carries_its_history(
    db, indicator, period, value
):
    got = series(
        db, "2025", indicator, "22", period, "value, n_parts, n_expected, origin"
    )
    assert got == (value, 1, 1, "merged")


# --- national roll-up ---------------------------------------------------------------


def test_the_country_is_the_sum_of_provinces_when_not_reported(db):
    value, n_parts, n_expected, origin = series(
        db, "all", "NS.01", "00", "2024-03", "value, n_parts, n_expected, origin"
    )
    assert (value, n_parts, n_expected, origin) == (100 + 200 + 777, 3, 63, "rollup")


def test_the_country_after_the_reform_counts_34_provinces(db):
    assert series(
        db, "all", "NS.01", "00", "2026-03", "value, n_parts, n_expected"
    ) == (400, 1, 34)


def test_a_reported_national_figure_wins_over_the_roll_up(db):
    assert series(db, "all", "NS.01", "00", "2025-03", "value, origin") == (
        5000,
        "reported",
    )


def test_rates_are_not_rolled_up_to_the_country(db):
    assert (
        db.query(
            "SELECT value FROM m_series WHERE indicator_code = 'KT.01' "
            "AND unit_code = '00'"
        )
        == []
    )


def test_national_targets_roll_up_too(db):
    assert series(db, "all", "NS.01", "00", "2020", kind="target")[0] == 3 * 45053


# --- the year 2025, which straddles the reform ------------------------------------


def test_a_new_provinces_2025_target_is_one_figure(warehouse, submissions):
    path = submissions.csv(
        "plan2025.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2025",
                "kind": "target",
                "value": "60000",
            },
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2025-09",
                "value": "40000",
            },
        ],
    )
    result = warehouse.load(path)
    assert result.outcomes[0].status == "loaded", result.outcomes[0].errors
    assert (
        warehouse.query(
            "SELECT geo, indicator_code, unit_code, period, kind, count(*) FROM m_series "
            "GROUP BY ALL HAVING count(*) > 1"
        )
        == []
    )
    assert (
        warehouse.query(
            "SELECT geo, unit_code, period, count(*) FROM m_progress GROUP BY ALL "
            "HAVING count(*) > 1"
        )
        == []
    )
