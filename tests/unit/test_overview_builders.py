"""The national overview's builders (KPI card, sparkline, sector status) and
its page functions, on rows written here and on a small warehouse built in
tmp_path through the ETL."""

from __future__ import annotations

import math

import pytest

from components.fmt import fmt_number, fmt_period
from components.kpi_card import (
    card_status,
    kpi_card,
    months_left,
    shown_value,
    spark_field,
    target_block,
    vs_last_year_text,
    will_we_make_it,
)
from components.sector_status import (
    sector_counts,
    sector_status_table,
    stacked_bar,
    totals,
)
from components.sparkline import STATIC_CONFIG, sparkline, sparkline_figure
from tests.conftest import Warehouse
from tests.unit.component_text import by_class, find_all, import_pages, text_of

STATE = {"lang": "vi", "period": "2026-10", "geo": "2025"}

# A national plan figure as unit_progress returns it (budget revenue, October).
PLAN_ROW = {
    "indicator_code": "NS.01",
    "sector": "budget",
    "sector_vi": "Ngân sách nhà nước",
    "sector_en": "State budget",
    "sector_order": 2,
    "name_vi": "Thu ngân sách nhà nước trên địa bàn",
    "name_en": "State budget revenue collected in the area",
    "unit_vi": "tỷ đồng",
    "unit_en": "billion VND",
    "frequency": "month",
    "measure": "ytd",
    "direction": "up",
    "catalog_target_type": "plan",
    "integer": False,
    "headline": True,
    "period": "2026-10",
    "actual": 1500000.0,
    "ytd_actual": 1500000.0,
    "target": 2000000.0,
    "target_to_date": 2000000.0,
    "pct_of_target": 75.0,
    "expected_pct": 80.0,
    "pace_basis": "seasonal",
    "gap": math.nan,
    "status": "at_risk",
    "projected_year_end": 1875000.0,
    "monthly_needed": 250000.0,
    "pct_vs_last_year": 108.5,
    "change_vs_last_year": 117000.0,
    "n_parts": 34,
    "n_expected": 34,
    "revised": False,
    "submitted_at": None,
}
# A national rate held to a maximum (consumer prices).
MAX_ROW = {
    **PLAN_ROW,
    "indicator_code": "KT.04",
    "sector": "macro",
    "sector_order": 1,
    "name_vi": "Chỉ số giá tiêu dùng bình quân so với cùng kỳ",
    "unit_vi": "%",
    "unit_en": "%",
    "measure": "rate",
    "catalog_target_type": "max",
    "actual": 3.5,
    "ytd_actual": 3.5,
    "target": 4.0,
    "target_to_date": 4.0,
    "pct_of_target": 87.5,
    "gap": -0.5,
    "status": "on_track",
    "projected_year_end": None,
    "monthly_needed": None,
    "pct_vs_last_year": None,
    "change_vs_last_year": 0.4,
}


# ------------------------------------------------------------------ KPI card


@pytest.mark.parametrize(
    ("period", "left"),
    [
        ("2026-10", 2),
        ("2026-01", 11),
        ("2026-12", 0),
        ("2026-Q3", 3),
        ("2026-Q4", 0),
        ("2026", None),
        (None, None),
    ],
)
def test_months_left_follows_the_models_divisor(period, left):
    assert months_left(period) == left


def test_plan_cards_lead_with_the_year_to_date_amount():
    row = {**PLAN_ROW, "measure": "flow", "actual": 150000.0, "ytd_actual": 1500000.0}
    assert shown_value(row) == 1500000.0
    assert spark_field(row) == "ytd_actual"
    assert shown_value(MAX_ROW) == 3.5
    assert spark_field(MAX_ROW) == "actual"


@pytest.mark.parametrize(
    ("row", "lang", "expected"),
    [
        (PLAN_ROW, "vi", "+8,5%"),
        (PLAN_ROW, "en", "+8.5%"),
        (MAX_ROW, "vi", "+0,4 điểm %"),
        (MAX_ROW, "en", "+0.4 pts"),
        (
            {**PLAN_ROW, "pct_vs_last_year": None, "change_vs_last_year": None},
            "vi",
            None,
        ),
    ],
)
def test_same_period_last_year_is_growth_for_amounts_and_points_for_rates(
    row, lang, expected
):
    assert vs_last_year_text(row, lang) == expected


@pytest.mark.parametrize(
    ("row", "status"),
    [
        (PLAN_ROW, "at_risk"),
        (MAX_ROW, "on_track"),
        ({**PLAN_ROW, "status": "no_target"}, "no_target"),
        ({**PLAN_ROW, "actual": None, "status": None}, "no_data"),
        ({**PLAN_ROW, "actual": math.nan}, "no_data"),
    ],
)
def test_card_status(row, status):
    assert card_status(row) == status


@pytest.mark.parametrize(
    ("lang", "value", "words"),
    [
        (
            "vi",
            "1.500.000 tỷ đồng",
            [
                "Kế hoạch năm: 2.000.000 tỷ đồng",
                "75,0% kế hoạch",
                "tiến độ dự kiến 80,0%",
                "So với cùng kỳ năm trước: +8,5%",
                "Có nguy cơ",
            ],
        ),
        (
            "en",
            "1,500,000 billion VND",
            [
                "Annual plan: 2,000,000 billion VND",
                "75.0% of plan",
                "expected pace 80.0%",
                "vs same period last year: +8.5%",
                "At risk",
            ],
        ),
    ],
)
def test_plan_card_says_figure_plan_pace_last_year_and_status(lang, value, words):
    card = kpi_card(
        PLAN_ROW, [("2026-09", 1.0), ("2026-10", 2.0)], lang, {**STATE, "lang": lang}
    )
    assert text_of(by_class(card, "kpi-value")[0]) == value
    shown = text_of(card)
    for word in words:
        assert word in shown, (word, shown)
    link = by_class(card, "stretched-link")[0]
    assert link.href == f"/indicator/NS.01?geo=2025&lang={lang}&period=2026-10"
    assert "status-at_risk" in card.className.split()
    bar = by_class(card, "progress-bar")[0]
    assert bar.style == {"width": "75.0%"}
    assert by_class(card, "kpi-pace-tick")[0].style == {"left": "80.0%"}
    assert by_class(card, "kpi-meta"), "every tile carries its freshness line"


@pytest.mark.parametrize(
    ("changes", "lang", "expected", "absent"),
    [
        (
            {},
            "vi",
            [
                "Dự kiến thiếu 125.000 tỷ đồng so với kế hoạch",
                "Ước cả năm: 1.875.000 tỷ đồng (93,8% kế hoạch)",
                "Cần bình quân 250.000 tỷ đồng/tháng trong 2 tháng còn lại",
            ],
            [],
        ),
        (
            {},
            "en",
            [
                "On course to fall 125,000 billion VND short of the plan",
                "Projected year end: 1,875,000 billion VND",
                "Needs 250,000 billion VND a month over the 2 months left",
            ],
            [],
        ),
        (
            {"projected_year_end": 2100000.0, "monthly_needed": 0.0},
            "vi",
            ["Dự kiến đạt kế hoạch", "(105,0% kế hoạch)", "Đã hoàn thành kế hoạch năm"],
            ["Cần bình quân"],
        ),
        (
            {"period": "2026-12", "monthly_needed": None},
            "vi",
            ["Ước cả năm"],
            ["Cần bình quân", "Đã hoàn thành"],
        ),
    ],
)
def test_will_we_make_it(changes, lang, expected, absent):
    block = will_we_make_it({**PLAN_ROW, **changes}, lang)
    shown = text_of(block)
    for word in expected:
        assert word in shown, (word, shown)
    for word in absent:
        assert word not in shown


@pytest.mark.parametrize(
    "row",
    [MAX_ROW, {**PLAN_ROW, "target": None}, {**PLAN_ROW, "projected_year_end": None}],
)
def test_no_forecast_without_a_plan_and_a_projection(row):
    assert will_we_make_it(row, "vi") is None


def test_max_target_card_says_limit_and_gap_in_points():
    shown = text_of(target_block(MAX_ROW, "vi"))
    assert "Mục tiêu: không vượt quá 4%" in shown
    assert "Chênh lệch so với mục tiêu: −0,5 điểm %" in shown
    card = kpi_card(MAX_ROW, [], "en", STATE)
    assert text_of(by_class(card, "kpi-value")[0]) == "3.5%"
    assert not by_class(card, "sparkline")


def test_card_without_a_figure_shows_a_dash_and_no_data():
    row = {
        **PLAN_ROW,
        "period": None,
        "actual": None,
        "ytd_actual": None,
        "status": None,
        "target": None,
        "projected_year_end": None,
        "pct_vs_last_year": None,
        "change_vs_last_year": None,
    }
    card = kpi_card(row, [], "vi", STATE)
    assert text_of(by_class(card, "kpi-value")[0]) == "—"
    assert "Chưa có số liệu" in text_of(card)
    assert "status-no_data" in card.className.split()


def test_counts_have_no_decimals():
    row = {
        **PLAN_ROW,
        "integer": True,
        "unit_vi": "doanh nghiệp",
        "ytd_actual": 12345.6,
        "monthly_needed": 1234.4,
    }
    card = kpi_card(row, [], "vi", STATE)
    assert text_of(by_class(card, "kpi-value")[0]) == "12.346 doanh nghiệp"
    assert "Cần bình quân 1.234 doanh nghiệp/tháng" in text_of(card)


# ----------------------------------------------------------------- sparkline


@pytest.mark.parametrize(("lang", "separators"), [("vi", ",."), ("en", ".,")])
def test_sparkline_is_a_bare_line_with_a_last_point(lang, separators):
    fig = sparkline_figure(
        [("2026-08", 1), ("2026-09", math.nan), ("2026-10", 3)], lang
    )
    assert [list(tr.x) for tr in fig.data] == [["2026-08", "2026-10"], ["2026-10"]]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.separators == separators
    assert fig.layout.template.layout.to_plotly_json()  # plotly_white applied


def test_sparkline_graph_is_static_and_labelled():
    wrapper = sparkline([("2026-10", 1)], "vi", "Xu hướng")
    assert wrapper.role == "img"
    assert STATIC_CONFIG["staticPlot"] is True
    assert wrapper.children.config == STATIC_CONFIG
    assert sparkline_figure([], "vi").data == ()


# ------------------------------------------------------------ sector status


def test_sector_counts_keep_catalog_order_and_five_separate_buckets():
    rows = [
        PLAN_ROW,
        {**PLAN_ROW, "indicator_code": "NS.02", "status": "no_target"},
        {**PLAN_ROW, "indicator_code": "NS.03", "actual": None, "status": None},
        MAX_ROW,
    ]
    summaries = sector_counts(rows)
    assert [s["code"] for s in summaries] == ["macro", "budget"]
    budget = summaries[1]
    assert budget["counts"] == {
        "on_track": 0,
        "at_risk": 1,
        "off_track": 0,
        "no_target": 1,
        "no_data": 1,
    }
    assert budget["total"] == 3
    assert totals(summaries)["total"] == 4


def test_stacked_bar_widths_and_labels():
    bar = stacked_bar(
        {"on_track": 9, "at_risk": 0, "off_track": 1, "no_target": 0, "no_data": 10},
        20,
        "vi",
    )
    segments = bar.children
    assert [s.style["width"] for s in segments] == ["45.00%", "5.00%", "50.00%"]
    assert [s.children for s in segments] == [
        "9",
        "",
        "10",
    ]  # 5% is too narrow to label
    assert segments[1].title == "Chậm tiến độ: 1"


@pytest.mark.parametrize(
    ("lang", "heads"),
    [
        (
            "vi",
            [
                "Đạt tiến độ",
                "Có nguy cơ",
                "Chậm tiến độ",
                "Không giao chỉ tiêu",
                "Chưa có số liệu",
                "Tổng số",
            ],
        ),
        ("en", ["On track", "At risk", "Off track", "No target", "No data", "Total"]),
    ],
)
def test_sector_table_heads_rows_and_links(lang, heads):
    table = sector_status_table(sector_counts([PLAN_ROW, MAX_ROW]), lang, STATE)
    head_text = [
        text_of(th) for th in find_all(table, lambda c: type(c).__name__ == "Th")
    ]
    for head in heads:
        assert head in head_text
    links = find_all(table, lambda c: type(c).__name__ == "Link")
    assert [link.href for link in links] == [
        f"/sector/macro?geo=2025&lang={STATE['lang']}&period=2026-10",
        f"/sector/budget?geo=2025&lang={STATE['lang']}&period=2026-10",
    ]


# ------------------------------------------------- the page on a warehouse

A, T = "actual", "target"
SCENARIO = [
    ("NS.01", "22", "2020-08", A, 29915),
    ("NS.01", "22", "2020", T, 45053),
    ("NS.01", "01", "2020-08", A, 10000),
    ("NS.01", "01", "2020", T, 45053),
    ("DT.01", "01", "2020-08", A, 60),
    ("DT.01", "01", "2020", T, 100),
    ("KT.04", "00", "2020-08", A, 3.5),
    ("KT.04", "00", "2020", T, 4.0),
    ("NS.01", "22", "2020-07", A, 25000),
    ("NS.01", "01", "2020-07", A, 9000),
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, make_submissions):
    folder = tmp_path_factory.mktemp("overview")
    path = make_submissions(folder / "in").csv(
        "overview.csv",
        [
            {
                "indicator_code": i,
                "unit_code": u,
                "period": p,
                "kind": k,
                "value": str(v),
            }
            for i, u, p, k, v in SCENARIO
        ],
    )
    warehouse = Warehouse(folder / "warehouse")
    result = warehouse.load(path)
    assert result.outcomes[0].status == "loaded", result.outcomes[0].errors
    return folder / "warehouse"


@pytest.fixture
def page(data_dir, monkeypatch):
    """pages.overview, importable once an app with pages exists."""
    monkeypatch.setenv("CC_DATA_DIR", str(data_dir))
    (module,) = import_pages(__name__, "pages.overview", new_app=False)
    return module


def test_page_cards_show_the_data_layers_figure(page):
    from data import queries as q

    layout = page.layout(period="2020-08", lang="vi")
    ns01 = find_all(layout, lambda c: getattr(c, "data-indicator", None) == "NS.01")
    assert len(ns01) == 1
    row = q.unit_progress("00", "2020-08").set_index("indicator_code").loc["NS.01"]
    expected = f"{fmt_number(row['ytd_actual'], 'vi')} tỷ đồng"
    assert text_of(by_class(ns01[0], "kpi-value")[0]) == expected == "39.915 tỷ đồng"
    assert "Tháng 8/2020" in text_of(by_class(layout, "overview-as-of")[0])
    cards = by_class(layout, "overview-kpi")
    assert len(cards) == int(q.catalog()["headline"].sum())


def test_page_sparkline_runs_to_the_cards_period(page):
    row = {
        "indicator_code": "NS.01",
        "period": "2020-07",
        "frequency": "month",
        "catalog_target_type": "plan",
    }
    assert page.spark_points(row) == [("2020-07", 34000.0)]
    assert page.spark_points({**row, "period": None}) == []


def test_page_lists_the_province_off_track_with_a_link(page):
    layout = page.layout(period="2020-08", lang="en", geo="2020")
    panel = find_all(layout, lambda c: getattr(c, "id", None) == page.ATTENTION)[0]
    items = by_class(panel, "attention-item")
    assert [getattr(i, "data-province") for i in items] == ["01"]
    link = by_class(items[0], "attention-name")[0]
    assert link.href == "/province/01?geo=2020&lang=en&period=2020-08"
    shown = text_of(items[0])
    assert "1 off track" in shown and "1 at risk" in shown
    assert "of 2 indicators with a target" in shown
    assert "State budget revenue" in shown


def test_page_month_without_figures_falls_back_and_says_so(page):
    layout = page.layout(period="2019-01", lang="vi")
    assert "period=2019-01" in text_of(layout)
    assert fmt_period("2020-08", "vi") in text_of(by_class(layout, "overview-as-of")[0])


def test_page_bad_parameters_are_reported_not_raised(page):
    layout = page.layout(period="2020-13", lang="xx", geo="1999")
    shown = text_of(layout)
    assert "period='2020-13'" in shown and "geo='1999'" in shown


def test_page_without_a_snapshot_shows_an_empty_state(page, tmp_path, monkeypatch):
    monkeypatch.setenv("CC_DATA_DIR", str(tmp_path / "nothing"))
    layout = page.layout()
    assert "Chưa có số liệu nào được công bố" in text_of(layout)


@pytest.mark.parametrize(
    ("status", "css"),
    [
        ("at_risk", "status-at_risk"),
        ("off_track", "status-off_track"),
        ("on_track", "status-no_data"),
    ],
)
def test_a_shortfall_takes_the_cards_colour_but_never_green(status, css):
    block = will_we_make_it({**PLAN_ROW, "status": status}, "vi")
    verdict = by_class(block, "status-text")[0]
    assert css in verdict.className.split()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "Không có dữ liệu cho lựa chọn này"),
        (
            [
                {
                    "unit_code": "01",
                    "name_vi": "Hà Nội",
                    "name_en": "Ha Noi",
                    "n_off_track": 0,
                    "n_at_risk": 0,
                    "n_with_target": 0,
                }
            ],
            "Không có dữ liệu cho lựa chọn này",
        ),
        (
            [
                {
                    "unit_code": "01",
                    "name_vi": "Hà Nội",
                    "name_en": "Ha Noi",
                    "n_off_track": 0,
                    "n_at_risk": 0,
                    "n_with_target": 5,
                }
            ],
            "Không có tỉnh, thành phố nào chậm tiến độ hoặc có nguy cơ",
        ),
    ],
)
def test_attention_list_says_why_it_is_empty(page, rows, message):
    assert text_of(page.attention_list(rows, {}, "vi", STATE)).endswith(message)
