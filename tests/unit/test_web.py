"""data.web: one snapshot per request, and the page callbacks' answers cached
per snapshot (a stand-in for Dash's update endpoint counts the renderings)."""

from __future__ import annotations

import gzip
import json
import time

import pytest
from flask import Flask, jsonify

from data.cache import cache
from data.db import current_pin
from data.web import (
    cache_page_responses,
    one_snapshot_per_request,
    page_payloads,
    warm,
    warm_after_refresh,
)
from tests.conftest import ETL_SEED_ROWS


@pytest.fixture
def server(seeded_warehouse):
    app = Flask(__name__)
    app.config.update(CACHE_TYPE="SimpleCache", CACHE_DEFAULT_TIMEOUT=60)
    cache.init_app(app)
    one_snapshot_per_request(app)
    cache_page_responses(app)
    app.renders = 0

    @app.post("/_dash-update-component")
    def update():
        app.renders += 1
        return jsonify({"response": {"snapshot": current_pin(), "n": app.renders}})

    @app.get("/pin")
    def pin():
        return jsonify({"snapshot": current_pin()})

    @app.get("/_dash-dependencies")
    def dependencies():
        return jsonify([
            {"output": "..._pages_content.children..._pages_store.data...",
             "inputs": [{"id": "_pages_location", "property": "pathname"},
                        {"id": "_pages_location", "property": "search"}],
             "state": []},
            {"output": "...navbar.children...footer.children...",
             "inputs": [{"id": "url", "property": "pathname"},
                        {"id": "url", "property": "search"}], "state": []},
        ])

    return app


def page(path: str, output: str = "..._pages_content.children..._pages_store.data..."):
    return {"output": output, "inputs": [
        {"id": "_pages_location", "property": "pathname", "value": path},
        {"id": "_pages_location", "property": "search", "value": "?lang=en"}]}


def test_every_request_reads_the_snapshot_current_when_it_started(server,
                                                                 seeded_warehouse):
    assert server.test_client().get("/pin").json == {
        "snapshot": seeded_warehouse.current_id()}


def test_a_page_asked_again_in_the_same_snapshot_is_not_rendered_again(server):
    client = server.test_client()
    first = client.post("/_dash-update-component", json=page("/province/22"))
    again = client.post("/_dash-update-component", json=page("/province/22"),
                        headers={"Accept-Encoding": "gzip"})
    plain = client.post("/_dash-update-component", json=page("/province/22"))
    assert server.renders == 1
    assert again.headers["X-CC-Cache"] == "hit"
    assert again.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(again.data)) == first.json == plain.json
    client.post("/_dash-update-component", json=page("/province/01"))
    assert server.renders == 2  # another URL is another answer


def test_a_new_snapshot_or_a_new_rejected_file_is_never_answered_from_the_cache(
    server, seeded_warehouse, submissions
):
    client = server.test_client()
    old = client.post("/_dash-update-component", json=page("/")).json
    rejected = seeded_warehouse.load(submissions.csv("bad.csv", [
        dict(ETL_SEED_ROWS[0], value="n/a")]))
    assert not rejected.published and seeded_warehouse.rejected_files()
    after_reject = client.post("/_dash-update-component", json=page("/")).json
    assert after_reject["response"]["n"] == 2  # the data-status list may change
    fixed = seeded_warehouse.load(submissions.csv("fix.csv", [
        dict(ETL_SEED_ROWS[0], value="30000")]))
    time.sleep(0.6)  # the data layer looks at CURRENT every half second
    new = client.post("/_dash-update-component", json=page("/")).json
    assert new["response"] == {"snapshot": fixed.snapshot_id, "n": 3}
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
        client.post("/_dash-update-component",
                    json=page("/", output="url.href@abc"))
    assert server.renders == 2


def test_warming_renders_the_views_a_browser_would_ask_for(server):
    assert warm(server, ["/", "/sectors?lang=en"]) == 4
    assert server.renders == 4
    client = server.test_client()
    deps = client.get("/_dash-dependencies").json
    for body in page_payloads(deps, "/sectors?lang=en"):
        assert client.post("/_dash-update-component", json=body).headers[
            "X-CC-Cache"] == "hit"
    assert server.renders == 4


def test_a_new_snapshot_is_warmed_once(server, seeded_warehouse, submissions):
    stop = warm_after_refresh(server, ["/"], every=0.05)
    try:
        _warmed_twice(server, seeded_warehouse, submissions)
    finally:
        stop.set()


def _warmed_twice(server, seeded_warehouse, submissions) -> None:
    deadline = time.monotonic() + 10
    while server.renders < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.renders == 2  # the current snapshot, content and chrome
    fixed = seeded_warehouse.load(submissions.csv("fix.csv", [
        dict(ETL_SEED_ROWS[0], value="30000")]))
    deadline = time.monotonic() + 10
    while server.renders < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    assert server.renders == 4
    body = page_payloads(server.test_client().get("/_dash-dependencies").json, "/")[0]
    hit = server.test_client().post("/_dash-update-component", json=body)
    assert hit.headers["X-CC-Cache"] == "hit"
    assert hit.json["response"]["snapshot"] == fixed.snapshot_id
