"""The national-scale generator (etl.demo.scale), at a small size: standard
submission files that pass every check, across the 2025 reform, with
corrections that change values; the same files for the same seed."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest

from etl.demo.scale import generate
from etl.run import validate_files

NOW = datetime(2025, 10, 20, 12)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale") / "national"
    return root, generate(
        root, seed=7, until="2025-09", first_year=2025, commune_share=0.01, now=NOW
    )


def test_the_files_are_large_standard_submissions_that_pass_every_check(files):
    root, made = files
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.csv"))
    assert names == [
        "2025/actuals-2025-communes.csv",
        "2025/actuals-2025-provinces.csv",
        "2025/corrections-2025-communes.csv",
        "2025/corrections-2025-provinces.csv",
        "targets.csv",
    ]
    result = validate_files(made.main + made.corrections)
    assert [(o.path.name, o.errors[:3]) for o in result.outcomes if o.errors] == []
    main = result.outcomes[: len(made.main)]
    assert made.rows == sum(o.rows_in_file for o in main)
    assert 0.05 < made.revised_rows / made.rows < 0.1


def test_the_reform_splits_the_units_by_period(files):
    root, _ = files
    with open(root / "2025" / "actuals-2025-provinces.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    before = {r["unit_code"] for r in rows if r["period"] == "2025-06"}
    after = {r["unit_code"] for r in rows if r["period"] == "2025-07"}
    assert len(before - {"00"}) == 63 and len(after - {"00"}) == 34


def test_same_seed_same_files(files, tmp_path):
    root, _ = files
    again = tmp_path / "again"
    generate(
        again, seed=7, until="2025-09", first_year=2025, commune_share=0.01, now=NOW
    )
    for path in root.rglob("*.csv"):
        assert (again / path.relative_to(root)).read_bytes() == path.read_bytes()
