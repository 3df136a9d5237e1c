"""Frozen meeting data: pinned snapshots survive the ETL's prune, expired pins
do not, and the data layer can read a given snapshot instead of CURRENT."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from data import pins
from data import queries as q
from data.db import NoSnapshot, Warehouse, current_pin, pinned_snapshot
from data.store import Layout
from etl import publish as pub

OLD = time.time() - 3600


def fake_snapshots(layout: Layout, names: list[str]) -> list[Path]:
    """Old, non-current snapshot files (copies of the current one)."""
    current = next(layout.snapshots.glob("*.duckdb"))
    paths = []
    for name in names:
        path = layout.snapshots / f"{name}.duckdb"
        shutil.copyfile(current, path)
        os.utime(path, (OLD, OLD))
        paths.append(path)
    return paths


def test_pin_and_release(tmp_path):
    pins.pin(tmp_path, "S1", "ABCDEF")
    pins.pin(tmp_path, "S1", "GHJKLM")  # two sessions, one snapshot
    pins.pin(tmp_path, "S2", "ABCDEF")
    assert pins.pinned_ids(tmp_path) == {"S1", "S2"}
    pins.release(tmp_path, "S1", "ABCDEF")
    assert pins.pinned_ids(tmp_path) == {"S1", "S2"}  # still held by the other
    pins.release(tmp_path, "S1", "GHJKLM")
    pins.release(tmp_path, "S1", "GHJKLM")  # twice is harmless
    assert pins.pinned_ids(tmp_path) == {"S2"}
    assert pins.pinned_ids(tmp_path / "nowhere") == set()


def test_a_hand_written_pin_counts_and_old_pins_expire(tmp_path):
    (tmp_path / pins.PINS_DIR).mkdir()
    (tmp_path / pins.PINS_DIR / "S9").touch()
    stale = pins.pin(tmp_path, "S8", "ABCDEF")
    os.utime(stale, (OLD, OLD))
    assert pins.pinned_ids(tmp_path, max_age=600) == {"S9"}
    assert stale.exists()
    pins.pinned_ids(tmp_path, max_age=600, clean=True)
    assert not stale.exists()
    pins.touch(tmp_path, "S8", "ABCDEF")  # a released pin is not recreated


@pytest.mark.parametrize("bad", ["../x", "a/b", "", "x" * 81])
def test_pin_names_are_checked(tmp_path, bad):
    with pytest.raises(ValueError):
        pins.pin(tmp_path, bad, "ABCDEF")


def test_prune_keeps_pinned_snapshots(seeded_warehouse):
    layout = seeded_warehouse.layout
    old = fake_snapshots(
        layout,
        [
            "20200101T000000000000Z-aaaaaa",
            "20200102T000000000000Z-bbbbbb",
            "20200103T000000000000Z-cccccc",
        ],
    )
    pins.pin(layout.root, old[0].stem, "ABCDEF")
    removed = pub.prune(layout, keep=0, grace=0)
    assert sorted(p.name for p in removed if p.suffix == ".duckdb") == [
        old[1].name,
        old[2].name,
    ]
    assert old[0].exists()
    assert (layout.root / "CURRENT").exists()
    pins.release(layout.root, old[0].stem, "ABCDEF")
    assert old[0] in pub.prune(layout, keep=0, grace=0)


def test_queries_read_a_pinned_snapshot_instead_of_current(seeded_warehouse):
    layout = seeded_warehouse.layout
    current = seeded_warehouse.current_id()
    (older,) = fake_snapshots(layout, ["20200101T000000000000Z-aaaaaa"])
    warehouse = Warehouse(layout.root)
    assert warehouse.snapshot().snapshot_id == current
    assert warehouse.snapshot(older.stem).snapshot_id == older.stem
    snap, cursor = warehouse.cursor(older.stem)
    assert snap.path == older.resolve()
    assert cursor.execute("SELECT count(*) FROM observations").fetchone()[0] == 2
    cursor.close()
    with pytest.raises(NoSnapshot):
        warehouse.cursor("20190101T000000000000Z-gone00")

    assert current_pin() is None and q.snapshot_id() == current
    with pinned_snapshot(older.stem):
        assert current_pin() == older.stem
        assert q.snapshot_id() == older.stem
        assert len(q.catalog()) > 0
        with pinned_snapshot(None):
            assert q.snapshot_id() == current
    assert current_pin() is None
