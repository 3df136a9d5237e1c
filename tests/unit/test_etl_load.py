"""Loading: partial loads, idempotence, revisions and their history."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from etl.__main__ import app


def _ns01(value: str, period: str = "2020-08", unit: str = "22", **extra) -> dict:
    return {
        "indicator_code": "NS.01",
        "unit_code": unit,
        "period": period,
        "value": value,
        **extra,
    }


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*args: str):
    return CliRunner().invoke(app, list(args))


# --- --accept-valid-rows ----------------------------------------------------------


def test_accept_valid_rows_loads_the_good_rows_and_reports_the_bad_ones(
    warehouse, submissions
):
    path = submissions.csv(
        "mixed.csv",
        [
            _ns01("100", "2020-01"),
            _ns01("n/a", "2020-02"),
            _ns01("300", "2020-03"),
            _ns01("1", "2020-04", unit="99"),
            _ns01("5", "2020-05"),
            _ns01("6", "2020-05"),
        ],
    )
    result = warehouse.load(path, accept_valid_rows=True)
    (outcome,) = result.outcomes
    assert outcome.status == "partial" and result.ok and result.published
    assert [(e.row, e.column) for e in outcome.errors] == [
        (3, "value"),
        (5, "unit_code"),
        (6, "value"),
        (7, "value"),
    ]
    assert (outcome.rows_new, outcome.rows_revised) == (2, 0)
    assert warehouse.observations() == {
        ("NS.01", "22", "2020-01", "actual", 100.0),
        ("NS.01", "22", "2020-03", "actual", 300.0),
    }
    assert warehouse.scalar("SELECT rows_rejected FROM loads") == 4
    # the file is kept with its report, like a rejected one
    assert outcome.kept_as is not None
    report = json.loads(Path(f"{outcome.kept_as}.report.json").read_text("utf-8"))
    assert report["status"] == "partial"
    assert [e["row"] for e in report["errors"]] == [3, 5, 6, 7]


def test_without_accept_valid_rows_the_same_file_loads_nothing(warehouse, submissions):
    path = submissions.csv(
        "mixed.csv", [_ns01("100", "2020-01"), _ns01("n/a", "2020-02")]
    )
    result = warehouse.load(path)
    assert result.outcomes[0].status == "rejected"
    assert warehouse.observations() == set()


def test_accept_valid_rows_does_not_rescue_an_unreadable_file(warehouse, submissions):
    path = submissions.raw("broken.json", b'{"rows": [')
    result = warehouse.load(path, accept_valid_rows=True)
    assert result.outcomes[0].status == "rejected"
    assert not result.ok


def test_accept_valid_rows_from_the_cli(seeded_warehouse, submissions):
    path = submissions.csv(
        "mixed.csv", [_ns01("100", "2020-01"), _ns01("n/a", "2020-02")]
    )
    result = _cli(
        "load",
        str(path),
        "--accept-valid-rows",
        "--data-dir",
        str(seeded_warehouse.root),
    )
    assert result.exit_code == 0, result.output
    assert "PARTIAL mixed.csv: 2 rows, 1 new" in result.stdout
    assert "1 bad rows skipped" in result.stdout
    assert "mixed.csv:3: column value: value 'n/a'" in result.stdout
    figure = ("NS.01", "22", "2020-01", "actual", 100.0)
    assert figure in seeded_warehouse.observations()


# --- idempotence ------------------------------------------------------------------


def test_loading_the_same_file_twice_publishes_nothing_the_second_time(
    warehouse, submissions
):
    path = submissions.csv(
        "a.csv", [_ns01("29915"), _ns01("45053", "2020", kind="target")]
    )
    first = warehouse.load(path)
    counts = (
        warehouse.observations(),
        warehouse.history_count(),
        warehouse.scalar("SELECT count(*) FROM loads"),
    )
    snapshots = sorted(warehouse.layout.snapshots.iterdir())

    second = warehouse.load(path)

    assert first.published and not second.published
    assert second.snapshot_id == first.snapshot_id == warehouse.current_id()
    (outcome,) = second.outcomes
    assert outcome.status == "unchanged"
    assert (outcome.rows_new, outcome.rows_revised, outcome.rows_unchanged) == (0, 0, 2)
    assert (
        warehouse.observations(),
        warehouse.history_count(),
        warehouse.scalar("SELECT count(*) FROM loads"),
    ) == counts
    assert sorted(warehouse.layout.snapshots.iterdir()) == snapshots
    assert list(warehouse.layout.tmp.iterdir()) == []


def test_the_same_figures_in_another_format_or_spelling_change_nothing(
    warehouse, submissions
):
    warehouse.load(submissions.csv("a.csv", [_ns01("29915")]))
    before = warehouse.current_id()
    again = [
        submissions.json("a.json", [_ns01(29915)]),
        submissions.csv("b.csv", [_ns01("29915.000", unit=" 22 ")]),
        submissions.xlsx(
            "c.xlsx",
            [("NS.01", 22, "2020-08", 29915)],
            header=("indicator_code", "unit_code", "period", "value"),
        ),
        submissions.csv(
            "d.csv",
            [
                {
                    "indicator_code": "ns.01",
                    "unit_name": "Quảng Ninh",
                    "period": "2020-08",
                    "value": "29915",
                    "kind": "Actual",
                }
            ],
        ),
    ]
    result = warehouse.load(*again)
    assert [o.status for o in result.outcomes] == ["unchanged"] * 4
    assert not result.published and warehouse.current_id() == before
    assert warehouse.history_count() == 1


def test_load_cli_says_when_nothing_changed(seeded_warehouse, submissions):
    before = seeded_warehouse.current_id()
    path = submissions.csv("seed-again.csv", [_ns01("29915")])
    result = _cli("load", str(path), "--data-dir", str(seeded_warehouse.root))
    assert result.exit_code == 0
    assert "UNCHANGED seed-again.csv" in result.stdout
    assert f"no change; snapshot {before} stays current" in result.stdout
    assert seeded_warehouse.current_id() == before


# --- revisions --------------------------------------------------------------------


@pytest.fixture(scope="module")
def revised(tmp_path_factory, make_warehouse, make_submissions):
    """NS.01 22 2020-08 loaded as 29915, revised to 30000, then reverted."""
    folder = tmp_path_factory.mktemp("revised")
    submissions = make_submissions(folder / "in")
    warehouse = make_warehouse(folder / "warehouse")
    files = [
        submissions.csv("v1.csv", [_ns01("29915")]),
        submissions.csv(
            "v2.csv",
            [_ns01("30000", note="sửa số liệu")],
            header=("indicator_code", "unit_code", "period", "value", "note"),
        ),
        submissions.csv("v3.csv", [_ns01("29915"), _ns01("1", "2020-01")]),
    ]
    times = []
    for path, operator in zip(files, ["alice", "bob", "carol"], strict=True):
        start = datetime.now(UTC).replace(tzinfo=None)
        result = warehouse.load(path, operator=operator)
        assert result.published, result
        times.append((start, datetime.now(UTC).replace(tzinfo=None)))
    return warehouse, files, times


def _history(warehouse):
    return warehouse.query(
        "SELECT revision, value, loaded_at, source_sha256, source_file, operator, "
        "note, source_row FROM observation_history WHERE indicator_code = 'NS.01' AND "
        "unit_code = '22' AND period = '2020-08' AND kind = 'actual' ORDER BY revision"
    )


def test_a_changed_value_is_a_new_revision_and_the_old_one_stays(revised):
    warehouse, files, times = revised
    history = _history(warehouse)
    assert [(r[0], r[1]) for r in history] == [(1, 29915.0), (2, 30000.0), (3, 29915.0)]
    for (rev, _, loaded_at, sha, name, operator, _, row), path, op, (t0, t1) in zip(
        history, files, ["alice", "bob", "carol"], times, strict=True
    ):
        assert sha == _sha(path), rev
        assert (name, operator, row) == (path.name, op, 2)
        assert t0 <= loaded_at <= t1
    assert history[1][6] == "sửa số liệu"


def test_observations_show_the_latest_revision(revised):
    warehouse, files, _ = revised
    rows = warehouse.query(
        "SELECT value, revision, source_file FROM observations WHERE "
        "indicator_code = 'NS.01' AND unit_code = '22' AND period = '2020-08'"
    )
    assert rows == [(29915.0, 3, "v3.csv")]
    # the other figure of v3 is new, not a revision
    assert warehouse.query(
        "SELECT revision FROM observations WHERE period = '2020-01'"
    ) == [(1,)]


def test_revision_counts_are_reported_per_file(warehouse, submissions):
    warehouse.load(submissions.csv("v1.csv", [_ns01("1"), _ns01("2", "2020-09")]))
    result = warehouse.load(
        submissions.csv(
            "v2.csv", [_ns01("1"), _ns01("3", "2020-09"), _ns01("4", "2020-10")]
        )
    )
    (outcome,) = result.outcomes
    assert (
        outcome.status,
        outcome.rows_new,
        outcome.rows_revised,
        outcome.rows_unchanged,
    ) == ("loaded", 1, 1, 1)
    assert warehouse.query(
        "SELECT rows_new, rows_revised, rows_unchanged FROM loads ORDER BY load_id"
    ) == [(2, 0, 0), (1, 1, 1)]


def test_two_files_of_one_load_revise_in_file_order(warehouse, submissions):
    a = submissions.csv("a.csv", [_ns01("10"), _ns01("7", "2020-09")])
    b = submissions.csv("b.csv", [_ns01("11"), _ns01("7", "2020-09")])
    c = submissions.csv("c.csv", [_ns01("10")])
    result = warehouse.load(a, b, c)
    assert [o.status for o in result.outcomes] == ["loaded", "loaded", "loaded"]
    assert [(r[0], r[1], r[4]) for r in _history(warehouse)] == [
        (1, 10.0, "a.csv"),
        (2, 11.0, "b.csv"),
        (3, 10.0, "c.csv"),
    ]
    assert warehouse.query(
        "SELECT count(*) FROM observation_history WHERE period = '2020-09'"
    ) == [(1,)]


def test_history_cli_prints_every_revision(revised):
    warehouse, files, _ = revised
    result = _cli(
        "history", "NS.01", "22", "2020-08", "--data-dir", str(warehouse.root)
    )
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    assert len(lines) == 3
    for line, rev, path, operator in zip(
        lines, [1, 2, 3], files, ["alice", "bob", "carol"], strict=True
    ):
        assert line.startswith("actual")
        assert f"rev  {rev}" in line
        assert path.name in line and _sha(path)[:12] in line
        assert line.endswith(f"by {operator}")
    assert "29,915" in lines[0] and "30,000" in lines[1] and "29,915" in lines[2]


def test_history_cli_json_and_loose_arguments(revised):
    warehouse, files, _ = revised
    result = _cli(
        "history",
        "ns.01",
        " 22 ",
        "2020-08",
        "--json",
        "--data-dir",
        str(warehouse.root),
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [
        (r["revision"], r["value"], r["source_file"], r["source_sha256"], r["operator"])
        for r in rows
    ] == [
        (1, 29915.0, "v1.csv", _sha(files[0]), "alice"),
        (2, 30000.0, "v2.csv", _sha(files[1]), "bob"),
        (3, 29915.0, "v3.csv", _sha(files[2]), "carol"),
    ]


def test_history_cli_lists_targets_beside_actuals(seeded_warehouse):
    result = _cli(
        "history",
        "NS.01",
        "22",
        "2020",
        "--json",
        "--data-dir",
        str(seeded_warehouse.root),
    )
    assert result.exit_code == 0
    assert [(r["kind"], r["value"]) for r in json.loads(result.stdout)] == [
        ("target", 45053.0)
    ]


def test_history_cli_exits_1_for_an_unknown_figure(seeded_warehouse):
    result = _cli(
        "history", "NS.01", "22", "1999-01", "--data-dir", str(seeded_warehouse.root)
    )
    assert result.exit_code == 1
    assert "no such figure" in result.stdout


def test_history_is_append_only_across_loads(revised):
    warehouse, _, _ = revised
    # every earlier snapshot's history is a prefix of the current one
    assert warehouse.scalar("SELECT count(*) FROM observation_history") == 4
    assert warehouse.scalar("SELECT count(*) FROM observations WHERE revision > 1") == 1
    assert warehouse.scalar("SELECT count(*) FROM loads") == 3


def test_submitted_at_is_kept_and_defaults_to_the_load_time(warehouse, submissions):
    when = datetime(2020, 9, 5, 8, 30)
    warehouse.load(submissions.csv("a.csv", [_ns01("1")]), submitted_at=when)
    warehouse.load(submissions.csv("b.csv", [_ns01("2", "2020-09")]))
    rows = dict(
        warehouse.query(
            "SELECT period, submitted_at = loaded_at FROM observation_history"
        )
    )
    assert rows == {"2020-08": False, "2020-09": True}
    assert (
        warehouse.scalar(
            "SELECT submitted_at FROM observation_history WHERE period = '2020-08'"
        )
        == when
    )


def test_an_aware_submitted_at_is_stored_in_utc(warehouse, submissions):
    when = datetime(2020, 9, 5, 8, 30, tzinfo=timezone(timedelta(hours=7)))
    warehouse.load(submissions.csv("a.csv", [_ns01("1")]), submitted_at=when)
    assert warehouse.scalar("SELECT submitted_at FROM observation_history") == datetime(
        2020, 9, 5, 1, 30
    )
