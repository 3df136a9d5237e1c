"""The demo data: standard files that all load, reproducible, with the real
Quảng Ninh figures of seed_facts.csv, revisions, and the 34 provinces after the
reform. The demo is generated and loaded once (2019-01 .. 2020-12)."""

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from data.store import read_current
from etl.demo import plan_demo, run_demo, write_demo
from etl.demo.files import period_end
from etl.demo.write import write_file
from etl.readers import read_file
from etl.reference import load_reference
from etl.units import NameIndex


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    result = run_demo(data_dir, seed=1, until="2020-12")
    return data_dir, result


@pytest.fixture(scope="module")
def con(demo):
    current = read_current(demo[0])
    assert current is not None
    with duckdb.connect(str(current.path), read_only=True) as connection:
        yield connection


def one(con, sql, *params):
    row = con.execute(sql, list(params)).fetchone()
    assert row is not None, sql
    return row[0]


def test_everything_loads_but_the_deliberate_bad_file(demo):
    _, result = demo
    assert result.published and result.snapshot_id
    rejected = [o for o in result.outcomes if o.status != "loaded"]
    assert [o.path.name for o in rejected] == ["UBND-79_KTXH_M_2020-12_bad.csv"]
    assert rejected[0].status == "rejected"
    assert {e.value for e in rejected[0].errors} == {"29.915,5", "KT.99"}
    assert len(result.outcomes) > 5000


def test_files_are_in_the_standard_format(demo):
    root = demo[0] / "demo"
    files = sorted(p for p in root.rglob("*") if p.is_file())
    by_ext = {
        ext: [p for p in files if p.suffix == ext] for ext in (".csv", ".xlsx", ".json")
    }
    assert sum(map(len, by_ext.values())) == len(files)
    assert len(by_ext[".xlsx"]) >= 6 and len(by_ext[".json"]) >= 100
    for path in files[::25] + by_ext[".xlsx"]:
        parsed = read_file(path)
        if not path.name.endswith("_bad.csv"):
            assert not parsed.problems, (path, parsed.problems)
            assert not parsed.ignored_columns
    for path in by_ext[".xlsx"]:
        assert "data" in load_workbook(path, read_only=True).sheetnames
    doc = json.loads(next(p for p in by_ext[".json"] if "_BO_M_" in p.name).read_text())
    assert doc["reporter"] and doc["rows"][0]["indicator_code"]
    csv_texts = [p.read_bytes() for p in by_ext[".csv"][:3000]]
    assert any(
        t.startswith(b"\xef\xbb\xbf") and b";" in t.split(b"\n")[0] for t in csv_texts
    ), "some semicolon CSV with a BOM"
    headers = {t.split(b"\n")[0].decode("utf-8-sig").strip() for t in csv_texts}
    assert any("unit_name" in h for h in headers), "some files name their units"


def test_same_seed_same_files(demo, tmp_path):
    """A second generation with the same seed writes the same bytes."""
    write_demo(tmp_path, seed=1, until="2020-12")
    assert digests(tmp_path / "demo") == digests(demo[0] / "demo")


def figure(con, code, unit, period, kind="actual"):
    return one(
        con,
        "SELECT value FROM observations WHERE indicator_code = ? "
        "AND unit_code = ? AND period = ? AND kind = ?",
        code,
        unit,
        period,
        kind,
    )


def series(con, code, unit, period, geo="2020"):
    return con.execute(
        "SELECT value, computed FROM m_series WHERE geo = ? AND kind = 'actual' "
        "AND indicator_code = ? AND unit_code = ? AND period = ?",
        [geo, code, unit, period],
    ).fetchone()


def test_quang_ninh_figures_of_august_2020(con):
    assert figure(con, "NS.01", "22", "2020-08") == 29915
    pct, vs_last_year = con.execute(
        "SELECT pct_of_target, pct_vs_last_year FROM m_progress WHERE geo = '2020' "
        "AND indicator_code = 'NS.01' AND unit_code = '22' AND period = '2020-08'"
    ).fetchone()
    assert pct == pytest.approx(66.4, abs=0.05)
    assert vs_last_year == pytest.approx(96.0, abs=0.05)
    share, computed = series(con, "CPS.03", "22", "2020-08")
    assert computed and share == pytest.approx(33.4, abs=0.05)
    assert series(con, "CPS.07", "22", "2020-08")[0] == pytest.approx(99.0, abs=0.05)
    assert one(
        con,
        "SELECT pct_of_target FROM m_progress WHERE geo = '2020' "
        "AND indicator_code = 'DT.01' AND unit_code = '22' "
        "AND period = '2020-08'",
    ) == pytest.approx(90.1, abs=0.05)  # of the Prime Minister's plan, the primary
    assert one(
        con,
        "SELECT pct_of_target FROM m_plans WHERE geo = '2020' AND basis = 'HDND' "
        "AND indicator_code = 'DT.01' AND unit_code = '22' AND period = '2020-08'",
    ) == pytest.approx(59.4, abs=0.05)  # of the province's own plan
    assert figure(con, "KT.01", "22", "2020-Q2") == 5.7
    assert figure(con, "CPS.03", "22", "2020", kind="target") == 30
    assert figure(con, "CPS.02", "00", "2020-06") == 725
    assert (
        one(
            con,
            "SELECT reporter FROM observations WHERE indicator_code = 'CPS.02' "
            "AND unit_code = '00' AND period = '2020-06'",
        )
        == "VPCP"
    )


def test_revisions_and_submission_times(demo, con):
    assert one(con, "SELECT max(revision) FROM observation_history") >= 3
    assert one(con, "SELECT count(*) FROM observations WHERE revision > 1") >= 30
    latest = one(con, "SELECT max(submitted_at) FROM loads")
    assert latest <= datetime(2021, 1, 15) and latest.year == 2021
    late = one(
        con,
        "SELECT avg((submitted_at > period_end(p) + INTERVAL 20 DAY)::INT) "
        "FROM (SELECT submitted_at, regexp_extract(source_file, "
        "'_(\\d{4}-\\d{2})\\.', 1) AS p FROM loads) WHERE p <> ''",
    )
    assert 0 < late < 0.15


def test_what_is_reported_and_what_is_computed(con):
    ratio_actuals = one(
        con,
        "SELECT count(*) FROM observations o "
        "JOIN indicators i ON i.code = o.indicator_code "
        "WHERE i.aggregation = 'ratio' AND o.kind = 'actual'",
    )
    assert ratio_actuals == 0
    national_sums = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT o.indicator_code FROM observations o JOIN indicators i "
            "ON i.code = o.indicator_code WHERE o.unit_code = '00' AND o.kind = 'actual' "
            "AND i.aggregation = 'sum' AND i.levels LIKE '%province%'"
        ).fetchall()
    }
    assert "NS.01" in national_sums and "CT.02" not in national_sums
    assert (
        one(
            con,
            "SELECT count(DISTINCT unit_code) FROM observations "
            "WHERE length(unit_code) = 5",
        )
        == 12
    )  # 4 communes x 3 provinces
    assert (
        one(
            con,
            "SELECT count(DISTINCT unit_code) FROM observations "
            "WHERE length(unit_code) = 2 AND unit_code <> '00'",
        )
        == 63
    )


def test_after_the_reform_only_the_34_provinces(tmp_path):
    """Post-reform files (written, read back, names resolved like the ETL does)
    carry only the 34 provinces, their new communes and the country."""
    plan = plan_demo(seed=3, until="2025-09")
    post = [f for f in plan.sent if period_end(f.period) > date(2025, 6, 30)]
    assert len(post) > 500
    assert {f.era for f in post} == {"new"}
    con = duckdb.connect()
    load_reference(con)
    new = {
        r[0]
        for r in con.execute(
            "SELECT unit_code FROM units WHERE valid_from >= DATE '2025-07-01'"
        ).fetchall()
    }
    index = NameIndex(con)
    seen = set()
    for f in post:
        parsed = read_file(write_file(tmp_path, f, plan.names, plan.until))
        assert not parsed.problems
        codes = {c for c in parsed.cells["unit_code"] if c}
        start, end = date(2025, 7, 1), period_end(f.period)
        for name in {n for n in parsed.cells["unit_name"] if n}:
            resolved = index.resolve(name, start, end)
            assert resolved.unit_code, (f.key, name, resolved.problem)
            codes.add(resolved.unit_code)
        assert codes <= new | {"00"}, (f.key, codes - new)
        seen |= codes
    assert len({c for c in seen if len(c) == 2} - {"00"}) == 34
    assert len({c for c in seen if len(c) == 5}) == 12
