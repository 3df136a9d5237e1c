"""/sectors and /sector/<code>: builders, grouping, filters and the unit picker
called as plain functions; sector_progress and the layouts on a small warehouse
built by the ETL in tmp_path (tests/conftest.py seeded_warehouse: Quảng Ninh's
budget revenue to August 2020, 29 915 of a 45 053 billion VND plan)."""

from __future__ import annotations

import math

import dash
import pandas as pd
import pytest

from components.indicator_table import (
    due_period,
    indicator_table,
    last_year_text,
    pace_text,
    plan_text,
    table_rows,
    target_text,
    ytd_text,
)
from components.sector_card import (
    owner_card,
    sector_card,
    status_bar,
    status_counts,
    status_figure,
)
from components.status import COLORS, STATUSES
from tests.unit.component_text import find_nodes, import_pages, strings

NAN = math.nan
STATE = {"lang": "vi", "period": "2026-10", "geo": "2025"}


@pytest.fixture(scope="module")
def pages():
    """The two page modules (register_page needs a Dash app with pages)."""
    return import_pages(__name__, "pages.sectors", "pages.sector")


def _find(component, predicate) -> list:
    """The Dash components of the tree for which predicate(node) is true."""
    return find_nodes(component, predicate, node_attr="to_plotly_json")


def _hrefs(component) -> list[str]:
    return [n.href for n in _find(component, lambda n: getattr(n, "href", None))]


# --------------------------------------------------------------- periods due


@pytest.mark.parametrize(
    ("month", "frequency", "due"),
    [
        ("2026-10", "month", "2026-10"),
        ("2026-10", "quarter", "2026-Q3"),
        ("2026-09", "quarter", "2026-Q3"),
        ("2026-02", "quarter", "2025-Q4"),
        ("2026-10", "year", "2025"),
        ("2026-12", "year", "2026"),
    ],
)
def test_due_period_is_the_latest_period_ending_by_the_month(month, frequency, due):
    assert due_period(month, frequency) == due


# ------------------------------------------------------------ cell formatting

PLAN = {
    "unit_vi": "tỷ đồng",
    "unit_en": "billion VND",
    "catalog_target_type": "plan",
    "integer": False,
}
RATE = {"unit_vi": "%", "unit_en": "%", "catalog_target_type": "min", "integer": False}


@pytest.mark.parametrize(
    ("row", "lang", "target", "plan", "pace"),
    [
        (
            {**PLAN, "target": 45053, "pct_of_target": 66.4, "expected_pct": 66.67},
            "vi",
            "45.053 tỷ đồng",
            "66,4%",
            "66,7%",
        ),
        (
            {**PLAN, "target": 45053, "pct_of_target": 66.4, "expected_pct": 66.67},
            "en",
            "45,053 billion VND",
            "66.4%",
            "66.7%",
        ),
        ({**RATE, "target": 6.5, "met": True}, "vi", "≥ 6,5%", "Đạt", "—"),
        ({**RATE, "target": 6.5, "met": False}, "en", "≥ 6.5%", "Not met", "—"),
        (
            {**RATE, "catalog_target_type": "max", "target": 4.5, "met": pd.NA},
            "vi",
            "≤ 4,5%",
            "—",
            "—",
        ),
        (
            {**PLAN, "target": NAN, "pct_of_target": NAN, "expected_pct": NAN},
            "vi",
            "—",
            "—",
            "—",
        ),
    ],
)
def test_target_plan_and_pace_cells(row, lang, target, plan, pace):
    assert target_text(row, lang) == target
    assert plan_text(row, lang) == plan
    assert pace_text(row, lang) == pace


@pytest.mark.parametrize(
    ("row", "lang", "text"),
    [
        ({**PLAN, "pct_vs_last_year": 105.24}, "vi", "105,2%"),
        ({**PLAN, "pct_vs_last_year": 105.24}, "en", "105.2%"),
        (
            {**RATE, "pct_vs_last_year": NAN, "change_vs_last_year": -0.5},
            "vi",
            "−0,5 điểm %",
        ),
        (
            {**RATE, "pct_vs_last_year": NAN, "change_vs_last_year": 1.25},
            "en",
            "+1.3 pp",
        ),
        ({**PLAN, "pct_vs_last_year": NAN, "change_vs_last_year": NAN}, "vi", "—"),
    ],
)
def test_last_year_cell(row, lang, text):
    assert last_year_text(row, lang) == text


def test_year_to_date_shown_for_monthly_flows_only():
    flow = {
        **PLAN,
        "measure": "flow",
        "frequency": "month",
        "actual": 10,
        "ytd_actual": 75,
    }
    assert ytd_text(flow, "vi") == "lũy kế 75 tỷ đồng"
    assert ytd_text({**flow, "measure": "ytd"}, "vi") is None
    assert ytd_text({**flow, "frequency": "year"}, "vi") is None


# ------------------------------------------------------------- rows, grouping


def _progress() -> pd.DataFrame:
    """unit_progress rows: two budget and one macro (BTC), one digital (VPCP)."""
    return pd.DataFrame(
        [
            {
                "indicator_code": "NS.01",
                "sector": "budget",
                "sector_vi": "Ngân sách nhà nước",
                "sector_en": "State budget",
                "sector_order": 2,
                "owner": "BTC",
                "frequency": "month",
                "period": "2026-10",
                "status": "on_track",
                "actual": 5.0,
            },
            {
                "indicator_code": "NS.02",
                "sector": "budget",
                "sector_vi": "Ngân sách nhà nước",
                "sector_en": "State budget",
                "sector_order": 2,
                "owner": "BTC",
                "frequency": "month",
                "period": "2026-09",
                "status": "off_track",
                "actual": 1.0,
            },
            {
                "indicator_code": "KT.01",
                "sector": "macro",
                "sector_vi": "Kinh tế vĩ mô",
                "sector_en": "Macroeconomy",
                "sector_order": 1,
                "owner": "BTC",
                "frequency": "quarter",
                "period": "2026-Q3",
                "status": "at_risk",
                "actual": 7.0,
            },
            {
                "indicator_code": "CPS.01",
                "sector": "digital_gov",
                "sector_vi": "Chính phủ số",
                "sector_en": "Digital government",
                "sector_order": 8,
                "owner": "VPCP",
                "frequency": "month",
                "period": NAN,
                "status": NAN,
                "actual": NAN,
            },
        ]
    )


def _catalog() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"code": c, "owner_vi": vi, "owner_en": en}
            for c, vi, en in (
                ("NS.01", "Bộ Tài chính", "Ministry of Finance"),
                ("NS.02", "Bộ Tài chính", "Ministry of Finance"),
                ("KT.01", "Bộ Tài chính", "Ministry of Finance"),
                ("CPS.01", "Văn phòng Chính phủ", "Government Office"),
            )
        ]
    )


SECTORS = pd.DataFrame(
    [
        {
            "code": "macro",
            "name_vi": "Kinh tế vĩ mô",
            "name_en": "Macroeconomy",
            "order": 1,
        },
        {
            "code": "budget",
            "name_vi": "Ngân sách nhà nước",
            "name_en": "State budget",
            "order": 2,
        },
        {"code": "tourism", "name_vi": "Du lịch", "name_en": "Tourism", "order": 7},
        {
            "code": "digital_gov",
            "name_vi": "Chính phủ số",
            "name_en": "Digital government",
            "order": 8,
        },
    ]
)


def test_table_rows_add_owner_names_a_status_always_and_whether_current():
    rows = {
        r["indicator_code"]: r
        for r in table_rows(_progress(), _catalog(), "2026-10", "en")
    }
    assert rows["NS.01"]["owner_name"] == "Ministry of Finance"
    assert rows["CPS.01"]["status"] == "no_data"
    assert [rows[c]["current"] for c in ("NS.01", "NS.02", "KT.01", "CPS.01")] == [
        True,
        False,
        True,
        False,
    ]


def test_sector_summaries_count_by_status_in_reference_order(pages):
    sectors_page, _ = pages
    rows = table_rows(_progress(), _catalog(), "2026-10", "vi")
    summaries = sectors_page.sector_summaries(rows, SECTORS)
    assert [s["code"] for s in summaries] == [
        "macro",
        "budget",
        "tourism",
        "digital_gov",
    ]
    budget = summaries[1]
    assert budget["n_indicators"] == 2 and budget["n_current"] == 1
    assert budget["counts"] == {
        "on_track": 1,
        "at_risk": 0,
        "off_track": 1,
        "no_target": 0,
        "no_data": 0,
    }
    assert [o["code"] for o in budget["owners"]] == ["BTC"]
    tourism = summaries[2]  # a sector without indicators still gets its card
    assert tourism["n_indicators"] == 0 and sum(tourism["counts"].values()) == 0


def test_owner_summaries_list_ministries_and_their_sectors(pages):
    sectors_page, _ = pages
    rows = table_rows(_progress(), _catalog(), "2026-10", "vi")
    owners = sectors_page.owner_summaries(rows)
    assert [(o["code"], o["n_indicators"]) for o in owners] == [("BTC", 3), ("VPCP", 1)]
    assert [(s["code"], s["n"]) for s in owners[0]["sectors"]] == [
        ("budget", 2),
        ("macro", 1),
    ]
    assert owners[1]["counts"]["no_data"] == 1


# ------------------------------------------------------------------ the cards


SUMMARY = {
    "code": "budget",
    "name_vi": "Ngân sách nhà nước",
    "name_en": "State budget",
    "n_indicators": 1234,
    "n_current": 1000,
    "counts": {
        "on_track": 1200,
        "at_risk": 0,
        "off_track": 34,
        "no_target": 0,
        "no_data": 0,
    },
    "owners": [
        {
            "code": "BTC",
            "name_vi": "Bộ Tài chính",
            "name_en": "Ministry of Finance",
            "n": 1234,
        }
    ],
}


@pytest.mark.parametrize(
    ("lang", "total", "word"),
    [("vi", "1.234", "Đạt tiến độ"), ("en", "1,234", "On track")],
)
def test_sector_card_shows_counts_words_owners_and_links(lang, total, word):
    card = sector_card(SUMMARY, lang, {**STATE, "lang": lang})
    texts = strings(card)
    assert total in texts and word in texts
    assert any("Bộ Tài chính" in x or "Ministry of Finance" in x for x in texts)
    assert _hrefs(card) == [f"/sector/budget?geo=2025&lang={lang}&period=2026-10"]


def test_status_counts_have_icon_number_and_word_for_every_status():
    items = status_counts(SUMMARY["counts"], "vi").children
    assert [i.to_plotly_json()["props"]["data-status"] for i in items] == list(STATUSES)
    assert all(i.children[0].className.startswith("bi ") for i in items)
    assert strings(items[0])[:2] == ["1.200", "Đạt tiến độ"]
    assert len(status_counts(SUMMARY["counts"], "vi", hide_zero=True).children) == 2


def test_status_bar_widths_are_shares():
    bar = status_bar({"on_track": 3, "off_track": 1}, "vi")
    assert [s.style["width"] for s in bar.children] == ["75.000%", "25.000%"]


def test_owner_card_links_to_each_sector_filtered_by_the_ministry():
    summary = {
        **SUMMARY,
        "code": "BTC",
        "name_vi": "Bộ Tài chính",
        "sectors": [
            {
                "code": "budget",
                "name_vi": "Ngân sách nhà nước",
                "name_en": "State budget",
                "n": 14,
            }
        ],
    }
    assert _hrefs(owner_card(summary, "vi", STATE)) == [
        "/sector/budget?geo=2025&lang=vi&owner=BTC&period=2026-10"
    ]


@pytest.mark.parametrize(("lang", "separators"), [("vi", ",."), ("en", ".,")])
def test_status_figure_prints_counts_in_status_colours(lang, separators):
    fig = status_figure({"on_track": 1500, "no_data": 2}, lang)
    bar = fig.data[0]
    assert fig.layout.separators == separators
    assert list(bar.marker.color) == [COLORS[s] for s in reversed(STATUSES)]
    assert list(bar.text)[-1] == ("1.500" if lang == "vi" else "1,500")


def test_indicator_table_links_each_indicator_with_the_unit():
    rows = table_rows(_progress(), _catalog(), "2026-10", "vi")
    table = indicator_table(rows[:1], "vi", STATE, unit="22")
    assert "/indicator/NS.01?geo=2025&lang=vi&period=2026-10&unit=22" in _hrefs(table)


# ------------------------------------------------------ filters and callbacks


@pytest.mark.parametrize(
    ("unit", "owner", "status", "expected", "n_problems"),
    [
        (None, None, None, ("00", None, None), 0),
        ("22", "BTC", "at_risk", ("22", "BTC", "at_risk"), 0),
        ("99", "XYZ", "great", ("00", None, None), 3),
        ("00", "", "", ("00", None, None), 0),
    ],
)
def test_check_filters_drops_and_reports_bad_values(
    pages, unit, owner, status, expected, n_problems
):
    _, sector_page = pages
    *got, problems = sector_page.check_filters(
        unit, owner, status, {"22", "01"}, {"BTC"}, "vi"
    )
    assert tuple(got) == expected and len(problems) == n_problems


def _picker_options(sector_page) -> list[dict]:
    """The picker's options as the layout builds them: the nation, 22 and 01."""
    provinces = pd.DataFrame(
        {
            "unit_code": ["22", "01"],
            "name_vi": ["Quảng Ninh", "Hà Nội"],
            "name_en": ["Quang Ninh", "Ha Noi"],
        }
    )
    return sector_page.unit_options(provinces, "vi")


def test_unit_options_offer_the_nation_then_the_provinces(pages):
    _, sector_page = pages
    options = _picker_options(sector_page)
    assert [o["value"] for o in options] == ["00", "22", "01"]
    assert [o["label"] for o in options][1:] == ["Quảng Ninh", "Hà Nội"]


@pytest.mark.parametrize(
    ("value", "search", "url"),
    [
        ("22", "?lang=en&owner=BTC", "/sector/budget?lang=en&owner=BTC&unit=22"),
        ("00", "?unit=22&lang=en", "/sector/budget?lang=en"),
    ],
)
def test_unit_picker_writes_the_unit_into_the_url(pages, value, search, url):
    _, sector_page = pages
    options = _picker_options(sector_page)
    assert sector_page.pick_unit(value, options, "/sector/budget", search) == url


def test_unit_picker_does_nothing_when_the_unit_is_already_shown(pages):
    _, sector_page = pages
    options = _picker_options(sector_page)
    for value, search in (
        ("22", "?unit=22"),
        ("00", ""),
        ("00", "?unit=00"),
        ("00", "?unit=99"),
        ("00", "?unit=x"),
    ):
        # a wrong unit= shows the nation and says so: the picker's mount
        # report of the nation must not rewrite the URL (and hide the message)
        with pytest.raises(dash.exceptions.PreventUpdate):
            sector_page.pick_unit(value, options, "/sector/budget", search)
    assert sector_page.pick_unit("22", options, "/sector/budget", "?unit=99") == (
        "/sector/budget?unit=22"
    )


def test_unit_picker_knows_only_the_units_it_offers(pages):
    """A province missing from the options (not in the snapshot's geography)
    is a wrong unit= in the URL: the nation shown, no rewrite on mount."""
    _, sector_page = pages
    options = _picker_options(sector_page)
    with pytest.raises(dash.exceptions.PreventUpdate):
        sector_page.pick_unit("00", options, "/sector/budget", "?unit=40")
    assert sector_page.pick_unit("00", options, "/sector/budget", "?unit=01") == (
        "/sector/budget"
    )
    assert sector_page.pick_unit("40", [], "/sector/budget", "?unit=40") == (
        "/sector/budget?unit=40"
    )


# ------------------------------------------------- query and layouts on data


def test_sector_progress_keeps_the_sector_and_checks_it(seeded_warehouse):
    from data import queries as q

    frame = q.sector_progress("budget", "22", "2020-08")
    assert set(frame["sector"]) == {"budget"}
    row = frame[frame["indicator_code"] == "NS.01"].iloc[0]
    assert row["actual"] == 29915 and row["target"] == 45053
    for bad in ("nope", "DROP TABLE", ""):
        with pytest.raises(q.BadParameter):
            q.sector_progress(bad, "22", "2020-08")


def test_sector_page_shows_the_figure_formatted(pages, seeded_warehouse):
    _, sector_page = pages
    page = sector_page.layout(code="budget", unit="22", period="2020-08")
    texts = strings(page)
    assert "29.915 tỷ đồng" in texts and "66,4%" in texts
    page_en = sector_page.layout(
        code="budget", unit="22", period="2020-08", lang="en", status="on_track"
    )
    assert "29,915 billion VND" in strings(page_en)
    rows = _find(page_en, lambda n: "data-indicator" in n.to_plotly_json()["props"])
    assert [r.to_plotly_json()["props"]["data-indicator"] for r in rows] == ["NS.01"]


def test_unknown_sector_is_not_found(pages, seeded_warehouse):
    _, sector_page = pages
    assert "Không có ngành, lĩnh vực “nope”." in strings(
        sector_page.layout(code="nope")
    )


def test_sectors_page_counts_match_the_catalog(pages, seeded_warehouse):
    from data import queries as q

    sectors_page, _ = pages
    page = sectors_page.layout(period="2020-08")
    cards = _find(page, lambda n: "data-sector" in n.to_plotly_json()["props"])
    expected = q.catalog().groupby("sector").size().to_dict()
    for card in cards:
        code = card.to_plotly_json()["props"]["data-sector"]
        assert str(expected.get(code, 0)) in strings(card)
    assert len(cards) == len(q.sectors())


def test_bad_grouping_is_reported_and_falls_back(pages, seeded_warehouse):
    sectors_page, _ = pages
    page = sectors_page.layout(by="ministry", lang="en")
    assert any("by='ministry'" in x for x in strings(page))


def test_pages_say_when_nothing_is_published(pages, warehouse):
    sectors_page, sector_page = pages
    for page in (sectors_page.layout(), sector_page.layout(code="budget")):
        assert "Chưa có số liệu nào được công bố" in strings(page)


def test_sector_download_is_whitelisted(seeded_warehouse):
    import downloads

    assert downloads.DATASETS["sector_progress"][1] == 4
    frame = downloads.dataset_frame("sector_progress", "budget|22|2020-08|2025")
    assert set(frame["sector"]) == {"budget"}


def test_grouping_without_any_row_gives_empty_cards(pages):
    sectors_page, _ = pages
    summaries = sectors_page.sector_summaries([], SECTORS)
    assert [s["n_indicators"] for s in summaries] == [0, 0, 0, 0]
    assert all(s["owners"] == [] for s in summaries)
    assert sectors_page.owner_summaries([]) == []


def test_filter_links_change_one_value_and_keep_the_others():
    from components.sector_card import owner_filter, status_filter

    view = {**STATE, "unit": "22", "status": "at_risk"}
    owners = [
        {"code": "BTC", "name_vi": "Bộ Tài chính", "name_en": "Ministry of Finance"}
    ]
    rows = [{"owner": "BTC"}, {"owner": "BTC"}]
    links = _find(
        owner_filter(owners, rows, "BTC", "/sector/budget", view, "vi", "o"),
        lambda n: getattr(n, "href", None),
    )
    assert [(link.id, link.href) for link in links] == [
        (
            "o-all",
            "/sector/budget?geo=2025&lang=vi&period=2026-10&status=at_risk&unit=22",
        ),
        (
            "o-BTC",
            "/sector/budget?geo=2025&lang=vi&owner=BTC&period=2026-10"
            "&status=at_risk&unit=22",
        ),
    ]
    assert "btn-primary" in links[1].className and "2" in strings(links[1])
    statuses = _find(
        status_filter({"at_risk": 3}, "at_risk", "/s", view, "en", "s"),
        lambda n: getattr(n, "href", None),
    )
    assert [link.id for link in statuses] == ["s-all"] + [f"s-{s}" for s in STATUSES]
    assert "At risk" in strings(statuses[2]) and "3" in strings(statuses[2])
