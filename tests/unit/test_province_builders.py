"""/province/<code>: breadcrumbs, scorecard, trend chart and the page's helpers
called as plain functions; province_ranks, province_merger and the layout on a
small warehouse built by the ETL in tmp_path (Hà Giang 02 + Tuyên Quang 08 ->
Tuyên Quang 08 in 2025, Quảng Ninh 22, Hà Nội 01, two wards of Quảng Ninh)."""

from __future__ import annotations

import dash
import pandas as pd
import pytest
from dash import dcc

from components.breadcrumbs import breadcrumbs
from components.fmt import fmt_value
from components.province_parts import commune_list, lineage_notes, name_of
from components.province_pick import (
    pick_indicator,
    pick_version,
    scorecard_rows,
    until,
)
from components.scorecard import (
    last_year_text,
    pace_text,
    progress_text,
    rank_text,
    row_status,
    scorecard,
    status_counts,
)
from components.status import COLORS
from components.trend_chart import period_x, separators, trend_chart
from tests.unit.component_text import import_pages, strings

STATE = {"lang": "vi", "period": "2024-05", "geo": "2020"}
A, T = "actual", "target"
SCENARIO = [
    ("NS.01", "02", "2024", T, 1000),
    ("NS.01", "08", "2024", T, 2000),
    ("NS.01", "22", "2024", T, 5000),
    ("NS.01", "01", "2024", T, 9000),
    ("NS.01", "02", "2024-03", A, 300),
    ("NS.01", "08", "2024-03", A, 500),
    ("NS.01", "22", "2024-03", A, 1500),
    ("NS.01", "01", "2024-03", A, 2000),
    ("NS.01", "02", "2024-05", A, 400),
    ("NS.01", "08", "2024-05", A, 700),
    ("NS.01", "22", "2024-05", A, 2000),
    ("NS.01", "01", "2024-05", A, 3000),
    ("NS.01", "08", "2026", T, 4000),
    ("NS.01", "22", "2026", T, 6000),
    ("NS.01", "08", "2026-03", A, 900),
    ("NS.01", "22", "2026-03", A, 1600),
    ("NS.01", "01", "2026-03", A, 2500),
    ("KT.04", "02", "2024-05", A, 3.5),
    ("KT.04", "08", "2024-05", A, 4.0),
    ("KT.04", "22", "2024-05", A, 3.0),
    ("KT.04", "01", "2024-05", A, 3.2),
    ("KT.04", "22", "2024", T, 4.0),
    # wards of Quảng Ninh: 06649 (old), 06652 (an old and a new ward share it)
    ("CPS.05", "06649", "2024-03", A, 50),
    ("CPS.06", "06649", "2024-03", A, 40),
    ("CPS.05", "06652", "2026-03", A, 100),
    ("CPS.06", "06652", "2026-03", A, 90),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory, make_submissions, make_warehouse):
    folder = tmp_path_factory.mktemp("province")
    path = make_submissions(folder / "in").csv(
        "scenario.csv",
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
    warehouse = make_warehouse(folder / "warehouse")
    result = warehouse.load(path)
    assert result.outcomes[0].status == "loaded", result.outcomes[0].errors
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CC_DATA_DIR", str(warehouse.root))
        yield warehouse


@pytest.fixture(scope="module")
def page():
    """The page module (register_page needs a Dash app with pages)."""
    (module,) = import_pages(__name__, "pages.province")
    return module


def find(component, kind: type) -> list:
    out: list = []

    def walk(node):
        if isinstance(node, kind):
            out.append(node)
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif node is not None and hasattr(node, "children"):
            walk(node.children)

    walk(component)
    return out


# -- breadcrumbs ---------------------------------------------------------


def test_breadcrumbs_link_every_item_but_the_current_page():
    nav = breadcrumbs(
        [
            ("Trang chủ", "/"),
            ("Tỉnh thành", "/provinces"),
            ("Vùng", None),
            ("Quảng Ninh", "/province/22"),
        ]
    )
    items = nav.children.children
    assert [strings(i) for i in items] == [
        ["Trang chủ"],
        ["Tỉnh thành"],
        ["Vùng"],
        ["Quảng Ninh"],
    ]
    assert [link.href for link in find(nav, dcc.Link)] == ["/", "/provinces"]
    assert "active" in items[-1].className
    assert getattr(items[-1], "aria-current") == "page"


# -- scorecard cells -----------------------------------------------------

PLAN = {
    "indicator_code": "NS.01",
    "target_type": "plan",
    "actual": 2000.0,
    "target": 5000.0,
    "pct_of_target": 40.0,
    "expected_pct": 41.6667,
    "status": "off_track",
    "unit_vi": "tỷ đồng",
    "unit_en": "billion VND",
    "pct_vs_last_year": 112.5,
    "change_vs_last_year": 222.0,
}
MAX = {
    "indicator_code": "KT.04",
    "target_type": "max",
    "actual": 3.0,
    "target": 4.0,
    "target_to_date": 4.0,
    "met": True,
    "status": "on_track",
    "unit_vi": "%",
    "unit_en": "%",
    "pct_vs_last_year": None,
    "change_vs_last_year": -0.4,
}


@pytest.mark.parametrize(
    ("row", "lang", "progress", "pace", "last_year"),
    [
        (PLAN, "vi", "40,0%", "41,7%", "112,5%"),
        (PLAN, "en", "40.0%", "41.7%", "112.5%"),
        (MAX, "vi", "Đạt", "—", "−0,4 điểm %"),
        (MAX, "en", "Met", "—", "−0.4 pp"),
        ({**MAX, "met": False}, "vi", "Chưa đạt", "—", "−0,4 điểm %"),
        ({**MAX, "target_to_date": 2.5}, "vi", "Đạt", "2,5%", "−0,4 điểm %"),
        ({"target_type": None, "actual": 5.0}, "vi", "—", "—", "—"),
    ],
)
def test_scorecard_cells_say_progress_pace_and_last_year(
    row, lang, progress, pace, last_year
):
    assert progress_text(row, lang) == progress
    assert pace_text(row, lang) == pace
    assert last_year_text(row, lang) == last_year


@pytest.mark.parametrize(
    ("row", "status"),
    [
        ({"actual": None, "status": "on_track"}, "no_data"),
        ({"actual": 1.0, "status": None}, "no_target"),
        ({"actual": 1.0, "status": "at_risk"}, "at_risk"),
    ],
)
def test_row_status_is_no_data_without_an_actual(row, status):
    assert row_status(row) == status


@pytest.mark.parametrize(("rank", "text"), [((2, 34), "2/34"), (None, "—")])
def test_rank_text(rank, text):
    assert rank_text(rank) == text


def _rows() -> list[dict]:
    base = {
        "name_vi": "Thu ngân sách",
        "name_en": "Budget revenue",
        "sector": "budget",
        "sector_vi": "Ngân sách nhà nước",
        "sector_en": "State budget",
        "period": "2024-05",
        "submitted_at": None,
        "n_parts": 1,
        "n_expected": 1,
        "revised": False,
        "integer": False,
    }
    return [
        {**base, **PLAN},
        {**base, "indicator_code": "NS.02", "actual": None, "status": None},
        {**base, **MAX, "sector": "macro", "sector_vi": "Kinh tế vĩ mô"},
        {
            **base,
            "indicator_code": "KT.09",
            "sector": "prices",
            "sector_vi": "Giá",
            "actual": None,
        },
    ]


def test_scorecard_groups_by_sector_and_links_each_indicator_with_the_unit():
    card = scorecard(
        _rows(),
        "vi",
        STATE,
        "22",
        {"NS.01": (2, 4)},
        trend_href=lambda c: f"/province/22?indicator={c}",
    )
    sections = card.children
    assert [s.id for s in sections] == [
        "sector-budget",
        "sector-macro",
        "sector-prices",
    ]
    assert [s.open for s in sections] == [True, True, False]  # no figure: closed
    hrefs = [link.href for link in find(card, dcc.Link)]
    assert "/indicator/NS.01?geo=2020&lang=vi&period=2024-05&unit=22" in hrefs
    assert "/province/22?indicator=NS.01" in hrefs
    words = strings(card)
    assert "2.000 tỷ đồng" in words and "5.000 tỷ đồng" in words
    assert "2/4" in words and "Xếp hạng" in words
    assert "1/2 chỉ tiêu có số liệu" in words


def test_scorecard_of_a_commune_has_no_rank_column():
    card = scorecard(_rows(), "en", {**STATE, "lang": "en"}, "06652", None)
    assert "Rank" not in strings(card)
    assert "Actual" in strings(card)


def test_status_counts_count_rows_without_figures_as_no_data():
    counts = status_counts(_rows())
    assert counts == {"off_track": 1, "on_track": 1, "no_data": 2}


# -- trend chart -----------------------------------------------------------

CATALOG_PLAN = {
    "code": "NS.01",
    "target_type": "plan",
    "measure": "ytd",
    "frequency": "month",
    "unit_vi": "tỷ đồng",
    "unit_en": "billion VND",
    "integer": False,
}
SERIES = pd.DataFrame(
    {
        "period": ["2024-03", "2024-05", "2025-02"],
        "actual": [1500.0, 2000.0, 700.0],
        "ytd_actual": [1500.0, 2000.0, 700.0],
        "target": [5000.0, 5000.0, None],
        "target_to_date": [5000.0, 5000.0, None],
        "expected_pct": [25.0, 41.0, 16.0],
        "status": ["on_track", "off_track", None],
    }
)
TARGETS = pd.DataFrame({"period": ["2024", "2030"], "target": [5000.0, 9999.0]})


def test_trend_chart_draws_plan_pace_and_actual_with_year_breaks():
    figure = trend_chart(SERIES, TARGETS, CATALOG_PLAN, "vi")
    names = [trace.name for trace in figure.data if trace.showlegend is not False]
    assert names == [
        "Kế hoạch, mục tiêu",
        "Tiến độ dự kiến",
        "Thực hiện (lũy kế từ đầu năm)",
    ]
    target, pace, actual, legend = figure.data
    assert legend.marker.color == actual.line.color  # not the first point's status
    assert actual.marker.color[:2] == (COLORS["on_track"], COLORS["off_track"])
    assert len(target.x) == 12 and set(target.y) == {5000.0}  # 2030 is out of range
    assert list(pace.y)[:2] == [1250.0, 2050.0]
    assert None in list(actual.x)  # the line breaks in January
    assert list(actual.text)[-1] == fmt_value(700, "tỷ đồng", "billion VND", "vi")
    assert figure.layout.separators == ",." and figure.layout.template is not None


def test_trend_chart_of_a_max_target_uses_the_target_and_no_pace():
    series = pd.DataFrame(
        {
            "period": ["2024-04", "2024-05"],
            "actual": [3.1, 3.0],
            "target": [4.0, 4.0],
            "target_to_date": [4.0, 4.0],
            "status": ["on_track", "on_track"],
        }
    )
    row = {
        "target_type": "max",
        "measure": "rate",
        "frequency": "month",
        "unit_vi": "%",
        "unit_en": "%",
    }
    figure = trend_chart(
        series, pd.DataFrame({"period": ["2024"], "target": [4.0]}), row, "en"
    )
    assert [trace.name for trace in figure.data] == ["Target", "Actual", "Actual"]
    assert figure.layout.separators == ".,"
    assert list(figure.data[1].text) == ["", fmt_value(3.0, "%", "%", "en")]


def test_trend_chart_without_figures_says_so():
    figure = trend_chart(pd.DataFrame(), None, CATALOG_PLAN, "en")
    assert not figure.data
    assert figure.layout.annotations[0].text == "No figures over time yet"


@pytest.mark.parametrize(
    ("period", "day"),
    [("2024", "2024-12-01"), ("2024-Q3", "2024-09-01"), ("2024-05", "2024-05-01")],
)
def test_period_x(period, day):
    assert str(period_x(period)) == day


@pytest.mark.parametrize(("lang", "chars"), [("vi", ",."), ("en", ".,")])
def test_separators(lang, chars):
    assert separators(lang) == chars


# -- page helpers ------------------------------------------------------------

OLD_08 = {
    "unit_code": "08",
    "level": "province",
    "geo": "2020",
    "name_vi": "Tuyên Quang",
}
NEW_08 = {**OLD_08, "geo": "2025"}
OLD_WARD = {
    "unit_code": "06652",
    "level": "commune",
    "geo": "all",
    "valid_from": "2000-01-01",
    "valid_to": "2025-06-30",
    "name_vi": "Hà Phong",
}
NEW_WARD = {
    **OLD_WARD,
    "valid_from": "2025-07-01",
    "valid_to": "9999-12-31",
    "name_vi": "Hà Tu",
}


@pytest.mark.parametrize(
    ("versions", "geo", "month", "name", "version_geo"),
    [
        ([NEW_08, OLD_08], "2020", "2024-05", "Tuyên Quang", "2020"),
        ([NEW_08, OLD_08], "2025", "2024-05", "Tuyên Quang", "2025"),
        ([NEW_08, OLD_08], "2025", "2026-03", "Tuyên Quang", "2025"),
        (
            [{**OLD_08, "unit_code": "02", "name_vi": "Hà Giang"}],
            "2025",
            "2026-03",
            "Hà Giang",
            "2020",
        ),
        ([NEW_WARD, OLD_WARD], "2025", "2024-05", "Hà Phong", "all"),
        ([NEW_WARD, OLD_WARD], "2025", "2026-03", "Hà Tu", "all"),
        ([OLD_WARD], "2025", "2026-03", "Hà Phong", "all"),
    ],
)
def test_pick_version_by_geo_for_provinces_and_by_date_for_communes(
    page, versions, geo, month, name, version_geo
):
    version = pick_version(versions, geo, month)
    assert (version["name_vi"], version["geo"]) == (name, version_geo)


def test_pick_version_of_the_nation_or_nothing_is_none(page):
    assert pick_version([], "2025", "2026-03") is None
    nation = [{"level": "country", "geo": "all"}]
    assert pick_version(nation, "2025", "2026-03") is None


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (None, ("KT.04", False)),
        ("ns.01", ("NS.01", False)),
        ("NS.02", ("KT.04", True)),
        ("XX", ("KT.04", True)),
    ],
)
def test_pick_indicator_defaults_to_the_first_headline_with_figures(
    page, asked, expected
):
    rows = [
        {"indicator_code": "CPS.05", "actual": 3.0, "headline": False},
        {"indicator_code": "NS.02", "actual": None, "headline": True},
        {"indicator_code": "KT.04", "actual": 3.0, "headline": True},
        {"indicator_code": "NS.01", "actual": 2.0, "headline": True},
    ]
    assert pick_indicator(rows, asked) == expected


def test_scorecard_rows_keep_the_level_s_indicators_and_any_with_figures(page):
    catalog = pd.DataFrame(
        {
            "code": ["A.1", "A.2", "A.3"],
            "levels": ["national;province", "national", "commune"],
        }
    )
    progress = pd.DataFrame(
        {"indicator_code": ["A.1", "A.2", "A.3"], "actual": [None, None, 5.0]}
    )

    def codes(level: str) -> list[str]:
        rows = scorecard_rows(progress, catalog, level)
        return [r["indicator_code"] for r in rows]

    assert codes("province") == ["A.1", "A.3"]
    assert codes("commune") == ["A.3"]


MERGER = [
    {
        "old_code": "02",
        "old_vi": "Hà Giang",
        "old_en": "Ha Giang",
        "new_code": "08",
        "new_vi": "Tuyên Quang",
        "new_en": "Tuyen Quang",
    },
    {
        "old_code": "08",
        "old_vi": "Tuyên Quang",
        "old_en": "Tuyen Quang",
        "new_code": "08",
        "new_vi": "Tuyên Quang",
        "new_en": "Tuyen Quang",
    },
]


def test_lineage_notes_name_the_predecessors_of_a_comparable_series():
    notes = lineage_notes(NEW_08, "2025", True, MERGER, STATE, "vi")
    assert len(notes) == 1
    links = find(notes, dcc.Link)
    assert [strings(link) for link in links] == [["Hà Giang"], ["Tuyên Quang"]]
    assert links[0].href == "/province/02?geo=2020&lang=vi&period=2024-05"
    assert not lineage_notes(NEW_08, "2025", False, MERGER, STATE, "vi")


def test_lineage_notes_of_an_old_province_shown_for_2025_say_where_it_went():
    old_02 = {**OLD_08, "unit_code": "02", "name_vi": "Hà Giang", "name_en": "Ha Giang"}
    notes = lineage_notes(old_02, "2025", False, MERGER, STATE, "en")
    words = " ".join(strings(notes))
    assert "Code 02 is not one of the 34 provinces" in words
    assert "Ha Giang (63 provinces) was merged on 1 Jul 2025 into" in words
    assert [link.href for link in find(notes, dcc.Link)] == [
        "/province/08?geo=2025&lang=vi&period=2024-05"
    ]


def test_commune_list_links_each_commune_page():
    rows = [
        {
            "unit_code": "06652",
            "name_vi": "Phường Hà Tu",
            "name_en": "Ha Tu Ward",
            "n_figures": 3,
            "latest_period": "2026-03",
        }
    ]
    listing = commune_list(rows, STATE, "vi")
    assert [link.href for link in find(listing, dcc.Link)] == [
        "/province/06652?geo=2020&lang=vi&period=2024-05"
    ]
    assert "3 số liệu, gần nhất Tháng 3/2026" in strings(listing)
    assert "Chưa có" in strings(commune_list([], STATE, "vi"))[0]
    assert name_of({"name_vi": "Xã", "name_en": None}, "en") == "Xã"


# -- queries and the layout on a small warehouse -------------------------------


def test_province_ranks_match_province_values(db):
    from data import queries as q

    ranks = q.province_ranks("22", "2024-05", "2020").set_index("indicator_code")
    assert ranks.loc["NS.01", "rank_value"] == 2 and ranks.loc["NS.01", "n_ranked"] == 4
    assert ranks.loc["KT.04", "rank_value"] == 1  # lower is better
    for code in ("NS.01", "KT.04"):
        values = q.province_values(code, "2024-05", "2020").set_index("unit_code")
        assert ranks.loc[code, "rank_value"] == values.loc["22", "rank_value"]
        assert ranks.loc[code, "period"] == values.loc["22", "period"]


def test_province_ranks_of_a_merged_province_across_the_reform(db):
    from data import queries as q

    ranks = q.province_ranks("08", "2024-05", "2025").set_index("indicator_code")
    assert ranks.loc["NS.01", "rank_value"] == 3  # 400 + 700 after 3000 and 2000
    assert "KT.04" not in ranks.index  # a rate of two predecessors is not summed
    with pytest.raises(q.BadParameter):
        q.province_ranks("06652", "2024-05", "2025")


def test_province_merger_lists_predecessors(db):
    from data import queries as q

    merger = q.province_merger()
    olds = merger[merger["new_code"] == "08"]["old_vi"].tolist()
    assert sorted(olds) == ["Hà Giang", "Tuyên Quang"]
    assert len(merger) == 63


def test_layout_of_a_province_shows_its_figures_rank_and_trail(db, page):
    view = page.layout(code="22", period="2024-05", geo="2020")
    words = strings(view)
    assert "Quảng Ninh" in words and "2.000 tỷ đồng" in words and "2/4" in words
    assert "Đồng bằng sông Hồng" in words
    graph = find(view, dcc.Graph)[0]
    assert graph.figure.data[-1].name.startswith("Thực hiện")


def test_layout_of_an_old_code_picks_the_version_by_geo(db, page):
    old = strings(page.layout(code="02", period="2024-05", geo="2020"))
    assert "Hà Giang" in old and "400 tỷ đồng" in old
    merged = page.layout(code="08", period="2024-05", geo="2025")
    assert "1.100 tỷ đồng" in strings(merged)  # 400 + 700, the comparable series
    assert ["Hà Giang"] in [strings(link) for link in find(merged, dcc.Link)]


def test_layout_of_a_commune_has_its_figures_and_trail_to_the_province(db, page):
    view = page.layout(code="06652", period="2026-03")
    words = strings(view)
    assert "Phường Hà Tu" in words and fmt_value(90.0, "%", "%", "vi") in words
    trail = [link.href for link in find(view.children[0], dcc.Link)]
    assert "/province/22?geo=2025&lang=vi&period=2026-03" in trail


@pytest.mark.parametrize("code", ["99", "99999", "abc", "00"])
def test_layout_of_an_unknown_code_is_not_found(db, page, code):
    words = " ".join(strings(page.layout(code=code, lang="en")))
    assert "Page not found" in words


def test_layout_reports_an_indicator_without_figures(db, page):
    words = " ".join(
        strings(page.layout(code="22", period="2024-05", geo="2020", indicator="XH.01"))
    )
    assert "indicator='XH.01'" in words


def test_pick_trend_puts_the_indicator_in_the_url(page):
    assert page.pick_trend("NS.01", "KT.04", "/province/22", "?lang=en") == (
        "/province/22?indicator=NS.01&lang=en"
    )
    with pytest.raises(dash.exceptions.PreventUpdate):  # the dropdown mounting
        page.pick_trend("KT.04", "KT.04", "/province/22", "?lang=en")


@pytest.mark.parametrize(
    ("whole_years", "kept"),
    [
        (False, ["2023-Q4", "2024-05", "2023"]),
        (True, ["2023-Q4", "2024-05", "2023", "2024"]),
    ],
)
def test_until_keeps_periods_ending_by_the_month_within_three_years(whole_years, kept):
    frame = pd.DataFrame(
        {
            "period": [
                "2020-12",
                "2023-Q4",
                "2024-05",
                "2024-06",
                "2024-Q2",
                "2023",
                "2024",
            ]
        }
    )
    assert until(frame, "2024-05", whole_years)["period"].tolist() == kept
