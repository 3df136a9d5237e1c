"""The snapshot under the queries: its id, stamps and months on the scenario's
warehouse (tests/unit/queries_scenario.py), the named SQL files, no snapshot;
the snapshot-keyed cache and the Warehouse that follows CURRENT, on seeded
warehouses of each test's own (tests/conftest.py seeded_warehouse)."""

from __future__ import annotations

import shutil
import time

import pandas as pd
import pytest
from flask import Flask

import data.db as db
from data import queries as q
from data.cache import cache, cache_key
from data.queries import BadParameter
from etl import publish as pub
from tests.unit.queries_scenario import FIRST, SUBMITTED_SECOND


def test_snapshot_id_is_the_current_one(queries_data_dir):
    assert q.snapshot_id() == queries_data_dir.current_id()


def test_snapshot_meta(queries_data_dir):
    meta = q.snapshot_meta()
    assert meta["snapshot_id"] == queries_data_dir.current_id()
    assert meta["n_indicators"] == 203
    assert meta["n_observations"] == queries_data_dir.scalar(
        "SELECT count(*) FROM observations"
    )
    assert meta["n_observations"] == len(FIRST) + 1  # the revision replaces a figure
    # NS.01 GT.01 KT.01 CPS.01 CPS.02 XH.02, and the ratio CPS.03 computed from
    # CPS.02 / CPS.01 (counted as the sector cards count it)
    assert meta["n_indicators_supplied"] == 7
    assert meta["latest_month"] == "2026-03"
    assert meta["last_submitted_at"] == pd.Timestamp(SUBMITTED_SECOND)
    assert pd.notna(meta["published_at"]) and pd.notna(meta["last_loaded_at"])


def test_months_newest_first(queries_data_dir):
    assert q.months() == [
        "2026-03",
        "2025-08",
        "2025-03",
        "2024-03",
        "2020-08",
        "2020-07",
    ]


@pytest.mark.parametrize(
    "asked, expected",
    [
        (None, "2026-03"),
        ("", "2026-03"),
        ("2020-03", "2020-03"),
        (" 2020-08 ", "2020-08"),
    ],
)
def test_default_month(queries_data_dir, asked, expected):
    assert q.default_month(asked) == expected


@pytest.mark.parametrize("asked", ["2020", "2020-8", "2020-Q1", "garbage"])
def test_default_month_refuses_a_bad_month(queries_data_dir, asked):
    with pytest.raises(BadParameter):
        q.default_month(asked)


def test_default_month_without_any_month(monkeypatch):
    monkeypatch.setattr(q, "_stamps", lambda: {"latest_month": None})
    assert q.default_month(None) == "2020-01"


def test_run_is_the_named_sql_file(queries_data_dir):
    assert q.run("months")["period"].tolist() == q.months()
    with pytest.raises(FileNotFoundError):
        q.run("no_such_query")


def test_no_published_snapshot(tmp_path, monkeypatch):
    monkeypatch.setenv("CC_DATA_DIR", str(tmp_path / "empty"))
    with pytest.raises(q.NoSnapshot):
        q.months()
    with pytest.raises(q.NoSnapshot):
        q.snapshot_id()


# --- the cache ------------------------------------------------------------------------


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


@pytest.fixture
def app():
    app = Flask(__name__)
    app.config.update(CACHE_TYPE="SimpleCache", CACHE_DEFAULT_TIMEOUT=3600)
    cache.init_app(app)
    return app


def _ns22() -> list[float]:
    """The value of NS.01 22 2020-08 (29915 seeded, 30000 once fixed)."""
    return q.observations("NS.01", "22", "2020-08", "2020-08")["value"].tolist()


def test_outside_an_app_queries_are_not_cached(seeded_warehouse, frames):
    q.observations("NS.01", "22")
    q.observations("NS.01", "22")
    assert frames == ["observations_range", "observations_range"]


def test_a_second_call_is_served_from_the_cache(seeded_warehouse, frames, app):
    with app.app_context():
        first = q.observations("NS.01", "22")
        again = q.observations("NS.01", "22")
        assert frames == ["observations_range"]
        pd.testing.assert_frame_equal(first, again)
        q.observations("NS.01", "22", "2020-08")  # other arguments: another entry
        assert frames == ["observations_range", "observations_range"]
        params = tuple(
            sorted(
                {
                    "indicator": "NS.01",
                    "unit": "22",
                    "from_period": None,
                    "to_period": None,
                }.items()
            )
        )
        key = cache_key(
            q._cached.__wrapped__,
            seeded_warehouse.current_id(),
            ("observations_range", params),
        )
        assert key.startswith(f"q:{seeded_warehouse.current_id()}:")
        pd.testing.assert_frame_equal(cache.get(key), first)


def test_a_new_snapshot_changes_the_answer(
    seeded_warehouse, frames, app, submissions, monkeypatch
):
    monkeypatch.setattr(db.warehouse(), "recheck", 0)  # look at CURRENT every time
    old = seeded_warehouse.current_id()
    with app.app_context():
        assert _ns22() == [29915]
        result = seeded_warehouse.load(
            submissions.csv(
                "fix.csv",
                [
                    {
                        "indicator_code": "NS.01",
                        "unit_code": "22",
                        "period": "2020-08",
                        "value": "30000",
                    }
                ],
            )
        )
        assert result.published and result.snapshot_id != old
        assert q.snapshot_id() == result.snapshot_id
        assert _ns22() == [30000]
        assert frames == ["observations_range", "observations_range"]
        # the old entry is still there, under the old snapshot's key
        params = tuple(
            sorted(
                {
                    "indicator": "NS.01",
                    "unit": "22",
                    "from_period": "2020-08",
                    "to_period": "2020-08",
                }.items()
            )
        )
        fn = q._cached.__wrapped__
        old_entry = cache.get(cache_key(fn, old, ("observations_range", params)))
        new_entry = cache.get(
            cache_key(fn, result.snapshot_id, ("observations_range", params))
        )
        assert old_entry["value"].tolist() == [29915]
        assert new_entry["value"].tolist() == [30000]


# --- the warehouse follows CURRENT ---------------------------------------------------


@pytest.fixture(scope="module")
def fixed_snapshot(make_seeded_warehouse, make_submissions, tmp_path_factory):
    """(id, file) of a snapshot where NS.01 22 2020-08 is 30000, not 29915: built
    once, published into a test's data directory by _publish (no ETL run)."""
    folder = tmp_path_factory.mktemp("fixed")
    other = make_seeded_warehouse(folder / "warehouse")
    result = other.load(_fix(make_submissions(folder / "in")))
    assert result.published
    return result.snapshot_id, other.current().path


def _publish(target, fixed) -> str:
    snapshot_id, path = fixed
    target.layout.tmp.mkdir(parents=True, exist_ok=True)
    work = target.layout.tmp / f"{snapshot_id}.duckdb"
    shutil.copyfile(path, work)
    pub.publish(target.layout, work, snapshot_id)
    return snapshot_id


def _fix(submissions, value="30000"):
    return submissions.csv(
        "fix.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2020-08",
                "value": value,
            }
        ],
    )


def _value(warehouse: db.Warehouse) -> float:
    _, cursor = warehouse.cursor()
    try:
        return cursor.execute(
            "SELECT value FROM observations WHERE indicator_code = 'NS.01' "
            "AND unit_code = '22' AND period = '2020-08'"
        ).fetchone()[0]
    finally:
        cursor.close()


class _Clock:
    """data.db's time module with a monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleep = time.sleep

    def monotonic(self) -> float:
        return self.now


def test_the_warehouse_switches_to_a_new_snapshot_within_its_recheck(
    seeded_warehouse, fixed_snapshot, monkeypatch
):
    clock = _Clock()
    monkeypatch.setattr(db, "time", clock)
    warehouse = db.Warehouse(seeded_warehouse.root, recheck=0.5)
    old = warehouse.snapshot()
    assert old.snapshot_id == seeded_warehouse.current_id()
    assert _value(warehouse) == 29915
    new = _publish(seeded_warehouse, fixed_snapshot)
    clock.now += 0.4  # CURRENT was read less than `recheck` ago: not again
    assert warehouse.snapshot() == old and _value(warehouse) == 29915
    clock.now += 0.2
    assert warehouse.snapshot().snapshot_id == new
    assert _value(warehouse) == 30000
    clock.now += 0.6  # nothing new: the same connection
    assert warehouse.snapshot().snapshot_id == new


def test_the_warehouse_keeps_the_snapshot_until_the_recheck(
    seeded_warehouse, fixed_snapshot
):
    warehouse = db.Warehouse(seeded_warehouse.root, recheck=3600)
    old = warehouse.snapshot()
    _publish(seeded_warehouse, fixed_snapshot)
    assert warehouse.snapshot() == old and _value(warehouse) == 29915
    assert (
        db.Warehouse(seeded_warehouse.root, recheck=3600).snapshot().snapshot_id
        == (fixed_snapshot[0])
    )


def test_the_warehouse_keeps_the_last_good_snapshot_without_current(seeded_warehouse):
    warehouse = db.Warehouse(seeded_warehouse.root, recheck=0)
    old = warehouse.snapshot()
    seeded_warehouse.layout.current.unlink()
    assert warehouse.snapshot() == old
    assert _value(warehouse) == 29915
    with pytest.raises(db.NoSnapshot):  # a process that never saw one has none
        db.Warehouse(seeded_warehouse.root, recheck=0).snapshot()


def test_the_warehouse_keeps_the_last_good_snapshot_when_current_names_a_lost_file(
    seeded_warehouse,
):
    warehouse = db.Warehouse(seeded_warehouse.root, recheck=0)
    old = warehouse.snapshot()
    seeded_warehouse.layout.current.write_text(
        '{"snapshot_id": "gone", "path": "snapshots/gone.duckdb", '
        '"published_at": "2026-01-01T00:00:00"}',
        encoding="utf-8",
    )
    assert warehouse.snapshot() == old
    with pytest.raises(db.NoSnapshot):
        db.Warehouse(seeded_warehouse.root, recheck=0).snapshot()


def test_the_process_warehouse_follows_the_data_directory(
    seeded_warehouse, tmp_path, monkeypatch
):
    first = db.warehouse()
    assert first.root == seeded_warehouse.root.resolve() and db.warehouse() is first
    monkeypatch.setenv("CC_DATA_DIR", str(tmp_path / "other"))
    assert db.warehouse() is not first
    assert db.warehouse().root == (tmp_path / "other").resolve()


def test_a_pinned_snapshot_is_read_after_a_new_one_is_published(
    seeded_warehouse, fixed_snapshot, monkeypatch
):
    monkeypatch.setattr(db.warehouse(), "recheck", 0)
    old = seeded_warehouse.current_id()
    new = _publish(seeded_warehouse, fixed_snapshot)
    with db.pinned_snapshot(old):
        assert q.snapshot_id() == old
        assert _ns22() == [29915]
    assert q.snapshot_id() == new
    assert _ns22() == [30000]
    for unknown in ("../etc", "no-such-snapshot"):
        with db.pinned_snapshot(unknown), pytest.raises(db.NoSnapshot):
            q.snapshot_id()
