"""kill -9 of the app and of the loader during a stream of API submissions.

The real app runs under gunicorn (gunicorn.conf.py, one worker) on 127.0.0.1
over a small warehouse; a client posts JSON reports to POST /api/v1/submissions
with a reporter token of UBND-22, each with its own Idempotency-Key, retrying
the SAME key on a connection error or a 5xx until it is answered 202 (or 200:
the answer of an earlier attempt was lost). Meanwhile the app (its whole
process group) and `python -m etl worker` are killed with SIGKILL at random
moments and started again: the app at least ten times, both together more
than twenty, some of the app's kills just after a submission was committed
and before it was answered. Then a last worker drains the inbox. Every
acknowledged key must name exactly one inbox row, with the id it was answered,
`published` once, with one row in the final snapshot's `loads`, in arrival
order; and the warehouse's figures are those submitted. Loopback only; bounded
in time (the loops stop by themselves).
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from auth.store import create_token
from store.inbox import FILE_NAME, Inbox
from tests.conftest import ETL_SEED_ROWS

ROOT = Path(__file__).resolve().parents[2]
URL_PATH = "/api/v1/submissions"
AGENCY = "UBND-22"
SUBMISSIONS = 30  # at least; more while the kills go on
MAX_SUBMISSIONS = 150
APP_KILLS = 12
WORKER_KILLS = 10
BATCH = 3
DEADLINE = 170  # seconds for the kill phase, whatever happens
PERIODS = [f"2021-{m:02d}" for m in range(1, 7)]  # figures revised by later ones


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rows(i: int) -> list[tuple[str, str, str, int]]:
    """The figures of the i-th submission: one revised by later submissions,
    one of its own (CPS.04: monthly, no signature required)."""
    return [
        ("CPS.04", "22", PERIODS[i % len(PERIODS)], 1000 + i),
        ("CPS.04", "22", f"2022-{i % 12 + 1:02d}", 5000 + i),
    ]


def _body(i: int) -> dict:
    return {
        "rows": [
            {"indicator_code": c, "unit_code": u, "period": p, "value": v}
            for c, u, p, v in _rows(i)
        ]
    }


def _expected_figures(n: int) -> set[tuple]:
    """Seed rows, then each submission in arrival order (a later value wins)."""
    figures = {
        (r["indicator_code"], r["unit_code"], r["period"], r.get("kind", "actual")): (
            float(r["value"])
        )
        for r in ETL_SEED_ROWS
    }
    for i in range(n):
        for c, u, p, v in _rows(i):
            figures[(c, u, p, "actual")] = float(v)
    return {(*key, value) for key, value in figures.items()}


class App:
    """gunicorn serving app:server on a fixed loopback port, in its own
    process group (a SIGKILL of the group kills master and worker at once)."""

    def __init__(self, data_dir: Path, auth_dir: Path, token: str, log) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.env = os.environ | {
            "CC_DATA_DIR": str(data_dir),
            "CC_AUTH_DIR": str(auth_dir),
            "CC_SECRET_KEY": os.urandom(32).hex(),
            "CC_SUBMIT_RATE_PER_MINUTE": "100000",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "1",
            "CC_THREADS": "4",
        }
        for name in ("CC_REDIS_URL", "CC_TRUST_DIR", "CC_ACCESS_LOG"):
            self.env.pop(name, None)

    def start(self, timeout: float = 90) -> float:
        """Start it and wait until it answers; the seconds that took."""
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        last = "no answer"
        while time.monotonic() - started < timeout and self.proc.poll() is None:
            try:
                answer = requests.get(
                    f"{self.url}{URL_PATH}?limit=1", headers=self.headers, timeout=5
                )
                if answer.status_code == 200:
                    return time.monotonic() - started
                last = f"HTTP {answer.status_code}: {answer.text[:300]}"
            except requests.RequestException as exc:
                last = f"{type(exc).__name__}: {exc}"
            time.sleep(0.05)
        raise AssertionError(f"the app did not start ({last})")

    def kill(self) -> None:
        assert self.proc is not None
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group we started
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)
        self.proc = None


def _worker(data_dir: Path, auth_dir: Path, log, *args: str) -> subprocess.Popen:
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
        env=os.environ | {"CC_AUTH_DIR": str(auth_dir)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


class Client:
    """Posts submission after submission until told to stop (and at least
    SUBMISSIONS), each retried with its own key until acknowledged."""

    def __init__(self, app: App, run: str) -> None:
        self.app, self.run = app, run
        self.acked: dict[str, tuple[str, int]] = {}  # key -> (id, status)
        self.lost_answers: list[str] = []  # keys answered 200 after a failure
        self.failures: list[str] = []  # answers that are neither 2xx nor retried
        self.retries = self.server_errors = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def key(self, i: int) -> str:
        return f"{self.run}-{i:03d}"

    def _run(self) -> None:
        rng = random.Random(11)
        deadline = time.monotonic() + DEADLINE + 60
        session = requests.Session()
        i = 0
        while (i < SUBMISSIONS or not self.stop.is_set()) and i < MAX_SUBMISSIONS:
            key, failed = self.key(i), False
            headers = {**self.app.headers, "Idempotency-Key": key}
            while True:
                if time.monotonic() > deadline:
                    self.failures.append(f"{key}: never acknowledged")
                    return
                try:
                    answer = session.post(
                        self.app.url + URL_PATH,
                        json=_body(i),
                        headers=headers,
                        timeout=15,
                    )
                except requests.RequestException:
                    failed = True
                    self.retries += 1
                    session.close()
                    time.sleep(0.05)
                    continue
                if answer.status_code >= 500:
                    failed = True
                    self.server_errors += 1
                    time.sleep(0.05)
                    continue
                break
            if answer.status_code not in (200, 202):
                self.failures.append(f"{key}: HTTP {answer.status_code} {answer.text}")
                return
            if answer.status_code == 200 and not failed:
                self.failures.append(f"{key}: 200 on the first attempt")
            if answer.status_code == 200:
                self.lost_answers.append(key)
            self.acked[key] = (answer.json()["id"], answer.status_code)
            i += 1
            time.sleep(rng.uniform(0.02, 0.3))


def _wait_for_commit(db: Path, timeout: float) -> None:
    """Until a new submission is committed to the inbox, or `timeout`."""
    con = sqlite3.connect(db, timeout=5)
    try:
        query = "SELECT coalesce(max(seq), 0) FROM submissions"
        before = con.execute(query).fetchone()[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if con.execute(query).fetchone()[0] != before:
                return
            time.sleep(0.0005)
    finally:
        con.close()


def _wait_for_claim(db: Path, timeout: float) -> None:
    """Until a worker has claimed a batch (a submission `loading`), or `timeout`."""
    con = sqlite3.connect(db, timeout=5)
    try:
        query = "SELECT count(*) FROM submissions WHERE state = 'loading'"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not con.execute(query).fetchone()[0]:
            time.sleep(0.001)
    finally:
        con.close()


def _wait_for_publication(root: Path, run: subprocess.Popen, timeout: float) -> None:
    """Until CURRENT is replaced (a new inode), the worker exits or `timeout`."""
    before = (root / "CURRENT").stat().st_ino
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and run.poll() is None:
        if (root / "CURRENT").stat().st_ino != before:
            return
        time.sleep(0.001)


def test_app_and_worker_killed_anywhere_every_202_ends_published_once(
    make_seeded_warehouse, tmp_path, monkeypatch
):
    started = time.monotonic()
    warehouse = make_seeded_warehouse(tmp_path / "warehouse")
    root = warehouse.root
    auth_dir = tmp_path / "auth"
    auth_dir.mkdir()
    monkeypatch.setenv("CC_AUTH_DIR", str(auth_dir))  # it wins over root=
    token, _ = create_token(
        "link-22", "reporter", "pytest", agencies=(AGENCY,), root=auth_dir
    )
    inbox = Inbox(root)
    inbox.list(limit=1)  # the inbox's database exists before the stream
    db = root / FILE_NAME
    rng = random.Random(20261016)
    app_log, worker_log = tmp_path / "app.log", tmp_path / "worker.log"
    kills = {"app": 0, "worker": 0}
    with open(app_log, "ab") as alog, open(worker_log, "ab") as wlog:
        app = App(root, auth_dir, token, alog)
        boot = app.start()
        # how long a worker takes to start, load a batch and exit
        first = time.monotonic()
        run = _worker(root, auth_dir, wlog, "--once")
        assert run.wait(timeout=120) == 0, worker_log.read_text()
        full = time.monotonic() - first

        client = Client(app, f"kill-{os.getpid()}")
        client.thread.start()
        run = _worker(root, auth_dir, wlog)
        worker_born = time.monotonic()
        phase = time.monotonic()
        step = 0
        try:
            while kills["app"] < APP_KILLS or kills["worker"] < WORKER_KILLS:
                assert time.monotonic() - phase < DEADLINE, (
                    f"kill phase too long {kills}"
                )
                assert client.thread.is_alive(), client.failures
                if (
                    step % 2 == 0
                    and kills["app"] < APP_KILLS
                    or (kills["worker"] >= WORKER_KILLS)
                ):
                    if kills["app"] % 2:  # just after a commit, before the answer
                        _wait_for_commit(db, 5)
                    else:  # anywhere: receiving, validating, writing, answering
                        time.sleep(rng.uniform(0.05, 1.0))
                    app.kill()
                    kills["app"] += 1
                    app.start()
                else:
                    if kills["worker"] % 4 == 1:  # a batch in flight
                        _wait_for_claim(db, max(5.0, 3 * full))
                        time.sleep(rng.uniform(0, 0.8 * full))
                    elif kills["worker"] % 4 == 3:  # anywhere
                        left = rng.uniform(0.05, 1.5 * full)
                        time.sleep(max(0.0, left - (time.monotonic() - worker_born)))
                    else:  # just after a publication, before its outcomes
                        _wait_for_publication(root, run, max(5.0, 3 * full))
                        time.sleep(rng.uniform(0, 0.005))
                    run.send_signal(signal.SIGKILL)
                    run.wait(timeout=30)
                    kills["worker"] += 1
                    run = _worker(root, auth_dir, wlog)
                    worker_born = time.monotonic()
                step += 1
        finally:
            client.stop.set()
            client.thread.join(timeout=60)
            run.send_signal(signal.SIGKILL)
            run.wait(timeout=30)
        assert not client.thread.is_alive()
        assert not client.failures, client.failures
        posted = len(client.acked)
        # a last worker, left alone, drains what the killed ones left
        run = _worker(root, auth_dir, wlog, "--once")
        assert run.wait(timeout=120) == 0, worker_log.read_text()[-4000:]
        # the API tells each reporter's submission published
        session = requests.Session()
        api_states = {
            sid: session.get(
                f"{app.url}{URL_PATH}/{sid}", headers=app.headers, timeout=15
            ).json()
            for sid, _ in client.acked.values()
        }
        app.kill()
    elapsed = time.monotonic() - started
    text = worker_log.read_text(errors="replace")
    recovered = sum(int(n) for n in re.findall(r"recovered (\d+) published", text))
    requeued = sum(int(n) for n in re.findall(r"queued (\d+) again", text))
    print(
        f"{posted} submissions, {kills} kills, {client.retries} retries, "
        f"{client.server_errors} 5xx, {len(client.lost_answers)} answers lost "
        f"after the commit; worker recovered {recovered}, requeued {requeued}; "
        f"app start {boot:.1f} s, worker round {full:.1f} s; {elapsed:.0f} s"
    )
    assert kills["app"] >= 10 and sum(kills.values()) >= 20
    assert posted >= SUBMISSIONS
    keys = [client.key(i) for i in range(posted)]
    assert set(client.acked) == set(keys)

    rows = sorted(inbox.list(limit=10_000), key=lambda r: r.seq)
    # one row per acknowledged key, none without one, with the id answered
    assert [r.idempotency_key for r in rows] == keys  # in the order posted
    assert {r.idempotency_key: r.id for r in rows} == {
        key: sid for key, (sid, _) in client.acked.items()
    }
    assert len({r.id for r in rows}) == posted
    assert all(r.agency == AGENCY and r.channel == "api" for r in rows)
    # every one published (all are valid), once, in the snapshot it names
    assert {r.id: r.state for r in rows} == {r.id: "published" for r in rows}
    assert {sid: a["state"] for sid, a in api_states.items()} == {
        r.id: "published" for r in rows
    }
    loads = warehouse.query(
        "SELECT submission_id, count(*), min(snapshot_id), min(load_id) FROM loads "
        "WHERE submission_id IS NOT NULL GROUP BY submission_id"
    )
    assert {sid: n for sid, n, _, _ in loads} == {r.id: 1 for r in rows}
    assert {sid: snap for sid, _, snap, _ in loads} == {
        r.id: r.snapshot_id for r in rows
    }
    by_load = [sid for sid, *_ in sorted(loads, key=lambda r: r[3])]
    assert by_load == [r.id for r in rows]  # loaded in arrival order
    assert warehouse.observations() == _expected_figures(posted)
    history = warehouse.query(
        "SELECT value FROM observation_history WHERE indicator_code = 'CPS.04' "
        "AND period = ? ORDER BY revision",
        [PERIODS[0]],
    )
    assert [v for (v,) in history] == [
        1000.0 + i for i in range(posted) if i % len(PERIODS) == 0
    ]
    assert not (root / "inbox" / "loading").exists()
    # the worker's kills hit the window between a publication and the record
    # of its outcomes (found in the snapshot), and a batch in flight
    assert recovered >= 1 and requeued >= 1, text[-4000:]
    # the app's kills hit the window between the commit and the answer: the
    # retry was answered 200 with the id of the row the killed request stored
    assert client.lost_answers, "no kill came between a commit and its answer"
    assert elapsed < 240
