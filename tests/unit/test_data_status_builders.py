"""/data-status: report badges, the matrix builder, counters, regime summary and the
rejected-file list called as plain functions on small frames; data.rejected on a
data directory where etl.run.load_files rejected a file; the new queries and the
layout on the seeded warehouse of tests/conftest.py (Quảng Ninh's NS.01 for
August 2020, submitted at load time: six years after its deadline)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from components.fmt import fmt_local_datetime, fmt_number
from components.rejected_list import rejected_list
from components.report_counters import counters, window_label
from components.report_matrix import (
    SYMBOLS,
    build_matrix,
    count_statuses,
    last_periods,
    legend,
    matrix_keys,
    report_badge,
    report_matrix,
    share_on_time,
    status_word,
    worst_status,
)
from components.report_tables import deadline_rule, regime_summary, regime_table
from core.i18n import t
from tests.unit.component_text import find_nodes, import_pages, strings


@pytest.fixture(scope="module")
def page():
    """The page module (register_page needs a Dash app with pages)."""
    (module,) = import_pages(__name__, "pages.data_status")
    return module


def _report(unit, period, status, days=0, regime="KTXH_M", reporter=None, **extra):
    row = {
        "regime": regime,
        "period": period,
        "unit_code": unit,
        "reporter": reporter or f"UBND-{unit}",
        "report_status": status,
        "days_late": days,
        "due_date": date(2026, 6, 5),
        "first_submitted_at": None
        if status in ("missing", "due")
        else datetime(2026, 6, 4, 3, 0),
        "n_supplied": 0 if status in ("missing", "due") else 60,
        "n_expected": 60,
        "unit_vi": f"Đơn vị {unit}",
        "unit_en": f"Unit {unit}",
    }
    row.update(extra)
    return row


FRAME = pd.DataFrame(
    [
        _report("01", "2026-05", "on_time"),
        _report("01", "2026-06", "late", 3),
        _report("22", "2026-05", "missing", 20),
        _report("22", "2026-06", "due"),
        _report("79", "2026-04", "on_time"),  # outside the matrix's periods
    ]
)
ROWS = [("01", "Hà Nội"), ("22", "Quảng Ninh"), ("31", "Hải Phòng")]


# ------------------------------------------------------------ statuses


@pytest.mark.parametrize(
    ("status", "days", "lang", "word"),
    [
        ("on_time", 0, "vi", "Đúng hạn"),
        ("on_time", 0, "en", "On time"),
        ("late", 3, "vi", "Muộn 3 ngày"),
        ("late", 3, "en", "Late 3 days"),
        ("late", 1, "en", "Late 1 day"),
        ("late", 1234, "vi", "Muộn 1.234 ngày"),
        ("late", 1234, "en", "Late 1,234 days"),
        ("late", 0, "vi", "Nộp muộn"),
        ("missing", 20, "vi", "Chưa nộp"),
        ("missing", 20, "en", "Missing"),
        ("due", 0, "vi", "Chưa đến hạn"),
        ("due", 0, "en", "Due"),
    ],
)
def test_status_word_says_the_status_and_how_late(status, days, lang, word):
    assert status_word(status, lang, days) == word


@pytest.mark.parametrize(
    ("status", "symbol"),
    [("on_time", "✓"), ("late", "!"), ("missing", "✗"), ("due", "…")],
)
def test_badge_has_colour_class_symbol_and_word(status, symbol):
    badge = report_badge(status, "vi", 3)
    assert f"rs-{status}" in badge.className
    assert strings(badge) == [symbol, status_word(status, "vi", 3)]


def test_counts_cover_every_status_and_share_excludes_reports_not_yet_due():
    counts = count_statuses(FRAME)
    assert counts == {"on_time": 2, "late": 1, "missing": 1, "due": 1}
    assert share_on_time(counts) == pytest.approx(50.0)
    assert share_on_time(count_statuses(FRAME.iloc[0:0])) is None
    assert share_on_time({"on_time": 0, "late": 0, "missing": 0, "due": 4}) is None


@pytest.mark.parametrize(
    ("counts", "worst"),
    [
        ({"on_time": 3, "late": 1, "missing": 1, "due": 1}, "missing"),
        ({"on_time": 3, "late": 1, "missing": 0, "due": 1}, "late"),
        ({"on_time": 3, "late": 0, "missing": 0, "due": 1}, "due"),
        ({"on_time": 3, "late": 0, "missing": 0, "due": 0}, "on_time"),
    ],
)
def test_a_cell_of_several_reports_shows_the_worst_status(counts, worst):
    assert worst_status(counts) == worst


# -------------------------------------------------------------- matrix


def test_last_periods_are_the_newest_oldest_first():
    assert last_periods(FRAME, 2) == ["2026-05", "2026-06"]
    assert last_periods(FRAME, 6) == ["2026-04", "2026-05", "2026-06"]
    assert last_periods(FRAME.iloc[0:0]) == []


def test_matrix_has_one_cell_per_report_in_the_periods_and_keeps_rows_in_order():
    matrix = build_matrix(FRAME, ROWS, ["2026-05", "2026-06"])
    assert [r.key for r in matrix] == ["01", "22", "31"]
    hanoi, quang_ninh, hai_phong = matrix
    assert hanoi.cells["2026-06"].status == "late"
    assert hanoi.cells["2026-06"].days_late == 3
    assert hanoi.cells["2026-06"].n_supplied == 60
    assert quang_ninh.cells["2026-05"].status == "missing"
    assert hai_phong.cells == {}
    assert hanoi.counts == {"on_time": 1, "late": 1, "missing": 0, "due": 0}
    without_empty = build_matrix(FRAME, ROWS, ["2026-05", "2026-06"], keep_empty=False)
    assert [r.key for r in without_empty] == ["01", "22"]


def test_communes_grouped_by_province_give_counts_and_the_worst_status():
    communes = pd.DataFrame(
        [
            _report("06652", "2026-06", "on_time", regime="XA_M", reporter="UBND-22"),
            _report("06658", "2026-06", "late", 2, regime="XA_M", reporter="UBND-22"),
            _report("06661", "2026-06", "on_time", regime="XA_M", reporter="UBND-22"),
        ]
    )
    provinces = pd.DataFrame(
        [
            {"unit_code": "01", "name_vi": "Hà Nội", "name_en": "Ha Noi"},
            {"unit_code": "22", "name_vi": "Quảng Ninh", "name_en": "Quang Ninh"},
        ]
    )
    keyed, rows, keep_empty = matrix_keys(communes, "commune", provinces, None, "en")
    assert rows == [("01", "Ha Noi"), ("22", "Quang Ninh")] and keep_empty is False
    matrix = build_matrix(keyed, rows, ["2026-06"], "row_key", keep_empty)
    assert [r.key for r in matrix] == ["22"]
    cell = matrix[0].cells["2026-06"]
    assert (cell.status, cell.n, cell.counts["late"]) == ("late", 3, 1)
    texts = strings(report_matrix(matrix, ["2026-06"], "vi", "Tỉnh"))
    assert "1/3 Nộp muộn" in texts


def test_ministry_rows_are_named_from_the_agencies():
    national = pd.DataFrame(
        [
            _report("00", "2026-06", "missing", 5, regime="BO_M", reporter="BTC"),
            _report("00", "2026-06", "on_time", regime="BO_M", reporter="BCA"),
        ]
    )
    agencies = pd.DataFrame(
        [
            {
                "code": "BTC",
                "name_vi": "Bộ Tài chính",
                "name_en": "Ministry of Finance",
            },
            {
                "code": "BCA",
                "name_vi": "Bộ Công an",
                "name_en": "Ministry of Public Security",
            },
        ]
    )
    keyed, rows, _ = matrix_keys(national, "national", None, agencies, "vi")
    assert rows == [("BCA", "Bộ Công an"), ("BTC", "Bộ Tài chính")]
    matrix = build_matrix(keyed, rows, ["2026-06"], "row_key", False)
    assert [r.cells["2026-06"].status for r in matrix] == ["on_time", "missing"]


def test_matrix_table_shows_symbols_words_links_and_the_selected_row():
    periods = ["2026-05", "2026-06"]
    table = report_matrix(
        build_matrix(FRAME, ROWS, periods),
        periods,
        "vi",
        "Tỉnh, thành phố",
        row_href=lambda k: f"/data-status?unit={k}",
        selected="22",
        marked={"2026-05"},
    )
    texts = strings(table)
    assert "Tháng 5/2026 †" in texts and "Tháng 6/2026" in texts
    for symbol, word in (
        (SYMBOLS["late"], "Muộn 3 ngày"),
        (SYMBOLS["missing"], "Chưa nộp"),
        (SYMBOLS["due"], "Chưa đến hạn"),
        (SYMBOLS["on_time"], "Đúng hạn"),
    ):
        assert symbol in texts and word in texts
    assert texts.count("—") == 2  # Hải Phòng owes nothing in these periods
    links = find_nodes(table, lambda n: getattr(n, "href", None))
    assert [link.href for link in links] == [f"/data-status?unit={k}" for k, _ in ROWS]
    selected = find_nodes(
        table, lambda n: "selected" in (getattr(n, "className", "") or "")
    )
    assert len(selected) == 1
    assert "1/2" in texts  # Hà Nội: 1 of its 2 settled reports on time


def test_legend_explains_every_status_and_the_empty_cell():
    texts = strings(legend("en"))
    assert texts == [
        "✓",
        "On time",
        "!",
        "Late",
        "✗",
        "Missing",
        "…",
        "Due",
        "—",
        " ",
        "Not expected",
    ]


# ------------------------------------------------- counters and regimes


@pytest.mark.parametrize(
    ("month", "months", "lang", "label"),
    [
        ("2026-10", 6, "vi", "Tháng 5/2026 – Tháng 10/2026"),
        ("2026-02", 3, "en", "Dec 2025 – Feb 2026"),
        ("2026-10", 1, "vi", "Tháng 10/2026"),
    ],
)
def test_window_label_spans_the_months_of_the_window(month, months, lang, label):
    assert window_label(month, months, lang) == label


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_counters_show_n_of_200_and_the_counts_formatted(lang):
    meta = {
        "n_indicators_supplied": 101,
        "n_indicators": 200,
        "last_submitted_at": datetime(2026, 11, 5, 1, 0),
    }
    counts = {"on_time": 1990, "late": 6, "missing": 4, "due": 3}
    texts = strings(counters(counts, meta, "W", 6, lang, "grid", "supplied"))
    assert "101/200" in texts
    assert (
        "101/200 chỉ tiêu đã cung cấp số liệu"
        if lang == "vi"
        else "101 of 200 indicators supplied"
    ) in texts
    assert fmt_number(1990, lang) in texts
    assert ("99,5%" if lang == "vi" else "99.5%") in texts  # 1990 of 2000 settled
    stamp = t(
        "tile.submitted", lang, time=fmt_local_datetime(meta["last_submitted_at"], lang)
    )
    assert texts.count(stamp) == 1  # on the supplied card, not under "missing"


@pytest.mark.parametrize(
    ("args", "lang", "rule"),
    [
        (("month", 5, 14), "vi", "5 ngày sau khi kết thúc tháng; chốt số liệu ngày 14"),
        (("quarter", 15, None), "en", "15 days after the quarter ends"),
        (("year", 90, float("nan")), "vi", "90 ngày sau khi kết thúc năm"),
        (("year", None, None), "vi", "—"),
    ],
)
def test_deadline_rule_reads_the_regime(args, lang, rule):
    assert deadline_rule(*args, lang) == rule


REGIMES = pd.DataFrame(
    [
        {
            "code": "KTXH_M",
            "name_vi": "Báo cáo tháng",
            "name_en": "Monthly report",
            "period_type": "month",
            "cutoff_day": 14,
            "deadline_days": 5,
            "reporter_level": "province",
            "basis": "Nghị định 09/2019/NĐ-CP",
        },
        {
            "code": "GD_Y",
            "name_vi": "Báo cáo năm học",
            "name_en": "School year report",
            "period_type": "year",
            "cutoff_day": None,
            "deadline_days": 30,
            "reporter_level": "province",
            "basis": "Thông tư 24/2018/TT-BGDĐT",
        },
    ]
)


def test_regime_summary_counts_the_latest_period_of_each_regime():
    summary = regime_summary(REGIMES, FRAME).set_index("code")
    assert summary.loc["KTXH_M", "latest_period"] == "2026-06"
    assert summary.loc["KTXH_M", ["on_time", "late", "missing", "due"]].tolist() == [
        0,
        1,
        0,
        1,
    ]
    assert summary.loc["KTXH_M", "n_indicators"] == 60
    assert pd.isna(summary.loc["GD_Y", "latest_period"])
    assert summary.loc["GD_Y", "n_reports"] == 0


def test_regime_table_shows_the_rule_the_basis_and_a_filter_link():
    summary = regime_summary(REGIMES, FRAME)
    table = regime_table(summary, "vi", lambda c: f"/data-status?regime={c}", "KTXH_M")
    texts = strings(table)
    assert "Nghị định 09/2019/NĐ-CP" in texts and "Thông tư 24/2018/TT-BGDĐT" in texts
    assert "5 ngày sau khi kết thúc tháng; chốt số liệu ngày 14" in texts
    assert "Hằng tháng" in texts and "Tháng 6/2026" in texts
    hrefs = [n.href for n in find_nodes(table, lambda n: getattr(n, "href", None))]
    assert hrefs == ["/data-status?regime=KTXH_M", "/data-status?regime=GD_Y"]


# ------------------------------------------------------- rejected files


def test_rejected_list_says_file_time_errors_and_the_first_bad_rows():
    docs = [
        {
            "file": "bad.csv",
            "kept_at": "2026-11-22T03:00:00+00:00",
            "status": "rejected",
            "n_errors": 7,
            "errors": [
                {
                    "row": 3,
                    "column": "value",
                    "value": "1,552",
                    "expected": "a plain number",
                }
            ],
        }
    ]
    texts = strings(rejected_list(docs, "vi"))
    assert "bad.csv" in texts and "7 lỗi" in texts
    assert "Nhận lúc 22/11/2026 10:00" in texts  # UTC shown in Vietnam time
    assert "'1,552'" in texts and "a plain number" in texts
    assert "… và 6 lỗi khác (xem tệp báo cáo lỗi)" in texts
    assert "No file has been rejected" in strings(rejected_list([], "en"))


def test_rejected_files_lists_what_the_etl_rejected(warehouse, submissions):
    from data.rejected import rejected_files, rejected_frame

    assert rejected_files() == []
    bad = submissions.csv(
        "bad-upload.csv",
        [
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2020-08",
                "value": "1",
            },
            {
                "indicator_code": "NS.01",
                "unit_code": "22",
                "period": "2020-08",
                "value": "1,552",
            },
            {
                "indicator_code": "NS.99",
                "unit_code": "22",
                "period": "2020-09",
                "value": "2",
            },
        ],
    )
    result = warehouse.load(bad)
    assert not result.ok
    docs = rejected_files()
    assert len(docs) == 1
    doc = docs[0]
    assert doc["file"] == "bad-upload.csv" and doc["status"] == "rejected"
    assert doc["n_errors"] == len(doc["errors"]) >= 2
    assert {(e["row"], e["column"], e["value"]) for e in doc["errors"]} >= {
        (3, "value", "1,552"),
        (4, "indicator_code", "NS.99"),
    }
    assert all(set(e) == {"row", "column", "value", "expected"} for e in doc["errors"])
    assert "source_path" not in doc and "report_path" not in doc  # no server paths
    frame = rejected_frame()
    assert frame["file"].tolist() == ["bad-upload.csv"]
    assert frame.loc[0, "n_errors"] == doc["n_errors"]
    assert len(rejected_files(first_errors=1)[0]["errors"]) == 1


# ------------------------------------------- queries and the page, seeded


def test_regimes_and_agencies_queries(seeded_warehouse):
    from data import queries as q

    regimes = q.regimes()
    assert len(regimes) == 13
    assert regimes["period_type"].tolist()[:1] == ["month"]
    assert regimes.set_index("code").loc["TKQG_Y", "basis"].startswith("Luật Thống kê")
    assert "BTC" in set(q.agencies()["code"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, ("KTXH_M", None, 6, 0)),
        ({"regime": "NSNN_M", "unit": "22", "months": "12"}, ("NSNN_M", "22", 12, 0)),
        ({"regime": "NOPE"}, ("KTXH_M", None, 6, 1)),
        ({"unit": "99"}, ("KTXH_M", None, 6, 1)),
        ({"unit": "22001"}, ("KTXH_M", None, 6, 1)),
        ({"months": "0"}, ("KTXH_M", None, 6, 1)),
        ({"months": "abc", "unit": "x"}, ("KTXH_M", None, 6, 2)),
    ],
)
def test_page_params_fall_back_and_say_what_was_wrong(page, args, expected):
    regime, unit, months, problems = page.read_page_params(
        args, ["KTXH_M", "NSNN_M"], ["01", "22"], "vi"
    )
    assert (regime, unit, months, len(problems)) == expected


def test_layout_on_the_seeded_warehouse(page, seeded_warehouse):
    from data import queries as q

    meta = q.snapshot_meta()
    view = page.layout(period="2020-08", regime="NSNN_M", unit="22", lang="en")
    texts = strings(view)
    n, total = int(meta["n_indicators_supplied"]), int(meta["n_indicators"])
    assert f"{n} of {total} indicators supplied" in texts
    late = q.reports("2020-08", 1, "province", "22")
    late = late[late["regime"] == "NSNN_M"].iloc[0]
    assert late["report_status"] == "late"
    assert status_word("late", "en", late["days_late"]) in texts
    assert "Quang Ninh: its reports" in texts
    assert "No commune of this province reports in the window" in texts


def test_layout_reports_bad_parameters(page, seeded_warehouse):
    texts = strings(page.layout(period="2020-13", regime="X", months="99"))
    assert any("regime='X'" in s for s in texts)
    assert any("months='99'" in s for s in texts)
    assert any("period='2020-13'" in s for s in texts)


def test_layout_without_a_snapshot_says_so(page, warehouse):
    assert strings(page.layout(lang="en")) == ["No data has been published yet"]
