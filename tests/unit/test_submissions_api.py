"""The push API of the reporters (intake/api.py, intake/receive.py) on the real
app: a submission is received (202 queued), loaded by the worker and then
published with its snapshot id; a retry of the same Idempotency-Key is the
same submission; figures out of the agency's reach are refused at once (403),
bad cells with the row-level report (422), and nothing of a refused file is
stored; malformed requests are clear 4xx; one agency never sees another's
submissions; signatures are checked and required where the regime says so;
every submission and refusal is in the audit log."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
from datetime import UTC, datetime, timedelta

import pytest

from auth import audit, certs, store
from intake import api as intake_api
from intake.api import canonical_json
from store.inbox import Inbox
from tests.signing import make_ca, pem, sign_detached
from tests.unit.conftest import PASSWORD

URL = "/api/v1/submissions"
# CPS.04 (regime CPS_M): no signature required; NS.01 (NSNN_M): required
CPS_ROW = {"indicator_code": "CPS.04", "unit_code": "22", "period": "2026-09"}
NS_ROW = {"indicator_code": "NS.01", "unit_code": "22", "period": "2026-09"}
REPORTERS = {
    # name: reporting agency
    "r-22": "UBND-22",
    "r-22b": "UBND-22",
    "r-01": "UBND-01",
    "r-btc": "BTC",
    "r-rate": "UBND-22",
    "r-audit": "UBND-22",
}


@pytest.fixture(scope="module")
def tokens(web):
    made = {}
    for name, agency in REPORTERS.items():
        made[name], _ = store.create_token(
            f"tok-{name}", "reporter", "pytest", agencies=(agency,), root=web.root
        )
    store.add_user("u-r22", "reporter", PASSWORD, agencies=("UBND-22",), root=web.root)
    return made


@pytest.fixture
def data_dir(web, tmp_path, monkeypatch):
    """An empty data directory of the test: its own inbox."""
    root = tmp_path / "data"
    root.mkdir()
    monkeypatch.setenv("CC_DATA_DIR", str(root))
    monkeypatch.setenv("CC_SUBMIT_RATE_PER_MINUTE", "10000")
    monkeypatch.delenv("CC_TRUST_DIR", raising=False)
    return root


@pytest.fixture
def published_dir(data_dir, scope_warehouse_dir):
    """A copy of the scope warehouse (a published snapshot) as data directory."""
    shutil.rmtree(data_dir)
    shutil.copytree(scope_warehouse_dir, data_dir)
    return data_dir


def bearer(tokens, name: str, **headers) -> dict:
    return {"Authorization": f"Bearer {tokens[name]}", **headers}


def post(web, tokens, name="r-22", body=None, key=None, **kw):
    headers = bearer(tokens, name)
    if key is not None:
        headers["Idempotency-Key"] = key
    if body is not None:
        kw["json"] = body
    return web.client().post(URL, headers=headers, **kw)


def rows(*rows) -> dict:
    return {"rows": list(rows)}


def stored(root) -> list:
    return Inbox(root).list()


# -- the round trip --


def test_a_submission_is_queued_then_published_with_its_snapshot(
    web, tokens, published_dir
):
    from etl.worker import Worker
    from tests.conftest import Warehouse

    body = rows({**CPS_ROW, "value": 131})
    answer = post(web, tokens, body=body, key="round-trip-1")
    assert answer.status_code == 202, answer.get_json()
    item = answer.get_json()
    assert item["state"] == "queued" and item["snapshot_id"] is None
    assert item["rows"] == 1 and item["agency"] == "UBND-22"
    assert item["sha256"] == hashlib.sha256(canonical_json(body)).hexdigest()
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", item["received_at"])
    assert answer.headers["Location"] == f"{URL}/{item['id']}"

    queued = web.client().get(f"{URL}/{item['id']}", headers=bearer(tokens, "r-22"))
    assert queued.status_code == 200
    assert queued.get_json()["state"] == "queued"
    assert queued.get_json()["errors"] == []

    with Worker(published_dir) as worker:
        worker.round()
    done = web.client().get(f"{URL}/{item['id']}", headers=bearer(tokens, "r-22"))
    state = done.get_json()
    warehouse = Warehouse(published_dir)
    assert state["state"] == "published", state
    assert state["snapshot_id"] == warehouse.current_id()
    assert ("CPS.04", "22", "2026-09", "actual", 131.0) in warehouse.observations()

    receipt = web.client().get(
        f"{URL}/{item['id']}/receipt", headers=bearer(tokens, "r-22")
    )
    assert receipt.status_code == 200
    assert receipt.get_json()["sha256"] == item["sha256"]
    assert receipt.get_json()["outcome"]["state"] == "published"
    assert receipt.get_json()["rows"] == 1
    text = web.client().get(
        f"{URL}/{item['id']}/receipt?format=txt&lang=vi",
        headers=bearer(tokens, "r-22"),
    )
    assert (
        text.mimetype == "text/plain"
        and "attachment" in text.headers["Content-Disposition"]
    )
    assert "BIÊN NHẬN" in text.get_data(as_text=True)
    assert item["id"] in text.get_data(as_text=True)


def test_a_file_upload_is_received_as_its_type(web, tokens, data_dir, submissions):
    path = submissions.csv(
        "bc-thang-9.csv",
        [{**CPS_ROW, "value": "12"}, {**CPS_ROW, "period": "2026-08", "value": "11"}],
    )
    answer = post(
        web,
        tokens,
        data={"file": (path.open("rb"), "bc-thang-9.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 202, answer.get_json()
    (item,) = stored(data_dir)
    assert item.ext == "csv" and item.rows == 2 and item.file_name == "bc-thang-9.csv"
    assert Inbox(data_dir).file_of(item).read_bytes() == path.read_bytes()
    xlsx = submissions.xlsx("bc.xlsx", [{**CPS_ROW, "value": 5}])
    answer = post(
        web,
        tokens,
        data={"file": (xlsx.open("rb"), "no-extension")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 202, answer.get_json()
    assert answer.get_json()["file_name"] == "no-extension"
    assert stored(data_dir)[0].ext == "xlsx"  # told by its content


def test_the_same_idempotency_key_is_the_same_submission(web, tokens, data_dir):
    body = rows({**CPS_ROW, "value": 7})
    first = post(web, tokens, body=body, key="retry-abc")
    again = post(web, tokens, body=body, key="retry-abc")
    assert first.status_code == 202
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert len(stored(data_dir)) == 1
    # the key is the principal's: another token of the agency makes its own
    other = post(web, tokens, "r-22b", body=body, key="retry-abc")
    assert other.status_code == 202 and other.get_json()["id"] != first.get_json()["id"]
    # the same key for other content is refused, not silently the first one
    changed = post(web, tokens, body=rows({**CPS_ROW, "value": 8}), key="retry-abc")
    assert changed.status_code == 422 and changed.get_json()["code"] == "key_reused"
    assert len(stored(data_dir)) == 2


# -- refusals: reach (403), rows (422) --


@pytest.mark.parametrize(
    "name, body, column",
    [
        # a unit UBND-22 does not report for
        ("r-22", rows({**CPS_ROW, "unit_code": "01", "value": 1}), "reporter"),
        # a row naming another reporter, for that reporter's own unit
        (
            "r-22",
            rows({**CPS_ROW, "unit_code": "01", "reporter": "UBND-01", "value": 1}),
            "reporter",
        ),
        # a row naming another reporter for the own unit
        ("r-22", rows({**CPS_ROW, "reporter": "BTC", "value": 1}), "reporter"),
        # the file says another reporter
        (
            "r-22",
            {"reporter": "UBND-01", "rows": [{**CPS_ROW, "value": 1}]},
            "reporter",
        ),
        # a ministry, an indicator of another ministry (CPS.04 is VPCP's)
        ("r-btc", rows({**CPS_ROW, "value": 1}), "indicator_code"),
    ],
)
def test_figures_out_of_the_agencys_reach_are_refused_at_once(
    web, tokens, data_dir, name, body, column
):
    answer = post(web, tokens, name, body=body)
    assert answer.status_code == 403, answer.get_json()
    refused = answer.get_json()
    assert refused["code"] == "out_of_reach"
    assert refused["message"]["vi"] and refused["message"]["en"]
    assert any(e["column"] == column for e in refused["errors"]), refused
    assert stored(data_dir) == []


def test_a_ministry_submits_its_own_indicators_for_any_unit(web, tokens, data_dir):
    body = rows(
        {"indicator_code": "KT.02", "unit_code": "01", "period": "2026-Q3", "value": 9}
    )
    answer = post(web, tokens, "r-btc", body=body)
    assert answer.status_code == 202, answer.get_json()


def test_bad_cells_are_refused_with_the_row_level_report(web, tokens, data_dir):
    body = rows(
        {**CPS_ROW, "value": 12},
        {**CPS_ROW, "period": "2026-08", "value": "1.552,5"},
        {**CPS_ROW, "period": "2026-13", "value": 3},
    )
    answer = post(web, tokens, body=body)
    assert answer.status_code == 422
    refused = answer.get_json()
    assert refused["code"] == "invalid_rows"
    assert {"row": 2, "column": "value", "value": "1.552,5"}.items() <= refused[
        "errors"
    ][0].items()
    assert refused["errors"][0]["expected"]
    assert {e["row"] for e in refused["errors"]} == {2, 3}
    assert set(refused["errors"][0]) == {"row", "column", "value", "expected"}
    assert stored(data_dir) == []
    assert "chưa lưu" in refused["message"]["vi"]


def test_a_refusal_speaks_vietnamese_when_asked(web, tokens, data_dir):
    answer = web.client().post(
        URL,
        json=rows({**CPS_ROW, "value": "x"}),
        headers=bearer(tokens, "r-22", **{"Accept-Language": "vi"}),
    )
    assert answer.status_code == 422
    assert answer.get_json()["error"].startswith("Tệp có 1 dòng")


# -- malformed requests --


def test_a_file_over_the_size_limit_is_413(web, tokens, data_dir, monkeypatch):
    monkeypatch.setenv("CC_MAX_SUBMISSION_BYTES", "300")
    body = rows(
        *[{**CPS_ROW, "period": f"2026-{m:02d}", "value": m} for m in range(1, 10)]
    )
    assert len(canonical_json(body)) > 300
    answer = post(web, tokens, body=body)
    assert answer.status_code == 413 and answer.get_json()["code"] == "too_large"
    # a body over the request's limit is not even read
    huge = b'{"rows": [' + b" " * (1024 * 1024 + 400) + b"]}"
    answer = post(web, tokens, data=huge, content_type="application/json")
    assert answer.status_code == 413 and answer.get_json()["code"] == "too_large"
    assert stored(data_dir) == []


@pytest.mark.parametrize(
    "kw, status, code",
    [
        ({"data": "{not json", "content_type": "application/json"}, 400, "bad_json"),
        ({"data": b"\xff\xfe", "content_type": "application/json"}, 400, "bad_json"),
        ({"json": [CPS_ROW]}, 400, "bad_json"),
        ({"json": {"reporter": "UBND-22"}}, 400, "bad_json"),
        ({"json": {"rows": {"a": 1}}}, 400, "bad_json"),
        ({"json": {"rows": [], "extra": 1}}, 400, "bad_json"),
        ({"json": {"rows": [], "reporter": 22}}, 400, "bad_json"),
        (
            {"json": {"rows": [CPS_ROW], "signature": "not base64!"}},
            400,
            "bad_signature_encoding",
        ),
        ({"json": {"rows": []}}, 422, "invalid_rows"),  # at least one data row
        ({"data": "a,b", "content_type": "text/csv"}, 415, "unsupported_media_type"),
        ({"data": "x"}, 415, "unsupported_media_type"),
        (
            {"data": {"other": "x"}, "content_type": "multipart/form-data"},
            400,
            "bad_form",
        ),
        ({"data": {}, "content_type": "multipart/form-data"}, 400, "bad_form"),
    ],
)
def test_a_malformed_request_is_a_clear_4xx(web, tokens, data_dir, kw, status, code):
    answer = post(web, tokens, **kw)
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.get_json()["code"] == code
    assert answer.get_json()["error"]
    assert stored(data_dir) == []


def test_a_file_of_another_type_or_a_lying_name_is_415(web, tokens, data_dir):
    for name, content in (
        ("report.pdf", b"%PDF-1.7 ..."),
        ("report.xlsx", b"indicator_code,unit_code\n"),
        ("report.csv", b"PK\x03\x04 a zip"),
        ("report", b"\x00\x01\x02\x03\x89\xff\xfe\x00" * 20),
    ):
        answer = post(
            web,
            tokens,
            data={"file": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )
        assert answer.status_code == 415, (name, answer.get_json())
    assert stored(data_dir) == []


@pytest.mark.parametrize("key", ["x" * 201, "clé", "tab\there", " leading", ""])
def test_a_bad_idempotency_key_is_400(web, tokens, data_dir, key):
    answer = post(web, tokens, body=rows({**CPS_ROW, "value": 1}), key=key)
    assert answer.status_code == 400 and answer.get_json()["code"] == "bad_key"
    assert stored(data_dir) == []


def test_a_long_printable_key_is_fine(web, tokens, data_dir):
    answer = post(web, tokens, body=rows({**CPS_ROW, "value": 1}), key="k " + "x" * 198)
    assert answer.status_code == 202


@pytest.mark.parametrize(
    "query, status",
    [
        ("?since=2026-13-01", 400),
        ("?since=yesterday", 400),
        ("?since=2020-01-01&since=2020-01-02", 400),
        ("?other=1", 400),
        ("?limit=0", 400),
        ("?since=2020-01-01", 200),
        ("?since=2020-01-01T08:00:00Z", 200),
        ("?since=2020-01-01T15:00:00%2B07:00", 200),
    ],
)
def test_the_list_checks_its_parameters(web, tokens, data_dir, query, status):
    answer = web.client().get(URL + query, headers=bearer(tokens, "r-22"))
    assert answer.status_code == status, answer.get_json()
    assert answer.is_json


def test_the_list_is_the_agencys_own_since_a_time(web, tokens, data_dir):
    mine = post(web, tokens, "r-22", body=rows({**CPS_ROW, "value": 1})).get_json()
    ours = post(web, tokens, "r-22b", body=rows({**CPS_ROW, "value": 2})).get_json()
    other = post(
        web,
        tokens,
        "r-01",
        body=rows({**CPS_ROW, "unit_code": "01", "value": 3}),
    ).get_json()
    listed = web.client().get(URL, headers=bearer(tokens, "r-22")).get_json()
    assert {s["id"] for s in listed["submissions"]} == {mine["id"], ours["id"]}
    assert other["id"] not in json.dumps(listed)
    later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    empty = (
        web.client()
        .get(f"{URL}?since={later}", headers=bearer(tokens, "r-22"))
        .get_json()
    )
    assert empty["count"] == 0


# -- who may --


def test_another_agencys_submission_is_not_found(web, tokens, data_dir):
    item = post(web, tokens, body=rows({**CPS_ROW, "value": 1})).get_json()
    for path in (f"{URL}/{item['id']}", f"{URL}/{item['id']}/receipt"):
        other = web.client().get(path, headers=bearer(tokens, "r-01"))
        assert other.status_code == 404 and other.get_json()["code"] == "not_found"
        unknown = web.client().get(
            path.replace(item["id"], "20260101000000-000000000000"),
            headers=bearer(tokens, "r-01"),
        )
        assert unknown.status_code == 404
        assert (
            unknown.get_json()["error"].replace(
                "20260101000000-000000000000", item["id"]
            )
            == other.get_json()["error"]
        )  # nothing tells the two apart
        same_agency = web.client().get(path, headers=bearer(tokens, "r-22b"))
        assert same_agency.status_code == 200


@pytest.mark.parametrize("role", ["viewer", "data_operator", "national_leader"])
def test_a_role_without_submit_is_refused(web, tokens, data_dir, role):
    headers = {"Authorization": f"Bearer {web.tokens[role]}"}
    answer = web.client().post(URL, json=rows({**CPS_ROW, "value": 1}), headers=headers)
    assert answer.status_code == 403 and answer.get_json()["code"] == "not_permitted"
    assert web.client().get(URL, headers=headers).status_code == 403
    assert stored(data_dir) == []


def test_without_an_identity_the_api_answers_401(web, data_dir):
    answer = web.client().post(URL, json=rows({**CPS_ROW, "value": 1}))
    assert answer.status_code == 401 and "Bearer" in answer.headers["WWW-Authenticate"]
    assert web.client().get(URL).status_code == 401
    bad = web.client().get(URL, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert stored(data_dir) == []


def test_a_browser_sessions_post_needs_its_csrf_token(web, tokens, data_dir):
    client, response = web.login(name="u-r22")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/submit")  # the role's home
    body = rows({**CPS_ROW, "value": 1})
    refused = client.post(URL, json=body)
    assert refused.status_code == 403 and refused.get_json()["code"] == "csrf"
    wrong = client.post(URL, json=body, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    with client.session_transaction() as session:
        csrf = session["csrf"]
    ok = client.post(URL, json=body, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 202, ok.get_json()
    assert ok.get_json()["channel"] == "api"
    cross = client.post(
        URL,
        json=body,
        headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    assert client.get(URL).get_json()["count"] == 1  # reads need no token


def test_submissions_over_the_rate_limit_are_429_with_retry_after(
    web, tokens, data_dir, monkeypatch
):
    monkeypatch.setenv("CC_SUBMIT_RATE_PER_MINUTE", "2")
    minute = 29_000_000 * 60
    monkeypatch.setattr(intake_api, "_now", lambda: minute + 45.5)
    body = rows({**CPS_ROW, "value": 1})
    assert post(web, tokens, "r-rate", body=body).status_code == 202
    assert post(web, tokens, "r-rate", data="x").status_code == 415  # counted too
    limited = post(web, tokens, "r-rate", body=body)
    assert limited.status_code == 429 and limited.get_json()["code"] == "rate_limited"
    assert limited.headers["Retry-After"] == "15"
    # the limit is the principal's; reads are not limited
    assert post(web, tokens, "r-22", body=body).status_code == 202
    assert web.client().get(URL, headers=bearer(tokens, "r-rate")).status_code == 200
    monkeypatch.setattr(intake_api, "_now", lambda: minute + 61)  # the next minute
    assert post(web, tokens, "r-rate", body=body).status_code == 202
    assert len(stored(data_dir)) == 3


# -- the audit log --


def _submit_events(web, actor):
    return [
        e
        for e in audit.read_events(action="submit", limit=None, root=web.root)
        if e["actor"] == actor
    ]


def test_every_submission_and_refusal_is_in_the_audit_log(web, tokens, data_dir):
    good = post(web, tokens, "r-audit", body=rows({**CPS_ROW, "value": 1}), key="a-1")
    post(web, tokens, "r-audit", body=rows({**CPS_ROW, "value": 1}), key="a-1")
    post(web, tokens, "r-audit", body=rows({**CPS_ROW, "unit_code": "01", "value": 1}))
    post(web, tokens, "r-audit", body=rows({**CPS_ROW, "value": "n/a"}))
    post(web, tokens, "r-audit", data="{", content_type="application/json")
    events = _submit_events(web, "token:tok-r-audit")
    by_outcome = {}
    for e in events:
        by_outcome.setdefault(e["outcome"], []).append(json.loads(e["detail"]))
    item = good.get_json()
    (queued,) = by_outcome["queued"]
    assert queued["id"] == item["id"] and queued["sha256"] == item["sha256"]
    assert queued["channel"] == "api" and queued["agency"] == "UBND-22"
    assert [d["id"] for d in by_outcome["duplicate"]] == [item["id"]]
    (reach,) = by_outcome["refused"]
    assert reach["code"] == "out_of_reach" and reach["status"] == 403
    assert sorted(d["code"] for d in by_outcome["invalid"]) == [
        "bad_json",
        "invalid_rows",
    ]
    assert all(e["role"] == "reporter" for e in events)
    # a role without submit: refused, and recorded as such
    before = len(_submit_events(web, "token:tok-t-viewer"))
    web.client().post(
        URL,
        json=rows({**CPS_ROW, "value": 1}),
        headers={"Authorization": f"Bearer {web.tokens['viewer']}"},
    )
    denied = _submit_events(web, "token:tok-t-viewer")
    assert len(denied) == before + 1 and denied[0]["outcome"] == "refused"
    assert json.loads(denied[0]["detail"])["code"] == "not_permitted"


# -- signatures (tests/signing.py: a throw-away CA in the data directory) --


@pytest.fixture
def signing(web, data_dir):
    """A trusted CA in the data directory's trust store; a certificate of
    UBND-22 registered to it, one of UBND-01 registered to UBND-01, one expired."""
    ca = make_ca(data_dir)
    now = datetime.now(UTC)
    made = {}
    for label, agency, not_after in (
        ("good", "UBND-22", None),
        ("other", "UBND-01", None),
        ("expired", "UBND-22", now - timedelta(days=1)),
    ):
        cert, key = ca.issue(
            f"Người ký {label}",
            agency=agency,
            not_before=now - timedelta(days=60),
            not_after=not_after,
        )
        certs.add(pem(cert), agency, by="pytest", root=web.root)
        made[label] = (cert, key)
    return made


def _signed_upload(web, tokens, content: bytes, signature: bytes | None, name="r-22"):
    data = {"file": (io.BytesIO(content), "bc.csv")}
    if signature is not None:
        data["signature"] = (io.BytesIO(signature), "bc.csv.p7s")
    return post(web, tokens, name, data=data, content_type="multipart/form-data")


def _ns_csv(submissions, value="29915"):
    return submissions.csv("ns.csv", [{**NS_ROW, "value": value}]).read_bytes()


def test_a_regime_that_requires_a_signature_refuses_an_unsigned_report(
    web, tokens, data_dir, signing, submissions
):
    answer = _signed_upload(web, tokens, _ns_csv(submissions), None)
    assert answer.status_code == 422
    refused = answer.get_json()
    assert refused["code"] == "signature_required"
    assert "NSNN_M" in refused["message"]["vi"] and "chữ ký" in refused["message"]["vi"]
    assert stored(data_dir) == []


def test_a_valid_signature_is_kept_with_its_signer(
    web, tokens, data_dir, signing, submissions
):
    content = _ns_csv(submissions)
    cert, key = signing["good"]
    signature = sign_detached(content, cert, key)
    answer = _signed_upload(web, tokens, content, signature)
    assert answer.status_code == 202, answer.get_json()
    signer = answer.get_json()["signer"]
    assert "Người ký good" in signer["subject"]
    assert signer["serial"] == format(cert.serial_number, "x")
    (item,) = stored(data_dir)
    assert item.signer == signer
    p7s = Inbox(data_dir).file_of(item).with_name(f"{item.id}.csv.p7s")
    assert p7s.read_bytes() == signature  # kept beside the file for the loader


def test_a_json_body_carries_its_signature_in_base64(web, tokens, data_dir, signing):
    document = rows({**NS_ROW, "value": 29915})
    cert, key = signing["good"]
    signature = sign_detached(canonical_json(document), cert, key)
    body = {**document, "signature": base64.b64encode(signature).decode()}
    answer = post(web, tokens, body=body)
    assert answer.status_code == 202, answer.get_json()
    assert answer.get_json()["signer"]["subject"]
    # the signature over other bytes (the body as sent, with spaces) fails
    loose = json.dumps(document, indent=1).encode()
    body = {
        **document,
        "signature": base64.b64encode(sign_detached(loose, cert, key)).decode(),
    }
    assert post(web, tokens, body=body).get_json()["code"] == "signature_digest"


@pytest.mark.parametrize(
    "case, code",
    [
        ("other content", "signature_digest"),
        ("wrong agency", "signature_wrong_agency"),
        ("expired", "signature_expired"),
        ("garbage", "signature_malformed"),
    ],
)
def test_a_bad_signature_is_refused_with_the_reason_in_words(
    web, tokens, data_dir, signing, submissions, case, code
):
    content = _ns_csv(submissions)
    if case == "other content":
        cert, key = signing["good"]
        signature = sign_detached(content + b"\n", cert, key)
    elif case == "wrong agency":
        cert, key = signing["other"]
        signature = sign_detached(content, cert, key)
    elif case == "expired":
        cert, key = signing["expired"]
        signature = sign_detached(content, cert, key)
    else:
        signature = b"not a signature at all"
    answer = _signed_upload(web, tokens, content, signature)
    assert answer.status_code == 422, answer.get_json()
    refused = answer.get_json()
    assert refused["code"] == code
    assert refused["message"]["vi"].startswith("Chữ ký số không hợp lệ: ")
    assert len(refused["message"]["en"]) > len("the digital signature is not valid: ")
    assert stored(data_dir) == []


def test_a_signature_is_checked_even_where_none_is_required(
    web, tokens, data_dir, signing, submissions
):
    content = submissions.csv("cps.csv", [{**CPS_ROW, "value": "4"}]).read_bytes()
    cert, key = signing["other"]
    answer = _signed_upload(web, tokens, content, sign_detached(content, cert, key))
    assert answer.get_json()["code"] == "signature_wrong_agency"
    assert _signed_upload(web, tokens, content, None).status_code == 202
