"""Shared fixtures.

ETL fixtures (tests/unit/test_etl_*.py): submission files written in tmp_path
and warehouses whose data directory is tmp_path, never the repository's data/.

Dash's pages state (the page registry, the config register_page reads, the
current app) is put back as it was after every test and every test module
(keep_pages_state), as Dash's own tests reset it (clear_pages_state); the real
app's pages are installed only while a fixture serves it (tests/pages_state.py
the_app).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import duckdb
import pytest

from data.store import Layout, read_current
from tests.pages_state import empty_pages_state, kept_pages_state, set_pages_state

# Columns of a full submission row, in the order the ETL fixtures write them.
ETL_HEADER = (
    "indicator_code",
    "unit_code",
    "unit_name",
    "period",
    "value",
    "kind",
    "reporter",
)

# The figure of the contract's example: Quảng Ninh's budget revenue to August 2020
# against its annual plan.
ETL_SEED_ROWS = (
    {
        "indicator_code": "NS.01",
        "unit_code": "22",
        "period": "2020-08",
        "value": "29915",
    },
    {
        "indicator_code": "NS.01",
        "unit_code": "22",
        "period": "2020",
        "kind": "target",
        "value": "45053",
    },
)


def _as_lists(rows: Iterable[dict | Sequence], header: Sequence[str]) -> list[list]:
    out = []
    for row in rows:
        if isinstance(row, dict):
            out.append(["" if row.get(c) is None else row.get(c) for c in header])
        else:
            out.append(list(row))
    return out


class SubmissionFiles:
    """Writes submission files in a folder; every method returns the path."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def csv(
        self,
        name: str,
        rows: Iterable[dict | Sequence],
        header: Sequence[str] = ETL_HEADER,
        delimiter: str = ",",
        bom: bool = False,
        blank_lines_before: int = 0,
        line_end: str = "\n",
    ) -> Path:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
        writer.writerow(header)
        writer.writerows(_as_lists(rows, header))
        text = line_end * blank_lines_before + buffer.getvalue()
        path = self.folder / name
        path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
        return path

    def xlsx(
        self,
        name: str,
        rows: Iterable[dict | Sequence],
        header: Sequence[str] = ETL_HEADER,
        sheet: str | None = None,
        blank_rows_before: int = 0,
        other_sheet_first: bool = False,
    ) -> Path:
        from openpyxl import Workbook

        book = Workbook()
        first = book.active
        if other_sheet_first:
            first.title = "notes"
            first.append(["this sheet is not the data"])
            first.append(["indicator_code", "unit_code", "period", "value"])
            first.append(["NS.99", "99", "bad", "bad"])
            target = book.create_sheet(sheet or "data")
        else:
            target = first
            if sheet:
                target.title = sheet
        for _ in range(blank_rows_before):
            target.append([None])
        target.append(list(header))
        for row in _as_lists(rows, header):
            target.append([None if cell == "" else cell for cell in row])
        path = self.folder / name
        book.save(path)
        return path

    def json(self, name: str, rows: list, reporter: str | None = None) -> Path:
        document: dict = {"rows": rows}
        if reporter is not None:
            document = {"reporter": reporter, "rows": rows}
        return self.raw(name, json.dumps(document, ensure_ascii=False).encode())

    def raw(self, name: str, content: bytes | str) -> Path:
        path = self.folder / name
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path


class Warehouse:
    """A data directory under tmp_path, with the calls the ETL tests make on it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.layout = Layout(root)

    def load(
        self,
        *paths: Path,
        accept_valid_rows: bool = False,
        operator: str = "pytest",
        reporter: str | None = None,
        submitted_at=None,
    ):
        from etl.run import Submission, load_files

        subs = [Submission(Path(p), reporter, submitted_at) for p in paths]
        return load_files(subs, self.root, accept_valid_rows, operator)

    def current(self):
        return read_current(self.root)

    def current_id(self) -> str | None:
        snap = self.current()
        return snap.snapshot_id if snap else None

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        snap = self.current()
        assert snap is not None, "nothing published yet"
        with duckdb.connect(str(snap.path), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()

    def scalar(self, sql: str, params: Sequence = ()):
        return self.query(sql, params)[0][0]

    def observations(self) -> set[tuple]:
        """(indicator, unit, period, kind, value) of every current figure."""
        if self.current() is None:
            return set()
        return set(
            self.query(
                "SELECT indicator_code, unit_code, period, kind, value FROM observations"
            )
        )

    def history_count(self) -> int:
        if self.current() is None:
            return 0
        return self.scalar("SELECT count(*) FROM observation_history")

    def rejected_files(self) -> list[Path]:
        """Kept copies of rejected files (not their reports)."""
        if not self.layout.rejected.exists():
            return []
        return sorted(
            p
            for p in self.layout.rejected.iterdir()
            if not p.name.endswith((".report.txt", ".report.json"))
        )


@pytest.fixture
def submissions(tmp_path: Path) -> SubmissionFiles:
    """Writes submission files (CSV, XLSX, JSON, raw bytes) under tmp_path/in."""
    return SubmissionFiles(tmp_path / "in")


@pytest.fixture(scope="session")
def make_submissions():
    """Factory: a SubmissionFiles writer for any folder (for module-scoped data)."""
    return SubmissionFiles


@pytest.fixture(scope="session")
def make_warehouse():
    """Factory: a Warehouse for any data directory (for module-scoped data)."""
    return Warehouse


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Warehouse:
    """An empty data directory; CC_DATA_DIR points at it so nothing reaches data/."""
    root = tmp_path / "warehouse"
    monkeypatch.setenv("CC_DATA_DIR", str(root))
    return Warehouse(root)


@pytest.fixture(scope="session")
def _etl_seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("etl_seed")
    seed = SubmissionFiles(folder / "in").csv("seed.csv", ETL_SEED_ROWS)
    root = folder / "warehouse"
    result = Warehouse(root).load(seed)
    assert result.published and result.ok, result
    return root


@pytest.fixture(scope="session")
def make_seeded_warehouse(_etl_seeded_template: Path):
    """Factory: a copy of the seeded data directory at `root` (any scope)."""

    def make(root: Path) -> Warehouse:
        shutil.copytree(_etl_seeded_template, root)
        return Warehouse(root)

    return make


@pytest.fixture
def seeded_warehouse(
    make_seeded_warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Warehouse:
    """A data directory with one published snapshot holding ETL_SEED_ROWS."""
    root = tmp_path / "warehouse"
    monkeypatch.setenv("CC_DATA_DIR", str(root))
    return make_seeded_warehouse(root)


# --- a real redis-server for the shared cache (tests/unit/test_cache_redis.py,
# the refresh-under-load tests): started on a free port of 127.0.0.1, stopped after.


def free_local_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory):
    """redis://127.0.0.1:<port>/0 of a redis-server that lives for the session
    (no persistence); skipped when redis-server is not installed."""
    import subprocess
    import time

    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    import redis

    port = free_local_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [
            exe,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
            "--protected-mode",
            "yes",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- Dash's pages state (tests/pages_state.py): put back after every test and
# every test module, whatever they registered.


@pytest.fixture(scope="module", autouse=True)
def keep_pages_state_per_module() -> Iterator[None]:
    """What a module's fixtures register (import_pages in a module fixture, the
    real app of `web`) is gone after the module."""
    with kept_pages_state():
        yield


@pytest.fixture(autouse=True)
def keep_pages_state() -> Iterator[None]:
    """What a test registers is gone after the test."""
    with kept_pages_state():
        yield


@pytest.fixture
def clear_pages_state() -> Iterator[None]:
    """No page registered and no app during the test (Dash's own fixture of that
    name); the state before is put back after."""
    with kept_pages_state():
        set_pages_state(empty_pages_state())
        yield
