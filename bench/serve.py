"""Server time of the main callbacks and API endpoints, cold and warm cache,
against the bare SQL of the same queries (in-process, Flask test client).

cold: the query and response caches cleared before each request (DuckDB's own
buffers stay warm, as on a running server after a new snapshot); warm: the
same request again. Baseline: the SQL the request ran, executed bare on a
DuckDB cursor (fetchall, no pandas, no rendering). Requests are made as a
viewer (every province; the scope check and the audit log are in the times).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.common import Figure, median, pct, say

COLD_RUNS = 5
WARM_RUNS = 20


def run(
    data_dir: Path, cache_type: str = "simple", redis_url: str | None = None
) -> list[Figure]:
    import tempfile

    os.environ["CC_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("CC_AUTH_DIR", tempfile.mkdtemp(prefix="cc-bench-auth-"))
    if redis_url:
        os.environ["CC_REDIS_URL"] = redis_url
    import duckdb

    import app
    from bench.views import all_requests
    from core.context import INTERNAL_SCOPE, grant_process_scope
    from core.scope import SYSTEM, make_scope
    from data import queries as q
    from data.cache import cache

    grant_process_scope(SYSTEM)  # the bench's own reads (latest month, a commune)
    viewer = {INTERNAL_SCOPE: make_scope("viewer", "bench")}
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies", environ_overrides=viewer).json
    with app.server.app_context():
        latest = q.snapshot_meta()["latest_month"]
        commune = _a_commune(data_dir)
    requests = all_requests(deps, latest, commune)
    snap = q.warehouse().snapshot()
    bare = duckdb.connect(str(snap.path), read_only=True)
    captured: list[tuple[str, dict]] = []
    real = q._frame

    def capture(name, **params):
        captured.append((name, params))
        return real(name, **params)

    def call(r):
        start = time.perf_counter()
        response = client.open(
            r.path,
            method=r.method,
            data=r.body,
            content_type="application/json",
            headers={"Accept-Encoding": "gzip"},
            environ_overrides=viewer,
        )
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"{r.name}: HTTP {response.status_code}")
        return elapsed

    figures, rows = [], []
    for r in requests:
        with app.server.app_context():
            cache.clear()
        captured.clear()
        q._frame = capture
        call(r)
        q._frame = real
        queries = list(captured)
        sqls = [(_bare_sql(bare, name, params), params) for name, params in queries]
        sql_times = []
        for _ in range(WARM_RUNS):
            start = time.perf_counter()
            for sql, params in sqls:
                bare.execute(sql, params).fetchall()
            sql_times.append(time.perf_counter() - start)
        cold = []
        for _ in range(COLD_RUNS):
            with app.server.app_context():
                cache.clear()
            cold.append(call(r))
        warm = [call(r) for _ in range(WARM_RUNS)]
        row = {
            "name": r.name,
            "queries": len(queries),
            "sql_p50_ms": median(sql_times) * 1e3,
            "sql_p95_ms": pct(sql_times, 95) * 1e3,
            "cold_p50_ms": median(cold) * 1e3,
            "cold_p95_ms": pct(cold, 95) * 1e3,
            "warm_p50_ms": median(warm) * 1e3,
            "warm_p95_ms": pct(warm, 95) * 1e3,
        }
        rows.append(row)
        say(
            f"{r.name:22s} sql {row['sql_p50_ms']:7.1f}  cold {row['cold_p50_ms']:7.1f}"
            f"/{row['cold_p95_ms']:7.1f}  warm {row['warm_p50_ms']:6.2f}"
            f"/{row['warm_p95_ms']:6.2f} ms"
        )
    label = "Redis" if redis_url else "local"
    for row in rows:
        figures.append(
            Figure(
                f"server {row['name']} cold p95 ({label} cache)",
                row["cold_p95_ms"],
                "ms",
                row["sql_p95_ms"],
                "bare SQL p95",
                "≤ 300 ms",
                row["cold_p95_ms"] <= 300,
                extra=row,
            )
        )
        figures.append(
            Figure(
                f"server {row['name']} warm p95 ({label} cache)",
                row["warm_p95_ms"],
                "ms",
                row["sql_p95_ms"],
                "bare SQL p95",
                "≤ 30 ms",
                row["warm_p95_ms"] <= 30,
                extra=row,
            )
        )
    worst_cold = max(rows, key=lambda x: x["cold_p95_ms"])
    worst_warm = max(rows, key=lambda x: x["warm_p95_ms"])
    figures.insert(
        0,
        Figure(
            f"server time, worst callback cold p95 "
            f"({worst_cold['name']}, {label} cache)",
            worst_cold["cold_p95_ms"],
            "ms",
            worst_cold["sql_p95_ms"],
            "its bare SQL p95",
            "≤ 300 ms",
            worst_cold["cold_p95_ms"] <= 300,
        ),
    )
    figures.insert(
        1,
        Figure(
            f"server time, worst callback warm p95 "
            f"({worst_warm['name']}, {label} cache)",
            worst_warm["warm_p95_ms"],
            "ms",
            worst_warm["sql_p95_ms"],
            "its bare SQL p95",
            "≤ 30 ms",
            worst_warm["warm_p95_ms"] <= 30,
        ),
    )
    bare.close()
    return figures


def _bare_sql(bare, name: str, params: dict) -> str:
    """The SQL the app ran for `name`: data/sql/compat/ on a snapshot built
    before a precomputed table existed (as data.queries._frame falls back)."""
    import duckdb

    from data import queries as q

    try:
        bare.execute(q._sql(name), params).fetchall()
        return q._sql(name)
    except duckdb.CatalogException:
        if not (q.SQL_DIR / "compat" / f"{name}.sql").is_file():
            raise
        return q._sql(f"compat/{name}")


def _a_commune(data_dir: Path) -> str:
    from data import queries as q

    frame = q.run("communes", province="22", geo="2025")
    return str(frame["unit_code"].iloc[0]) if len(frame) else "22"
