"""The wall's builders: tiles, the overview and province slides, the sector and
attention lists, the map with its ranking and spotlight, the freshness stamp."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
import pytest

from components.fmt import fmt_number
from components.wall_chrome import freshness_stamp, message_slide, problems_line
from components.wall_kpis import columns_for, overview_slide, province_slide, wall_tile
from components.wall_lists import (
    attention_slide,
    fit_rows,
    list_columns,
    sector_slide,
)
from components.wall_map import map_slide, wall_figure
from components.wall_ranking import ranking_panel
from data import geo as geodata
from tests.unit import component_text
from tests.unit.component_text import by_class, find_all
from wall.text import fold

WIDE, TV = 32 / 9, 16 / 9

ROW = {
    "indicator_code": "NS.01",
    "sector": "budget",
    "name_vi": "Thu ngân sách nhà nước",
    "name_en": "State budget revenue",
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
    "pct_of_target": 75.0,
    "expected_pct": 80.0,
    "status": "at_risk",
    "pct_vs_last_year": 108.5,
    "change_vs_last_year": 117000.0,
}
RATE = {
    **ROW,
    "indicator_code": "CPS.03",
    "name_vi": "Tỷ lệ hồ sơ trực tuyến",
    "unit_vi": "%",
    "unit_en": "%",
    "measure": "rate",
    "catalog_target_type": "min",
    "actual": 94.2,
    "ytd_actual": 94.2,
    "pct_of_target": 99.1,
    "status": "on_track",
    "pct_vs_last_year": None,
    "change_vs_last_year": -0.9,
    "headline": False,
}


def text_of(component) -> str:
    """The text of a component tree, the items of every list joined by a space."""
    return component_text.text_of(component, sep=" ")


def test_tile_shows_the_figure_as_the_data_layer_formats_it():
    tile = wall_tile(ROW, "vi", rank=(3, 34))
    assert text_of(by_class(tile, "wall-tile-number")) == fmt_number(1500000.0, "vi")
    assert text_of(by_class(tile, "wall-tile-number")) == "1.500.000"
    assert text_of(by_class(tile, "wall-tile-unit")) == "tỷ đồng"
    words = text_of(tile)
    for part in (
        "Lũy kế · Tháng 10/2026",
        "75,0% kế hoạch",
        "dự kiến 80,0%",
        "So cùng kỳ +8,5%",
        "Hạng 3/34",
    ):
        assert part in words
    (badge,) = by_class(tile, "status-badge")  # colour + icon + word
    assert "status-at_risk" in badge.className
    assert "bi-exclamation-triangle-fill" in badge.children[0].className
    assert text_of(badge).strip() == "Có nguy cơ"
    assert "status-at_risk" in tile.className
    english = text_of(wall_tile(ROW, "en"))
    assert "1,500,000" in english and "75.0% of plan" in english


def test_percent_units_are_glued_and_rates_have_no_plan_bar():
    tile = wall_tile(RATE, "vi")
    (unit,) = by_class(tile, "wall-tile-unit")
    assert "wall-unit-glued" in unit.className
    assert by_class(tile, "wall-bar") == []
    assert "So cùng kỳ −0,9 điểm %" in text_of(tile)


def test_a_tile_without_a_figure_says_no_data():
    tile = wall_tile({**ROW, "actual": None, "ytd_actual": None, "status": None}, "vi")
    assert text_of(by_class(tile, "wall-tile-number")) == "—"
    assert "Chưa có số liệu" in text_of(tile)


@pytest.mark.parametrize(
    ("aspect", "tiles", "cols"),
    [(TV, 12, 4), (WIDE, 12, 6), (1.25, 12, 3), (WIDE, 2, 2), (TV, 0, 1)],
)
def test_wider_walls_get_more_columns(aspect, tiles, cols):
    assert columns_for(aspect, tiles) == cols


def test_overview_tiles_are_the_headline_indicators_with_all_status_counts():
    rows = [ROW, RATE, {**ROW, "indicator_code": "DT.01", "status": "off_track"}]
    slide = overview_slide(rows, "vi", "2026-10", TV)
    tiles = by_class(slide, "wall-tile")
    assert [getattr(t, "data-indicator") for t in tiles] == ["NS.01", "DT.01"]
    counts = [
        text_of(by_class(c, "wall-count-n")) for c in by_class(slide, "wall-count")
    ]
    assert counts == ["1", "1", "1"]  # on track, at risk, off track
    assert "Số liệu đến Tháng 10/2026 · 2 chỉ tiêu chủ yếu" in text_of(slide)
    (grid,) = by_class(slide, "wall-grid")
    assert grid.style["--cols"] == "2"


def test_province_slide_names_the_province_and_its_place_in_the_cycle():
    slide = province_slide(
        "Hà Nội", [ROW], {"NS.01": (2, 34)}, "vi", "2026-10", TV, "3/34"
    )
    assert text_of(by_class(slide, "wall-slide-title")) == "Hà Nội"
    assert text_of(by_class(slide, "wall-cycle-pos")) == "3/34"
    assert "Hạng 2/34" in text_of(slide)


def test_rows_that_do_not_fit_leave_no_data_then_no_target_first():
    rows = [
        {**RATE, "indicator_code": f"X.{i}", "status": s, "actual": a}
        for i, (s, a) in enumerate(
            [("on_track", 1), ("no_target", 1), ("off_track", 1), ("no_data", None)]
        )
    ]
    kept, left = fit_rows(rows, 2)
    assert [r["indicator_code"] for r in kept] == ["X.0", "X.2"] and left == 2
    assert fit_rows(rows, 9) == (rows, 0)


@pytest.mark.parametrize(("aspect", "cols"), [(TV, 2), (WIDE, 4), (1.0, 1)])
def test_list_columns_follow_the_width(aspect, cols):
    assert list_columns(aspect) == cols


def test_sector_slide_says_how_many_rows_it_left_out():
    rows = [{**RATE, "indicator_code": f"X.{i}"} for i in range(20)]
    slide = sector_slide("Chính phủ số", rows, "vi", "2026-10", TV, "8/18")
    assert len(by_class(slide, "wall-row")) == 16
    assert "và 4 chỉ tiêu khác" in text_of(slide)
    wide = sector_slide("Chính phủ số", rows, "vi", "2026-10", WIDE)
    assert len(by_class(wide, "wall-row")) == 20
    assert "khác" not in text_of(wide)
    assert "chưa có số liệu" in text_of(
        sector_slide("Du lịch", [], "vi", "2026-10", TV)
    )


def attention_rows(n: int) -> list[dict]:
    return [
        {
            "unit_code": f"{i:02d}",
            "name_vi": f"Tỉnh {i}",
            "name_en": f"P{i}",
            "n_off_track": 30 - i,
            "n_at_risk": 2,
            "n_on_track": 10,
            "n_with_target": 42,
            "off_track_codes": ["NS.01", "DT.01"],
        }
        for i in range(1, n + 1)
    ]


def test_attention_slide_lists_flagged_provinces_worst_first_within_the_screen():
    rows = attention_rows(20) + [
        {**attention_rows(1)[0], "unit_code": "99", "n_off_track": 0, "n_at_risk": 0}
    ]
    slide = attention_slide(rows, {"NS.01": "Thu ngân sách"}, "vi", "2026-10", TV)
    items = by_class(slide, "wall-att-row")
    assert len(items) == 12  # two columns of six on 16:9
    assert text_of(by_class(items[0], "wall-att-name")) == "Tỉnh 1"
    assert "Chậm nhất: Thu ngân sách" in text_of(items[0])
    assert "và 8 tỉnh, thành phố khác" in text_of(slide)
    wide = attention_slide(rows, {}, "vi", "2026-10", WIDE)
    assert len(by_class(wide, "wall-att-row")) == 20
    calm = attention_slide(rows[-1:], {}, "en", "2026-10", TV)
    assert "No province is off track or at risk" in text_of(calm)


def province_frame(n: int = 34) -> pd.DataFrame:
    features = geodata.provinces_geojson("2025")["features"][:n]
    return pd.DataFrame(
        [
            {
                "unit_code": f["properties"]["code"],
                "name_vi": f["properties"]["name_vi"],
                "name_en": f["properties"]["name_en"],
                "actual": 100.0 + i,
                "pct_of_target": 60.0 + i,
                "status": "on_track" if i > 10 else "off_track",
                "pct_vs_last_year": 105.0,
                "change_vs_last_year": 1.0,
                "period": "2026-10",
            }
            for i, f in enumerate(features)
        ]
    )


def test_ranking_shows_everything_on_a_wide_wall_and_the_ends_on_16_9():
    frame = province_frame()
    wide = ranking_panel(frame, "pct_of_target", "vi", WIDE)
    assert len(by_class(wide, "wall-rank-row")) == 34
    tv = ranking_panel(frame, "pct_of_target", "vi", TV)
    rows = by_class(tv, "wall-rank-row")
    assert len(rows) == 20
    assert text_of(by_class(rows[0], "wall-rank-n")) == "1"
    assert text_of(by_class(rows[0], "wall-rank-value")) == "93,0%"
    assert text_of(by_class(rows[-1], "wall-rank-n")) == "34"
    assert len(by_class(tv, "status-badge")) == 20  # % of target: status words


def test_spotlight_outlines_the_province_and_gives_it_a_card():
    frame = province_frame()
    code = frame["unit_code"].iloc[0]  # the lowest figure: last in the ranking
    panel = ranking_panel(frame, "value", "vi", TV, spotlight=code)
    (card,) = by_class(panel, "wall-spot")
    assert text_of(by_class(card, "wall-spot-name")) == frame["name_vi"].iloc[0]
    assert "Hạng 34/34" in text_of(card)
    (marked,) = by_class(panel, "is-spot")  # and outlined in the ranking
    assert text_of(by_class(marked, "wall-rank-n")) == "34"
    fig = wall_figure(
        frame,
        geodata.provinces_geojson("2025"),
        geodata.archipelago_labels("2025"),
        None,
        "value",
        "vi",
        2160,
        spotlight=code,
    )
    names = [trace.name for trace in fig.data]
    assert "spotlight" in names and "spotlight-label" in names
    assert fig.data[0].colorbar.tickfont.size == round(2160 * 0.02)
    assert fig.layout.height is None  # fills its box


def test_map_slide_carries_the_attribution_and_says_when_there_is_nothing():
    frame = province_frame()
    figure = wall_figure(
        frame,
        geodata.provinces_geojson("2025"),
        geodata.archipelago_labels("2025"),
        geodata.archipelago_geojson("2025"),
        "value",
        "vi",
        1080,
    ).to_plotly_json()
    indicator = {"code": "NS.01", "name_vi": "Thu ngân sách", "unit_vi": "tỷ đồng"}
    slide = map_slide(frame, indicator, "value", "vi", figure, TV, "2026-10")
    assert "Ranh giới tỉnh" in text_of(by_class(slide, "map-attribution"))
    assert "Giá trị (tỷ đồng) · Tháng 10/2026 · 34 tỉnh, thành phố" in text_of(slide)
    (graph,) = find_all(slide, lambda c: type(c).__name__ == "Graph")
    assert graph.config["staticPlot"] is True  # nothing hover-only on a wall
    empty = frame.assign(actual=math.nan, pct_of_target=math.nan)
    message = map_slide(empty, indicator, "pct_of_target", "vi", None, TV, None)
    assert "Chưa có số liệu tỉnh" in text_of(message)


def test_freshness_stamp_is_in_vietnam_time_and_says_when_data_are_frozen():
    meta = {"last_loaded_at": datetime(2026, 11, 22, 4, 0)}
    assert (
        text_of(freshness_stamp(meta, "vi")).strip() == "Cập nhật lúc 22/11/2026 11:00"
    )
    frozen = text_of(freshness_stamp(meta, "en", frozen=True))
    assert "Updated 22 Nov 2026 11:00" in frozen and "Data frozen" in frozen
    assert "Chưa có số liệu nào" in text_of(freshness_stamp(None, "vi"))


def test_messages_and_problems():
    assert "wall.yaml" in text_of(message_slide("wall.yaml", "bad", "bi-x"))
    assert problems_line([], "vi") is None
    assert "dwell" in text_of(problems_line(["dwell='x'"], "vi"))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Hà Nội", "ha noi"),
        ("Đà Nẵng", "da nang"),
        ("  Thành phố  Huế ", "thanh pho hue"),
        ("Đắk Lắk", "dak lak"),
    ],
)
def test_names_fold_for_type_ahead(name, key):
    assert fold(name) == key
