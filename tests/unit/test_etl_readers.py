"""Reading submissions: formats, headers, cell types, and unit names."""

from __future__ import annotations

import unicodedata
from datetime import date

import duckdb
import pytest

from etl.readers import read_file
from etl.reference import load_reference
from etl.run import Submission, validate_files
from etl.units import NameIndex, normalize_name

# --- formats and headers, loaded together into one warehouse ----------------------


@pytest.fixture(scope="module")
def formats(tmp_path_factory, make_submissions, make_seeded_warehouse):
    folder = tmp_path_factory.mktemp("formats")
    files = make_submissions(folder / "in")
    header = (
        " Indicator_Code ",
        "UNIT_CODE",
        " period",
        "Value ",
        "KIND",
        "Note",
        "comment",
    )
    semi = files.csv(
        "semi.csv",
        [
            ("ns.01", "01", "2020-08", "29915.5", "", "tạm tính", "x"),
            ("NS.01", " 01 ", " 2020 ", "45053", "Target", "", ""),
            ("KT.02", "01", "2020-q3", "123.5", "", "", ""),
        ],
        header=header,
        delimiter=";",
        bom=True,
    )
    book = files.xlsx(
        "book.xlsx",
        [
            ("NS.01", 1, "2021-01", 100.25, None),
            ("NS.01", 22, 2021, 5000, "target"),
            ("CPS.01", "22", "2021-01", 1552, None),
        ],
        header=("indicator_code", "unit_code", "period", "value", "kind"),
        sheet="Data",
        other_sheet_first=True,
    )
    first_sheet = files.xlsx(
        "first.xlsx",
        [("NS.01", 40, "2021-03", 12)],
        header=("indicator_code", "unit_code", "period", "value"),
        sheet="Báo cáo",
    )
    js = files.json(
        "sub.json",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "40",
                "period": "2021-02",
                "value": 77,
            },
            {
                "Indicator_Code": "NS.01",
                "unit_name": "Nghệ An",
                "period": "2021",
                "kind": "target",
                "value": "900.5",
                "basis": "Nghị quyết 12/NQ-HĐND",
            },
        ],
        reporter="BTC",
    )
    warehouse = make_seeded_warehouse(folder / "warehouse")
    result = warehouse.load(semi, book, first_sheet, js)
    return warehouse, result, {o.path.name: o for o in result.outcomes}


def _figure(warehouse, indicator, unit, period, kind="actual"):
    rows = warehouse.query(
        "SELECT value, reporter, note, basis FROM observations WHERE indicator_code = ?"
        " AND unit_code = ? AND period = ? AND kind = ?",
        [indicator, unit, period, kind],
    )
    assert len(rows) == 1, (indicator, unit, period, kind, rows)
    return rows[0]


def test_every_format_loads(formats):
    _, result, outcomes = formats
    assert {n: o.status for n, o in outcomes.items()} == {
        "semi.csv": "loaded",
        "book.xlsx": "loaded",
        "first.xlsx": "loaded",
        "sub.json": "loaded",
    }
    assert result.published
    assert [o.rows_new for o in result.outcomes] == [3, 3, 1, 2]


def test_semicolon_csv_with_bom_and_loose_header(formats):
    warehouse, _, outcomes = formats
    assert _figure(warehouse, "NS.01", "01", "2020-08")[:3] == (
        29915.5,
        "UBND-01",
        "tạm tính",
    )
    assert _figure(warehouse, "NS.01", "01", "2020", "target")[0] == 45053
    # the quarter is normalised to upper case
    assert _figure(warehouse, "KT.02", "01", "2020-Q3")[0] == 123.5
    assert outcomes["semi.csv"].ignored_columns == ["comment"]


def test_xlsx_numeric_cells_and_the_data_sheet(formats):
    warehouse, _, _ = formats
    # unit_code typed as the number 1 or 22 is the code "01" or "22"
    assert _figure(warehouse, "NS.01", "01", "2021-01")[0] == 100.25
    # a year typed as a number is the period "2021"
    assert _figure(warehouse, "NS.01", "22", "2021", "target")[0] == 5000
    assert _figure(warehouse, "CPS.01", "22", "2021-01")[0] == 1552
    # the sheet named "data" is read, not the first one
    assert (
        warehouse.scalar(
            "SELECT count(*) FROM observations WHERE indicator_code = 'NS.99'"
        )
        == 0
    )


def test_xlsx_without_a_data_sheet_reads_the_first_sheet(formats):
    warehouse, _, _ = formats
    assert _figure(warehouse, "NS.01", "40", "2021-03")[0] == 12


def test_json_with_a_file_level_reporter(formats):
    warehouse, _, _ = formats
    value, reporter, _, _ = _figure(warehouse, "NS.01", "40", "2021-02")
    assert (value, reporter) == (77, "BTC")
    value, reporter, _, basis = _figure(warehouse, "NS.01", "40", "2021", "target")
    assert (value, reporter, basis) == (900.5, "BTC", "Nghị quyết 12/NQ-HĐND")


def test_rows_without_a_reporter_are_reported_by_the_province(formats):
    warehouse, _, _ = formats
    assert _figure(warehouse, "CPS.01", "22", "2021-01")[1] == "UBND-22"


def test_json_file_level_reporter_is_checked_against_each_unit(submissions):
    path = submissions.json(
        "ubnd.json",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2021-02",
                "value": 1,
            },
            {
                "indicator_code": "NS.01",
                "unit_code": "40",
                "period": "2021-02",
                "value": 2,
            },
            # a reporter on the row wins over the file's
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2021-03",
                "value": 3,
                "reporter": "UBND-40",
            },
        ],
        reporter="UBND-22",
    )
    (outcome,) = validate_files([Submission(path)]).outcomes
    assert [(e.row, e.column, e.value) for e in outcome.errors] == [
        (2, "reporter", "UBND-22"),
        (3, "reporter", "UBND-40"),
    ]


def test_the_command_line_reporter_applies_to_rows_without_one(submissions):
    path = submissions.csv(
        "r.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "40",
                "period": "2021-02",
                "value": "1",
            },
        ],
    )
    assert validate_files([Submission(path, "BTC")]).outcomes[0].errors == []
    (outcome,) = validate_files([Submission(path, "UBND-22")]).outcomes
    assert [(e.row, e.column, e.value) for e in outcome.errors] == [
        (2, "reporter", "UBND-22")
    ]


def test_a_merged_province_committee_may_report_its_predecessors(submissions):
    # UBND-08 (the new Tuyên Quang) reporting old Hà Giang (02) for 2024
    path = submissions.csv(
        "r.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "02",
                "period": "2024-03",
                "value": "1",
                "reporter": "UBND-08",
            },
        ],
    )
    assert validate_files([Submission(path)]).outcomes[0].errors == []


def test_reader_keeps_cells_as_written(submissions):
    path = submissions.csv(
        "raw.csv",
        [
            {
                "indicator_code": " NS.01",
                "unit_code": "022",
                "period": "2020-08",
                "value": " 29915 ",
            },
        ],
    )
    parsed = read_file(path)
    assert parsed.problems == []
    assert parsed.cells["unit_code"] == ["022"]
    assert parsed.cells["value"] == [" 29915 "]
    assert parsed.value_num == [None]
    assert parsed.row_no == [2]


def test_xlsx_reader_types(submissions):
    path = submissions.xlsx(
        "t.xlsx",
        [("NS.01", 1, 2020, 29915), ("NS.01", 12345, "2020-08", 1.5)],
        header=("indicator_code", "unit_code", "period", "value"),
    )
    parsed = read_file(path)
    assert parsed.cells["unit_code"] == ["01", "12345"]
    assert parsed.cells["period"] == ["2020", "2020-08"]
    assert parsed.value_num == [29915.0, 1.5]


def test_an_xlsx_date_cell_is_not_reinterpreted_as_a_period(submissions):
    path = submissions.xlsx(
        "d.xlsx",
        [("NS.01", "22", date(2020, 8, 1), 5)],
        header=("indicator_code", "unit_code", "period", "value"),
    )
    (outcome,) = validate_files([Submission(path)]).outcomes
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "period")]


def test_an_xlsx_text_value_is_checked_like_csv(submissions):
    path = submissions.xlsx(
        "v.xlsx",
        [("NS.01", 22, "2020-08", "29.915,5")],
        header=("indicator_code", "unit_code", "period", "value"),
    )
    (outcome,) = validate_files([Submission(path)]).outcomes
    assert [(e.row, e.column, e.value) for e in outcome.errors] == [
        (2, "value", "29.915,5")
    ]


def test_a_repeated_header_column_is_ignored_not_merged(submissions):
    path = submissions.csv(
        "rep.csv",
        [("NS.01", "22", "2020-08", "5", "x")],
        header=("indicator_code", "unit_code", "period", "value", "Value"),
    )
    parsed = read_file(path)
    assert parsed.cells["value"] == ["5"]
    assert parsed.ignored_columns == ["Value"]


# --- unit names -------------------------------------------------------------------


@pytest.fixture(scope="module")
def names():
    con = duckdb.connect()
    load_reference(con)
    yield NameIndex(con)
    con.close()


Y2024 = (date(2024, 3, 1), date(2024, 3, 31))
Y2026 = (date(2026, 3, 1), date(2026, 3, 31))
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))

NAMES = [
    ("nfc", "Quảng Ninh", Y2024, "22"),
    ("nfd", unicodedata.normalize("NFD", "Quảng Ninh"), Y2024, "22"),
    ("nfd-2026", unicodedata.normalize("NFD", "Quảng Ninh"), Y2026, "22"),
    ("province-prefix", "Tỉnh Quảng Ninh", Y2024, "22"),
    ("prefix-nfd", unicodedata.normalize("NFD", "Tỉnh Quảng Ninh"), Y2024, "22"),
    ("upper-case", "QUẢNG NINH", Y2024, "22"),
    ("lower-case", "quảng ninh", Y2024, "22"),
    ("extra-spaces", "  Quảng   Ninh ", Y2024, "22"),
    ("english-alias", "Quang Ninh", Y2024, "22"),
    ("english-alias-2026", "Quang Ninh Province", Y2026, "22"),
    ("tp-dot", "TP. Hồ Chí Minh", Y2024, "79"),
    ("thanh-pho", "Thành phố Hồ Chí Minh", Y2024, "79"),
    ("thanh-pho-2026", "Thành phố Hồ Chí Minh", Y2026, "79"),
    ("hcmc-english", "Ho Chi Minh City", Y2024, "79"),
    ("tphcm", "TPHCM", Y2026, "79"),
    ("hue-hyphen", "Thừa Thiên-Huế", Y2024, "46"),
    ("hue-space", "Thừa Thiên Huế", Y2024, "46"),
    ("hue-space-2026", "Thừa Thiên Huế", Y2026, "46"),
    ("hue-new-name", "Huế", Y2026, "46"),
    ("hanoi-english", "Hanoi", Y2024, "01"),
    ("bac-ninh-2024", "Bắc Ninh", Y2024, "27"),
    ("bac-ninh-2026", "Bắc Ninh", Y2026, "24"),
    ("bac-ninh-ascii-2024", "Bac Ninh", Y2024, "27"),
    ("bac-ninh-ascii-2026", "Bac Ninh", Y2026, "24"),
    ("bac-ninh-year-2025-is-the-new-one", "Bắc Ninh", YEAR_2025, "24"),
    ("ha-giang-2024", "Hà Giang", Y2024, "02"),
    ("country", "Việt Nam", Y2026, "00"),
]


@pytest.mark.parametrize(
    "name, period, code", [pytest.param(*c[1:], id=c[0]) for c in NAMES]
)
def test_a_unit_name_resolves_to_its_code(names, name, period, code):
    resolution = names.resolve(name, *period)
    assert (resolution.unit_code, resolution.problem) == (code, None)


NAME_PROBLEMS = [
    ("dissolved-province", "Hà Giang", Y2026, "existed in this period"),
    ("unknown", "Atlantis", Y2024, "official name"),
    ("ambiguous-commune", "Xã Tân Hưng", Y2024, "could be"),
    ("empty-after-prefix", "Tỉnh", Y2024, "official name"),
]


@pytest.mark.parametrize(
    "name, period, fragment", [pytest.param(*c[1:], id=c[0]) for c in NAME_PROBLEMS]
)
def test_an_unknown_or_ambiguous_name_is_a_problem_never_a_guess(
    names, name, period, fragment
):
    resolution = names.resolve(name, *period)
    assert resolution.unit_code is None
    assert fragment in resolution.problem


def test_normalize_name_equates_the_written_forms():
    forms = {
        normalize_name(n)
        for n in (
            "Thừa Thiên-Huế",
            "Thừa Thiên Huế",
            "thừa thiên – huế",
            unicodedata.normalize("NFD", "Tỉnh Thừa Thiên Huế"),
        )
    }
    assert forms == {"thừa thiên huế"}


def test_names_resolve_end_to_end(warehouse, submissions):
    rows = [
        (unicodedata.normalize("NFD", "Quảng Ninh"), "2020-01", "22"),
        ("Tỉnh Quảng Ninh", "2020-02", "22"),
        ("TP. Hồ Chí Minh", "2020-01", "79"),
        ("Thành phố Hồ Chí Minh", "2020-02", "79"),
        ("Thừa Thiên-Huế", "2020-01", "46"),
        ("Thừa Thiên Huế", "2020-02", "46"),
        ("bắc ninh", "2024-01", "27"),
        ("Bắc Ninh", "2026-01", "24"),
    ]
    path = submissions.csv(
        "names.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_name": name,
                "period": period,
                "value": str(i),
            }
            for i, (name, period, _) in enumerate(rows, start=1)
        ],
    )
    result = warehouse.load(path)
    assert result.outcomes[0].status == "loaded", result.outcomes[0].errors
    assert {(u, p) for _, u, p, _, _ in warehouse.observations()} == {
        (code, period) for _, period, code in rows
    }
    assert warehouse.observations() == {
        ("NS.01", code, period, "actual", float(i))
        for i, (_, period, code) in enumerate(rows, start=1)
    }


def test_hà_giang_in_2026_is_an_error_end_to_end(submissions):
    path = submissions.csv(
        "hg.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_name": "Hà Giang",
                "period": "2024-01",
                "value": "1",
            },
            {
                "indicator_code": "NS.01",
                "unit_name": "Hà Giang",
                "period": "2026-01",
                "value": "1",
            },
        ],
    )
    (outcome,) = validate_files([Submission(path)]).outcomes
    assert [(e.row, e.column, e.value) for e in outcome.errors] == [
        (3, "unit_name", "Hà Giang")
    ]


def test_a_code_with_its_own_name_in_any_form_is_consistent(submissions):
    path = submissions.csv(
        "cn.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "unit_name": unicodedata.normalize("NFD", "Tỉnh Quảng Ninh"),
                "period": "2024-01",
                "value": "1",
            },
            {
                "indicator_code": "NS.01",
                "unit_code": "27",
                "unit_name": "Bắc Ninh",
                "period": "2024-01",
                "value": "1",
            },
            {
                "indicator_code": "NS.01",
                "unit_code": "24",
                "unit_name": "Bắc Ninh",
                "period": "2026-01",
                "value": "1",
            },
            {
                "indicator_code": "NS.01",
                "unit_code": "24",
                "unit_name": "Bắc Ninh",
                "period": "2024-02",
                "value": "1",
            },
        ],
    )
    (outcome,) = validate_files([Submission(path)]).outcomes
    # in 2024, 24 was Bắc Giang: the name of 27 does not fit it
    assert [(e.row, e.column) for e in outcome.errors] == [(5, "unit_name")]


# --- the fast CSV path (DuckDB) reads exactly what the Python reader reads ---------

FAST_CASES = {
    "plain": b"indicator_code,unit_code,period,value\nNS.01,22,2020-08,29915\n"
    b"NS.01,01,2020-08,5\n",
    "bom_semicolon_crlf": "\ufeffIndicator_Code;Unit_Code;Unit_Name;Period;Value;Note\r\n"
    "NS.01;;Tỉnh Quảng Ninh;2020-08; 29915 ;Số ước tính\r\n"
    "NS.02;22;;2020-Q3;1,5;\r\n".encode(),
    "blank_records_and_spaces": b"indicator_code,unit_code,period,value,kind\n"
    b" NS.01 ,022,2020-08,1,\n , ,\t, ,\n,,,,\nNS.01,22,2020,2,target\n"
    b"NS.01,22,2021,\xc2\xa0,\n",
    "ignored_and_repeated": b"value,indicator_code,extra,unit_code,period,Value\n"
    b"5,NS.01,x,22,2020-08,6\n7,NS.02,y,01,2020,8",
    "unicode_and_hash": "indicator_code,unit_name,period,value,reporter,note,basis\n"
    "CPS.04,Nghe\u0302\u0323 An,2026-01,12,UBND-40,#1 n/a,NQ 5/NQ-HĐND\n".encode(),
}
FALLBACK_CASES = {
    "quoted": b'indicator_code,unit_code,period,value\nNS.01,22,2020-08,"29,915"\n',
    "multi_line": b"indicator_code,unit_code,period,value,note\n"
    b'NS.01,22,2020-08,1,"a\nb"\nNS.01,22,2020-09,2,\n',
    "blank_lines": b"indicator_code,unit_code,period,value\n\nNS.01,22,2020-08,1\n\n",
    "header_later": b"\nindicator_code,unit_code,period,value\nNS.01,22,2020-08,1\n",
    "short_and_long_rows": b"indicator_code,unit_code,period,value\nNS.01,22\n"
    b"NS.01,22,2020-08,1,extra\n",
    "bad_utf8": b"indicator_code,unit_code,period,value\nNS.01,22,2020-08,\xff\n",
    "lone_cr": b"indicator_code,unit_code,period,value\rNS.01,22,2020-08,1\r",
    "bad_header": b"indicator,unit_code,period,value\nNS.01,22,2020-08,1\n",
}


def _both(path, monkeypatch):
    import etl.readers as readers

    monkeypatch.setattr(readers, "FAST_CSV_MIN_BYTES", 1 << 62)
    slow = read_file(path)
    monkeypatch.setattr(readers, "FAST_CSV_MIN_BYTES", 0)
    fast = read_file(path)
    return slow, fast


@pytest.mark.parametrize("name", sorted(FAST_CASES))
def test_the_fast_csv_path_reads_what_the_python_reader_reads(
    name, submissions, monkeypatch
):
    path = submissions.raw(f"{name}.csv", FAST_CASES[name])
    slow, fast = _both(path, monkeypatch)
    assert slow.table is None and fast.table is not None
    assert fast.rows_table().to_pylist() == slow.rows_table().to_pylist()
    assert (fast.problems, fast.ignored_columns) == (
        slow.problems,
        slow.ignored_columns,
    )


@pytest.mark.parametrize("name", sorted(FALLBACK_CASES))
def test_csv_the_fast_path_cannot_read_exactly_goes_the_python_way(
    name, submissions, monkeypatch
):
    path = submissions.raw(f"{name}.csv", FALLBACK_CASES[name])
    slow, fast = _both(path, monkeypatch)
    assert fast.table is None
    assert fast.rows_table().to_pylist() == slow.rows_table().to_pylist()
    assert fast.problems == slow.problems


def test_a_large_csv_loads_the_same_by_either_path(submissions, monkeypatch):
    rows = [
        {
            "indicator_code": "NS.01",
            "unit_code": f"{u:02d}",
            "period": p,
            "value": str(u * 10 + m),
        }
        for u in (1, 22, 79)
        for m, p in enumerate(["2020-07", "2020-08"])
    ]
    rows.append(
        {
            "indicator_code": "NS.99",
            "unit_code": "22",
            "period": "2020-08",
            "value": "n/a",
        }
    )
    path = submissions.csv("big.csv", rows)
    slow, fast = _both(path, monkeypatch)
    assert fast.table is not None
    outcomes = []
    for threshold in (1 << 62, 0):
        import etl.readers as readers

        monkeypatch.setattr(readers, "FAST_CSV_MIN_BYTES", threshold)
        (outcome,) = validate_files([Submission(path)]).outcomes
        outcomes.append([(e.row, e.column, e.value) for e in outcome.errors])
    assert (
        outcomes[0]
        == outcomes[1]
        == [(8, "indicator_code", "NS.99"), (8, "value", "n/a")]
    )
