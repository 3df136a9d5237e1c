"""Refresh under load: the ETL publishes while viewers keep asking.

The real app runs under gunicorn (2 workers, threads, the shared Redis cache)
on 127.0.0.1 over a copy of a small demo warehouse. Viewer threads ask for the
JSON API, the Dash layout and the overview's callbacks while `python -m etl
load` publishes new snapshots (soak), or is killed at random points (fault).
Everything is bounded in time and runs on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
import requests

from bench.server import gunicorn
from data.store import read_current
from data.web import page_payloads

ROOT = Path(__file__).resolve().parents[2]
DEMO_UNTIL = "2019-06"  # half a year of demo data: quick to build and to refresh
PROBE = ("NS.01", "22", "2019-03")  # the figure every publication changes
OBSERVATIONS = (
    f"/api/v1/observations?indicator={PROBE[0]}&unit={PROBE[1]}"
    f"&from={PROBE[2]}&to={PROBE[2]}"
)
PROGRESS = f"/api/v1/progress?indicator={PROBE[0]}&unit={PROBE[1]}&period={PROBE[2]}"
PUBLICATIONS = 10
KILLS = 20
VIEWERS = 6


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    from etl.demo import run_demo

    root = tmp_path_factory.mktemp("refresh") / "template"
    run_demo(root, seed=7, until=DEMO_UNTIL)
    assert read_current(root) is not None
    return root


@dataclass
class LiveApp:
    url: str
    data_dir: Path
    headers: dict[str, str]  # the viewers' device token (auth/)

    def get(self, path: str, **kw) -> requests.Response:
        return requests.get(self.url + path, timeout=20, headers=self.headers, **kw)

    def session(self) -> requests.Session:
        session = requests.Session()
        session.headers.update(self.headers)
        return session


@pytest.fixture
def live_app(demo_template, tmp_path, redis_url):
    """The demo warehouse copied, served by gunicorn as in production (two
    workers, threads, the shared Redis cache); a busy machine starts it slowly."""
    data_dir = tmp_path / "warehouse"
    shutil.copytree(demo_template, data_dir, ignore=shutil.ignore_patterns("demo"))
    with gunicorn(
        data_dir, workers=2, threads=4, redis_url=redis_url, start_timeout=180
    ) as served:
        yield LiveApp(served.url, data_dir, served.headers)


def etl(data_dir: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "etl", *args, "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=os.environ | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@dataclass
class Viewers:
    """Bounded viewer threads asking for views until told to stop."""

    app: LiveApp
    seen: list[tuple[str, str, float | None]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, n: int) -> list[threading.Thread]:
        deps = self.app.get("/_dash-dependencies").json()
        overview, chrome = page_payloads(deps, "/")
        threads = [
            threading.Thread(target=self._run, args=(i, overview, chrome), daemon=True)
            for i in range(n)
        ]
        for t in threads:
            t.start()
        return threads

    def _run(self, seed: int, overview: dict, chrome: dict) -> None:
        rng = random.Random(seed)
        session = self.app.session()
        deadline = time.monotonic() + 600  # a hard bound, whatever happens
        while not self.stop.is_set() and time.monotonic() < deadline:
            kind = rng.choice(
                ["observations", "progress", "layout", "overview", "chrome"]
            )
            try:
                if kind == "observations":
                    r = session.get(self.app.url + OBSERVATIONS, timeout=20)
                    body = r.json()
                    value = body["observations"][0]["value"] if body["count"] else None
                    self._note(kind, r, body["snapshot_id"], value)
                elif kind == "progress":
                    r = session.get(self.app.url + PROGRESS, timeout=20)
                    body = r.json()
                    self._note(kind, r, body["snapshot_id"], body["actual"])
                elif kind == "layout":
                    self._note(
                        kind, session.get(self.app.url + "/_dash-layout", timeout=20)
                    )
                else:
                    r = session.post(
                        self.app.url + "/_dash-update-component",
                        timeout=20,
                        json=overview if kind == "overview" else chrome,
                    )
                    self._note(kind, r)
                    if r.status_code == 200 and "response" not in r.json():
                        self._fail(f"{kind}: no callback response")
            except Exception as exc:  # a refused or broken answer is a failure
                self._fail(f"{kind}: {type(exc).__name__}: {exc}")

    def _note(self, kind, response, snapshot_id=None, value=None) -> None:
        with self.lock:
            self.requests += 1
            if response.status_code != 200:
                self.failures.append(f"{kind}: HTTP {response.status_code}")
            elif snapshot_id is not None:
                self.seen.append((kind, snapshot_id, value))

    def _fail(self, message: str) -> None:
        with self.lock:
            self.requests += 1
            self.failures.append(message)


def probe(app: LiveApp) -> tuple[str, float]:
    body = app.get(OBSERVATIONS).json()
    return body["snapshot_id"], body["observations"][0]["value"]


def test_production_server_refuses_strangers_and_names_no_server(live_app):
    stranger = requests.get(live_app.url + "/api/v1/catalog", timeout=20)
    assert stranger.status_code == 401
    signed = live_app.get("/api/v1/catalog")
    assert signed.status_code == 200
    for response in (stranger, signed):  # gunicorn.conf.py: no banner, no version
        assert "gunicorn" not in response.headers.get("Server", "").lower()


def test_viewers_see_every_refresh_and_never_a_failure(live_app):
    first_id, first_value = probe(live_app)
    expected = {first_id: first_value}
    viewers = Viewers(live_app)
    threads = viewers.start(VIEWERS)
    delays = []
    try:
        for i in range(PUBLICATIONS):
            value = 50_000.0 + i
            path = live_app.data_dir.parent / f"fix-{i}.csv"
            path.write_text(
                "indicator_code,unit_code,period,value\n"
                f"{PROBE[0]},{PROBE[1]},{PROBE[2]},{value:.0f}\n"
            )
            # prune as soon as allowed, while viewers read: keep two besides current
            run = etl(
                live_app.data_dir,
                "load",
                str(path),
                "--operator",
                "soak",
                CC_PRUNE_GRACE_SECONDS="0",
                CC_KEEP_SNAPSHOTS="2",
            )
            out, _ = run.communicate(timeout=180)
            assert run.returncode == 0, out
            snapshot_id = re.search(r"published snapshot (\S+)", out).group(1)
            expected[snapshot_id] = value
            published = time.monotonic()
            while probe(live_app)[0] != snapshot_id:
                assert time.monotonic() - published < 10, "new data not visible in 10 s"
                time.sleep(0.05)
            delays.append(time.monotonic() - published)
    finally:
        viewers.stop.set()
        for t in threads:
            t.join(timeout=60)
    assert viewers.failures == []
    assert viewers.requests >= 100
    wrong = [
        (kind, sid, value)
        for kind, sid, value in viewers.seen
        if expected.get(sid, "unknown") != value
    ]
    assert wrong == []  # every answer is one published snapshot's, consistent with it
    assert {sid for _, sid, _ in viewers.seen} & set(list(expected)[1:])
    assert max(delays) < 5, delays  # visible everywhere within seconds


def _nudged_file(data_dir: Path, path: Path, step: float) -> int:
    """Every current actual figure of the provinces, moved by `step` (kept in
    the catalog's range), of the last quarter: a moderately large submission
    (~25,000 rows)."""
    snap = read_current(data_dir)
    with duckdb.connect(str(snap.path), read_only=True) as con:
        con.execute(
            f"""COPY (
              SELECT o.indicator_code, o.unit_code, o.period,
                CASE WHEN (i.max_value IS NULL OR o.value + {step} <= i.max_value)
                     THEN o.value + {step} ELSE o.value END AS value
              FROM observations o JOIN indicators i ON i.code = o.indicator_code
              WHERE o.kind = 'actual' AND length(o.unit_code) = 2
                AND o.period >= '2019-04'
              ORDER BY ALL
            ) TO '{path}' (HEADER, DELIMITER ',')"""
        )
        return con.execute(f"SELECT count(*) FROM read_csv('{path}')").fetchone()[0]


def _usable(app: LiveApp, published: set[str]) -> str:
    """The app answers 200 from a published, complete snapshot; returns its id."""
    r = app.get(OBSERVATIONS)
    assert r.status_code == 200, r.text
    snapshot_id = r.json()["snapshot_id"]
    current = read_current(app.data_dir)
    assert current is not None and current.snapshot_id in published | {snapshot_id}
    with duckdb.connect(str(current.path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM m_progress").fetchone()[0] > 0
    return snapshot_id


def test_an_etl_run_killed_anywhere_never_leaves_the_app_without_a_snapshot(live_app):
    files = [live_app.data_dir.parent / f"nudge-{k}.csv" for k in (1, 2)]
    rows = [
        _nudged_file(live_app.data_dir, f, step)
        for f, step in zip(files, (1, 2), strict=True)
    ]
    assert min(rows) > 10_000
    published = {read_current(live_app.data_dir).snapshot_id}
    started = time.monotonic()
    run = etl(live_app.data_dir, "load", str(files[0]))  # how long a whole run takes
    out, _ = run.communicate(timeout=300)
    assert run.returncode == 0, out
    full = time.monotonic() - started
    published.add(read_current(live_app.data_dir).snapshot_id)
    rng = random.Random(20261122)
    deps = live_app.get("/_dash-dependencies").json()
    overview, _ = page_payloads(deps, "/")
    for i in range(KILLS):
        run = etl(live_app.data_dir, "load", str(files[(i + 1) % 2]))
        time.sleep(rng.uniform(0.05, full))
        run.send_signal(signal.SIGKILL)
        run.communicate(timeout=60)
        current = read_current(live_app.data_dir)
        published.add(current.snapshot_id)  # a run may have finished before its kill
        _usable(live_app, published)
        r = live_app.session().post(
            live_app.url + "/_dash-update-component", json=overview, timeout=30
        )
        assert r.status_code == 200
    run = etl(live_app.data_dir, "load", str(files[0]))
    out, _ = run.communicate(timeout=300)
    assert run.returncode == 0, out  # the next run clears what the killed ones left
    assert "published snapshot" in out or "no change" in out
    assert not any((live_app.data_dir / "tmp").iterdir())
    _usable(live_app, published | {read_current(live_app.data_dir).snapshot_id})
    assert json.loads((live_app.data_dir / "CURRENT").read_text())["snapshot_id"]
