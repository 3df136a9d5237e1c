"""The presenter state file: what one process (or connection) writes, another
reads at once; commands raise the sequence number; heartbeats record screens."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wall.state import (
    FILE_NAME,
    WallState,
    check_screen_id,
    check_session_id,
    wall_state,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / FILE_NAME


def test_a_session_written_by_one_store_is_read_by_another(path):
    presenter, wall = WallState(path), WallState(path)
    session = presenter.create_session()
    assert check_session_id(session.id) == session.id
    seen = wall.session(session.id)
    assert (seen.mode, seen.view, seen.seq, seen.frozen_snapshot) == (
        "rotate",
        None,
        0,
        None,
    )

    presenter.hold(session.id, "map", {"indicator": "NS.01", "province": "01"})
    seen = wall.session(session.id.lower())  # ids are read case-insensitively
    assert (seen.mode, seen.view, seen.seq) == ("hold", "map", 1)
    assert seen.params == {"indicator": "NS.01", "province": "01"}

    presenter.freeze(session.id, "20261122T040019592524Z-62e324")
    assert wall.session(session.id).frozen_snapshot == "20261122T040019592524Z-62e324"
    presenter.rotate(session.id)
    presenter.release(session.id)
    seen = wall.session(session.id)
    assert (seen.mode, seen.view, seen.frozen_snapshot, seen.seq) == (
        "rotate",
        "map",
        None,
        4,
    )
    assert seen.as_json() == {
        "id": session.id,
        "mode": "rotate",
        "view": "map",
        "params": seen.params,
        "frozen": None,
        "seq": 4,
    }


def test_another_process_sees_a_command_at_once(path):
    store = WallState(path)
    session = store.create_session()
    code = (
        "import sys; from pathlib import Path; from wall.state import WallState;"
        f"WallState(Path({str(path)!r})).hold({session.id!r}, 'attention', {{}})"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
    seen = store.session(session.id)
    assert (seen.view, seen.seq) == ("attention", 1)


def test_concurrent_heartbeats_and_commands_do_not_fail(path):
    store = WallState(path)
    session = store.create_session()
    errors: list[BaseException] = []

    def beat(n: int) -> None:
        try:
            for i in range(20):
                WallState(path).heartbeat(
                    f"wall-{n}",
                    session.id,
                    f"slide {i}",
                    "overview",
                    "snap",
                    "1920x1080",
                )
                WallState(path).hold(session.id, "overview", {"i": str(i)})
        except BaseException as exc:  # noqa: BLE001 - collected for the assert
            errors.append(exc)

    threads = [threading.Thread(target=beat, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.session(session.id).seq == 6 * 20
    assert sorted(s.screen_id for s in store.screens()) == [
        f"wall-{n}" for n in range(6)
    ]


def test_heartbeats_say_what_each_screen_shows(path):
    store = WallState(path)
    store.heartbeat("hall-A", None, "Bản đồ: NS.01", "map", "s1", "3840x2160")
    store.heartbeat("hall-A", "ABCDEF", "Tổng quan", "overview", "s2", "3840x2160")
    (screen,) = store.screens()
    assert (
        screen.screen_id,
        screen.session_id,
        screen.showing,
        screen.view,
        screen.snapshot,
        screen.viewport,
    ) == ("hall-A", "ABCDEF", "Tổng quan", "overview", "s2", "3840x2160")
    assert screen.last_seen >= screen.first_seen
    assert store.screens(within_seconds=-1) == []


def test_unknown_or_malformed_ids(path):
    store = WallState(path)
    assert store.session("NOSUCH") is None
    assert store.session("'; DROP TABLE sessions; --") is None
    assert store.hold("bad id", "overview", {}) is None
    assert [check_session_id(v) for v in ("abc234", "ABC23", "ABC2340", None)] == [
        "ABC234",
        None,
        None,
        None,
    ]
    assert [check_screen_id(v) for v in ("hall-A", "wall 1", "x" * 41, "")] == [
        "hall-A",
        None,
        None,
        None,
    ]


def test_recent_sessions_come_newest_first(path):
    store = WallState(path)
    first = store.create_session()
    time.sleep(0.01)
    second = store.create_session()
    assert [s.id for s in store.sessions()][:2] == [second.id, first.id]


def test_the_state_file_lives_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("CC_DATA_DIR", str(tmp_path / "data"))
    store = wall_state()
    assert store.path == (tmp_path / "data" / FILE_NAME).resolve()
    store.create_session()
    assert store.path.exists()
