"""The one SQLite helper (store/sqlite.py): migrations applied once, in order,
even by processes starting together, and to files made before migrations;
writes all or nothing; private files; acknowledged writes survive kill -9."""

from __future__ import annotations

import ast
import multiprocessing
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from auth import audit
from auth import db as auth_db
from store import wall_state
from store.sqlite import Database, statements, write_durably

ROOT = Path(__file__).resolve().parents[2]

LOGGED = (
    "CREATE TABLE applied (n INTEGER NOT NULL); INSERT INTO applied VALUES (1);",
    "INSERT INTO applied VALUES (2);",
    "CREATE TABLE later (x TEXT); INSERT INTO applied VALUES (3);",
)


def _applied(database: Database) -> list[int]:
    with database.read() as con:
        return [r["n"] for r in con.execute("SELECT n FROM applied ORDER BY rowid")]


def _version(file: Path) -> int:
    con = sqlite3.connect(file)
    try:
        return con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


def test_migrations_are_applied_once_and_in_order(tmp_path):
    file = tmp_path / "x.sqlite"
    first = Database(file, LOGGED)
    assert _applied(first) == [1, 2, 3]
    with first.write() as con:
        con.execute("INSERT INTO later VALUES ('kept')")
    assert _applied(Database(file, LOGGED)) == [1, 2, 3]  # another object, same file
    assert _version(file) == 3

    grown = Database(file, (*LOGGED, "INSERT INTO applied VALUES (4);"))
    assert _applied(grown) == [1, 2, 3, 4]  # only the new one
    assert _version(file) == 4
    with grown.read() as con:
        assert con.execute("SELECT x FROM later").fetchall()[0]["x"] == "kept"


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path):
    file = tmp_path / "x.sqlite"
    broken = (
        *LOGGED[:2],
        "INSERT INTO applied VALUES (3); INSERT INTO nowhere VALUES (1);",
    )
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        Database(file, broken).ensure()
    assert _version(file) == 0
    con = sqlite3.connect(file)
    assert con.execute("SELECT name FROM sqlite_master").fetchall() == []
    con.close()
    assert _applied(Database(file, LOGGED)) == [1, 2, 3]  # fixed code: clean start


def test_a_file_of_newer_code_is_refused(tmp_path):
    file = tmp_path / "x.sqlite"
    Database(file, LOGGED).ensure()
    with pytest.raises(RuntimeError, match="version 3, newer than this code's 2"):
        Database(file, LOGGED[:2]).ensure()


# What each store's file looked like before store.sqlite: today's schema made by
# CREATE ... IF NOT EXISTS, user_version 0, with rows in it.
OLD_FILES = {
    "auth": (
        auth_db.SCHEMA,
        auth_db.MIGRATIONS,
        "INSERT INTO failures VALUES ('user:an', 2, 1.5, NULL)",
        "SELECT key, count FROM failures",
    ),
    "audit": (
        audit.SCHEMA,
        audit.MIGRATIONS,
        "INSERT INTO events (at, actor, action, prev_hash, hash)"
        " VALUES ('2026-01-01T00:00:00.000Z', 'user:an', 'login', '', 'h1')",
        "SELECT actor, hash FROM events",
    ),
    "wall_state": (
        wall_state.SCHEMA,
        wall_state.MIGRATIONS,
        "INSERT INTO sessions (id, created_at, updated_at) VALUES ('ABCDEF', 1, 2)",
        "SELECT id, mode, seq FROM sessions",
    ),
}


def _schema(file: Path) -> list[tuple]:
    con = sqlite3.connect(file)
    try:
        return con.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY name"
        ).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("store", sorted(OLD_FILES))
def test_a_file_made_before_migrations_upgrades_keeping_its_rows(tmp_path, store):
    schema, migrations, insert, select = OLD_FILES[store]
    old = tmp_path / "old.sqlite"
    con = sqlite3.connect(old)  # as the code before store.sqlite made it
    con.execute("PRAGMA journal_mode=WAL")
    con.executescript(schema)
    con.execute(insert)
    con.commit()
    rows = con.execute(select).fetchall()
    con.close()
    assert rows and _version(old) == 0

    database = Database(old, migrations)
    with database.read() as con:
        assert [tuple(r) for r in con.execute(select)] == rows
    # the schema as it was is migration 1; later migrations apply on top
    assert migrations[0] == schema and _version(old) == len(migrations)
    fresh = tmp_path / "fresh.sqlite"
    Database(fresh, migrations).ensure()
    assert _schema(old) == _schema(fresh)


class Boom(Exception):
    pass


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt, sqlite3.IntegrityError])
def test_a_failing_write_rolls_back_whole(tmp_path, error):
    database = Database(
        tmp_path / "x.sqlite",
        (
            "CREATE TABLE a (id INTEGER PRIMARY KEY);"
            "CREATE TABLE b (id INTEGER PRIMARY KEY, a INTEGER REFERENCES a(id));",
        ),
    )
    with database.write() as con:
        con.execute("INSERT INTO a VALUES (1)")
    with pytest.raises(error):
        with database.write() as con:
            con.execute("INSERT INTO a VALUES (2)")
            con.execute("INSERT INTO b VALUES (1, 2)")
            con.execute("UPDATE a SET id = 10 WHERE id = 1")
            if error is sqlite3.IntegrityError:
                con.execute("INSERT INTO a VALUES (2)")  # a duplicate key
            raise error()
    with database.read() as con:
        assert [r["id"] for r in con.execute("SELECT id FROM a")] == [1]
        assert con.execute("SELECT count(*) FROM b").fetchone()[0] == 0
    with database.write() as con:  # the lock was released
        con.execute("INSERT INTO a VALUES (3)")


def test_connections_are_durable_checked_and_reads_read_only(tmp_path):
    database = Database(
        tmp_path / "x.sqlite",
        (
            "CREATE TABLE a (id INTEGER PRIMARY KEY);"
            "CREATE TABLE b (a INTEGER NOT NULL REFERENCES a(id));",
        ),
    )
    with database.write() as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert con.row_factory is sqlite3.Row and con.isolation_level is None
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            con.execute("INSERT INTO b VALUES (7)")
    with database.read() as con:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            con.execute("INSERT INTO a VALUES (1)")
    with database.read() as con:
        assert con.execute("SELECT count(*) FROM a").fetchone()[0] == 0


def test_read_then_write_from_many_threads_loses_no_update(tmp_path):
    file = tmp_path / "x.sqlite"
    migrations = ("CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (0);",)
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            for _ in range(25):
                with Database(file, migrations).write() as con:
                    v = con.execute("SELECT v FROM n").fetchone()["v"]
                    con.execute("UPDATE n SET v = ?", [v + 1])
        except BaseException as exc:  # noqa: BLE001 - collected for the assert
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Database(file, migrations).read() as con:
        assert con.execute("SELECT v FROM n").fetchone()["v"] == 6 * 25


RACE = (
    "CREATE TABLE applied (n INTEGER NOT NULL); CREATE TABLE filler (x INTEGER);"
    "INSERT INTO applied VALUES (1);",
    # slow, to hold the lock while the others wait
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000)"
    " INSERT INTO filler SELECT x FROM c; INSERT INTO applied VALUES (2);",
    "CREATE TABLE only_once (x INTEGER); INSERT INTO applied VALUES (3);",
)


def _open_at_once(file: str, barrier, results) -> None:
    try:
        barrier.wait(timeout=30)
        with Database(file, RACE).read() as con:
            con.execute("SELECT count(*) FROM applied").fetchone()
        results.put("ok")
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        results.put(repr(exc))


def test_processes_starting_together_apply_each_migration_once(tmp_path):
    file = tmp_path / "race.sqlite"
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(4), context.Queue()
    workers = [
        context.Process(target=_open_at_once, args=(str(file), barrier, results))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert outcomes == ["ok"] * 4
    assert [w.exitcode for w in workers] == [0] * 4
    assert _applied(Database(file, RACE)) == [1, 2, 3]
    assert _version(file) == 3
    with Database(file, RACE).read() as con:
        assert con.execute("SELECT count(*) FROM filler").fetchone()[0] == 200000


def test_private_files_are_for_their_owner_only(tmp_path):
    private = Database(tmp_path / "p" / "secret.sqlite", LOGGED, private=True)
    with private.write() as con:
        con.execute("INSERT INTO later VALUES ('x')")
        files = sorted(private.path.parent.iterdir())  # the db, -wal and -shm
        modes = {f.name: stat.S_IMODE(f.stat().st_mode) for f in files}
    assert len(modes) == 3 and set(modes.values()) == {0o600}, modes

    shared = Database(tmp_path / "s" / "shared.sqlite", LOGGED)
    shared.ensure()
    assert stat.S_IMODE(shared.path.stat().st_mode) & 0o044  # others may read it


def test_a_deleted_file_is_made_again_with_its_schema(tmp_path):
    database = Database(tmp_path / "x.sqlite", LOGGED, private=True)
    assert _applied(database) == [1, 2, 3]
    database.path.unlink()
    assert _applied(database) == [1, 2, 3]
    assert stat.S_IMODE(database.path.stat().st_mode) == 0o600


def test_scripts_split_into_whole_statements():
    script = """
    CREATE TABLE t (x TEXT);  -- a comment; with a semicolon
    CREATE TRIGGER t_no_delete BEFORE DELETE ON t
    BEGIN SELECT RAISE(ABORT, 'no; never'); SELECT 1; END;
    INSERT INTO t VALUES ('a;b');
    INSERT INTO t VALUES ('c')
    """
    parts = list(statements(script))
    assert len(parts) == 4
    assert parts[1].startswith("-- a comment") and parts[1].endswith("END;")
    assert parts[2] == "INSERT INTO t VALUES ('a;b');"
    assert parts[3] == "INSERT INTO t VALUES ('c')"
    con = sqlite3.connect(":memory:")
    for part in parts:
        con.execute(part)
    assert con.execute("SELECT x FROM t").fetchall() == [("a;b",), ("c",)]


def test_write_durably_replaces_a_file_whole(tmp_path):
    file = tmp_path / "d" / "CURRENT"
    write_durably(file, b"first", private=True)
    write_durably(file, b"second", private=True)
    assert file.read_bytes() == b"second"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert [p.name for p in file.parent.iterdir()] == ["CURRENT"]  # no draft left


WRITER = """
import sys
from store.sqlite import Database

database = Database(sys.argv[1], (
    "CREATE TABLE acks (id INTEGER PRIMARY KEY, pad BLOB NOT NULL);"
    "CREATE TABLE pads (id INTEGER NOT NULL REFERENCES acks(id), pad BLOB);",
))
i = int(sys.argv[2])
while True:
    with database.write() as con:
        con.execute("INSERT INTO acks VALUES (?, randomblob(3000))", [i])
        con.execute("INSERT INTO pads VALUES (?, randomblob(1000))", [i])
    print(i, flush=True)  # acknowledged: committed
    i += 1
"""


def test_every_acknowledged_write_survives_kill_9(tmp_path):
    file = tmp_path / "acks.sqlite"
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    acknowledged: list[int] = []
    killed = 0
    deadline = time.monotonic() + 90
    for round_ in range(12):
        assert time.monotonic() < deadline, f"too slow (seed {seed})"
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(file), str(round_ * 10**6)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        out = ""
        try:
            if round_ % 3:  # mostly once it writes; else maybe while it migrates
                out = writer.stdout.readline()
                assert out.strip(), f"round {round_}: no write"
            time.sleep(rng.uniform(0, 0.3))
            writer.send_signal(signal.SIGKILL)
            out += writer.communicate(timeout=30)[0]
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
        killed += writer.returncode == -signal.SIGKILL
        lines = out.split("\n")[:-1]  # a line cut short by the kill is not one
        acknowledged += [int(line) for line in lines if line.strip()]
    assert killed == 12, f"seed {seed}"
    assert len(acknowledged) > 12, f"seed {seed}: too few writes to mean anything"

    con = sqlite3.connect(file)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = {r[0] for r in con.execute("SELECT id FROM acks")}
    finally:
        con.close()
    lost = sorted(set(acknowledged) - stored)
    assert lost == [], f"seed {seed}: acknowledged but lost"


def test_store_imports_only_the_standard_library_settings_and_core():
    allowed = set(sys.stdlib_module_names) | {"settings", "core", "store"}
    seen = {}
    for module in sorted((ROOT / "store").glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            seen.update((name.split(".")[0], module.name) for name in names)
    assert {"sqlite3", "settings"} <= set(seen)  # the walk found the imports
    assert {n: m for n, m in seen.items() if n not in allowed} == {}
