"""data.web: one snapshot per request, and the page callbacks' answers cached
per snapshot and per caller's reach (a stand-in for Dash's update endpoint
counts the renderings; a stand-in for auth.gate sets the caller's scope from
an X-As header)."""

from __future__ import annotations

import gzip
import json
import time

import pytest
from flask import Flask, jsonify, request

from core.context import INTERNAL_SCOPE, current_scope, set_request_scope
from core.scope import NO_ACCESS, make_scope
from data.cache import cache
from data.db import current_pin
from data.web import (
    cache_page_responses,
    dont_cache_response,
    one_snapshot_per_request,
    page_payloads,
    warm,
    warm_after_refresh,
)
from tests.conftest import ETL_SEED_ROWS

CALLERS = {
    "viewer": make_scope("viewer", "user:a"),
    "another viewer": make_scope("viewer", "user:b"),
    "leader": make_scope("national_leader", "user:c"),
    "province 22": make_scope("province_analyst", "user:d", province="22"),
    "province 01": make_scope("province_analyst", "user:e", province="01"),
    "nobody": NO_ACCESS,
}


@pytest.fixture
def server(seeded_warehouse):
    app = Flask(__name__)
    app.config.update(CACHE_TYPE="SimpleCache", CACHE_DEFAULT_TIMEOUT=60)
    cache.init_app(app)
    app.hits = []

    @app.before_request
    def gate():  # as auth.gate: the in-process scope, else the caller's
        internal = request.environ.get(INTERNAL_SCOPE)
        set_request_scope(internal or CALLERS[request.headers.get("X-As", "viewer")])

    one_snapshot_per_request(app)
    cache_page_responses(app, on_hit=app.hits.append)
    app.renders = 0

    @app.post("/_dash-update-component")
    def update():
        app.renders += 1
        if "refused" in json.dumps(request.json):
            dont_cache_response()  # as auth.pages for 'not permitted'
        return jsonify(
            {
                "response": {
                    "snapshot": current_pin(),
                    "n": app.renders,
                    "as": current_scope().principal,
                }
            }
        )

    @app.get("/pin")
    def pin():
        return jsonify({"snapshot": current_pin()})

    @app.get("/_dash-dependencies")
    def dependencies():
        return jsonify(
            [
                {
                    "output": "..._pages_content.children..._pages_store.data...",
                    "inputs": [
                        {"id": "_pages_location", "property": "pathname"},
                        {"id": "_pages_location", "property": "search"},
                    ],
                    "state": [],
                },
                {
                    "output": "...navbar.children...footer.children...",
                    "inputs": [
                        {"id": "url", "property": "pathname"},
                        {"id": "url", "property": "search"},
                    ],
                    "state": [],
                },
            ]
        )

    return app


def page(path: str, output: str = "..._pages_content.children..._pages_store.data..."):
    return {
        "output": output,
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": "?lang=en"},
        ],
    }


def test_every_request_reads_the_snapshot_current_when_it_started(
    server, seeded_warehouse
):
    assert server.test_client().get("/pin").json == {
        "snapshot": seeded_warehouse.current_id()
    }


def test_a_page_asked_again_in_the_same_snapshot_is_not_rendered_again(server):
    client = server.test_client()
    first = client.post("/_dash-update-component", json=page("/province/22"))
    again = client.post(
        "/_dash-update-component",
        json=page("/province/22"),
        headers={"Accept-Encoding": "gzip"},
    )
    plain = client.post("/_dash-update-component", json=page("/province/22"))
    assert server.renders == 1
    assert again.headers["X-CC-Cache"] == "hit"
    assert again.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(again.data)) == first.json == plain.json
    assert [h["inputs"][0]["value"] for h in server.hits] == ["/province/22"] * 2
    client.post("/_dash-update-component", json=page("/province/01"))
    assert server.renders == 2  # another URL is another answer


def _as(client, caller: str, path: str = "/province/22"):
    return client.post(
        "/_dash-update-component", json=page(path), headers={"X-As": caller}
    )


def test_callers_share_an_answer_only_when_they_may_see_the_same(server):
    client = server.test_client()
    first = _as(client, "viewer")
    assert _as(client, "another viewer").headers.get("X-CC-Cache") == "hit"
    assert server.renders == 1  # same role and scope: the same view
    for n, caller in enumerate(["leader", "province 22", "province 01"], start=2):
        answer = _as(client, caller)
        assert "X-CC-Cache" not in answer.headers
        assert answer.json["response"]["as"] == CALLERS[caller].principal
        assert server.renders == n
    assert _as(client, "province 22").headers.get("X-CC-Cache") == "hit"
    assert _as(client, "province 22").json != first.json


def test_a_request_without_a_scope_is_never_cached(server):
    client = server.test_client()
    for _ in range(2):
        assert "X-CC-Cache" not in _as(client, "nobody").headers
    assert server.renders == 2
    assert server.hits == []


def test_a_refused_view_is_never_stored(server):
    client = server.test_client()
    for _ in range(2):
        assert "X-CC-Cache" not in _as(client, "viewer", "/province/refused").headers
    assert server.renders == 2


def test_a_new_snapshot_or_a_new_rejected_file_is_never_answered_from_the_cache(
    server, seeded_warehouse, submissions
):
    client = server.test_client()
    old = client.post("/_dash-update-component", json=page("/")).json
    rejected = seeded_warehouse.load(
        submissions.csv("bad.csv", [dict(ETL_SEED_ROWS[0], value="n/a")])
    )
    assert not rejected.published and seeded_warehouse.rejected_files()
    after_reject = client.post("/_dash-update-component", json=page("/")).json
    assert after_reject["response"]["n"] == 2  # the data-status list may change
    fixed = seeded_warehouse.load(
        submissions.csv("fix.csv", [dict(ETL_SEED_ROWS[0], value="30000")])
    )
    time.sleep(0.6)  # the data layer looks at CURRENT every half second
    new = client.post("/_dash-update-component", json=page("/")).json
    assert new["response"] == {"snapshot": fixed.snapshot_id, "n": 3, "as": "user:a"}
    assert old["response"]["snapshot"] != fixed.snapshot_id


@pytest.mark.parametrize("path", ["/wall", "/present", "/no-such-page"])
def test_wall_presenter_and_unknown_pages_are_always_rendered(server, path):
    client = server.test_client()
    for _ in range(2):
        client.post("/_dash-update-component", json=page(path))
    assert server.renders == 2


def test_other_callbacks_are_always_run(server):
    client = server.test_client()
    for _ in range(2):
        client.post("/_dash-update-component", json=page("/", output="url.href@abc"))
    assert server.renders == 2


def test_warming_renders_the_views_a_browser_would_ask_for(server):
    assert warm(server, ["/", "/sectors?lang=en"], CALLERS["another viewer"]) == 4
    assert server.renders == 4
    client = server.test_client()
    deps = client.get("/_dash-dependencies").json
    for body in page_payloads(deps, "/sectors?lang=en"):
        assert (
            client.post("/_dash-update-component", json=body).headers["X-CC-Cache"]
            == "hit"
        )
    assert server.renders == 4
    body = page_payloads(deps, "/")[0]
    other = client.post(
        "/_dash-update-component", json=body, headers={"X-As": "province 22"}
    )
    assert "X-CC-Cache" not in other.headers  # warmed for the viewers only
    assert server.renders == 5


def test_a_new_snapshot_is_warmed_once(server, seeded_warehouse, submissions):
    stop = warm_after_refresh(server, ["/"], CALLERS["viewer"], every=0.05)
    try:
        _warmed_twice(server, seeded_warehouse, submissions)
    finally:
        stop.set()


def _warmed_twice(server, seeded_warehouse, submissions) -> None:
    deadline = time.monotonic() + 10
    while server.renders < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.renders == 2  # the current snapshot, content and chrome
    fixed = seeded_warehouse.load(
        submissions.csv("fix.csv", [dict(ETL_SEED_ROWS[0], value="30000")])
    )
    deadline = time.monotonic() + 10
    while server.renders < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    assert server.renders == 4
    body = page_payloads(server.test_client().get("/_dash-dependencies").json, "/")[0]
    hit = server.test_client().post("/_dash-update-component", json=body)
    assert hit.headers["X-CC-Cache"] == "hit"
    assert hit.json["response"]["snapshot"] == fixed.snapshot_id
