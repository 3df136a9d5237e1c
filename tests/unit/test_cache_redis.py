"""The shared query cache in a real redis-server (CC_REDIS_URL).

A Flask app of its own (the Dash app may already be imported in this session
with another cache) is set up with settings.cache_config() and the data
layer's cache; the queries and the JSON API then store and hit through Redis,
under keys that carry the snapshot id.
"""

from __future__ import annotations

import time
import uuid

import pytest
import redis
from flask import Flask

import settings
from data import queries as q
from data.cache import cache
from data.web import one_snapshot_per_request
from tests.conftest import ETL_SEED_ROWS
from tests.unit.conftest import serve_as


@pytest.fixture
def redis_app(redis_url, seeded_warehouse, monkeypatch):
    monkeypatch.setenv("CC_REDIS_URL", redis_url)
    config = settings.cache_config()
    assert config["CACHE_TYPE"] == "RedisCache"
    prefix = f"cctest-{uuid.uuid4().hex[:8]}:"
    app = Flask(__name__)
    app.config.update(config, CACHE_KEY_PREFIX=prefix)
    cache.init_app(app)
    serve_as(app)
    one_snapshot_per_request(app)
    from api import api

    app.register_blueprint(api)
    client = redis.Redis.from_url(redis_url)
    yield app, client, prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def frames(monkeypatch) -> list[str]:
    """Names of the queries that reached DuckDB (cache misses)."""
    calls: list[str] = []
    real = q._frame

    def counting(name, **params):
        calls.append(name)
        return real(name, **params)

    monkeypatch.setattr(q, "_frame", counting)
    return calls


def test_queries_are_stored_in_redis_and_hit_from_it(
    redis_app, frames, seeded_warehouse
):
    app, client, prefix = redis_app
    snapshot = seeded_warehouse.current_id()
    with app.app_context():
        first = q.observations("NS.01", "22")
        assert frames == ["observations_range"]
        again = q.observations("NS.01", "22")
    assert frames == ["observations_range"]  # the second answer came from Redis
    assert again.equals(first)
    keys = [k.decode() for k in client.scan_iter(f"{prefix}*")]
    assert keys == [f"{prefix}q:{snapshot}:{keys[0].rsplit(':', 1)[1]}"]
    assert client.get(keys[0])  # a real value, stored in the server


def test_a_new_snapshot_is_never_answered_from_an_old_entry(
    redis_app, frames, seeded_warehouse, submissions
):
    app, client, prefix = redis_app
    old = seeded_warehouse.current_id()
    with app.app_context():
        assert q.observations("NS.01", "22", "2020-08", "2020-08")[
            "value"
        ].tolist() == [29915.0]
    changed = dict(ETL_SEED_ROWS[0], value="30000")
    result = seeded_warehouse.load(submissions.csv("fix.csv", [changed]))
    assert result.published
    time.sleep(0.6)  # the data layer looks at CURRENT every half second
    with app.app_context():
        assert q.observations("NS.01", "22", "2020-08", "2020-08")[
            "value"
        ].tolist() == [30000.0]
    assert frames == ["observations_range", "observations_range"]
    snapshots = {k.decode().split(":")[2] for k in client.scan_iter(f"{prefix}*")}
    assert snapshots == {old, result.snapshot_id}


def test_the_api_answers_through_redis_with_the_snapshot_it_read(
    redis_app, frames, seeded_warehouse
):
    app, client, prefix = redis_app
    web = app.test_client()
    url = "/api/v1/observations?indicator=NS.01&unit=22&from=2020-08&to=2020-08"
    first = web.get(url)
    second = web.get(url)
    assert first.status_code == second.status_code == 200
    assert first.json == second.json
    assert first.json["snapshot_id"] == seeded_warehouse.current_id()
    assert frames.count("observations_range") == 1
    assert any(client.scan_iter(f"{prefix}q:{seeded_warehouse.current_id()}:*"))
