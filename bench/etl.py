"""ETL throughput: a large CSV submission, validated and loaded, against
DuckDB's own read_csv of the same file into a table (the floor).

ingest = read + stage + every check + apply (the rows' own work); the load
also builds the modelled tables and publishes, which costs the same whatever
the file's size (it is reported apart). Each is timed into a fresh, empty
data directory; `refresh` loads one small correction into a copy of the
national warehouse (what staff wait for before viewers see new data).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bench.common import Figure, median, say

RUNS = 3


def largest_csv(data_dir: Path) -> Path:
    files = sorted(
        (data_dir / "demo" / "national").rglob("actuals-*.csv"),
        key=lambda p: p.stat().st_size,
    )
    if not files:
        raise SystemExit(f"no national-scale files under {data_dir}/demo/national")
    return files[-1]


def _floor(path: Path) -> float:
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


class _Phases:
    """Wall time of the load's phases, by wrapping the functions it calls."""

    NAMES = (
        "read_file",
        "_check",
        "keep_valid",
        "apply_batch",
        "rebuild_current",
        "build_models",
        "publish",
    )

    def __init__(self) -> None:
        import etl.publish
        import etl.run

        self.times: dict[str, float] = {}
        self.saved = []
        for name in self.NAMES:
            module = etl.publish if name == "publish" else etl.run
            fn = getattr(module, name)
            self.saved.append((module, name, fn))
            setattr(module, name, self._wrap(name, fn))

    def _wrap(self, name, fn):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.times[name] = (
                    self.times.get(name, 0.0) + time.perf_counter() - start
                )

        return timed

    def close(self) -> None:
        for module, name, fn in self.saved:
            setattr(module, name, fn)


def _load_once(path: Path) -> dict[str, float]:
    from etl.run import Submission, load_files

    root = Path(tempfile.mkdtemp(prefix="cc-bench-etl-"))
    phases = _Phases()
    try:
        start = time.perf_counter()
        result = load_files([Submission(path)], root, operator="bench")
        total = time.perf_counter() - start
        assert result.published and result.ok, [o.summary() for o in result.outcomes]
    finally:
        phases.close()
        shutil.rmtree(root, ignore_errors=True)
    t = phases.times
    ingest = sum(
        t.get(k, 0) for k in ("read_file", "_check", "keep_valid", "apply_batch")
    )
    return {"total": total, "ingest": ingest, **t}


def run(data_dir: Path, refresh: bool = True) -> list[Figure]:
    import duckdb

    from etl.run import Submission, validate_files

    path = largest_csv(data_dir)
    rows = duckdb.sql(f"SELECT count(*) FROM read_csv('{path}')").fetchall()[0][0]
    say(f"ETL: {path.name}, {rows:,} rows, {path.stat().st_size / 2**20:.0f} MiB")
    floors, validates, loads = [], [], []
    for _ in range(RUNS):  # interleaved, so that noise hits all alike
        floors.append(_floor(path))
        start = time.perf_counter()
        result = validate_files([Submission(path)])
        validates.append(time.perf_counter() - start)
        assert result.ok
        loads.append(_load_once(path))
        say(
            f"  floor {floors[-1]:.2f}s validate {validates[-1]:.2f}s "
            f"ingest {loads[-1]['ingest']:.2f}s load {loads[-1]['total']:.2f}s"
        )
    floor = median(floors)
    floor_rate = rows / floor
    ingest = median([x["ingest"] for x in loads])
    total = median([x["total"] for x in loads])
    phases = {k: round(median([x.get(k, 0) for x in loads]), 3) for k in _Phases.NAMES}
    validate = median(validates)
    figures = [
        Figure(
            "ETL ingest of a large CSV (read + all checks + apply)",
            ingest,
            "s",
            floor,
            "DuckDB read_csv of the file into a table",
            "≤ 3× the floor",
            ingest <= 3 * floor,
            extra={
                "file": path.name,
                "rows": rows,
                "rows_per_s": round(rows / ingest),
                "floor_rows_per_s": round(floor_rate),
                "phases_s": phases,
            },
        ),
        Figure(
            "ETL validate only (read + all checks)",
            validate,
            "s",
            floor,
            "DuckDB read_csv of the file into a table",
            "≤ 3× the floor",
            validate <= 3 * floor,
            extra={"rows_per_s": round(rows / validate)},
        ),
        Figure(
            "ETL load into an empty warehouse (+ models, publish)",
            total,
            "s",
            floor,
            "DuckDB read_csv of the file into a table",
            "-",
            None,
            extra={"rows_per_s": round(rows / total)},
        ),
    ]
    if refresh:
        figures.append(_refresh(data_dir))
    return figures


def _refresh(data_dir: Path) -> Figure:
    """One small correction into a copy of the national warehouse."""
    import json

    from data.store import read_current
    from etl.run import Submission, load_files

    current = read_current(data_dir)
    root = Path(tempfile.mkdtemp(prefix="cc-bench-refresh-"))
    try:
        (root / "snapshots").mkdir()
        start = time.perf_counter()
        shutil.copyfile(current.path, root / "snapshots" / current.path.name)
        copy = time.perf_counter() - start
        (root / "CURRENT").write_text(
            json.dumps(
                {
                    "snapshot_id": current.snapshot_id,
                    "path": f"snapshots/{current.path.name}",
                    "published_at": "",
                }
            )
        )
        fix = root / "fix.csv"
        fix.write_text(
            "indicator_code,unit_code,period,value\nNS.01,22,2024-06,12345\n"
        )
        phases = _Phases()
        try:
            start = time.perf_counter()
            result = load_files([Submission(fix)], root, operator="bench")
            total = time.perf_counter() - start
        finally:
            phases.close()
        assert result.published
    finally:
        shutil.rmtree(root, ignore_errors=True)
    t = {k: round(v, 2) for k, v in phases.times.items()}
    say(f"  refresh of the national warehouse: {total:.1f}s {t}")
    return Figure(
        "refresh: one correction published into the national warehouse",
        total,
        "s",
        copy,
        "copying the snapshot file",
        "-",
        None,
        note="copy + apply + rebuild every model + checkpoint + publish",
        extra={"phases_s": t, "snapshot_bytes": current.path.stat().st_size},
    )
