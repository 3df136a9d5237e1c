"""Publishing snapshots: readers never blocked, killed loads harmless, pruning,
the writer lock, `status` and `validate` from the command line."""

from __future__ import annotations

import csv
import fcntl
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import settings
from data.store import Layout, read_current
from etl import publish as pub
from etl.__main__ import app

ROOT = Path(__file__).resolve().parents[2]
COUNT = "SELECT count(*) FROM observations"


def _big_file(path: Path, n_rows: int) -> Path:
    """n_rows valid monthly province figures (63 old provinces, 2000-2024)."""
    with (ROOT / "data/reference/indicators.csv").open(encoding="utf-8") as fh:
        indicators = [
            r
            for r in csv.DictReader(fh)
            if r["frequency"] == "month" and "province" in r["levels"]
        ]
    with (ROOT / "data/reference/units.csv").open(encoding="utf-8") as fh:
        units = [
            r["unit_code"]
            for r in csv.DictReader(fh)
            if r["level"] == "province" and r["valid_to"] == "2025-06-30"
        ]
    bounds = []
    for r in indicators:
        low = float(r["min_value"] or 0)
        high = float(r["max_value"] or low + 100)
        bounds.append((r["code"], int(low), max(1, min(10, int(high - low)))))
    lines = ["indicator_code,unit_code,period,value"]
    done = 0
    for year in range(2000, 2025):
        for month in range(1, 13):
            for unit in units:
                for code, low, span in bounds:
                    value = low + done % span
                    lines.append(f"{code},{unit},{year}-{month:02d},{value}")
                    done += 1
                    if done == n_rows:
                        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
                        return path
    raise AssertionError(f"the catalog allows only {done} rows")


def _etl(*args: str, data_dir: Path) -> subprocess.Popen:
    env = dict(os.environ, CC_DATA_DIR=str(data_dir))
    return subprocess.Popen(
        [sys.executable, "-m", "etl", *args, "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _count(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM observations").fetchone()[0]


def _lock_is_free(layout: Layout) -> bool:
    with open(layout.lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


# --- (a) readers keep working while a load runs -----------------------------------


def test_a_reader_keeps_working_while_a_load_publishes(seeded_warehouse, tmp_path):
    big = _big_file(tmp_path / "big.csv", 25_000)
    old = seeded_warehouse.current()
    old_count = _count(old.path)
    reader = duckdb.connect(str(old.path), read_only=True)
    queries, during = 0, 0
    errors: list[str] = []
    proc = _etl("load", str(big), data_dir=seeded_warehouse.root)
    try:
        while True:
            running = proc.poll() is None
            try:
                count = reader.execute(COUNT).fetchone()[0]
                reader.execute("SELECT count(*) FROM m_progress").fetchone()
                assert count == old_count
                # a reader that follows CURRENT opens whatever it names
                current = read_current(seeded_warehouse.root)
                with duckdb.connect(str(current.path), read_only=True) as follower:
                    follower.execute("SELECT count(*) FROM m_series").fetchone()
            except Exception as exc:  # every query must succeed
                errors.append(repr(exc))
            queries += 1
            during += running
            if not running:
                break
            time.sleep(0.02)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert errors == []
    assert proc.returncode == 0, out + err
    assert during >= 3, "the load finished before the reader could query during it"
    new = read_current(seeded_warehouse.root)
    assert new.snapshot_id != old.snapshot_id
    assert new.snapshot_id in out
    assert _count(new.path) == old_count + 25_000
    # the old reader still reads its (unchanged) snapshot
    assert reader.execute(COUNT).fetchone()[0] == old_count
    reader.close()


# --- (b) a killed load leaves the old snapshot -----------------------------------


def test_a_killed_load_leaves_the_last_complete_snapshot(
    seeded_warehouse, tmp_path, submissions
):
    n_rows = 300_000
    big = _big_file(tmp_path / "big.csv", n_rows)
    layout = seeded_warehouse.layout
    old_count = _count(seeded_warehouse.current().path)
    finished = False
    kills = 0
    for attempt, delay in enumerate([0.3, 1.0, 3.0, 6.0, 90.0]):
        before = seeded_warehouse.current_id()
        proc = _etl("load", str(big), data_dir=seeded_warehouse.root)
        try:
            proc.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            proc.kill()  # SIGKILL: no clean-up code runs
            proc.wait()
            kills += 1
        proc.stdout.close()
        proc.stderr.close()

        current = seeded_warehouse.current()
        assert current is not None and current.path.exists()
        count = _count(current.path)  # opens read-only: a complete snapshot
        if current.snapshot_id == before:
            assert count == old_count, delay
        else:
            assert count == old_count + n_rows, delay
        if finished:
            assert proc.returncode == 0
            assert current.snapshot_id != before and count == old_count + n_rows
            break

        # the OS released the writer lock; the next load succeeds and cleans tmp/
        assert _lock_is_free(layout)
        fix = submissions.csv(
            f"fix{attempt}.csv",
            [
                {
                    "indicator_code": "NS.01",
                    "unit_code": "22",
                    "period": "2020-08",
                    "value": str(30000 + attempt),
                }
            ],
        )
        result = seeded_warehouse.load(fix)
        assert result.published and result.outcomes[0].status == "loaded"
        assert list(layout.tmp.iterdir()) == []
        assert list(layout.root.glob(".CURRENT.*")) == []
        assert _count(seeded_warehouse.current().path) in (
            old_count,
            old_count + n_rows,
        )
        if _count(seeded_warehouse.current().path) != old_count:
            break  # killed after publishing: nothing left to interrupt
    assert kills >= 1, "the load finished before the first kill"


def test_a_load_that_fails_midway_publishes_nothing_and_cleans_up(
    seeded_warehouse, submissions, monkeypatch
):
    import etl.run

    before = seeded_warehouse.current_id()
    snapshots = sorted(seeded_warehouse.layout.snapshots.iterdir())

    def broken(con):
        raise RuntimeError("model failed")

    monkeypatch.setattr(etl.run, "build_models", broken)
    path = submissions.csv(
        "new.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2020-09",
                "value": "1",
            }
        ],
    )
    with pytest.raises(RuntimeError, match="model failed"):
        seeded_warehouse.load(path)
    assert seeded_warehouse.current_id() == before
    assert sorted(seeded_warehouse.layout.snapshots.iterdir()) == snapshots
    assert list(seeded_warehouse.layout.tmp.iterdir()) == []
    assert _lock_is_free(seeded_warehouse.layout)

    monkeypatch.undo()
    assert seeded_warehouse.load(path).published


# --- (c) pruning -------------------------------------------------------------------


def _fake_snapshots(layout: Layout, n: int) -> list[Path]:
    """n snapshot files, oldest first, each an hour older than the next."""
    layout.snapshots.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    paths = []
    for age in range(n, 0, -1):
        stamp = now - timedelta(hours=age)
        path = layout.snapshots / f"{pub.new_snapshot_id(stamp)}.duckdb"
        path.write_bytes(b"snapshot")
        os.utime(path, (stamp.timestamp(), stamp.timestamp()))
        paths.append(path)
    return paths


def _point_current(layout: Layout, path: Path) -> None:
    layout.current.write_text(
        json.dumps(
            {
                "snapshot_id": path.stem,
                "path": str(path.relative_to(layout.root)),
                "published_at": "2026-01-01T00:00:00+00:00",
            }
        ),
        encoding="utf-8",
    )


def test_prune_keeps_the_current_and_the_newest_snapshots(tmp_path):
    layout = Layout(tmp_path / "wh")
    paths = _fake_snapshots(layout, 6)
    _point_current(layout, paths[5])
    layout.tmp.mkdir()
    (layout.tmp / "abandoned.duckdb").write_bytes(b"x")
    (layout.tmp / "abandoned.duckdb.wal").write_bytes(b"x")
    (layout.root / ".CURRENT.abandoned").write_text("{}")

    removed = pub.prune(layout, keep=2, grace=0)

    assert sorted(layout.snapshots.iterdir()) == paths[3:]
    assert set(removed) >= set(paths[:3])
    assert list(layout.tmp.iterdir()) == []
    assert list(layout.root.glob(".CURRENT.*")) == []


def test_prune_never_removes_an_older_current_snapshot(tmp_path):
    layout = Layout(tmp_path / "wh")
    paths = _fake_snapshots(layout, 6)
    _point_current(layout, paths[1])  # e.g. rolled back to an older snapshot
    pub.prune(layout, keep=2, grace=0)
    remaining = set(layout.snapshots.iterdir())
    assert paths[1] in remaining
    assert {paths[4], paths[5]} <= remaining
    assert paths[0] not in remaining


def test_prune_keeps_exactly_keep_snapshots_besides_an_older_current(tmp_path):
    layout = Layout(tmp_path / "wh")
    paths = _fake_snapshots(layout, 6)
    _point_current(layout, paths[1])
    pub.prune(layout, keep=2, grace=0)
    assert sorted(layout.snapshots.iterdir()) == [paths[1], paths[4], paths[5]]


def test_prune_keeps_young_snapshots_for_readers_that_just_read_current(tmp_path):
    layout = Layout(tmp_path / "wh")
    paths = _fake_snapshots(layout, 4)
    _point_current(layout, paths[3])
    os.utime(paths[0], None)  # touched just now
    pub.prune(layout, keep=0, grace=600)
    assert sorted(layout.snapshots.iterdir()) == [paths[0], paths[3]]


def test_loads_prune_old_snapshots_but_never_the_current(
    warehouse, submissions, monkeypatch
):
    monkeypatch.setattr(settings, "KEEP_SNAPSHOTS", 1)
    monkeypatch.setattr(settings, "PRUNE_GRACE_SECONDS", 0)
    ids = []
    for value in ("1", "2", "3"):
        warehouse.load(
            submissions.csv(
                f"v{value}.csv",
                [
                    {
                        "indicator_code": "NS.01",
                        "unit_code": "22",
                        "period": "2020-08",
                        "value": value,
                    }
                ],
            )
        )
        ids.append(warehouse.current_id())
    assert sorted(p.stem for p in warehouse.layout.snapshots.iterdir()) == ids[1:]
    assert warehouse.current().path.exists()
    assert warehouse.scalar("SELECT value FROM observations") == 3


# --- the writer lock ---------------------------------------------------------------


def test_a_second_writer_waits_then_gives_up(tmp_path):
    layout = Layout(tmp_path / "wh")
    with pub.writer_lock(layout):
        started = time.monotonic()
        with pytest.raises(pub.EtlBusy), pub.writer_lock(layout, wait_seconds=0.3):
            pass
        assert time.monotonic() - started >= 0.3
    with pub.writer_lock(layout, wait_seconds=0):
        pass  # free again once the first writer is done


# --- (d) status -------------------------------------------------------------------


def test_status_json_names_the_snapshot_and_counts(seeded_warehouse, submissions):
    seeded_warehouse.load(
        submissions.csv(
            "bad.csv",
            [
                {
                    "indicator_code": "NS.99",
                    "unit_code": "22",
                    "period": "2020-08",
                    "value": "1",
                }
            ],
        )
    )
    result = CliRunner().invoke(
        app, ["status", "--json", "--data-dir", str(seeded_warehouse.root)]
    )
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    current = seeded_warehouse.current()
    assert info["snapshot_id"] == current.snapshot_id
    assert Path(info["snapshot_path"]) == current.path
    assert info["counts"]["observations"] == len(seeded_warehouse.observations()) == 2
    assert info["counts"]["observation_history"] == 2
    assert info["counts"]["loads"] == 1
    assert [r["source_file"] for r in info["last_loads"]] == ["seed.csv"]
    assert [(r["file"], r["n_errors"]) for r in info["rejected_files"]] == [
        ("bad.csv", 1)
    ]


def test_status_text(seeded_warehouse):
    result = CliRunner().invoke(
        app, ["status", "--data-dir", str(seeded_warehouse.root)]
    )
    assert result.exit_code == 0
    assert seeded_warehouse.current_id() in result.stdout
    assert "seed.csv" in result.stdout


def test_status_without_a_snapshot_exits_1(warehouse):
    result = CliRunner().invoke(
        app, ["status", "--json", "--data-dir", str(warehouse.root)]
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["snapshot_id"] is None


def test_status_from_a_subprocess(seeded_warehouse):
    proc = _etl("status", "--json", data_dir=seeded_warehouse.root)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    info = json.loads(out)
    assert info["snapshot_id"] == seeded_warehouse.current_id()
    assert info["counts"]["observations"] == 2


# --- validate loads nothing ------------------------------------------------------


def test_validate_exits_0_for_a_good_file_and_loads_nothing(warehouse, submissions):
    path = submissions.csv(
        "good.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2020-08",
                "value": "1",
            }
        ],
    )
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "VALID good.csv" in result.stdout
    assert not warehouse.root.exists()


def test_validate_exits_1_for_a_bad_file_prints_it_and_loads_nothing(
    seeded_warehouse, submissions
):
    before = seeded_warehouse.current_id()
    path = submissions.csv(
        "bad.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2020-09",
                "value": "1",
            },
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2020-10",
                "value": "1,5",
            },
        ],
    )
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "INVALID bad.csv: 1 problem(s)" in result.stdout
    assert "bad.csv:3: column value: value '1,5'" in result.stdout
    assert seeded_warehouse.current_id() == before
    assert seeded_warehouse.observations() == {
        ("NS.01", "22", "2020-08", "actual", 29915.0),
        ("NS.01", "22", "2020", "target", 45053.0),
    }
    assert not seeded_warehouse.layout.rejected.exists()
