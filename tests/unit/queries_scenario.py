"""The scenario of the data layer's tests (tests/unit/test_queries_*.py): its
figures and one_row; tests/unit/conftest.py loads it once (queries_warehouse)
and points CC_DATA_DIR at it for a test (queries_data_dir).

Two files, so that one figure has a revision; the scenario spans the 2025
reform: Quảng Ninh (22), Hà Nội (01), Nghệ An (40) in 2020 with their annual
plans, Hà Giang (02) + Tuyên Quang (08) -> Tuyên Quang (08) before and after the
merger, a national figure, a ratio pair CPS.01/CPS.02 and a commune in each era.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

A, T = "actual", "target"
SUBMITTED_FIRST = dt.datetime(2020, 9, 5, 8, 0)
SUBMITTED_SECOND = dt.datetime(2020, 9, 15, 8, 0)

FIRST = [
    # % of plan and ranks (direction up), 2020
    ("NS.01", "22", "2020-08", A, 29915),
    ("NS.01", "22", "2020", T, 45053),
    ("NS.01", "01", "2020-08", A, 27000),
    ("NS.01", "01", "2020", T, 45053),
    ("NS.01", "40", "2020-08", A, 20000),
    ("NS.01", "40", "2020", T, 45053),
    # direction 'down' (traffic accidents: fewer ranks first)
    ("GT.01", "22", "2020-08", A, 50),
    ("GT.01", "01", "2020-08", A, 30),
    ("GT.01", "40", "2020-08", A, 70),
    # a rate (not summed: a regional mean)
    ("KT.01", "22", "2020-Q3", A, 7.0),
    ("KT.01", "01", "2020-Q3", A, 5.0),
    # the ratio pair: CPS.03 = CPS.02 / CPS.01 * 100
    ("CPS.01", "22", "2020-08", A, 1552),
    ("CPS.02", "22", "2020-08", A, 518),
    # the merger: Hà Giang (02) + Tuyên Quang (08) -> Tuyên Quang (08)
    ("NS.01", "02", "2024-03", A, 100),
    ("NS.01", "08", "2024-03", A, 200),
    ("NS.01", "02", "2025-03", A, 110),
    ("NS.01", "08", "2025-03", A, 220),
    ("NS.01", "08", "2026-03", A, 400),
    ("CPS.01", "02", "2024-03", A, 100),
    ("CPS.01", "08", "2024-03", A, 300),
    ("CPS.02", "02", "2024-03", A, 50),
    ("CPS.02", "08", "2024-03", A, 60),
    # a national figure reported by the ministry
    ("NS.01", "00", "2025-03", A, 5000),
    # a commune of Quảng Ninh in each era (the code 06652 names two communes)
    ("XH.02", "06649", "2020-08", A, 12),
    ("XH.02", "06652", "2025-08", A, 15),
]
SECOND = [
    ("NS.01", "40", "2020-08", A, 21000),  # a revision of the first file's figure
    ("NS.01", "01", "2020-07", A, 20000),  # July, sent after its deadline
]


def _rows(rows):
    return [
        {"indicator_code": i, "unit_code": u, "period": p, "kind": k, "value": str(v)}
        for i, u, p, k, v in rows
    ]


def load_scenario(folder: Path, make_submissions, make_warehouse):
    """The scenario loaded by the ETL into folder/warehouse (a Warehouse of
    tests/conftest.py): FIRST on SUBMITTED_FIRST, then SECOND."""
    files = make_submissions(folder / "in")
    warehouse = make_warehouse(folder / "warehouse")
    first = warehouse.load(
        files.csv("first.csv", _rows(FIRST)), submitted_at=SUBMITTED_FIRST
    )
    assert first.outcomes[0].status == "loaded", first.outcomes[0].errors
    second = warehouse.load(
        files.csv("second.csv", _rows(SECOND)), submitted_at=SUBMITTED_SECOND
    )
    assert second.outcomes[0].status == "loaded", second.outcomes[0].errors
    return warehouse


def one_row(frame: pd.DataFrame, **match) -> dict:
    """The one row of `frame` whose columns have the values of `match`."""
    mask = pd.Series(True, index=frame.index)
    for column, value in match.items():
        mask &= frame[column] == value
    rows = frame[mask]
    assert len(rows) == 1, (match, rows)
    return rows.iloc[0].to_dict()
