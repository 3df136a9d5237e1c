"""The indicator page: its builders, its URL callbacks, its query, its layout.

Builders get plain rows; the query and the layout run against a small
warehouse loaded from CSVs in tmp_path (Quảng Ninh's budget revenue, revised
once), so the figures are known exactly.
"""

from __future__ import annotations

import json
import math

import dash
import pandas as pd
import pytest

from components.breakdown import (
    bar_text,
    breakdown_period,
    province_figure,
    province_table,
    ranked,
    region_table,
)
from components.fmt import fmt_value
from components.indicator_chart import indicator_chart
from components.indicator_header import indicator_facts, is_integer
from components.indicator_headline import headline, headline_values
from components.provenance_table import (
    current_flags,
    distinct_loads,
    provenance_note,
    provenance_table,
    revision_changes,
    revisions_table,
    short_sha,
)
from tests.unit.component_text import import_pages, strings

NS01 = {
    "code": "NS.01",
    "name_vi": "Thu ngân sách",
    "name_en": "Budget revenue",
    "unit_vi": "tỷ đồng",
    "unit_en": "billion VND",
    "frequency": "month",
    "measure": "ytd",
    "aggregation": "sum",
    "target_type": "plan",
    "direction": "up",
    "integer": False,
    "sector": "budget",
    "sector_vi": "Ngân sách",
    "sector_en": "Budget",
    "owner": "BTC",
    "owner_vi": "Bộ Tài chính",
    "owner_en": "Ministry of Finance",
    "numerator": None,
    "denominator": None,
    "levels": "national;province",
}
CPS07 = {
    **NS01,
    "code": "CPS.07",
    "unit_vi": "%",
    "unit_en": "%",
    "measure": "rate",
    "aggregation": "ratio",
    "target_type": "min",
    "numerator": "CPS.06",
    "denominator": "CPS.05",
}


def texts(component) -> list[str]:
    """Every string in a Dash component tree (what the page would show): numbers
    too, and the title (tooltip) of every node besides its children."""
    return strings(component, numbers=True, props=("children", "title"))


def find(component, predicate) -> list:
    """Components of a tree for which predicate(component) is true."""
    found = [component] if predicate(component) else []
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            found += find(child, predicate)
    elif children is not None and not isinstance(children, str | int | float):
        found += find(children, predicate)
    return found


# --- headline ---------------------------------------------------------------------

PLAN_ROW = {
    "period": "2020-08",
    "actual": 29915.0,
    "ytd_actual": 29915.0,
    "target": 45053.0,
    "pct_of_target": 66.4,
    "expected_pct": 64.2,
    "pace_basis": "elapsed",
    "status": "on_track",
    "measure": "ytd",
    "projected_year_end": 46596.6,
    "monthly_needed": 3784.5,
    "pct_vs_last_year": 108.5,
    "change_vs_last_year": 2345.0,
}


@pytest.mark.parametrize(
    ("lang", "key", "expected"),
    [
        ("vi", "actual", "29.915 tỷ đồng"),
        ("en", "actual", "29,915 billion VND"),
        ("vi", "target", "45.053 tỷ đồng"),
        ("vi", "pct_of_target", "66,4%"),
        ("en", "pct_of_target", "66.4%"),
        ("vi", "expected_pct", "64,2%"),
        ("vi", "projected_year_end", "46.597 tỷ đồng"),
        ("vi", "monthly_needed", "3.785 tỷ đồng"),
        ("vi", "vs_last_year", "+8,5%"),
    ],
)
def test_headline_values_of_a_plan_figure(lang, key, expected):
    assert headline_values(PLAN_ROW, NS01, lang)[key] == expected


def test_a_plan_already_met_says_so_instead_of_a_monthly_amount():
    values = headline_values({**PLAN_ROW, "monthly_needed": 0.0}, NS01, "en")
    assert values["monthly_needed"] == "Annual plan already met"


def test_min_target_shows_target_to_date_and_gap_but_no_plan_tiles():
    row = {
        "period": "2026-10",
        "actual": 93.2,
        "target": 90.0,
        "target_to_date": 90.0,
        "pct_of_target": 103.6,
        "gap": 3.2,
        "met": True,
        "status": "on_track",
        "measure": "rate",
        "change_vs_last_year": -1.5,
        "pct_vs_last_year": None,
    }
    values = headline_values(row, CPS07, "vi")
    assert values["actual"] == "93,2%" and values["target"] == "90%"
    assert values["gap"] == "+3,2%"
    assert "expected_pct" not in values and "monthly_needed" not in values
    assert values["vs_last_year"] == "−1,5 điểm %"


def test_headline_without_a_figure_says_so():
    out = headline(None, NS01, "X", "vi", {}, "00")
    assert "Chưa có số liệu" in " ".join(texts(out))


def test_headline_carries_status_word_and_sources_link():
    out = headline(
        {**PLAN_ROW, "indicator_code": "NS.01", "submitted_at": None},
        NS01,
        "Quảng Ninh",
        "vi",
        {"lang": "vi"},
        "22",
    )
    words = texts(out)
    assert "Đạt tiến độ" in words and "Quảng Ninh" in words
    links = find(out, lambda c: getattr(c, "href", "") and "#provenance" in c.href)
    assert links and "unit=22" in links[0].href and "at=2020-08" in links[0].href


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("false", False),
        (None, False),
        (float("nan"), False),
    ],
)
def test_is_integer_reads_the_catalog_flag(value, expected):
    assert is_integer({"integer": value}) is expected


def test_ratio_facts_link_numerator_and_denominator():
    out = indicator_facts(CPS07, "vi", {"lang": "vi"}, {"CPS.06": "Đúng hạn"})
    links = [
        c.href for c in find(out, lambda c: getattr(c, "className", "") == "ratio-part")
    ]
    assert links == ["/indicator/CPS.06?lang=vi", "/indicator/CPS.05?lang=vi"]
    assert "CPS.06 (Đúng hạn)" in texts(out)


# --- breakdown --------------------------------------------------------------------

PROVINCES = pd.DataFrame(
    [
        {
            "unit_code": "01",
            "name_vi": "Hà Nội",
            "name_en": "Ha Noi",
            "period": "2026-10",
            "actual": 300.0,
            "ytd_actual": 300.0,
            "pct_of_target": 80.0,
            "status": "on_track",
            "rank_value": 1,
        },
        {
            "unit_code": "22",
            "name_vi": "Quảng Ninh",
            "name_en": "Quang Ninh",
            "period": "2026-10",
            "actual": 100.0,
            "ytd_actual": 100.0,
            "pct_of_target": 50.0,
            "status": "off_track",
            "rank_value": 2,
        },
        {
            "unit_code": "04",
            "name_vi": "Cao Bằng",
            "name_en": "Cao Bang",
            "period": "2026-10",
            "actual": None,
            "ytd_actual": None,
            "pct_of_target": None,
            "status": None,
            "rank_value": None,
        },
    ]
)


def test_ranked_keeps_provinces_with_a_figure_best_first():
    assert ranked(PROVINCES, NS01)["unit_code"].tolist() == ["01", "22"]
    assert breakdown_period(PROVINCES) == "2026-10"
    assert breakdown_period(PROVINCES.iloc[0:0]) is None


@pytest.mark.parametrize(
    ("lang", "expected"), [("vi", "300 · 80,0% KH"), ("en", "300 · 80.0% of plan")]
)
def test_bar_text_gives_value_and_percent_of_plan(lang, expected):
    assert bar_text(PROVINCES.iloc[0].to_dict(), NS01, lang) == expected


def test_province_figure_one_trace_per_status_with_codes_and_highlight():
    figure = province_figure(PROVINCES, NS01, "vi", highlight="22")
    names = [trace.name for trace in figure.data]
    assert names == ["Đạt tiến độ", "Chậm tiến độ"]
    assert [list(trace.customdata) for trace in figure.data] == [["01"], ["22"]]
    assert list(figure.data[1].marker.line.width) == [3]
    assert figure.layout.separators == ",."
    assert list(figure.layout.yaxis.categoryarray) == ["Quảng Ninh", "Hà Nội"]


def test_province_table_links_every_province_and_lists_missing_last():
    table = province_table(PROVINCES, NS01, "vi", {"lang": "vi"}, highlight="22")
    links = [c.href for c in find(table, lambda c: getattr(c, "href", None))]
    assert links == [
        "/province/01?lang=vi",
        "/province/22?lang=vi",
        "/province/04?lang=vi",
    ]
    rows = find(table, lambda c: getattr(c, "className", None) == "table-active")
    assert len(rows) == 1 and "Quảng Ninh" in texts(rows[0])


@pytest.mark.parametrize(
    ("method", "words"),
    [
        ("sum", "Cộng số của các tỉnh trong vùng"),
        ("mean", "Bình quân (không gia quyền) các tỉnh có số liệu"),
    ],
)
def test_region_table_says_how_provinces_were_combined(method, words):
    frame = pd.DataFrame(
        [
            {
                "region_key": "DBSH",
                "name_vi": "Đồng bằng sông Hồng",
                "name_en": "Red River Delta",
                "value": 1234.5,
                "method": method,
                "n_provinces": 6,
            }
        ]
    )
    assert words in texts(region_table(frame, NS01, "vi"))


# --- provenance and revisions -----------------------------------------------------

REVISIONS = pd.DataFrame(
    [
        {
            "kind": "actual",
            "revision": 1,
            "value": 29915.0,
            "source_file": "a.csv",
            "source_sha256": "ab" * 32,
            "source_row": 2,
        },
        {
            "kind": "actual",
            "revision": 2,
            "value": 30100.0,
            "source_file": "b.csv",
            "source_sha256": "cd" * 32,
            "source_row": 2,
        },
        {
            "kind": "actual",
            "revision": 3,
            "value": 30100.0,
            "source_file": "c.csv",
            "source_sha256": "ef" * 32,
            "source_row": 5,
        },
        {
            "kind": "target",
            "revision": 1,
            "value": 45053.0,
            "source_file": "a.csv",
            "source_sha256": "ab" * 32,
            "source_row": 3,
        },
    ]
)


def test_revision_changes_and_current_flags():
    assert revision_changes(REVISIONS) == [None, 185.0, 0.0, None]
    assert current_flags(REVISIONS, ["kind"]) == [False, False, True, True]


@pytest.mark.parametrize(
    ("sha", "expected"), [("ab" * 32, "abababababab"), (None, "—"), ("", "—")]
)
def test_short_sha(sha, expected):
    assert short_sha(sha) == expected


def test_revisions_table_highlights_only_values_that_changed():
    table = revisions_table(REVISIONS, NS01, "vi")
    changed = find(
        table, lambda c: "revised-value" in (getattr(c, "className", "") or "")
    )
    assert len(changed) == 1 and "30.100" in texts(changed[0])
    shas = find(table, lambda c: getattr(c, "title", None) == "cd" * 32)
    assert texts(shas[0]) == ["cdcdcdcdcdcd", "cd" * 32]


def test_provenance_of_a_national_rollup_explains_why_there_is_no_file():
    note = provenance_note({"origin": "rollup", "n_parts": 34}, NS01, "00", "vi")
    assert "34 tỉnh" in note
    assert note in texts(provenance_table(pd.DataFrame(), NS01, "vi", note))
    assert provenance_note({"origin": "reported"}, NS01, "22", "vi") is None


def test_the_provenance_heads_the_area_code_as_such():
    """The column holds a province or commune code, not a unit of measure."""
    record = {
        "role": "reported",
        "indicator_code": "NS.01",
        "unit_code": "22",
        "period": "2020-08",
        "kind": "actual",
        "value": 29915.0,
        "revision": 1,
        "source_file": "UBND-22.csv",
        "source_sha256": "ab",
        "source_row": 2,
        "submitted_at": None,
        "loaded_at": None,
        "operator": "etl",
        "reporter": "UBND-22",
    }
    for lang, head, wrong in (
        ("vi", "Mã đơn vị hành chính", "Đơn vị tính"),
        ("en", "Area code", "Unit"),
    ):
        table = provenance_table(pd.DataFrame([record]), NS01, lang)
        heads = [h.children for h in find(table, lambda n: type(n).__name__ == "Th")]
        assert head in heads and wrong not in heads, heads


def test_a_predecessor_that_kept_its_code_is_listed_once():
    load = {
        "indicator_code": "NS.01",
        "period": "2024-12",
        "kind": "actual",
        "revision": 1,
        "value": 1.0,
    }
    frame = pd.DataFrame(
        [
            {**load, "role": "reported", "unit_code": "25"},
            {**load, "role": "predecessor", "unit_code": "17"},
            {**load, "role": "predecessor", "unit_code": "25"},
        ]
    )
    kept = distinct_loads(frame)
    assert list(zip(kept["role"], kept["unit_code"], strict=True)) == [
        ("predecessor", "17"),
        ("predecessor", "25"),
    ]
    only_reported = frame.iloc[:1]
    assert distinct_loads(only_reported).equals(only_reported)


@pytest.mark.parametrize(
    ("origin", "unit", "n", "words"),
    [
        ("computed", "00", 34, "Tỷ lệ toàn quốc được tính từ CPS.06 / CPS.05"),
        ("computed", "22", 1, "Tỷ lệ được tính từ CPS.06 / CPS.05"),
        ("merged", "22", 2, "tổng số của 2 tỉnh cũ"),
    ],
)
def test_provenance_note_says_how_a_derived_figure_was_made(origin, unit, n, words):
    note = provenance_note({"origin": origin, "n_parts": n}, CPS07, unit, "vi")
    assert words in note


def test_chart_marks_the_period_and_uses_the_language_separators():
    series = pd.DataFrame(
        {
            "period": ["2020-07", "2020-08"],
            "actual": [1.0, 2.0],
            "ytd_actual": [1.0, 2.0],
            "target": [10.0, 10.0],
            "expected_pct": [50.0, 60.0],
            "status": ["on_track"] * 2,
        }
    )
    figure = indicator_chart(series, None, NS01, "en", at="2020-08")
    assert figure.layout.separators == ".,"
    assert [a.text for a in figure.layout.annotations] == ["Aug 2020"]


# --- page helpers and callbacks -----------------------------------------------------


@pytest.fixture(scope="module")
def page():
    """pages.indicator (register_page needs a Dash app with pages)."""
    (module,) = import_pages(__name__, "pages.indicator")
    return module


@pytest.mark.parametrize(
    ("value", "frequency", "expected", "problem"),
    [
        (None, "month", None, False),
        ("2026-10", "month", "2026-10", False),
        ("2026-q3", "quarter", "2026-Q3", False),
        ("2026-10", "quarter", None, True),
        ("garbage", "month", None, True),
    ],
)
def test_read_at_accepts_only_periods_at_the_indicator_frequency(
    page, value, frequency, expected, problem
):
    problems: list[str] = []
    assert page.read_at(value, frequency, "vi", problems) == expected
    assert bool(problems) is problem


@pytest.mark.parametrize(
    ("click", "expected"),
    [
        ({"points": [{"customdata": "22"}]}, "22"),
        ({"points": []}, None),
        (None, None),
        ({"points": [{"customdata": "<script>"}]}, None),
    ],
)
def test_clicked_province(page, click, expected):
    assert page.clicked_province(click) == expected


def test_drill_to_province_keeps_shared_state_only(page):
    url = page.drill_to_province(
        {"points": [{"customdata": "22"}]}, "?lang=en&unit=00&at=2026-10&period=2026-10"
    )
    assert url == "/province/22?lang=en&period=2026-10"


def test_pick_unit_and_at_change_the_url_or_nothing(page):
    path, shown = "/indicator/NS.01", {"unit": "00", "at": "2026-10"}
    assert page.pick_unit("22", shown, path, "?lang=en") == f"{path}?lang=en&unit=22"
    assert (
        page.pick_at("2026-09", shown, path, "?unit=22") == f"{path}?at=2026-09&unit=22"
    )
    # a dropdown reports its value when it mounts: the rendered value is no change
    with pytest.raises(dash.exceptions.PreventUpdate):
        page.pick_unit("00", shown, path, "")
    with pytest.raises(dash.exceptions.PreventUpdate):
        page.pick_at("2026-10", shown, path, "?unit=22")
    with pytest.raises(dash.exceptions.PreventUpdate):
        page.pick_at(None, shown, path, "")


# --- the query and the layout on a small warehouse ----------------------------------


def _row(value: str, period: str, kind: str = "actual", unit: str = "22") -> dict:
    return {
        "indicator_code": "NS.01",
        "unit_code": unit,
        "period": period,
        "value": value,
        "kind": kind,
        "reporter": f"UBND-{unit}",
    }


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory, make_submissions, make_warehouse):
    root = tmp_path_factory.mktemp("indicator")
    files = make_submissions(root / "in")
    warehouse = make_warehouse(root / "warehouse")
    first = files.csv(
        "qn-2020-08.csv",
        [
            _row("27000", "2020-07"),
            _row("29915", "2020-08"),
            _row("45053", "2020", "target"),
            _row("52000", "2020-08", unit="01"),
        ],
    )
    assert warehouse.load(first).ok
    assert warehouse.load(files.csv("qn-fix.csv", [_row("30100", "2020-08")])).ok
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CC_DATA_DIR", str(warehouse.root))
        yield warehouse


def test_progress_in_geo_reads_the_figure_in_the_asked_geography(small_warehouse):
    from data import queries as q

    old = q.progress_in_geo("NS.01", "22", "2020-08", "2020")
    merged = q.progress_in_geo("NS.01", "22", "2020-08", "2025")
    assert (old["geo"], old["actual"], old["target"]) == ("2020", 30100.0, 45053.0)
    assert merged["geo"] == "2025" and merged["actual"] == 30100.0
    assert math.isclose(old["pct_of_target"], 30100 / 45053 * 100)
    assert q.progress_in_geo("NS.01", "22", "2019-01", "2020") is None


def test_layout_shows_the_figure_its_file_and_its_revision(page, small_warehouse):
    out = page.layout(code="NS.01", unit="22", period="2020-08", geo="2020")
    words = texts(out)
    assert fmt_value(30100, "tỷ đồng", "billion VND", "vi") in words
    assert "qn-fix.csv" in words and "qn-2020-08.csv" in words
    sections = find(out, lambda c: getattr(c, "id", None) == page.PROVENANCE)
    assert len(sections) == 1
    revised = find(
        out, lambda c: "revised-value" in (getattr(c, "className", "") or "")
    )
    assert len(revised) == 1 and "30.100" in texts(revised[0])


def test_layout_of_the_nation_explains_the_rollup(page, small_warehouse):
    words = " ".join(
        texts(page.layout(code="NS.01", period="2020-08", geo="2020", lang="en"))
    )
    assert "sum of 2 provinces" in words
    assert "82,100 billion VND" in words  # 30,100 + 52,000


@pytest.mark.parametrize("code", ["XX.99", "not-a-code", None])
def test_unknown_indicator_is_not_found(page, small_warehouse, code):
    assert "Không tìm thấy trang" in texts(page.layout(code=code))


def test_bad_unit_and_at_are_reported_and_fall_back(page, small_warehouse):
    out = page.layout(
        code="NS.01", unit="99", at="2020-Q3", period="2020-08", geo="2020"
    )
    words = " ".join(texts(out))
    assert "unit=99" in words and "at=2020-Q3" in words
    assert out.to_plotly_json()["props"]["data-unit"] == "00"


def test_the_provenance_shows_who_signed_a_load():
    signer = json.dumps(
        {
            "subject": "CN=Nguyễn Văn A,O=UBND tỉnh Quảng Ninh",
            "serial": "1a2b",
            "issuer": "CN=Test CA",
            "signing_time": "2026-10-15T08:00:00Z",
        },
        ensure_ascii=False,
    )
    record = {
        "role": "reported",
        "indicator_code": "NS.01",
        "unit_code": "22",
        "period": "2026-09",
        "kind": "actual",
        "value": 1.0,
        "revision": 1,
        "note": None,
    }
    frame = pd.DataFrame([{**record, "signer": signer}, {**record, "revision": 2}])
    for table, head in (
        (provenance_table(frame, NS01, "vi"), "Người ký số"),
        (revisions_table(frame, NS01, "en"), "Signed by"),
    ):
        heads = [h.children for h in find(table, lambda n: type(n).__name__ == "Th")]
        assert head in heads
        cells = find(table, lambda n: "signer" == getattr(n, "className", None))
        assert [c.children for c in cells] == ["Nguyễn Văn A", "—"]
        assert "1a2b" in cells[0].title and "CN=Test CA" in cells[0].title
