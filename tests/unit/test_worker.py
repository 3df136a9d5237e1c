"""python -m etl worker: the inbox loaded in arrival order, one snapshot a
batch, bad files rejected with their rows, a dead worker's batch recovered
exactly once, the writer lock shared with `etl load`, one worker at a time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from etl import publish as pub
from etl.__main__ import app
from etl.run import Submission, load_files
from etl.worker import Worker, WorkerBusy, loaded_submissions, staged_name
from store.inbox import Inbox

ROOT = Path(__file__).resolve().parents[2]
HEADER = "indicator_code,unit_code,period,value\n"
SIGNER = {
    "subject": "CN=Nguyen Van A,O=UBND tinh Quang Ninh",
    "serial": "1a2b3c",
    "issuer": "CN=Test CA",
    "signing_time": "2026-10-15T08:00:00Z",
}


def _csv(*rows: tuple[str, str, str, str]) -> bytes:
    return (HEADER + "".join(",".join(r) + "\n" for r in rows)).encode()


def _ns01(period: str, value: str, unit: str = "22") -> tuple[str, str, str, str]:
    return ("NS.01", unit, period, value)


def _receive(inbox: Inbox, content: bytes, name: str = "report.csv", **kw):
    item, new = inbox.receive(
        content,
        file_name=name,
        ext=name.rsplit(".", 1)[-1],
        principal=kw.pop("principal", "token:link-22"),
        agency=kw.pop("agency", "UBND-22"),
        channel=kw.pop("channel", "api"),
        **kw,
    )
    assert new
    return item


def _drain(root: Path, **kw) -> list:
    rounds = []
    with Worker(root, **kw) as worker:
        while not (done := worker.round()).idle:
            rounds.append(done)
    return rounds


def _loads(warehouse) -> list[tuple]:
    return warehouse.query(
        "SELECT submission_id, snapshot_id, source_file, reporter, operator, signer, "
        "submitted_at FROM loads WHERE submission_id IS NOT NULL ORDER BY load_id"
    )


def test_queued_submissions_publish_in_arrival_order_in_one_snapshot(
    seeded_warehouse,
):
    inbox = Inbox(seeded_warehouse.root)
    first = _receive(inbox, _csv(_ns01("2020-01", "100")), "thang-1.csv")
    # the same figure twice: the later arrival is the later revision
    second = _receive(
        inbox, _csv(_ns01("2020-02", "200")), "thang-2.csv", signer=SIGNER
    )
    third = _receive(inbox, _csv(_ns01("2020-02", "250")), "thang-2.csv")
    before = seeded_warehouse.current_id()
    rounds = _drain(seeded_warehouse.root)
    assert len(rounds) == 1 and rounds[0].published == [first.id, second.id, third.id]
    snapshot_id = seeded_warehouse.current_id()
    assert snapshot_id != before
    states = {s.id: (s.state, s.snapshot_id, s.rows) for s in inbox.list()}
    assert states == {
        s.id: ("published", snapshot_id, 1) for s in (first, second, third)
    }
    loads = _loads(seeded_warehouse)
    assert [r[0] for r in loads] == [first.id, second.id, third.id]
    assert {r[1] for r in loads} == {snapshot_id}
    # the reporter's file names and agency, the worker as operator, the time received
    assert [r[2:5] for r in loads] == [
        ("thang-1.csv", "UBND-22", "worker"),
        ("thang-2.csv", "UBND-22", "worker"),
        ("thang-2.csv", "UBND-22", "worker"),
    ]
    received = datetime.fromtimestamp(first.received_at, UTC).replace(tzinfo=None)
    assert abs((loads[0][6] - received).total_seconds()) < 0.001
    # the signer in the load's provenance, and in every revision it brought
    assert [json.loads(r[5]) if r[5] else None for r in loads] == [None, SIGNER, None]
    history = seeded_warehouse.query(
        "SELECT revision, value, signer FROM observation_history "
        "WHERE period = '2020-02' ORDER BY revision"
    )
    assert [(r[0], r[1]) for r in history] == [(1, 200.0), (2, 250.0)]
    assert json.loads(history[0][2]) == SIGNER and history[1][2] is None
    assert (
        "NS.01",
        "22",
        "2020-02",
        "actual",
        250.0,
    ) in seeded_warehouse.observations()
    assert not (seeded_warehouse.root / "inbox" / "loading").exists()


def test_batches_follow_arrival_order(seeded_warehouse):
    inbox = Inbox(seeded_warehouse.root)
    items = [
        _receive(inbox, _csv(_ns01("2020-03", str(v))), f"r{v}.csv") for v in range(5)
    ]
    rounds = _drain(seeded_warehouse.root, batch=2)
    assert [r.published for r in rounds] == [
        [items[0].id, items[1].id],
        [items[2].id, items[3].id],
        [items[4].id],
    ]
    assert len({r.snapshot_id for r in rounds}) == 3
    assert ("NS.01", "22", "2020-03", "actual", 4.0) in seeded_warehouse.observations()


def test_a_bad_file_is_rejected_with_its_rows_while_the_good_ones_publish(
    seeded_warehouse,
):
    inbox = Inbox(seeded_warehouse.root)
    good = _receive(inbox, _csv(_ns01("2020-04", "400")), "good.csv")
    bad = _receive(
        inbox,
        _csv(_ns01("2020-05", "n/a"), _ns01("2020-05", "1", unit="99"), ("NS.01",) * 4),
        "bad.csv",
    )
    unreadable = _receive(inbox, b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "picture.csv")
    good2 = _receive(inbox, _csv(_ns01("2020-06", "600")), "good2.csv")
    (done,) = _drain(seeded_warehouse.root)
    assert done.published == [good.id, good2.id]
    assert done.rejected == [bad.id, unreadable.id]
    rejected = inbox.get(bad.id)
    assert rejected.state == "rejected" and rejected.snapshot_id is None
    assert rejected.rows == 3
    assert {(e["row"], e["column"]) for e in rejected.errors} >= {
        (2, "value"),
        (3, "unit_code"),
        (4, "period"),
    }
    for error in rejected.errors:
        assert set(error) == {"file", "row", "column", "value", "expected"}
        assert error["file"] == "bad.csv"
    assert [e["value"] for e in rejected.errors if e["row"] == 2] == ["n/a"]
    unread = inbox.get(unreadable.id)
    assert unread.state == "rejected"
    assert "UTF-8" in unread.errors[0]["expected"]
    observed = seeded_warehouse.observations()
    assert ("NS.01", "22", "2020-04", "actual", 400.0) in observed
    assert ("NS.01", "22", "2020-06", "actual", 600.0) in observed
    assert not any(o[2] == "2020-05" for o in observed)
    assert [r[0] for r in _loads(seeded_warehouse)] == [good.id, good2.id]
    # kept under rejected/ with its report, as etl load keeps a rejected file
    names = [p.name for p in seeded_warehouse.rejected_files()]
    assert any(n.endswith("-bad.csv") for n in names)


def test_a_batch_of_only_bad_files_publishes_nothing(seeded_warehouse):
    inbox = Inbox(seeded_warehouse.root)
    bad = _receive(inbox, _csv(_ns01("2020-05", "n/a")), "bad.csv")
    before = seeded_warehouse.current_id()
    (done,) = _drain(seeded_warehouse.root)
    assert done.rejected == [bad.id] and done.published == []
    assert seeded_warehouse.current_id() == before


def test_a_dead_workers_submission_already_published_is_finished_not_reloaded(
    seeded_warehouse,
):
    inbox = Inbox(seeded_warehouse.root)
    item = _receive(inbox, _csv(_ns01("2020-07", "700")), "late.csv")
    (claimed,) = inbox.claim(10)
    # the dead worker had published its batch, but not recorded the outcome
    path = seeded_warehouse.root.parent / "late.csv"
    path.write_bytes(inbox.file_of(claimed).read_bytes())
    result = load_files(
        [Submission(path, "UBND-22", submission_id=item.id)],
        seeded_warehouse.root,
        operator="worker",
    )
    assert result.published and inbox.get(item.id).state == "loading"
    published_in = seeded_warehouse.current_id()
    (done,) = _drain(seeded_warehouse.root)
    assert done.recovered == [item.id] and done.requeued == [] and done.claimed == 0
    finished = inbox.get(item.id)
    assert (finished.state, finished.snapshot_id, finished.rows) == (
        "published",
        published_in,
        1,
    )
    assert seeded_warehouse.current_id() == published_in  # nothing loaded again
    assert [r[0] for r in _loads(seeded_warehouse)] == [item.id]


def test_a_dead_workers_submission_not_published_is_queued_again_then_loaded(
    seeded_warehouse,
):
    inbox = Inbox(seeded_warehouse.root)
    item = _receive(inbox, _csv(_ns01("2020-08", "800")), "again.csv")
    later = _receive(inbox, _csv(_ns01("2020-09", "900")), "later.csv")
    inbox.claim(1)  # the dead worker's batch: killed before its publication
    (done,) = _drain(seeded_warehouse.root)
    assert done.requeued == [item.id] and done.recovered == []
    assert done.published == [item.id, later.id]  # still in arrival order
    assert inbox.get(item.id).attempts == 2
    assert [r[0] for r in _loads(seeded_warehouse)] == [item.id, later.id]
    assert (
        "NS.01",
        "22",
        "2020-08",
        "actual",
        800.0,
    ) in seeded_warehouse.observations()


def test_a_build_never_loads_a_submission_id_its_snapshot_holds(seeded_warehouse):
    path = seeded_warehouse.root.parent / "once.csv"
    path.write_bytes(_csv(_ns01("2020-10", "1000")))
    sub = Submission(path, "UBND-22", submission_id="20261015000000-abc")
    first = load_files([sub], seeded_warehouse.root)
    path.write_bytes(_csv(_ns01("2020-10", "1001")))  # even if the file changed
    second = load_files([sub], seeded_warehouse.root)
    assert first.published and not second.published
    assert second.outcomes[0].status == "unchanged"
    assert (
        seeded_warehouse.scalar(
            "SELECT count(*) FROM loads WHERE submission_id = '20261015000000-abc'"
        )
        == 1
    )
    assert (
        "NS.01",
        "22",
        "2020-10",
        "actual",
        1000.0,
    ) in seeded_warehouse.observations()
    assert loaded_submissions(seeded_warehouse.root, ["20261015000000-abc", "x"]) == {
        "20261015000000-abc": (first.snapshot_id, 1)
    }


def test_an_unchanged_submission_is_still_recorded_in_loads(seeded_warehouse):
    inbox = Inbox(seeded_warehouse.root)
    same = _receive(inbox, _csv(_ns01("2020-08", "29915")), "same.csv")  # the seed's
    (done,) = _drain(seeded_warehouse.root)
    assert done.published == [same.id]
    assert [r[0] for r in _loads(seeded_warehouse)] == [same.id]


def test_plain_etl_load_is_unchanged_by_the_inbox_columns(seeded_warehouse, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_bytes(_csv(_ns01("2020-08", "29915")))
    result = seeded_warehouse.load(path)
    assert not result.published  # the same figure: nothing to publish, as before
    assert (
        seeded_warehouse.scalar(
            "SELECT count(*) FROM loads WHERE submission_id IS NOT NULL"
        )
        == 0
    )


def test_a_snapshot_from_before_the_inbox_gains_its_columns(seeded_warehouse):
    current = seeded_warehouse.current()
    with duckdb.connect(str(current.path)) as con:  # as built before the inbox
        con.execute("ALTER TABLE loads DROP COLUMN submission_id")
        con.execute("ALTER TABLE loads DROP COLUMN signer")
        con.execute("ALTER TABLE observation_history DROP COLUMN signer")
    inbox = Inbox(seeded_warehouse.root)
    item = _receive(inbox, _csv(_ns01("2020-11", "1100")), "new.csv", signer=SIGNER)
    inbox.claim(1)  # a dead worker's: the old snapshot cannot hold it
    (done,) = _drain(seeded_warehouse.root)
    assert done.requeued == [item.id] and done.published == [item.id]
    assert [r[0] for r in _loads(seeded_warehouse)] == [item.id]
    assert (
        seeded_warehouse.scalar(
            "SELECT count(*) FROM observation_history WHERE signer IS NOT NULL"
        )
        == 1
    )


def test_the_worker_waits_for_a_manual_load_then_loads(seeded_warehouse):
    inbox = Inbox(seeded_warehouse.root)
    item = _receive(inbox, _csv(_ns01("2020-12", "1200")), "wait.csv")
    with Worker(seeded_warehouse.root, lock_wait=0.2) as worker:
        with pub.writer_lock(seeded_warehouse.layout):  # an `etl load` running
            done = worker.round()
            assert done.busy and inbox.get(item.id).state == "queued"
        done = worker.round()
    assert done.published == [item.id]


def test_one_worker_per_data_directory(seeded_warehouse):
    with Worker(seeded_warehouse.root):
        with pytest.raises(WorkerBusy), Worker(seeded_warehouse.root):
            pass
        result = CliRunner().invoke(
            app, ["worker", "--once", "--data-dir", str(seeded_warehouse.root)]
        )
        assert result.exit_code == 3
    with Worker(seeded_warehouse.root):
        pass  # free once the first one stopped


def test_worker_once_from_the_cli_drains_the_inbox_and_audits(
    seeded_warehouse, monkeypatch
):
    from auth import audit

    monkeypatch.delenv("CC_AUTH_DIR", raising=False)
    inbox = Inbox(seeded_warehouse.root)
    items = [
        _receive(inbox, _csv(_ns01("2021-01", str(v))), f"cli-{v}.csv")
        for v in range(3)
    ]
    result = CliRunner().invoke(
        app,
        ["worker", "--once", "--batch", "2", "--data-dir", str(seeded_warehouse.root)],
    )
    assert result.exit_code == 0, result.output
    assert [inbox.get(i.id).state for i in items] == ["published"] * 3
    events = audit.read_events(action="etl_load", root=seeded_warehouse.root)
    assert len(events) == 2  # one record per batch
    assert all(e["actor"] == "etl:worker" for e in events)


def test_staged_name_keeps_the_reporters_name_and_the_inbox_extension():
    inbox_item = type("R", (), {"id": "20261015-x", "ext": "csv"})
    for given, expected in [
        ("bao-cao.csv", "bao-cao.csv"),
        ("../../etc/passwd", "passwd.csv"),
        ("C:\\Users\\a\\Báo cáo.CSV", "Báo cáo.CSV"),
        (".hidden.csv", "hidden.csv"),
        ("", "20261015-x.csv"),
        ("data.xlsx", "data.xlsx.csv"),
    ]:
        inbox_item.file_name = given
        assert staged_name(inbox_item) == expected


def test_sigterm_stops_the_worker_with_exit_0(seeded_warehouse):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "etl",
            "worker",
            "--poll",
            "0.1",
            "--data-dir",
            str(seeded_warehouse.root),
        ],
        cwd=ROOT,
        env=os.environ | {"CC_AUTH_DIR": str(seeded_warehouse.root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        inbox = Inbox(seeded_warehouse.root)
        item = _receive(inbox, _csv(_ns01("2021-02", "1")), "live.csv")
        while inbox.get(item.id).state != "published":
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    assert "SIGTERM" in out


def test_a_file_that_makes_the_loader_fail_is_found_and_rejected_alone(
    seeded_warehouse, monkeypatch
):
    import etl.worker

    real = etl.worker.load_files

    def choking(subs, *args, **kw):
        if any(s.path.name == "poison.csv" for s in subs):
            raise RuntimeError("the loader chokes")
        return real(subs, *args, **kw)

    monkeypatch.setattr(etl.worker, "load_files", choking)
    inbox = Inbox(seeded_warehouse.root)
    before = _receive(inbox, _csv(_ns01("2021-03", "1")), "before.csv")
    poison = _receive(inbox, _csv(_ns01("2021-03", "2")), "poison.csv")
    after = _receive(inbox, _csv(_ns01("2021-03", "3")), "after.csv")
    rounds = _drain(seeded_warehouse.root)
    assert rounds[0].failed and inbox.get(before.id).attempts >= 2
    assert [inbox.get(s.id).state for s in (before, poison, after)] == [
        "published",
        "rejected",
        "published",
    ]
    rejected = inbox.get(poison.id)
    assert rejected.attempts == etl.worker.MAX_ATTEMPTS
    assert "loader" in rejected.errors[0]["expected"]
    assert [r[0] for r in _loads(seeded_warehouse)] == [before.id, after.id]


def test_a_failure_of_the_machine_never_rejects_a_submission(
    seeded_warehouse, monkeypatch
):
    import etl.worker

    real, failures = etl.worker.load_files, []

    def full_disk(subs, *args, **kw):
        if len(failures) < etl.worker.MAX_ATTEMPTS + 1:
            failures.append(1)
            raise OSError(28, "No space left on device")
        return real(subs, *args, **kw)

    monkeypatch.setattr(etl.worker, "load_files", full_disk)
    inbox = Inbox(seeded_warehouse.root)
    item = _receive(inbox, _csv(_ns01("2021-04", "4")), "full.csv")
    rounds = _drain(seeded_warehouse.root)
    assert sum(r.failed for r in rounds) == etl.worker.MAX_ATTEMPTS + 1
    assert inbox.get(item.id).state == "published"
