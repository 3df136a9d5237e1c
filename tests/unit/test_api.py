"""The JSON API (api.py) on a minimal Flask app over a small warehouse: the numbers
of /progress, /observations with from/to, /catalog, and that a bad request is a
400 (or 404) with a JSON message, never a 500; nothing published: 503.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import api
from data.cache import cache
from tests.unit.conftest import serve_as

A, T = "actual", "target"
SUBMITTED = dt.datetime(2020, 9, 5, 8, 0)
ROWS = [
    # the contract's example: Quảng Ninh's budget revenue to August 2020
    ("NS.01", "22", "2020-08", A, 29915),
    ("NS.01", "22", "2020", T, 45053),
    ("NS.01", "22", "2020-07", A, 25000),
    # a ratio computed from its numerator and denominator
    ("CPS.01", "22", "2020-08", A, 1552),
    ("CPS.02", "22", "2020-08", A, 518),
    # Hà Giang (02) + Tuyên Quang (08) -> Tuyên Quang (08) on 2025-07-01
    ("NS.01", "02", "2024-03", A, 100),
    ("NS.01", "08", "2024-03", A, 200),
    ("NS.01", "02", "2025-03", A, 110),
    ("NS.01", "08", "2025-03", A, 220),
    ("NS.01", "08", "2026-03", A, 400),
    ("NS.01", "00", "2025-03", A, 5000),
]


@pytest.fixture(scope="module")
def wh(tmp_path_factory, make_submissions, make_warehouse):
    folder = tmp_path_factory.mktemp("api")
    path = make_submissions(folder / "in").csv(
        "api.csv",
        [
            {
                "indicator_code": i,
                "unit_code": u,
                "period": p,
                "kind": k,
                "value": str(v),
            }
            for i, u, p, k, v in ROWS
        ],
    )
    warehouse = make_warehouse(folder / "warehouse")
    result = warehouse.load(path, submitted_at=SUBMITTED)
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
    serve_as(app)  # scopes: tests/unit/test_auth_leaks.py
    # not app.testing: an unhandled error must come back as the 500 a caller sees
    return app.test_client()


def _get(client, path, **params):
    return client.get(f"/api/v1/{path}", query_string=params)


def _progress(client, indicator, unit, period=None) -> dict:
    params = {"indicator": indicator, "unit": unit}
    if period is not None:
        params["period"] = period
    return _ok(_get(client, "progress", **params))


def _ok(response) -> dict:
    assert response.status_code == 200, (response.status_code, response.get_data(True))
    assert response.is_json
    return response.json


# --- /progress ----------------------------------------------------------------------


def test_progress_of_the_contract_example(client, wh):
    body = _progress(client, "NS.01", "22", "2020-08")
    assert (body["indicator"], body["unit"], body["period"], body["geo"]) == (
        "NS.01",
        "22",
        "2020-08",
        "2020",
    )
    assert (body["actual"], body["ytd_actual"], body["target"]) == (29915, 29915, 45053)
    assert body["target_type"] == "plan" and body["target_to_date"] == 45053
    assert round(body["pct_of_target"], 1) == 66.4
    assert body["expected_pct"] == pytest.approx(8 / 12 * 100)
    assert body["pace_basis"] == "elapsed"
    assert body["status"] == "on_track"
    assert body["projected_year_end"] == pytest.approx(29915 / (8 / 12))
    assert body["monthly_needed"] == pytest.approx((45053 - 29915) / 4)
    assert body["unit_of_measure"] == {"vi": "tỷ đồng", "en": "billion VND"}
    assert body["coverage"] == {"units_included": 1, "units_expected": 1}
    assert body["snapshot_id"] == wh.current_id()
    assert (body["computed"], body["revised"], body["revision"]) == (False, False, 1)
    assert body["submitted_at"] == "2020-09-05T08:00:00"
    assert dt.datetime.fromisoformat(body["loaded_at"])
    # no figure a year before, no min/max target: null, never NaN
    for key in (
        "last_year_value",
        "pct_vs_last_year",
        "change_vs_last_year",
        "met",
        "gap",
        "numerator",
        "denominator",
    ):
        assert body[key] is None, key


def test_progress_takes_codes_in_any_case_and_with_blanks(client):
    body = _ok(
        _get(client, "progress", indicator=" ns.01 ", unit=" 22 ", period=" 2020-08 ")
    )
    assert (body["indicator"], body["unit"], body["actual"]) == ("NS.01", "22", 29915)


def test_progress_without_period_is_the_latest(client):
    body = _ok(_get(client, "progress", indicator="NS.01", unit="22"))
    assert (body["period"], body["actual"]) == ("2020-08", 29915)
    assert _ok(_get(client, "progress", indicator="NS.01", unit="08"))["period"] == (
        "2026-03"
    )


def test_progress_of_a_computed_ratio(client):
    body = _progress(client, "CPS.03", "22", "2020-08")
    assert round(body["actual"], 1) == 33.4
    assert body["actual"] == pytest.approx(518 / 1552 * 100)
    assert (body["computed"], body["numerator"], body["denominator"]) == (
        True,
        "CPS.02",
        "CPS.01",
    )
    assert body["reported_value"] is None
    assert body["unit_of_measure"] == {"vi": "%", "en": "%"}
    assert (body["target_type"], body["target"], body["status"]) == (
        "min",
        None,
        "no_target",
    )


def test_progress_vs_same_period_last_year_across_the_merger(client):
    body = _progress(client, "NS.01", "08", "2026-03")
    assert (body["geo"], body["actual"], body["last_year_value"]) == ("2025", 400, 330)
    assert round(body["pct_vs_last_year"], 1) == 121.2
    assert body["change_vs_last_year"] == 70


def test_progress_before_the_reform_reads_the_old_province(client):
    body = _progress(client, "NS.01", "08", "2025-03")
    assert (body["geo"], body["actual"], body["last_year_value"]) == ("2020", 220, 200)
    assert round(body["pct_vs_last_year"], 1) == 110.0


def test_progress_of_the_nation(client):
    body = _progress(client, "NS.01", "00", "2025-03")
    assert (body["geo"], body["actual"]) == ("all", 5000)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"indicator": "ZZ.99", "unit": "22"}, "unknown indicator 'ZZ.99'"),
        ({"indicator": "NS.1", "unit": "22"}, "unknown indicator 'NS.1'"),
        (
            {"indicator": "NS.01", "unit": "22", "period": "2019-01"},
            "no figure for NS.01 unit 22 period 2019-01",
        ),
        (
            {"indicator": "NS.01", "unit": "99"},
            "no figure for NS.01 unit 99 period latest",
        ),
        ({"indicator": "NS.01", "unit": "22", "period": "2020"}, "no figure"),
        ({"indicator": "KT.02", "unit": "22"}, "no figure"),
    ],
)
def test_progress_404(client, params, message):
    response = _get(client, "progress", **params)
    assert response.status_code == 404
    assert response.json == {"error": response.json["error"], "status": 404}
    assert message in response.json["error"]


# --- /observations ------------------------------------------------------------------


def _periods(body):
    return [(o["period"], o["kind"], o["value"]) for o in body["observations"]]


def test_observations(client, wh):
    body = _ok(_get(client, "observations", indicator="NS.01", unit="22"))
    assert body["snapshot_id"] == wh.current_id()
    assert body["count"] == 3
    assert _periods(body) == [
        ("2020-07", A, 25000),
        ("2020-08", A, 29915),
        ("2020", T, 45053),
    ]
    first = body["observations"][0]
    assert (first["indicator_code"], first["unit_code"], first["revision"]) == (
        "NS.01",
        "22",
        1,
    )
    assert (first["source_file"], first["reporter"]) == ("api.csv", "UBND-22")
    assert first["submitted_at"] == "2020-09-05T08:00:00"
    assert first["note"] is None and len(first["source_sha256"]) == 64


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"from": "2020-08"}, [("2020-08", A, 29915), ("2020", T, 45053)]),
        ({"to": "2020-07"}, [("2020-07", A, 25000)]),
        ({"from": "2020-08", "to": "2020-08"}, [("2020-08", A, 29915)]),
        (
            {"from": "2020-Q3", "to": "2020-Q3"},
            [("2020-07", A, 25000), ("2020-08", A, 29915)],
        ),
        (
            {"from": "2020", "to": "2020"},
            [("2020-07", A, 25000), ("2020-08", A, 29915), ("2020", T, 45053)],
        ),
        ({"from": "2021"}, []),
        ({"from": "2020-09", "to": "2020-07"}, []),
        (
            {"from": "", "to": " "},
            [("2020-07", A, 25000), ("2020-08", A, 29915), ("2020", T, 45053)],
        ),
    ],
)
def test_observations_from_to(client, params, expected):
    body = _ok(_get(client, "observations", indicator="NS.01", unit="22", **params))
    assert _periods(body) == expected and body["count"] == len(expected)


def test_observations_of_an_unknown_indicator_are_an_empty_list(client):
    # unlike /progress (404), /observations does not look the code up in the catalog
    body = _ok(_get(client, "observations", indicator="ZZ.99", unit="22"))
    assert (body["count"], body["observations"]) == (0, [])


# --- /catalog -----------------------------------------------------------------------


def test_catalog(client, wh):
    body = _ok(_get(client, "catalog"))
    assert (
        body["count"] == 203 == len(body["indicators"])
    )  # 200 + the 3 daily indicators (issue 11)
    assert body["snapshot_id"] == wh.current_id()
    by_code = {row["code"]: row for row in body["indicators"]}
    ns = by_code["NS.01"]
    assert (ns["unit_en"], ns["target_type"], ns["sector_en"]) == (
        "billion VND",
        "plan",
        "State budget",
    )
    assert ns["numerator"] is None and ns["scale"] is None  # NaN -> null
    ratio = by_code["CPS.03"]
    assert (ratio["numerator"], ratio["scale"]) == ("CPS.02", 100)


def test_catalog_refuses_parameters_it_does_not_take(client):
    response = _get(client, "catalog", indicator="'; DROP TABLE x; --")
    assert response.status_code == 400
    assert "unknown parameter 'indicator'" in response.json["error"]
    assert _ok(_get(client, "catalog"))["count"] == 203


# --- bad requests -------------------------------------------------------------------


BAD = [
    # (endpoint, params, part of the message)
    ("progress", {}, "missing required parameter 'indicator'"),
    ("progress", {"unit": "22"}, "missing required parameter 'indicator'"),
    ("progress", {"indicator": "NS.01"}, "missing required parameter 'unit'"),
    ("progress", {"indicator": "   ", "unit": "22"}, "missing required parameter"),
    (
        "progress",
        {"indicator": "NS.01", "unit": ""},
        "missing required parameter 'unit'",
    ),
    ("progress", {"indicator": "NS.01", "unit": "2x2"}, "unit must be a GSO code"),
    ("progress", {"indicator": "NS.01", "unit": "222"}, "unit must be a GSO code"),
    (
        "progress",
        {"indicator": "NS.01", "unit": "22", "period": "2020-13"},
        "period must look like 2020, 2020-Q3 or 2020-08",
    ),
    (
        "progress",
        {"indicator": "NS.01", "unit": "22", "period": "2020-8"},
        "period must look like",
    ),
    (
        "progress",
        {"indicator": "NS.01", "unit": "22", "period": "2020-Q5"},
        "period must look like",
    ),
    (
        "progress",
        {"indicator": "NS01", "unit": "22"},
        "indicator must be a catalog code",
    ),
    (
        "progress",
        {"indicator": "NS.01' OR '1'='1", "unit": "22"},
        "indicator must be a catalog code",
    ),
    (
        "progress",
        {"indicator": "NS.01", "unit": "22; DROP TABLE observations"},
        "unit must be",
    ),
    (
        "progress",
        {"indicator": "NS.01", "unit": "22", "period": "2020-08' --"},
        "period must look like",
    ),
    (
        "progress",
        {
            "indicator": "NS.01",
            "unit": "22",
            "period": "2020-08 UNION SELECT * FROM loads",
        },
        "parameter 'period' is too long",
    ),
    (
        "progress",
        {"indicator": "NS.01" * 2000, "unit": "22"},
        "parameter 'indicator' is too long",
    ),
    (
        "progress",
        {"indicator": "NS.01", "unit": "2" * 5000},
        "parameter 'unit' is too long",
    ),
    (
        "progress",
        {"indicator": "NS.01", "unit": "22", "period": "2" * 10000},
        "parameter 'period' is too long",
    ),
    ("progress", {"indicator": "Thu ngân sách", "unit": "22"}, "indicator must be"),
    ("progress", {"indicator": "NS.01", "unit": "Quảng Ninh"}, "unit must be"),
    (
        "progress",
        {"indicator": "NS.01", "unit": "22", "period": "tháng 8/2020"},
        "period must",
    ),
    ("progress", {"indicator": "🙂", "unit": "22"}, "indicator must be"),
    ("progress", {"indicator": "NS.01\x00", "unit": "22"}, "indicator must be"),
    ("progress", {"indicator": "NS.01", "unit": "22\x00"}, "unit must be"),
    ("observations", {}, "missing required parameter 'indicator'"),
    ("observations", {"indicator": "NS.01"}, "missing required parameter 'unit'"),
    ("observations", {"indicator": "NS.01", "unit": "2x2"}, "unit must be"),
    (
        "observations",
        {"indicator": "NS.01", "unit": "22", "from": "2020-13"},
        "from must look like",
    ),
    (
        "observations",
        {"indicator": "NS.01", "unit": "22", "to": "2020-8"},
        "to must look like",
    ),
    (
        "observations",
        {"indicator": "NS.01", "unit": "22", "from": "'; SELECT 1; --"},
        "from must look like",
    ),
    (
        "observations",
        {"indicator": "x" * 10000, "unit": "22"},
        "parameter 'indicator' is too long",
    ),
    (
        "observations",
        {"indicator": "NS.01", "unit": "22", "to": "２０２０年"},
        "to must",
    ),
]


@pytest.mark.parametrize(
    "endpoint, params, message",
    BAD,
    ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(BAD)],
)
def test_a_bad_parameter_is_a_400_with_a_message(client, endpoint, params, message):
    response = _get(client, endpoint, **params)
    assert response.status_code == 400, response.get_data(True)[:300]
    assert response.is_json
    assert response.json["status"] == 400
    assert message in response.json["error"]


@pytest.mark.parametrize("period", ["0000-08", "0000-Q1"])
def test_progress_in_year_zero_is_a_400(client, period):
    response = _get(client, "progress", indicator="NS.01", unit="22", period=period)
    assert response.status_code == 400


@pytest.mark.parametrize("params", [{"from": "٢٠٢٠"}, {"to": "２０２０-08"}])
def test_observations_with_non_ascii_digits_is_a_400(client, params):
    response = _get(client, "observations", indicator="NS.01", unit="22", **params)
    assert response.status_code == 400


# --- nothing published --------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint, params",
    [
        ("progress", {"indicator": "NS.01", "unit": "22", "period": "2020-08"}),
        ("progress", {"indicator": "NS.01", "unit": "22"}),
        ("observations", {"indicator": "NS.01", "unit": "22"}),
        ("catalog", {}),
    ],
)
def test_no_published_snapshot_is_a_503(
    client, tmp_path, monkeypatch, endpoint, params
):
    monkeypatch.setenv("CC_DATA_DIR", str(tmp_path / "empty"))
    response = _get(client, endpoint, **params)
    assert response.status_code == 503
    assert response.json == {"error": "no data has been published yet", "status": 503}


@pytest.mark.parametrize(
    "params",
    [
        {"indicator": "NS01", "unit": "22"},
        {"indicator": "NS.01"},
        {"unit": "22"},
    ],
)
def test_a_malformed_request_is_a_400_even_without_a_snapshot(
    client, tmp_path, monkeypatch, params
):
    monkeypatch.setenv("CC_DATA_DIR", str(tmp_path / "empty"))
    assert _get(client, "progress", **params).status_code == 400


# --- fuzz ---------------------------------------------------------------------------


GOOD = {
    "indicator": ["NS.01", "CPS.03", "CPS.01", "KT.01", "ZZ.99", "ns.01"],
    "unit": ["22", "08", "02", "00", "99", "06649"],
    "period": ["2020-08", "2020", "2026-03", "2020-Q3", "2025-03", "2019-01"],
}


SHAPES = {  # near misses of each parameter's form; \d: any Unicode digit
    "indicator": r"\A[A-Za-z]{0,5}\.?\d{0,4}\Z",
    "unit": r"\A\d{1,6}\Z",
    "period": r"\A\d{4}(-[01]\d|-[Qq]\d|-\d{0,3})?\Z",
}


def _fuzz(kind: str):
    """Anything in place of a good value: left out, a near miss, any text, or a
    long one."""
    return st.one_of(
        st.none(),
        st.from_regex(SHAPES[kind]),
        st.text(max_size=40),
        st.text(alphabet=st.characters(codec="ascii"), min_size=100, max_size=3000),
    )


KIND = {
    "indicator": "indicator",
    "unit": "unit",
    "period": "period",
    "from": "period",
    "to": "period",
}


@st.composite
def requests(draw):
    """A good request with up to two of its parameters replaced by fuzz, so that
    each parameter gets through the checks before it to the database."""
    params = {
        "indicator": draw(st.sampled_from(GOOD["indicator"])),
        "unit": draw(st.sampled_from(GOOD["unit"])),
        **{
            key: draw(st.none() | st.sampled_from(GOOD["period"]))
            for key in ("period", "from", "to")
        },
    }
    for key in draw(st.lists(st.sampled_from(list(KIND)), max_size=2, unique=True)):
        params[key] = draw(_fuzz(KIND[key]))
    endpoint = draw(st.sampled_from(["progress", "observations", "catalog"]))
    return endpoint, {k: v for k, v in params.items() if v is not None}


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(call=requests())
def test_fuzz_the_api_never_fails(client, call):
    endpoint, params = call
    response = _get(client, endpoint, **params)
    assert response.status_code in {200, 400, 404}, (
        response.status_code,
        response.get_data(True)[:300],
    )
    assert response.is_json
    if response.status_code != 200:
        assert response.json["status"] == response.status_code
        assert response.json["error"]
