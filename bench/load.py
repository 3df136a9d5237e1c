"""Throughput under concurrent viewers: 100 simulated viewers refreshing views
against gunicorn (4 workers, shared Redis cache) on 127.0.0.1.

A viewer refreshes a view (its page-content and chrome callbacks, as the
browser does on a refresh), waits 0.5-2 s (think time), and again, for
DURATION seconds. Baseline: the same viewers fetching a small static asset
(the floor of the serving stack: gunicorn, HTTP, the load generator itself,
all on the same 2 CPUs).
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import requests

from bench.common import Figure, median, pct, say
from bench.server import gunicorn, redis_server
from bench.views import PAGES, page_requests

VIEWERS = 100
DURATION = 60.0
THINK = (0.5, 2.0)


def _viewers(served, plan, seconds: float) -> dict:
    url = served.url
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def viewer(seed: int) -> None:
        rng = random.Random(seed)
        session = served.session()
        session.headers["Accept-Encoding"] = "gzip"
        time.sleep(rng.uniform(0, THINK[1]))
        while time.monotonic() < stop:
            for r in rng.choice(plan):
                start = time.perf_counter()
                try:
                    resp = session.request(
                        r.method,
                        url + r.path,
                        data=r.body,
                        headers={"Content-Type": "application/json"},
                        timeout=30,
                    )
                    ok = resp.status_code == 200
                    _ = resp.content
                except requests.RequestException as exc:
                    ok, resp = False, exc
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(f"{r.name}: {resp}")
            time.sleep(rng.uniform(*THINK))

    threads = [
        threading.Thread(target=viewer, args=(i,), daemon=True) for i in range(VIEWERS)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    wall = time.monotonic() - started
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "p50_ms": median(latencies) * 1e3,
        "p95_ms": pct(latencies, 95) * 1e3,
        "max_ms": max(latencies) * 1e3 if latencies else 0,
        "rps": len(latencies) / wall,
    }


def run(data_dir: Path, duration: float = DURATION) -> list[Figure]:
    from bench.views import Request

    with redis_server() as redis_url, gunicorn(data_dir, 4, 4, redis_url) as served:
        url, session = served.url, served.session()
        deps = session.get(url + "/_dash-dependencies", timeout=30)
        deps.raise_for_status()
        deps = deps.json()
        plan = [
            page_requests(deps, name, path.replace("{commune}", "22"))
            for name, path in PAGES.items()
        ]
        for reqs in plan:  # every view once: the cache of this snapshot is warm
            for r in reqs:
                session.request(
                    r.method,
                    url + r.path,
                    data=r.body,
                    timeout=120,
                    headers={"Content-Type": "application/json"},
                ).raise_for_status()
        asset = [[Request("asset", "GET", "/assets/overview.css")]]
        say(f"load: {VIEWERS} viewers, {duration:.0f}s each run ...")
        floor = _viewers(served, asset, duration / 2)
        views = _viewers(served, plan, duration)
    say(f"  views {views}\n  floor {floor}")
    return [
        Figure(
            f"{VIEWERS} viewers refreshing views: p95 latency",
            views["p95_ms"],
            "ms",
            floor["p95_ms"],
            "same viewers, a static asset",
            "≤ 200 ms, no errors",
            views["p95_ms"] <= 200 and views["errors"] == 0,
            extra=views
            | {"floor": floor, "think_s": THINK, "workers": 4, "threads": 4},
        ),
        Figure(
            f"{VIEWERS} viewers: requests per second",
            views["rps"],
            "req/s",
            floor["rps"],
            "static asset",
            "-",
            None,
        ),
        Figure(
            f"{VIEWERS} viewers: failed requests",
            views["errors"],
            "",
            floor["errors"],
            "static asset",
            "0",
            views["errors"] == 0,
        ),
    ]
