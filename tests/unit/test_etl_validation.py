"""Validation: every rule of the submission contract rejects the file whole, with a
row-level report (file, row, column, value as written, what was expected)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from etl.__main__ import app
from etl.run import Submission, validate_files

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
# The good row every bad file starts with (line 2); the bad row is on line 3.
GOOD = {
    "indicator_code": "NS.01",
    "unit_code": "01",
    "period": "2020-07",
    "value": "100",
}
GOOD_FIGURE = ("NS.01", "01", "2020-07", "actual", 100.0)


def _catalog() -> dict[str, dict]:
    with (REFERENCE / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        return {r["code"]: r for r in csv.DictReader(fh)}


def _integer_indicator() -> str:
    """A monthly, province-level indicator the catalog marks as a count."""
    for code, row in _catalog().items():
        if (
            row.get("integer") == "true"
            and row["frequency"] == "month"
            and "province" in row["levels"]
            and not row["max_value"]
            and row["target_type"] != "plan"
        ):
            return code
    pytest.skip("the catalog marks no monthly province indicator as integer")


def _next_month(today: date | None = None) -> str:
    today = today or date.today()
    if today.month == 12:
        return f"{today.year + 1}-01"
    return f"{today.year}-{today.month + 1:02d}"


def _row(**cells) -> dict:
    base = {
        "indicator_code": "NS.01",
        "unit_code": "22",
        "period": "2024-03",
        "value": "10",
    }
    base.update(cells)
    return base


# id, the bad row, column, value as written, fragments of the expected text
RULES = [
    (
        "unknown-indicator",
        _row(indicator_code="NS.99"),
        "indicator_code",
        "NS.99",
        ["indicator code", "catalog"],
    ),
    (
        "empty-indicator",
        _row(indicator_code=""),
        "indicator_code",
        "",
        ["indicator code"],
    ),
    (
        "no-unit-code-nor-name",
        _row(unit_code=""),
        "unit_code",
        "",
        ["unit_code or a unit_name"],
    ),
    ("unknown-unit-code", _row(unit_code="99"), "unit_code", "99", ["GSO unit code"]),
    (
        "unit-code-not-reinterpreted",
        _row(unit_code="22.0"),
        "unit_code",
        "22.0",
        ["GSO unit code"],
    ),
    (
        "province-merged-away",
        _row(unit_code="02", period="2026-01"),
        "unit_code",
        "02",
        ["2026-01", "merged into 08"],
    ),
    (
        "unknown-unit-name",
        _row(unit_code="", unit_name="Atlantis"),
        "unit_name",
        "Atlantis",
        ["official name"],
    ),
    (
        "ambiguous-unit-name",
        _row(indicator_code="CPS.04", unit_code="", unit_name="Xã Tân Hưng"),
        "unit_name",
        "Xã Tân Hưng",
        ["could be"],
    ),
    (
        "name-of-a-dissolved-province",
        _row(unit_code="", unit_name="Hà Giang", period="2026-01"),
        "unit_name",
        "Hà Giang",
        ["existed in this period", "02"],
    ),
    (
        "code-and-name-disagree",
        _row(unit_name="Bắc Ninh"),
        "unit_name",
        "Bắc Ninh",
        ["name of unit 22", "Quảng Ninh"],
    ),
    ("period-month-13", _row(period="2020-13"), "period", "2020-13", ["2020-Q3"]),
    ("period-slash", _row(period="2020/08"), "period", "2020/08", ["2020-08"]),
    ("period-quarter-first", _row(period="Q3-2020"), "period", "Q3-2020", ["2020-Q3"]),
    ("period-quarter-5", _row(period="2020-Q5"), "period", "2020-Q5", ["2020-Q3"]),
    ("period-one-digit-month", _row(period="2020-8"), "period", "2020-8", ["2020-08"]),
    (
        "period-full-date",
        _row(period="2020-08-31"),
        "period",
        "2020-08-31",
        ["2020-08"],
    ),
    ("period-empty", _row(period=""), "period", "", ["2020 (year)"]),
    (
        "period-month-for-yearly",
        _row(indicator_code="KT.03", period="2024-05"),
        "period",
        "2024-05",
        ["KT.03", "year"],
    ),
    (
        "period-quarter-for-yearly",
        _row(indicator_code="KT.03", period="2024-Q2"),
        "period",
        "2024-Q2",
        ["KT.03", "year"],
    ),
    (
        "actual-in-the-future",
        _row(period=_next_month()),
        "period",
        _next_month(),
        ["has started"],
    ),
    (
        "actual-next-year",
        _row(period=str(date.today().year + 1)),
        "period",
        str(date.today().year + 1),
        ["has started"],
    ),
    (
        "value-european-decimal",
        _row(value="29.915,5"),
        "value",
        "29.915,5",
        ["plain number"],
    ),
    ("value-thousands-comma", _row(value="1,552"), "value", "1,552", ["plain number"]),
    ("value-thousands-space", _row(value="1 552"), "value", "1 552", ["plain number"]),
    ("value-na", _row(value="n/a"), "value", "n/a", ["plain number"]),
    ("value-empty", _row(value=""), "value", "", ["plain number"]),
    ("value-nan", _row(value="nan"), "value", "nan", ["plain number"]),
    ("value-exponent", _row(value="1e3"), "value", "1e3", ["plain number"]),
    ("value-leading-dot", _row(value=".5"), "value", ".5", ["plain number"]),
    (
        "value-above-catalog-max",
        _row(indicator_code="CPS.03", value="130"),
        "value",
        "130",
        ["100", "CPS.03"],
    ),
    ("value-below-catalog-min", _row(value="-5"), "value", "-5", ["0", "NS.01"]),
    ("bad-kind", _row(kind="forecast"), "kind", "forecast", ["actual or target"]),
    (
        "target-without-target-type",
        _row(indicator_code="CT.04", period="2024", kind="target"),
        "kind",
        "target",
        ["CT.04", "no target"],
    ),
    (
        "unknown-reporter",
        _row(reporter="BXX"),
        "reporter",
        "BXX",
        ["reporter code", "agencies"],
    ),
    (
        "province-reports-another-province",
        _row(unit_code="40", reporter="UBND-22"),
        "reporter",
        "UBND-22",
        ["responsible for unit 40"],
    ),
    (
        "province-reports-the-country",
        _row(unit_code="00", reporter="UBND-22"),
        "reporter",
        "UBND-22",
        ["responsible for unit 00"],
    ),
]


@pytest.fixture(scope="module")
def rule_batch(tmp_path_factory, make_seeded_warehouse, make_submissions):
    """One file per rule (a good row, then the bad row), all in one load."""
    folder = tmp_path_factory.mktemp("rules")
    files = make_submissions(folder / "in")
    warehouse = make_seeded_warehouse(folder / "warehouse")
    before = (
        warehouse.current_id(),
        warehouse.observations(),
        warehouse.history_count(),
    )
    paths = [files.csv(f"{case[0]}.csv", [GOOD, case[1]]) for case in RULES]
    result = warehouse.load(*paths)
    outcomes = {o.path.name: o for o in result.outcomes}
    return warehouse, before, result, outcomes


@pytest.mark.parametrize(
    "name, column, value, fragments",
    [pytest.param(f"{case[0]}.csv", *case[2:], id=case[0]) for case in RULES],
)
def test_a_bad_row_rejects_the_file_whole_with_a_row_level_report(
    rule_batch, name, column, value, fragments
):
    warehouse, (before_id, before, before_history), result, outcomes = rule_batch
    outcome = outcomes[name]
    assert outcome.status == "rejected"
    errors = [(e.file, e.row, e.column, e.value) for e in outcome.errors]
    assert errors == [(name, 3, column, value)]
    for fragment in fragments:
        assert fragment in outcome.errors[0].expected
    # the file is kept, with its reports
    assert outcome.kept_as is not None and outcome.kept_as.exists()
    assert outcome.kept_as.parent == warehouse.root / "rejected"
    assert Path(f"{outcome.kept_as}.report.json").exists()
    assert Path(f"{outcome.kept_as}.report.txt").exists()


def test_rejected_files_load_nothing_not_even_their_good_rows(rule_batch):
    warehouse, (before_id, before, before_history), result, outcomes = rule_batch
    assert {o.status for o in outcomes.values()} == {"rejected"}
    assert not result.ok and not result.published
    assert warehouse.current_id() == before_id
    assert warehouse.observations() == before
    assert GOOD_FIGURE not in warehouse.observations()
    assert warehouse.history_count() == before_history
    assert len(warehouse.rejected_files()) == len(RULES)


def test_fractional_value_of_an_integer_indicator_is_rejected(
    seeded_warehouse, submissions
):
    code = _integer_indicator()
    path = submissions.csv("bad.csv", [GOOD, _row(indicator_code=code, value="1552.5")])
    result = seeded_warehouse.load(path)
    (outcome,) = result.outcomes
    assert outcome.status == "rejected"
    (error,) = outcome.errors
    assert (error.row, error.column, error.value) == (3, "value", "1552.5")
    assert "whole number" in error.expected and code in error.expected
    assert GOOD_FIGURE not in seeded_warehouse.observations()


def test_a_whole_number_written_with_decimals_is_accepted_for_an_integer_indicator(
    submissions,
):
    code = _integer_indicator()
    path = submissions.csv("ok.csv", [_row(indicator_code=code, value="1552.0")])
    assert validate_files([Submission(path)]).outcomes[0].errors == []


@pytest.mark.parametrize("period", ["2020-QA", "2020-Q-"])
def test_a_quarter_with_a_non_digit_is_a_period_error_not_a_crash(submissions, period):
    path = submissions.csv("bad.csv", [GOOD, _row(period=period)])
    (outcome,) = validate_files([Submission(path)]).outcomes
    assert [(e.row, e.column, e.value) for e in outcome.errors] == [
        (3, "period", period)
    ]


def test_a_target_may_be_in_the_future_but_an_actual_may_not(submissions):
    future = str(date.today().year + 1)
    path = submissions.csv(
        "f.csv",
        [
            _row(period=future, kind="target", value="50000"),
            _row(period=future, value="10"),
        ],
    )
    (outcome,) = validate_files([Submission(path)]).outcomes
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "period")]


def test_the_current_month_is_not_in_the_future(submissions):
    today = date.today()
    path = submissions.csv("f.csv", [_row(period=f"{today:%Y-%m}")])
    assert validate_files([Submission(path)]).outcomes[0].errors == []


def test_an_actual_for_a_longer_period_than_its_frequency_is_refused(submissions):
    # issue 12: NS.01 is monthly; a quarter of it would stand beside its months as
    # one more figure. The year of a year-to-date amount is its final figure.
    path = submissions.csv(
        "f.csv",
        [
            _row(period="2024-Q1"),
            _row(period="2024"),
            _row(period="2024-Q2", kind="target"),  # a plan's milestone: fine
        ],
    )
    errors = validate_files([Submission(path)]).outcomes[0].errors
    assert [(e.row, e.column, e.value) for e in errors] == [(2, "period", "2024-Q1")]
    assert "a monthly period for NS.01" in errors[0].expected
    assert "is the figure of 2024-03" in errors[0].expected


def test_conflicting_duplicates_in_one_file_list_both_rows(
    seeded_warehouse, submissions
):
    path = submissions.csv(
        "dup.csv",
        [
            GOOD,
            _row(value="10"),
            _row(indicator_code="NS.02", value="7"),
            _row(value="11"),
        ],
    )
    result = seeded_warehouse.load(path)
    (outcome,) = result.outcomes
    assert outcome.status == "rejected"
    assert [(e.row, e.column, e.value) for e in outcome.errors] == [
        (3, "value", "10"),
        (5, "value", "11"),
    ]
    for error in outcome.errors:
        assert "3, 5" in error.expected
    assert GOOD_FIGURE not in seeded_warehouse.observations()


def test_duplicates_through_code_and_name_conflict_too(submissions):
    path = submissions.csv(
        "dup.csv",
        [
            _row(value="10"),
            _row(unit_code="", unit_name="Quảng Ninh", value="12"),
        ],
    )
    (outcome,) = validate_files([Submission(path)]).outcomes
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "value"), (3, "value")]


def test_identical_duplicates_in_one_file_are_one_figure(warehouse, submissions):
    path = submissions.csv("dup.csv", [_row(value="10"), _row(value="10.0")])
    result = warehouse.load(path)
    assert result.outcomes[0].status == "loaded"
    assert warehouse.observations() == {("NS.01", "22", "2024-03", "actual", 10.0)}


def test_the_report_lists_every_bad_row(seeded_warehouse, submissions):
    path = submissions.csv(
        "five.csv",
        [
            _row(indicator_code="XX.1"),  # line 2
            GOOD,  # line 3
            _row(unit_code="99", period="2024-04"),  # line 4
            _row(period="2020/08"),  # line 5
            _row(value="n/a", period="2024-05"),  # line 6
            _row(kind="plan", period="2024-06"),  # line 7
        ],
    )
    result = seeded_warehouse.load(path)
    (outcome,) = result.outcomes
    assert [(e.row, e.column) for e in outcome.errors] == [
        (2, "indicator_code"),
        (4, "unit_code"),
        (5, "period"),
        (6, "value"),
        (7, "kind"),
    ]
    assert outcome.status == "rejected"
    assert GOOD_FIGURE not in seeded_warehouse.observations()


def test_row_numbers_count_blank_lines_before_the_header(seeded_warehouse, submissions):
    path = submissions.csv("blank.csv", [GOOD, _row(value="n/a")], blank_lines_before=2)
    (outcome,) = seeded_warehouse.load(path).outcomes
    assert [(e.row, e.value) for e in outcome.errors] == [(5, "n/a")]


def test_row_numbers_are_physical_lines_with_crlf_and_blank_lines_between_rows(
    submissions,
):
    path = submissions.raw(
        "crlf.csv",
        "indicator_code,unit_code,period,value\r\n\r\nNS.01,22,2024-03,1\r\n"
        "\r\n\r\nNS.01,22,2024-04,x\r\n",
    )
    (outcome,) = validate_files([Submission(path)]).outcomes
    assert [(e.row, e.value) for e in outcome.errors] == [(6, "x")]


def test_xlsx_row_numbers_are_spreadsheet_rows(submissions):
    path = submissions.xlsx("bad.xlsx", [GOOD, _row(value="n/a")], blank_rows_before=2)
    (outcome,) = validate_files([Submission(path)]).outcomes
    assert [(e.file, e.row, e.column, e.value) for e in outcome.errors] == [
        ("bad.xlsx", 5, "value", "n/a")
    ]


def test_json_row_numbers_are_positions_in_rows(submissions):
    path = submissions.json("bad.json", [GOOD, GOOD, _row(value="1,5")])
    (outcome,) = validate_files([Submission(path)]).outcomes
    assert [(e.file, e.row, e.column, e.value) for e in outcome.errors] == [
        ("bad.json", 3, "value", "1,5")
    ]


def test_a_json_string_value_is_checked_like_csv_text(submissions):
    path = submissions.json(
        "v.json",
        [
            dict(GOOD, value="29915.5"),
            dict(_row(), value="29.915,5"),
            dict(_row(period="2024-04"), value=None),
            dict(_row(period="2024-05"), value=True),
        ],
    )
    (outcome,) = validate_files([Submission(path)]).outcomes
    assert [(e.row, e.column) for e in outcome.errors] == [
        (2, "value"),
        (3, "value"),
        (4, "value"),
    ]


# --- problems with the file as a whole -------------------------------------------

HEADER_PROBLEMS = [
    ("no-value-column", ("indicator_code", "unit_code", "period"), 0, ["value"]),
    ("no-period-column", ("indicator_code", "unit_code", "value"), 0, ["period"]),
    (
        "no-indicator-column",
        ("indicator", "unit_code", "period", "value"),
        0,
        ["indicator_code"],
    ),
    ("no-unit-column", ("indicator_code", "period", "value"), 0, ["unit_code"]),
    (
        "header-after-blank-lines",
        ("indicator_code", "unit_code", "period"),
        3,
        ["value"],
    ),
]


@pytest.fixture(scope="module")
def header_batch(tmp_path_factory, make_seeded_warehouse, make_submissions):
    folder = tmp_path_factory.mktemp("headers")
    files = make_submissions(folder / "in")
    warehouse = make_seeded_warehouse(folder / "warehouse")
    before = (warehouse.current_id(), warehouse.observations())
    paths = [
        files.csv(
            f"{case_id}.csv",
            [[GOOD.get(c, "x") for c in header]],
            header=header,
            blank_lines_before=blank,
        )
        for case_id, header, blank, _ in HEADER_PROBLEMS
    ]
    result = warehouse.load(*paths)
    return warehouse, before, result, {o.path.name: o for o in result.outcomes}


@pytest.mark.parametrize(
    "name, blank, missing",
    [pytest.param(f"{case[0]}.csv", *case[2:], id=case[0]) for case in HEADER_PROBLEMS],
)
def test_missing_required_columns_reject_the_file_at_the_header_row(
    header_batch, name, blank, missing
):
    warehouse, (before_id, before), result, outcomes = header_batch
    outcome = outcomes[name]
    assert outcome.status == "rejected"
    assert [(e.file, e.row, e.column) for e in outcome.errors] == [
        (name, blank + 1, column) for column in missing
    ]
    for error, column in zip(outcome.errors, missing, strict=True):
        assert column in error.expected
    assert not result.published
    assert warehouse.current_id() == before_id
    assert warehouse.observations() == before


def _xlsx_bytes() -> bytes:
    return b"PK\x03\x04 this is not really a zip archive"


WHOLE_FILE_PROBLEMS = [
    ("empty-csv", "empty.csv", b"", "at least one data row"),
    (
        "header-only-csv",
        "head.csv",
        b"indicator_code,unit_code,period,value\n",
        "at least one data row",
    ),
    ("blank-lines-only-csv", "blank.csv", b"\n\n  \n", "at least one data row"),
    ("unreadable-xlsx", "broken.xlsx", _xlsx_bytes(), "readable XLSX"),
    ("unreadable-json", "broken.json", b'{"rows": [', "readable JSON"),
    ("json-list", "list.json", b"[1, 2]", '"rows"'),
    ("json-without-rows", "norows.json", b'{"reporter": "BTC"}', '"rows"'),
    ("json-rows-not-a-list", "rowsobj.json", b'{"rows": {"a": 1}}', '"rows"'),
    ("json-no-rows", "zero.json", b'{"rows": []}', "at least one data row"),
    ("unknown-extension", "data.ods", b"whatever", ".csv, .xlsx or .json"),
]


@pytest.fixture(scope="module")
def whole_file_batch(tmp_path_factory, make_seeded_warehouse, make_submissions):
    folder = tmp_path_factory.mktemp("whole")
    files = make_submissions(folder / "in")
    warehouse = make_seeded_warehouse(folder / "warehouse")
    before_id = warehouse.current_id()
    paths = [files.raw(name, content) for _, name, content, _ in WHOLE_FILE_PROBLEMS]
    result = warehouse.load(*paths)
    return warehouse, before_id, result, {o.path.name: o for o in result.outcomes}


@pytest.mark.parametrize(
    "name, content, fragment",
    [pytest.param(*case[1:], id=case[0]) for case in WHOLE_FILE_PROBLEMS],
)
def test_an_unreadable_or_empty_file_is_rejected_with_a_report(
    whole_file_batch, name, content, fragment
):
    warehouse, before_id, result, outcomes = whole_file_batch
    outcome = outcomes[name]
    assert outcome.status == "rejected" and not result.ok
    assert len(outcome.errors) == 1
    assert outcome.errors[0].file == name
    assert fragment in outcome.errors[0].expected
    assert warehouse.current_id() == before_id
    assert outcome.kept_as.read_bytes() == content
    report = json.loads(Path(f"{outcome.kept_as}.report.json").read_text("utf-8"))
    assert report["errors"][0]["expected"] == outcome.errors[0].expected


def test_a_json_row_that_is_not_an_object_is_reported_at_its_position(
    seeded_warehouse, submissions
):
    path = submissions.json("rows.json", [GOOD, ["NS.01", "22"], GOOD])
    (outcome,) = seeded_warehouse.load(path).outcomes
    assert outcome.status == "rejected"
    assert [(e.row, e.value) for e in outcome.errors] == [(2, '["NS.01", "22"]')]
    assert GOOD_FIGURE not in seeded_warehouse.observations()


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1", "utf-16"])
def test_a_csv_that_is_not_utf8_is_rejected_at_the_line_of_the_bad_byte(
    seeded_warehouse, submissions, encoding
):
    text = (
        "indicator_code,unit_code,unit_name,period,value\n"
        "NS.01,01,,2020-07,100\n"
        "NS.01,,Hà Nội,2020-08,5\n"
    )
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        content = text.encode(encoding, errors="replace")
    path = submissions.raw("legacy.csv", content)
    (outcome,) = seeded_warehouse.load(path).outcomes
    assert outcome.status == "rejected"
    (error,) = outcome.errors
    assert "UTF-8" in error.expected
    # the first non-ASCII byte is on line 3 (line 1 for UTF-16 and its BOM)
    assert error.row == (1 if encoding == "utf-16" else 3)
    assert GOOD_FIGURE not in seeded_warehouse.observations()


# --- the rejected file and its reports ---------------------------------------------


def test_a_rejected_file_is_kept_with_a_text_and_a_json_report(
    seeded_warehouse, submissions
):
    path = submissions.csv("bad.csv", [GOOD, _row(value="n/a"), _row(unit_code="99")])
    (outcome,) = seeded_warehouse.load(path).outcomes
    (kept,) = seeded_warehouse.rejected_files()
    assert kept.parent == seeded_warehouse.root / "rejected"
    assert kept.name.endswith("-bad.csv")
    assert kept.read_bytes() == path.read_bytes()
    assert outcome.kept_as == kept

    report = json.loads(Path(f"{kept}.report.json").read_text(encoding="utf-8"))
    assert report["file"] == "bad.csv"
    assert report["status"] == "rejected"
    assert report["sha256"] == outcome.sha256
    assert [(e["row"], e["column"], e["value"]) for e in report["errors"]] == [
        (3, "value", "n/a"),
        (4, "unit_code", "99"),
    ]
    assert all(e["file"] == "bad.csv" and e["expected"] for e in report["errors"])

    text = Path(f"{kept}.report.txt").read_text(encoding="utf-8")
    assert "bad.csv:3: column value: value 'n/a'" in text
    assert "bad.csv:4: column unit_code: value '99'" in text


def test_a_good_file_and_a_bad_file_in_one_load_load_only_the_good_one(
    seeded_warehouse, submissions
):
    good = submissions.csv("good.csv", [GOOD])
    bad = submissions.csv("bad.csv", [_row(period="2024-04"), _row(value="n/a")])
    result = seeded_warehouse.load(good, bad)
    assert [o.status for o in result.outcomes] == ["loaded", "rejected"]
    assert result.published and not result.ok
    observed = seeded_warehouse.observations()
    assert GOOD_FIGURE in observed
    assert ("NS.01", "22", "2024-04", "actual", 10.0) not in observed
    assert [p.name.split("-", 2)[-1] for p in seeded_warehouse.rejected_files()] == [
        "bad.csv"
    ]


def test_a_rejected_file_on_an_empty_warehouse_loads_no_observation(
    warehouse, submissions
):
    result = warehouse.load(submissions.csv("bad.csv", [GOOD, _row(value="n/a")]))
    assert result.outcomes[0].status == "rejected"
    assert warehouse.observations() == set()
    assert len(warehouse.rejected_files()) == 1


def test_load_cli_exits_non_zero_and_prints_every_bad_row(
    seeded_warehouse, submissions
):
    path = submissions.csv("bad.csv", [GOOD, _row(value="n/a"), _row(unit_code="99")])
    result = CliRunner().invoke(
        app, ["load", str(path), "--data-dir", str(seeded_warehouse.root)]
    )
    assert result.exit_code == 1, result.output
    assert "REJECTED bad.csv: 2 problem(s)" in result.stdout
    assert "bad.csv:3: column value: value 'n/a': expected" in result.stdout
    assert "bad.csv:4: column unit_code: value '99': expected" in result.stdout
    assert "stays current" in result.stdout
    assert GOOD_FIGURE not in seeded_warehouse.observations()


def test_load_cli_exits_2_for_a_missing_file(seeded_warehouse, tmp_path):
    before = seeded_warehouse.current_id()
    result = CliRunner().invoke(
        app,
        ["load", str(tmp_path / "nope.csv"), "--data-dir", str(seeded_warehouse.root)],
    )
    assert result.exit_code == 2
    assert seeded_warehouse.current_id() == before
