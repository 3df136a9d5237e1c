"""Several plans per figure (issue 12): a target's basis (QH, TTg, HDND, BO) in
the contract, one target per plan in the warehouse, the primary plan in
m_progress and the others beside it in m_plans, the API's `plans`, the
scorecard's "59,4% KH tỉnh · 90,1% KH Thủ tướng giao"; and the frequency rule
(an actual is for its indicator's own period)."""

from __future__ import annotations

import pytest
from flask import Flask

from api import api
from components.plans import attach_plans, plans_text, primary_basis
from data.cache import cache
from tests.unit.conftest import serve_as

# Quảng Ninh's public investment disbursed to August 2020: 2.997,7 tỷ đồng,
# 90,1 % of the Prime Minister's plan and 59,4 % of the province's own.
YTD = 2997.7
TTG_PLAN, HDND_PLAN = round(YTD / 0.901, 1), round(YTD / 0.594, 1)
ROWS = [
    {"indicator_code": "DT.01", "unit_code": "22", "period": "2020-08", "value": YTD},
    # no target_basis: the catalog's (DT.01: TTg)
    {
        "indicator_code": "DT.01",
        "unit_code": "22",
        "period": "2020",
        "kind": "target",
        "value": TTG_PLAN,
        "basis": "Quyết định 1/QĐ-TTg",
    },
    {
        "indicator_code": "DT.01",
        "unit_code": "22",
        "period": "2020",
        "kind": "target",
        "value": HDND_PLAN,
        "target_basis": "HĐND",
        "basis": "Nghị quyết 27/NQ-HĐND",
    },
    # the nation: HDND (the unit's council) is the National Assembly's plan
    {
        "indicator_code": "CT.01",
        "unit_code": "00",
        "period": "2020",
        "kind": "target",
        "value": 108,
    },
]


COLUMNS = [
    "indicator_code",
    "unit_code",
    "period",
    "value",
    "kind",
    "basis",
    "target_basis",
]


def _rows(rows):
    return [{c: str(r.get(c, "")) for c in COLUMNS} for r in rows]


@pytest.fixture(scope="module")
def wh(tmp_path_factory, make_submissions, make_warehouse):
    folder = tmp_path_factory.mktemp("plans")
    path = make_submissions(folder / "in").csv("plans.csv", _rows(ROWS), header=COLUMNS)
    warehouse = make_warehouse(folder / "warehouse")
    result = warehouse.load(path)
    assert result.outcomes[0].status == "loaded", result.outcomes[0].errors
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CC_DATA_DIR", str(warehouse.root))
        yield warehouse


@pytest.fixture(scope="module")
def client(wh):
    app = Flask(__name__)
    app.config.update(CACHE_TYPE="SimpleCache", CACHE_DEFAULT_TIMEOUT=3600)
    cache.init_app(app)
    app.register_blueprint(api)
    serve_as(app)
    return app.test_client()


def test_each_target_is_kept_with_its_plan(wh):
    got = wh.query(
        "SELECT indicator_code, unit_code, target_basis, value FROM observations "
        "WHERE kind = 'target' ORDER BY 1, 2, 3"
    )
    assert got == [
        ("CT.01", "00", "QH", 108.0),
        ("DT.01", "22", "HDND", HDND_PLAN),
        ("DT.01", "22", "TTg", TTG_PLAN),
    ]
    actual = wh.query("SELECT target_basis FROM observations WHERE kind = 'actual'")
    assert actual == [("",)]


def test_status_against_the_primary_plan_and_the_other_beside_it(wh):
    ((pct, target, status),) = wh.query(
        "SELECT pct_of_target, target, status FROM m_progress WHERE geo = '2020' "
        "AND indicator_code = 'DT.01' AND unit_code = '22' AND period = '2020-08'"
    )
    assert target == TTG_PLAN and round(pct, 1) == 90.1
    assert status == "on_track"
    ((basis, other, other_pct),) = wh.query(
        "SELECT basis, target, pct_of_target FROM m_plans WHERE geo = '2020' "
        "AND indicator_code = 'DT.01' AND unit_code = '22' AND period = '2020-08'"
    )
    assert (basis, other, round(other_pct, 1)) == ("HDND", HDND_PLAN, 59.4)


def test_the_api_answers_every_plan(client):
    response = client.get(
        "/api/v1/progress",
        query_string={"indicator": "DT.01", "unit": "22", "period": "2020-08"},
    )
    assert response.status_code == 200, response.get_data(True)
    body = response.json
    assert round(body["pct_of_target"], 1) == 90.1  # today's fields: the primary plan
    plans = {p["basis"]: p for p in body["plans"]}
    assert set(plans) == {"TTg", "HDND"}
    assert plans["TTg"]["primary"] and not plans["HDND"]["primary"]
    assert round(plans["HDND"]["pct_of_target"], 1) == 59.4
    assert plans["HDND"]["target"] == HDND_PLAN
    # a figure with one plan: one entry, the primary
    one = client.get(
        "/api/v1/progress",
        query_string={"indicator": "DT.01", "unit": "22", "period": "2020-08"},
    ).json
    assert len(one["plans"]) == 2


def test_a_new_value_of_one_plan_revises_that_plan_only(wh, make_submissions, tmp_path):
    path = make_submissions(tmp_path).csv(
        "hdnd.csv", _rows([{**ROWS[2], "value": HDND_PLAN + 100}]), header=COLUMNS
    )
    result = wh.load(path)
    assert result.outcomes[0].status == "loaded", result.outcomes[0].errors
    got = wh.query(
        "SELECT target_basis, revision, value FROM observations WHERE kind = 'target' "
        "AND indicator_code = 'DT.01' ORDER BY 1"
    )
    assert got == [("HDND", 2, HDND_PLAN + 100), ("TTg", 1, TTG_PLAN)]
    # and back, so that the other tests of the module read the seed's plan
    back = make_submissions(tmp_path).csv("back.csv", _rows([ROWS[2]]), header=COLUMNS)
    assert wh.load(back).outcomes[0].status == "loaded"


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        (
            {"kind": "target", "period": "2020", "target_basis": "UBND"},
            "target_basis",
            "QH (National Assembly)",
        ),
        ({"target_basis": "TTg"}, "target_basis", "no target_basis on an actual row"),
        (
            {
                "kind": "target",
                "period": "2020",
                "unit_code": "00",
                "target_basis": "HDND",
            },
            "target_basis",
            "QH for the nation",
        ),
        # an actual for a coarser period than its indicator's: refused
        ({"period": "2020-Q3"}, "period", "a monthly period for DT.01"),
        (
            {"indicator_code": "CT.06", "period": "2020", "value": 105},
            "period",
            "a monthly period for CT.06",
        ),
    ],
)
def test_bad_rows_are_refused_with_a_clear_error(
    row, column, expected, make_submissions, warehouse, tmp_path
):
    base = {
        "indicator_code": "DT.01",
        "unit_code": "22",
        "period": "2020-08",
        "value": 10,
    }
    path = make_submissions(tmp_path).csv(
        "bad.csv", _rows([{**base, **row}]), header=COLUMNS
    )
    outcome = warehouse.load(path).outcomes[0]
    assert outcome.status == "rejected"
    assert [e.column for e in outcome.errors] == [column], outcome.errors
    assert expected in outcome.errors[0].expected


def test_coarser_targets_and_months_of_a_daily_indicator_stay_accepted(
    make_submissions, warehouse, tmp_path
):
    rows = [
        # a quarter's milestone of a monthly indicator's plan
        {
            "indicator_code": "DT.01",
            "unit_code": "22",
            "period": "2020-Q3",
            "kind": "target",
            "value": 2000,
        },
        # a daily indicator's month
        {
            "indicator_code": "CPS.25",
            "unit_code": "00",
            "period": "2020-08",
            "value": 1874,
        },
    ]
    path = make_submissions(tmp_path).csv("ok.csv", _rows(rows), header=COLUMNS)
    outcome = warehouse.load(path, reporter="VPCP").outcomes[0]
    assert outcome.status == "loaded", outcome.errors


def test_the_scorecard_says_both_plans():
    rows = [
        {
            "indicator_code": "DT.01",
            "period": "2020-08",
            "pct_of_target": 90.1,
            "target_basis": "TTg",
        },
        {
            "indicator_code": "NS.01",
            "period": "2020-08",
            "pct_of_target": 66.4,
            "target_basis": "TTg",
        },
    ]
    others = [
        {
            "indicator_code": "DT.01",
            "period": "2020-08",
            "basis": "HDND",
            "pct_of_target": 59.4,
        }
    ]
    got = attach_plans(rows, others, "22")
    assert (
        plans_text(got[0]["plans"], "vi") == "59,4% KH tỉnh · 90,1% KH Thủ tướng giao"
    )
    assert plans_text(got[0]["plans"], "en") == (
        "59.4% provincial plan · 90.1% Prime Minister's plan"
    )
    assert "plans" not in got[1] and plans_text(None, "vi") == ""
    assert primary_basis("HDND", "00") == "QH" and primary_basis("HDND", "22") == "HDND"


def test_the_province_page_says_both_plans(wh):
    from tests.unit.component_text import import_pages, text_of

    (page,) = import_pages(__name__, "pages.province")
    vi = text_of(page.layout(code="22", period="2020-08", geo="2020"), " ")
    assert "59,4% KH tỉnh · 90,1% KH Thủ tướng giao" in vi
    en = text_of(page.layout(code="22", period="2020-08", geo="2020", lang="en"), " ")
    assert "59.4% provincial plan · 90.1% Prime Minister's plan" in en
