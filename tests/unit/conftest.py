"""Unit-test fixtures: the data layer is read with every scope unless a test
says otherwise (auth.context.use_scope), granted explicitly here."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _system_scope_for_the_tests():
    from auth.context import grant_process_scope
    from auth.scope import SYSTEM

    grant_process_scope(SYSTEM)
    yield
    grant_process_scope(None)


# --- a small warehouse for the scope tests (tests/unit/test_auth_*.py) ---------
# Quảng Ninh (22, unchanged by the 2025 merger), Hà Nội (01), Tuyên Quang (new
# 08 = old 08 + old 02 Hà Giang), communes of 22, 01 and 02, the nation (00);
# NS.01 and KT.02 are owned by BTC, CPS.04 by VPCP, YT.08 by BYT. Every value
# of another province than 22 is distinctive, so a leak shows in any response.
LEAK_VALUES = {"01": 7777.0, "02": 3333.0, "commune_01": 3434.0}
SCOPE_ROWS = [
    # indicator, unit, period, value, kind
    ("NS.01", "22", "2024-08", "1000", "actual"),
    ("NS.01", "22", "2024", "1500", "target"),
    ("NS.01", "01", "2024-08", "7777", "actual"),
    ("NS.01", "01", "2024", "9999", "target"),
    ("NS.01", "02", "2024-08", "3333", "actual"),
    ("NS.01", "08", "2024-08", "444", "actual"),
    ("NS.01", "22", "2026-08", "1100", "actual"),
    ("NS.01", "22", "2026", "1600", "target"),
    ("NS.01", "01", "2026-08", "8888", "actual"),
    ("NS.01", "08", "2026-08", "5555", "actual"),
    ("NS.01", "00", "2026-08", "99999", "actual"),
    ("KT.02", "22", "2026-Q2", "2200", "actual"),
    ("KT.02", "01", "2026-Q2", "6666", "actual"),
    ("CPS.04", "22", "2024-08", "120", "actual"),
    ("CPS.04", "01", "2024-08", "340", "actual"),
    ("CPS.04", "06649", "2024-08", "12", "actual"),
    ("CPS.04", "00001", "2024-08", "3434", "actual"),
    ("CPS.04", "00688", "2024-08", "56", "actual"),
    ("YT.08", "22", "2026-08", "70", "actual"),
    ("YT.08", "01", "2026-08", "7070", "actual"),
]


@pytest.fixture(scope="session")
def scope_warehouse_dir(tmp_path_factory, make_submissions, make_warehouse):
    """A published warehouse with SCOPE_ROWS and one rejected file."""
    folder = tmp_path_factory.mktemp("scope_warehouse")
    files = make_submissions(folder / "in")
    header = ("indicator_code", "unit_code", "period", "value", "kind")
    good = files.csv("scope.csv", SCOPE_ROWS, header=header)
    bad = files.csv("UBND-01_bad.csv", [("NS.01", "01", "2026-09", "7.777,5",
                                         "actual")], header=header)
    warehouse = make_warehouse(folder / "warehouse")
    result = warehouse.load(good, bad)
    assert result.published, [o.summary() for o in result.outcomes]
    return warehouse.root


@pytest.fixture
def scope_warehouse(scope_warehouse_dir, monkeypatch, tmp_path):
    """CC_DATA_DIR on the scope warehouse; accounts and audit in tmp_path."""
    monkeypatch.setenv("CC_DATA_DIR", str(scope_warehouse_dir))
    monkeypatch.setenv("CC_AUTH_DIR", str(tmp_path / "auth"))
    return scope_warehouse_dir
