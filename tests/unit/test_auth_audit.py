"""The audit log (auth/audit.py): append-only, chained, filtered, exported."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest
from typer.testing import CliRunner

from auth import audit
from etl.__main__ import app as etl_cli


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.delenv("CC_AUTH_DIR", raising=False)
    for i, action in enumerate([audit.LOGIN, audit.VIEW, audit.DOWNLOAD]):
        audit.append(
            action,
            f"user:u{i}",
            role="viewer",
            target=f"/t{i}",
            detail={"n": i},
            ip="10.0.0.1",
            root=tmp_path,
        )
    return tmp_path


@pytest.mark.parametrize("sql", ["UPDATE events SET actor = 'x'", "DELETE FROM events"])
def test_events_cannot_be_changed_or_deleted(root, sql):
    con = sqlite3.connect(audit.path(root))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute(sql)
    con.close()
    assert len(audit.read_events(root=root)) == 3


def test_the_chain_shows_an_edit_made_around_the_triggers(root):
    assert audit.verify(root) == (3, None)
    con = sqlite3.connect(audit.path(root))
    con.execute("DROP TRIGGER events_no_update")
    con.execute("UPDATE events SET actor = 'user:someone-else' WHERE id = 2")
    con.commit()
    con.close()
    assert audit.verify(root) == (2, 2)


def test_events_are_read_newest_first_and_filtered(root):
    assert [e["action"] for e in audit.read_events(root=root)] == [
        "download",
        "view",
        "login",
    ]
    assert [e["actor"] for e in audit.read_events(actor="u1", root=root)] == ["user:u1"]
    assert [e["actor"] for e in audit.read_events(actor="%", root=root)] == []
    assert len(audit.read_events(action="view", root=root)) == 1
    today = audit.read_events(root=root)[0]["at"][:10]
    assert len(audit.read_events(since=today, until=today, root=root)) == 3
    assert audit.read_events(until="2000-01-01", root=root) == []


@pytest.mark.parametrize(
    "kwargs", [{"since": "yesterday"}, {"until": "2026-02-30"}, {"action": "drop"}]
)
def test_bad_filters_are_refused(root, kwargs):
    with pytest.raises(ValueError):
        audit.read_events(root=root, **kwargs)


def test_the_export_is_csv_of_every_column(root):
    rows = list(csv.DictReader(io.StringIO(audit.to_csv(audit.read_events(root=root)))))
    assert len(rows) == 3 and rows[0]["action"] == "download"
    assert set(rows[0]) == set(audit.COLUMNS)


def test_an_etl_load_is_recorded(warehouse, submissions, tmp_path, monkeypatch):
    monkeypatch.delenv("CC_AUTH_DIR", raising=False)
    path = submissions.csv(
        "ns.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2020-08",
                "value": "1",
            }
        ],
    )
    cli = CliRunner().invoke(
        etl_cli,
        [
            "load",
            str(path),
            "--operator",
            "an-operator",
            "--data-dir",
            str(warehouse.root),
        ],
    )
    assert cli.exit_code == 0, cli.output
    (event,) = audit.read_events(action=audit.ETL_LOAD, root=warehouse.root)
    assert event["actor"] == "etl:an-operator"
    assert event["target"] == warehouse.current_id() and event["outcome"] == "published"
    assert "ns.csv" in event["detail"]


def test_the_load_function_itself_writes_no_audit(warehouse, submissions, monkeypatch):
    """etl.run is below the app's stores: only its command records the load."""
    monkeypatch.delenv("CC_AUTH_DIR", raising=False)
    path = submissions.csv(
        "ns.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2020-08",
                "value": "1",
            }
        ],
    )
    warehouse.load(path, operator="an-operator")
    assert audit.read_events(action=audit.ETL_LOAD, root=warehouse.root) == []


def test_recording_never_raises(tmp_path, monkeypatch):
    monkeypatch.setenv("CC_AUTH_DIR", str(tmp_path / "file"))
    (tmp_path / "file").write_text("not a directory")
    audit.record(audit.VIEW, actor="user:x")  # logged, not raised


def test_days_are_local_days_for_the_admin_page(tmp_path, monkeypatch):
    """The page shows GMT+7 times, so its day filters are GMT+7 days: 1 Oct
    (GMT+7) begins at 30 Sep 17:00 UTC; 31 Oct ends at 31 Oct 17:00 UTC."""
    from datetime import UTC, datetime, timedelta

    assert audit._day_start("2026-10-01", 0, 7) == "2026-09-30T17:00:00"
    assert audit._day_start("2026-10-31", 1, 7) == "2026-10-31T17:00:00"
    assert audit._day_start("2026-10-31", 1, 0) == "2026-11-01T00:00:00"
    monkeypatch.delenv("CC_AUTH_DIR", raising=False)  # it would win over root
    root = tmp_path / "audit"
    audit.append(audit.LOGIN, actor="user:an", root=root)
    local = (datetime.now(UTC) + timedelta(hours=7)).strftime("%Y-%m-%d")
    after = (datetime.now(UTC) + timedelta(hours=7, days=1)).strftime("%Y-%m-%d")
    assert (
        len(audit.read_events(since=local, until=local, root=root, utc_offset_hours=7))
        == 1
    )
    assert audit.read_events(since=after, root=root, utc_offset_hours=7) == []
