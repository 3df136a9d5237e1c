"""kill -9 of the loader: a 202 is a promise.

A stream of submissions is written into the inbox (store.inbox.Inbox.receive,
as the API and the web page do) while `python -m etl worker` is killed with
SIGKILL at random moments and started again, more than twenty times. Then a
last worker drains the inbox. Every submission must end `published` or
`rejected`, exactly once: the valid files published, each with one row in the
final snapshot's `loads`, the bad ones rejected, none lost; and the
warehouse's figures are those of the valid files, in arrival order. No
browser; a small warehouse; bounded in time.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from store.inbox import Inbox
from tests.conftest import ETL_SEED_ROWS

ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = 30
KILLS = 22
BATCH = 3
DEADLINE = 150  # seconds for the kill phase, whatever happens
HEADER = "indicator_code,unit_code,period,value\n"
PERIODS = [f"2021-{m:02d}" for m in range(1, 7)]  # figures revised by later files
BAD = [
    ("NS.01,22,2021-01,n/a\n", "value"),
    ("NS.01,99,2021-01,5\n", "unit_code"),
    ("NS.01,22,2021-13,5\n", "period"),
]


def _submission(i: int) -> tuple[bytes, str, bool]:
    """The i-th file of the stream: (content, ext, valid?). Every fifth is bad."""
    if i % 5 == 4:
        kind = (i // 5) % (len(BAD) + 1)
        if kind == len(BAD):
            return b"\x89PNG\r\n\x1a\n\x00\xff\xfe not a table", "csv", False
        return (HEADER + BAD[kind][0]).encode(), "csv", False
    rows = [
        ("NS.01", "22", PERIODS[i % len(PERIODS)], str(1000 + i)),
        ("NS.01", "22", f"2022-{i % 12 + 1:02d}", str(5000 + i)),
    ]
    return (HEADER + "".join(",".join(r) + "\n" for r in rows)).encode(), "csv", True


def _expected_figures() -> set[tuple]:
    """Seed rows, then each valid file in arrival order (a later value wins)."""
    figures = {
        (r["indicator_code"], r["unit_code"], r["period"], r.get("kind", "actual")): (
            float(r["value"])
        )
        for r in ETL_SEED_ROWS
    }
    for i in range(SUBMISSIONS):
        content, _, valid = _submission(i)
        if valid:
            for line in content.decode().splitlines()[1:]:
                indicator, unit, period, value = line.split(",")
                figures[(indicator, unit, period, "actual")] = float(value)
    return {(*key, value) for key, value in figures.items()}


def _worker(data_dir: Path, log, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "etl",
            "worker",
            "--data-dir",
            str(data_dir),
            "--batch",
            str(BATCH),
            "--poll",
            "0.05",
            *args,
        ],
        cwd=ROOT,
        env=os.environ | {"CC_AUTH_DIR": str(data_dir.parent / "auth")},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_for_publication(root: Path, run: subprocess.Popen, timeout: float) -> None:
    """Until CURRENT is replaced (a new inode), the worker exits or `timeout`."""
    before = (root / "CURRENT").stat().st_ino
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and run.poll() is None:
        if (root / "CURRENT").stat().st_ino != before:
            return
        time.sleep(0.001)


def _receive(inbox: Inbox, i: int, ids: dict[str, bool]) -> None:
    content, ext, valid = _submission(i)
    item, new = inbox.receive(
        content,
        file_name=f"bao-cao-{i:02d}.{ext}",
        ext=ext,
        principal="token:link-22",
        agency="UBND-22",
        channel="api",
        idempotency_key=f"key-{i}",
    )
    assert new  # the 202: from here on it must not be lost
    ids[item.id] = valid


def test_a_worker_killed_anywhere_loses_nothing_and_loads_nothing_twice(
    make_seeded_warehouse, tmp_path
):
    started = time.monotonic()
    warehouse = make_seeded_warehouse(tmp_path / "warehouse")
    root = warehouse.root
    inbox = Inbox(root)
    ids: dict[str, bool] = {}  # id -> valid, in arrival order
    log_path = tmp_path / "worker.log"
    rng = random.Random(20261015)
    with open(log_path, "ab") as log:
        # how long a worker takes to start, load a batch and exit: the span
        # the kills are spread over
        for i in range(BATCH):
            _receive(inbox, i, ids)
        first = time.monotonic()
        run = _worker(root, log, "--once")
        assert run.wait(timeout=120) == 0, log_path.read_text()
        full = time.monotonic() - first

        def stream() -> None:  # the rest arrives while the workers die
            for i in range(BATCH, SUBMISSIONS):
                _receive(inbox, i, ids)
                time.sleep(rng.uniform(0.1, 2 * full / BATCH))

        feeder = threading.Thread(target=stream, daemon=True)
        feeder.start()
        kills, kill_phase = 0, time.monotonic()
        while kills < KILLS or feeder.is_alive():
            assert time.monotonic() - kill_phase < DEADLINE, "kill phase too long"
            run = _worker(root, log)
            if kills % 2:  # anywhere: starting, reading, building, publishing
                time.sleep(rng.uniform(0.05, 1.5 * full))
            else:  # just after a publication, before its outcomes are recorded
                _wait_for_publication(root, run, 1.5 * full)
                time.sleep(rng.uniform(0, 0.01))
            run.send_signal(signal.SIGKILL)
            run.wait(timeout=30)
            kills += 1
        feeder.join(timeout=30)
        assert not feeder.is_alive()
        # a last worker, left alone, drains what the killed ones left
        run = _worker(root, log, "--once")
        assert run.wait(timeout=120) == 0, log_path.read_text()[-4000:]
    assert kills >= 20 and len(ids) == SUBMISSIONS
    text = log_path.read_text(errors="replace")
    recovered = sum(int(n) for n in re.findall(r"recovered (\d+) published", text))
    requeued = sum(int(n) for n in re.findall(r"queued (\d+) again", text))
    print(f"{kills} kills; recovered {recovered} published, {requeued} requeued")

    final = {item.id: item for item in inbox.list(limit=1000)}
    assert set(final) == set(ids)  # none lost
    states = {sid: final[sid].state for sid in ids}
    assert states == {
        sid: "published" if valid else "rejected" for sid, valid in ids.items()
    }
    for sid, valid in ids.items():
        if not valid:
            assert final[sid].errors and final[sid].snapshot_id is None

    published = [sid for sid, valid in ids.items() if valid]
    loads = warehouse.query(
        "SELECT submission_id, count(*), min(snapshot_id), min(load_id) FROM loads "
        "WHERE submission_id IS NOT NULL GROUP BY submission_id"
    )
    assert {sid: n for sid, n, _, _ in loads} == dict.fromkeys(published, 1)
    assert {sid: snap for sid, _, snap, _ in loads} == {
        sid: final[sid].snapshot_id for sid in published
    }  # the inbox names the snapshot the submission was loaded in
    by_load = [sid for sid, *_ in sorted(loads, key=lambda r: r[3])]
    assert by_load == published  # loaded in arrival order
    assert warehouse.observations() == _expected_figures()
    # every revision of a figure revised by the stream, in arrival order, once
    history = warehouse.query(
        "SELECT value FROM observation_history WHERE period = ? ORDER BY revision",
        [PERIODS[0]],
    )
    assert [v for (v,) in history] == [
        1000.0 + i for i in range(SUBMISSIONS) if _submission(i)[2] and i % 6 == 0
    ]
    assert not (root / "inbox" / "loading").exists()
    # the kills hit both windows: a batch published but not yet recorded (found
    # in the snapshot), and a batch in flight (queued again)
    assert recovered >= 1 and requeued >= 1, text[-4000:]
    assert time.monotonic() - started < 240
