"""The /provinces view: the map (components.choropleth), the ranked bars
(components.rank_bars), the boundary files (data.geo), and the page's
functions on a small warehouse built in tmp_path through the ETL."""

from __future__ import annotations

import json
import math

import dash
import pandas as pd
import pytest

from components.choropleth import NO_DATA_BAND, NO_DATA_COLOR, choropleth, metric_text
from components.fmt import fmt_number, fmt_period
from components.rank_bars import rank_bars, ranked
from components.status import COLORS
from data import geo as geodata
from tests.conftest import Warehouse
from tests.unit.component_text import import_pages

STATE = {"lang": "vi", "period": "2026-10", "geo": "2025"}
BUDGET = {"unit_vi": "tỷ đồng", "unit_en": "billion VND"}


def frame_for(
    geo: str, values: dict[str, float] | None = None, **columns
) -> pd.DataFrame:
    """province_values-like rows for every province of the geography."""
    features = geodata.provinces_geojson(geo)["features"]
    codes = [f["properties"]["code"] for f in features]
    values = values or {c: 100.0 + i for i, c in enumerate(codes)}
    frame = pd.DataFrame(
        {
            "unit_code": codes,
            "name_vi": [f["properties"]["name_vi"] for f in features],
            "name_en": [f["properties"]["name_en"] for f in features],
            "region_key": "DBSH",
            "period": "2026-10",
            "actual": [values.get(c, math.nan) for c in codes],
            "status": "on_track",
            "pct_of_target": 80.0,
            "pct_vs_last_year": 105.0,
            "change_vs_last_year": 5.0,
            "revised": False,
            "submitted_at": pd.Timestamp("2026-11-05"),
        }
    )
    for name, value in columns.items():
        frame[name] = value
    order = frame["actual"].rank(ascending=False, method="min")
    frame["rank_value"] = order.astype("Int64")
    return frame


def figure(geo="2025", metric="value", lang="vi", frame=None, **kw):
    frame = frame_for(geo) if frame is None else frame
    return choropleth(
        frame,
        geodata.provinces_geojson(geo),
        geodata.archipelago_labels(geo),
        metric,
        lang,
        islands=geodata.archipelago_geojson(geo),
        **{**BUDGET, **kw},
    )


def test_provinces_outside_the_frame_are_drawn_pale_without_figures():
    """A province analyst's frame holds the own province only: the others are
    still drawn (the country keeps its shape), named, with no figure and no
    click target; with every province in the frame there is no such trace."""
    own = frame_for("2025")
    own = own[own["unit_code"] == "22"]
    fig = figure(frame=own, lang="en")
    assert list(fig.data[0].locations) == ["22"]
    outside = [trace for trace in fig.data if trace.name == "outside"]
    assert len(outside) == 1
    codes = set(outside[0].locations)
    assert len(codes) == 33 and "22" not in codes
    assert set(outside[0].customdata) == {"-"} and not outside[0].showscale
    assert all("Outside your access" in h for h in outside[0].hovertext)
    assert fig.data[-1].name == "archipelagos"
    # Hoàng Sa and Trường Sa (Đà Nẵng, Khánh Hòa) stay drawn and outlined
    islands = [trace for trace in fig.data if trace.name == "outside_islands"][0]
    assert set(islands.locations) == {
        a["code"] for a in geodata.archipelago_labels("2025")
    }
    names = {trace.name for trace in figure().data}
    assert "outside" not in names and "outside_islands" not in names


# -- the boundary files --------------------------------------------------------


@pytest.mark.parametrize(("geo", "count"), [("2025", 34), ("2020", 63)])
def test_geojson_has_one_feature_per_province_and_is_loaded_once(geo, count):
    collection = geodata.provinces_geojson(geo)
    assert len(collection["features"]) == count
    assert geodata.provinces_geojson(geo) is collection  # lru_cache: read once


@pytest.mark.parametrize("geo", ["2025", "2020"])
def test_archipelagos_belong_to_da_nang_and_khanh_hoa(geo):
    labels = {a["code"]: a for a in geodata.archipelago_labels(geo)}
    assert labels["48"]["label_vi"] == "QĐ. Hoàng Sa (Đà Nẵng)"
    assert labels["56"]["label_vi"] == "QĐ. Trường Sa (Khánh Hòa)"
    islands = {f["id"]: f for f in geodata.archipelago_geojson(geo)["features"]}
    assert len(islands["48"]["geometry"]["coordinates"]) == 22
    assert len(islands["56"]["geometry"]["coordinates"]) == 293
    for code, feature in islands.items():
        min_lon, min_lat, max_lon, max_lat = labels[code]["bbox"]
        for polygon in feature["geometry"]["coordinates"]:
            assert all(
                min_lon <= x <= max_lon and min_lat <= y <= max_lat
                for x, y in polygon[0]
            )


def test_unknown_geography_is_refused():
    with pytest.raises(ValueError):
        geodata.provinces_geojson("1999")


# -- the map ---------------------------------------------------------------------


@pytest.mark.parametrize(("geo", "count"), [("2025", 34), ("2020", 63)])
def test_map_draws_every_province_by_its_code(geo, count):
    fig = figure(geo)
    provinces = fig.data[0]
    assert len(provinces.locations) == count
    assert provinces.featureidkey == "properties.code"
    codes = {
        f["properties"]["code"] for f in geodata.provinces_geojson(geo)["features"]
    }
    assert set(provinces.locations) == codes
    assert list(provinces.customdata) == list(provinces.locations)  # what a click reads


def test_map_renders_offline_without_topojson():
    fig = figure()
    assert isinstance(fig.data[0].geojson, dict)  # boundaries inline, not a URL
    assert fig.layout.geo.fitbounds == "locations"
    assert fig.layout.geo.visible is False
    assert fig.layout.geo.scope is None  # no base-map scope that needs a file
    text = fig.to_json()
    assert "cdn.plot.ly" not in text and "http" not in text
    assert fig.layout.template.layout.paper_bgcolor is not None  # plotly_white


@pytest.mark.parametrize(
    ("lang", "separators", "tick", "hover", "label"),
    [
        ("vi", ",.", "12.000", "29.915 tỷ đồng", "QĐ. Hoàng Sa (Đà Nẵng)"),
        (
            "en",
            ".,",
            "12,000",
            "29,915 billion VND",
            "Hoang Sa (Paracel) Islands, Da Nang",
        ),
    ],
)
def test_numbers_and_labels_follow_the_language(lang, separators, tick, hover, label):
    frame = frame_for("2025", {"22": 29915.0, "01": 1552.4, "79": 12000.0})
    fig = figure(frame=frame, lang=lang)
    assert fig.layout.separators == separators
    assert tick in fig.data[0].colorbar.ticktext
    quang_ninh = list(fig.data[0].locations).index("22")
    assert hover in fig.data[0].hovertext[quang_ninh]
    labels = fig.data[-1]
    assert labels.type == "scattergeo" and labels.mode == "text"
    assert label in labels.text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_both_archipelagos_are_labelled_and_outlined(lang):
    fig = figure("2020", lang=lang)
    labels = fig.data[-1]
    assert len(labels.text) == 2
    assert any("Hoàng Sa" in x or "Hoang Sa" in x for x in labels.text)
    assert any("Trường Sa" in x or "Truong Sa" in x for x in labels.text)
    islands = fig.data[1]
    assert list(islands.locations) == ["48", "56"]
    assert islands.marker.line.width >= 1  # a dark outline: islets stay visible
    assert islands.showscale is False


def test_a_province_without_a_figure_is_drawn_grey_and_the_scale_says_so():
    frame = frame_for("2025", {"01": 10.0, "79": 20.0})  # the others have none
    fig = figure(frame=frame)
    provinces = fig.data[0]
    assert len(provinces.locations) == 34  # none left undrawn
    missing = list(provinces.locations).index("22")
    assert provinces.z[missing] < NO_DATA_BAND
    assert provinces.colorscale[0][1] == NO_DATA_COLOR
    assert provinces.colorbar.ticktext[0] == "Chưa có số liệu"


def test_values_are_coloured_by_rank_with_quartile_ticks():
    # one huge province must not wash the others out
    values = {"01": 1000.0, "79": 900.0, "22": 10.0, "48": 9.0, "56": 8.0}
    provinces = figure(frame=frame_for("2025", values)).data[0]
    z = dict(zip(provinces.locations, provinces.z, strict=True))
    assert z["56"] < z["48"] < z["22"] < z["79"] < z["01"] == 1.0
    assert z["79"] - z["22"] == pytest.approx(z["22"] - z["48"])  # even steps
    assert list(provinces.colorbar.ticktext) == [
        "Chưa có số liệu",
        "8",
        "9",
        "10",
        "900",
        "1.000",
    ]


def test_no_grey_band_when_every_province_has_a_figure():
    scale = figure().data[0].colorscale
    assert all(color != NO_DATA_COLOR for _, color in scale)


def test_lower_is_better_reverses_the_sequential_scale():
    up = figure(direction="up").data[0].colorscale
    down = figure(direction="down").data[0].colorscale
    assert up[0][1] == down[-1][1] and up[-1][1] == down[0][1]


def test_target_mode_colours_by_status_with_words():
    frame = frame_for("2025")
    frame["status"] = ["on_track", "at_risk", "off_track"] * 11 + ["on_track"]
    fig = figure(frame=frame, metric="pct_of_target")
    provinces = fig.data[0]
    assert list(provinces.colorbar.ticktext) == [
        "✖ Chậm tiến độ",
        "▲ Có nguy cơ",
        "✔ Đạt tiến độ",
    ]
    colours = {c for _, c in provinces.colorscale}
    assert colours == {COLORS["on_track"], COLORS["at_risk"], COLORS["off_track"]}
    assert provinces.colorbar.title.text == "% kế hoạch"


def test_vs_last_year_diverges_around_no_change():
    frame = frame_for("2025")
    frame["pct_vs_last_year"] = [80.0, 120.0] * 17
    provinces = figure(frame=frame, metric="pct_vs_last_year").data[0]
    assert set(provinces.z) == {0.0, 1.0}  # -20% and +20%: both ends, 0 mid
    assert "0%" in provinces.colorbar.ticktext
    assert "+20%" in provinces.colorbar.ticktext


@pytest.mark.parametrize(
    ("value", "kind", "lang", "unit_vi", "expected"),
    [
        (29915.0, "value", "vi", "tỷ đồng", "29.915 tỷ đồng"),
        (29915.0, "value", "en", "tỷ đồng", "29,915 billion VND"),
        (66.4, "pct", "vi", "tỷ đồng", "66,4%"),
        (66.4, "pct", "en", "tỷ đồng", "66.4%"),
        (12.34, "change_pct", "vi", "tỷ đồng", "+12,3%"),
        (-1.26, "change", "vi", "%", "−1,3 điểm %"),
        (-1.26, "change", "en", "%", "−1.3 pp"),
        (math.nan, "value", "vi", "tỷ đồng", "—"),
    ],
)
def test_metric_text(value, kind, lang, unit_vi, expected):
    unit_en = "billion VND" if unit_vi == "tỷ đồng" else unit_vi
    assert metric_text(value, kind, lang, unit_vi, unit_en) == expected


# -- the ranked bars ---------------------------------------------------------------


def walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            yield from walk(child)
    elif children is not None and not isinstance(children, (str, int, float)):
        yield from walk(children)


def by_class(node, name):
    return [
        n for n in walk(node) if name in (getattr(n, "className", "") or "").split()
    ]


def text_of(node) -> str:
    if isinstance(node, (str, int, float)):
        return str(node)
    children = getattr(node, "children", None)
    if children is None:
        return ""
    if isinstance(children, (list, tuple)):
        return "".join(text_of(c) for c in children)
    return text_of(children)


def test_ranked_value_follows_the_data_layers_rank_and_puts_missing_last():
    frame = frame_for("2025", {"01": 5.0, "79": 9.0, "22": 7.0})
    rows = ranked(frame, "value")
    assert list(rows["unit_code"][:3]) == ["79", "22", "01"]
    assert rows["shown"].iloc[3:].isna().all()


def test_ranked_lower_is_better_puts_the_lowest_first():
    frame = frame_for("2025")
    frame["pct_of_target"] = [50.0 + i for i in range(34)]
    rows = ranked(frame, "pct_of_target", direction="down")
    assert rows["pct_of_target"].is_monotonic_increasing
    assert list(rows["position"][:2]) == [1, 2]


def test_positions_count_among_the_country_or_are_not_given():
    """A region's provinces keep their places in the country; a province
    analyst's own province alone is not "1st" (the country is not known)."""
    frame = frame_for("2025")
    frame["pct_vs_last_year"] = [100.0 + i for i in range(34)]  # the last is best
    part = frame.iloc[[0, 1]]
    own = ranked(part, "pct_vs_last_year")
    assert list(own["position"]) == [1, 2]  # among themselves by default
    placed = ranked(part, "pct_vs_last_year", among=frame)
    assert list(placed["position"]) == [33, 34]
    unknown = ranked(part.iloc[[0]], "pct_vs_last_year", among=frame.iloc[0:0])
    assert unknown["position"].isna().all()
    tied = frame.assign(pct_vs_last_year=105.0)
    assert set(ranked(tied, "pct_vs_last_year")["position"]) == {1}  # ties share


def test_a_province_scope_shows_no_false_first_place(page):
    """A province analyst's list holds the own province only: the value metric
    keeps the national rank the data layer gave, the others show no place
    (not "1st" of one)."""
    from core.context import use_scope
    from core.scope import make_scope

    def places(**kw) -> list[str]:
        layout = page.layout(indicator="NS.01", period="2026-10", **kw)
        rows = [
            r for r in by_class(layout, "rank-row") if "rank-head" not in r.className
        ]
        return [text_of(by_class(r, "rank-pos")[0]) for r in rows]

    assert places(metric="pct_of_target")[:2] == ["1", "2"]  # every province seen
    with use_scope(make_scope("province_analyst", "user:p22", province="22")):
        assert places() == ["3"]  # 79 and 01 are higher: its national rank
        assert places(metric="pct_of_target") == ["–"]


@pytest.mark.parametrize(
    ("lang", "value", "status"),
    [("vi", "29.915 tỷ đồng", "Đạt tiến độ"), ("en", "29,915 billion VND", "On track")],
)
def test_bars_list_every_province_best_first_with_value_and_status(lang, value, status):
    frame = frame_for("2025", {"22": 29915.0, "01": 1552.4})
    bars = rank_bars(frame, "value", lang, {**STATE, "lang": lang}, **BUDGET)
    rows = [r for r in by_class(bars, "rank-row") if "rank-head" not in r.className]
    assert len(rows) == 34
    first = rows[0]
    assert getattr(first, "data-code") == "22"
    assert value in text_of(first) and status in text_of(first)
    links = by_class(bars, "rank-link")
    assert links[0].href == f"/province/22?geo=2025&lang={lang}&period=2026-10"


def test_status_column_only_when_some_province_has_a_target():
    untracked = frame_for("2025", status="no_target")
    bars = rank_bars(untracked, "value", "vi", STATE, **BUDGET)
    assert not by_class(bars, "rank-status")
    mixed = frame_for("2025", status=["on_track"] + ["no_target"] * 33)
    bars = rank_bars(mixed, "value", "vi", STATE, **BUDGET)
    plain = by_class(bars, "rank-status-plain")
    assert len(plain) == 33 and "Không giao chỉ tiêu" in text_of(plain[0])
    assert len(by_class(bars, "status-badge")) == 1


def test_negative_changes_grow_left_of_the_zero_line():
    frame = frame_for("2025")
    frame["pct_vs_last_year"] = [90.0, 110.0] * 17
    bars = rank_bars(frame, "pct_vs_last_year", "vi", STATE, **BUDGET)
    zero = float(by_class(bars, "rank-zero")[0].style["left"].rstrip("%"))
    assert zero == pytest.approx(50.0)
    drawn = by_class(bars, "rank-bar")
    lefts = sorted(float(b.style["left"].rstrip("%")) for b in drawn)
    assert lefts[0] < zero <= lefts[-1]
    assert "−10,0%" in text_of(bars) and "+10,0%" in text_of(bars)


# -- the page ------------------------------------------------------------------------

A = "actual"
SCENARIO = [  # (indicator, unit, period, kind, value)
    ("NS.01", "01", "2025-05", A, 9000),
    ("NS.01", "22", "2025-05", A, 4000),
    ("NS.01", "79", "2025-05", A, 15000),
    ("NS.01", "01", "2025-06", A, 11000),
    ("NS.01", "22", "2025-06", A, 5000),
    ("NS.01", "79", "2025-06", A, 18000),
    ("NS.01", "01", "2026-10", A, 30000),
    ("NS.01", "22", "2026-10", A, 29915),
    ("NS.01", "79", "2026-10", A, 52000),
    ("NS.01", "01", "2026", "target", 60000),
    ("NS.01", "22", "2026", "target", 45053),
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, make_submissions):
    folder = tmp_path_factory.mktemp("provinces")
    rows = [
        {"indicator_code": i, "unit_code": u, "period": p, "kind": k, "value": str(v)}
        for i, u, p, k, v in SCENARIO
    ]
    path = make_submissions(folder / "in").csv("provinces.csv", rows)
    warehouse = Warehouse(folder / "warehouse")
    result = warehouse.load(path)
    assert result.outcomes[0].status == "loaded", result.outcomes[0].errors
    return folder / "warehouse"


@pytest.fixture
def page(data_dir, monkeypatch):
    """pages.provinces, importable once an app with pages exists."""
    monkeypatch.setenv("CC_DATA_DIR", str(data_dir))
    (module,) = import_pages(__name__, "pages.provinces", new_app=False)
    return module


def first_ranked(layout) -> str:
    rows = [r for r in by_class(layout, "rank-row") if "rank-head" not in r.className]
    return getattr(rows[0], "data-code")


def test_page_ranks_like_the_data_layer(page):
    from data import queries as q

    layout = page.layout(indicator="NS.01", period="2026-10")
    top = q.province_values("NS.01", "2026-10", "2025")
    assert (
        first_ranked(layout) == top[top["rank_value"] == 1]["unit_code"].iloc[0] == "79"
    )
    graph = [n for n in walk(layout) if getattr(n, "id", None) == page.PROVINCES_MAP][0]
    assert len(graph.figure.data[0].locations) == 34
    assert graph.config["topojsonURL"] == "/assets/topojson/"
    assert "Ranh giới tỉnh" in text_of(by_class(layout, "map-attribution")[0])
    assert "52.000 tỷ đồng" in text_of(layout)


def test_page_63_after_the_reform_shows_june_2025_and_says_so(page):
    layout = page.layout(indicator="NS.01", period="2026-10", geo="2020")
    notes = text_of(by_class(layout, "provinces-note")[0])
    assert fmt_period("2025-06", "vi") in notes and "Tháng 10/2026" in notes
    graph = [n for n in walk(layout) if getattr(n, "id", None) == page.PROVINCES_MAP][0]
    assert len(graph.figure.data[0].locations) == 63
    assert first_ranked(layout) == "79"
    assert f"{fmt_number(18000, 'vi')} tỷ đồng" in text_of(layout)


def test_a_region_narrows_the_map_and_the_ranking(page):
    """/provinces?region=DBSH (the province page's breadcrumb): the region's
    provinces coloured and ranked, the others pale; the region table marks it
    and links every region; a note leads back to the whole country."""
    from dash import html

    from data import queries as q

    layout = page.layout(indicator="NS.01", period="2026-10", region="DBSH")
    provinces = q.provinces("2025")
    dbsh = set(provinces.loc[provinces["region_key"] == "DBSH", "unit_code"])
    rows = [r for r in by_class(layout, "rank-row") if "rank-head" not in r.className]
    codes = [getattr(r, "data-code") for r in rows]
    assert set(codes) == dbsh and codes[0] == "01" and "79" not in codes
    graph = [n for n in walk(layout) if getattr(n, "id", None) == page.PROVINCES_MAP][0]
    assert set(graph.figure.data[0].locations) == dbsh
    outside = [tr for tr in graph.figure.data if tr.name == "outside"][0]
    assert "79" in outside.locations
    assert "Ngoài vùng đang xem" in outside.hovertext[0]
    note = by_class(layout, "provinces-region-note")[0]
    assert "Đồng bằng sông Hồng" in text_of(note)
    clear = [n for n in walk(note) if isinstance(n, html.A)][0]
    assert "region=" not in clear.href and "indicator=NS.01" in clear.href
    table = by_class(layout, "provinces-regions")[0]
    marked = [n for n in walk(table) if getattr(n, "className", None) == "table-active"]
    assert [getattr(r, "data-region") for r in marked] == ["DBSH"]
    links = [n.href for n in walk(table) if isinstance(n, html.A)]
    assert any("region=DNB" in link for link in links)
    assert "Đồng bằng sông Hồng" in text_of(by_class(layout, "cc-breadcrumbs")[0])


def test_a_regions_sum_of_some_of_its_provinces_is_marked(page):
    """DBSH's NS.01 is the sum of 01 and 22 only: not the region's total."""
    layout = page.layout(indicator="NS.01", period="2026-10")
    panel = by_class(layout, "provinces-region-panel")[0]
    assert "59.915 tỷ đồng *" in text_of(panel)
    assert "Tổng chưa đủ" in text_of(panel)


def test_a_province_scope_is_told_why_there_are_no_regions(page):
    from core.context import use_scope
    from core.scope import make_scope

    with use_scope(make_scope("province_analyst", "user:p22", province="22")):
        layout = page.layout(indicator="NS.01", period="2026-10")
    panel = by_class(layout, "provinces-region-panel")[0]
    assert "chỉ hiển thị cho người xem được mọi tỉnh" in text_of(panel)
    assert not by_class(panel, "download-buttons") and "Tải CSV" not in text_of(panel)


def test_an_unknown_region_says_so_and_shows_the_country(page):
    layout = page.layout(indicator="NS.01", period="2026-10", region="XX")
    assert "region='XX'" in text_of(layout)
    assert "DBSH (Đồng bằng sông Hồng)" in text_of(layout)
    assert not by_class(layout, "provinces-region-note")
    rows = [r for r in by_class(layout, "rank-row") if "rank-head" not in r.className]
    assert len(rows) == 34


def test_page_defaults_to_the_first_headline_indicator_with_figures(page):
    from data import queries as q

    layout = page.layout(period="2026-10")
    catalog = q.catalog()
    choices = catalog[catalog["levels"].str.contains("province") & catalog["headline"]]
    with_figures = choices[choices["code"].isin(q.supplied_indicators())]
    picker = [
        n for n in walk(layout) if getattr(n, "id", None) == page.PROVINCES_INDICATOR
    ]
    # the scenario has NS.01 only: an earlier headline indicator has no figures
    assert choices["code"].iloc[0] != "NS.01"
    assert picker[0].value == with_figures["code"].iloc[0] == "NS.01"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"indicator": "XX.99"}, "indicator='XX.99'"),
        ({"indicator": "drop table"}, "indicator='drop table'"),
        ({"metric": "bogus"}, "metric='bogus'"),
        ({"geo": "1999"}, "geo='1999'"),
        ({"period": "2026-13"}, "period='2026-13'"),
    ],
)
def test_bad_url_values_are_reported_not_raised(page, args, message):
    layout = page.layout(**args)
    assert message in text_of(layout)


def test_a_period_before_any_figure_shows_an_empty_state(page):
    layout = page.layout(indicator="NS.01", period="2019-01")
    assert "Chưa có số liệu cấp tỉnh" in text_of(by_class(layout, "empty-state")[0])


@pytest.mark.parametrize(
    ("click", "code"),
    [
        ({"points": [{"location": "22", "customdata": "22"}]}, "22"),
        ({"points": [{"location": "48"}]}, "48"),
        ({"points": [{"customdata": ["56"]}]}, "56"),
        ({"points": [{"lon": 112.0, "lat": 16.0, "text": "QĐ. Hoàng Sa"}]}, None),
        ({"points": [{"location": "01", "customdata": "-"}]}, None),  # outside
        ({"points": []}, None),
        (None, None),
    ],
)
def test_clicked_province(page, click, code):
    assert page.clicked_province(click) == code


def test_map_click_drills_with_the_shared_state_and_the_indicator(page):
    click = {"points": [{"location": "22", "customdata": "22"}]}
    search = "?indicator=NS.01&metric=value&lang=en&period=2026-10&geo=2020"
    target = page.drill_from_map(click, search, "NS.01")
    assert target == "/province/22?geo=2020&indicator=NS.01&lang=en&period=2026-10"
    with pytest.raises(dash.exceptions.PreventUpdate):
        page.drill_from_map({"points": [{"text": "label"}]}, "", "NS.01")


def test_bar_links_carry_the_indicator_when_given():
    bars = rank_bars(frame_for("2025"), "value", "vi", STATE, indicator="NS.01")
    link = by_class(bars, "rank-link")[0]
    code = getattr(link.children, "data-code")
    assert (
        link.href == f"/province/{code}?geo=2025&indicator=NS.01&lang=vi&period=2026-10"
    )


def test_picking_an_indicator_changes_only_the_indicator(page):
    target = page.pick_indicator("KT.04", "/provinces", "?indicator=NS.01&metric=value")
    assert target == "/provinces?indicator=KT.04&metric=value"
    for same in ("NS.01", "_budget", None):
        with pytest.raises(dash.exceptions.PreventUpdate):
            page.pick_indicator(same, "/provinces", "?indicator=NS.01")


def test_the_pickers_own_default_leaves_the_url_alone(page):
    """The picker reports the default it mounts with: no URL rewrite (a second
    drawing of the page, a second audit entry, a bad code's message gone)."""
    default = page._default_indicator(page._province_choices())
    other = "KT.04" if default != "KT.04" else "NS.01"
    for search in ("", "?lang=en", "?indicator=ZZ.99"):
        with pytest.raises(dash.exceptions.PreventUpdate):
            page.pick_indicator(default, "/provinces", search)
        assert f"indicator={other}" in page.pick_indicator(other, "/provinces", search)


def test_figure_json_is_plain(page):
    layout = page.layout(indicator="NS.01", period="2026-10", metric="pct_of_target")
    graph = [n for n in walk(layout) if getattr(n, "id", None) == page.PROVINCES_MAP][0]
    json.loads(graph.figure.to_json())  # serialisable for the browser


def test_the_colour_bar_says_each_rounded_value_once_and_invents_no_scale():
    codes = [
        f["properties"]["code"] for f in geodata.provinces_geojson("2025")["features"]
    ]
    close = {c: 8.3 + i * 0.001 for i, c in enumerate(codes)}  # all read "8,3"
    close[codes[0]], close[codes[-1]] = 6.1, 8.6
    ticks = list(figure(frame=frame_for("2025", close)).data[0].colorbar.ticktext)
    assert len(ticks) == len(set(ticks)), ticks
    empty = frame_for(
        "2025", {}, pct_vs_last_year=math.nan, change_vs_last_year=math.nan
    )
    bar = figure(frame=empty, metric="pct_vs_last_year").data[0].colorbar
    assert list(bar.ticktext) == ["Chưa có số liệu"]


def test_a_regions_map_zooms_to_it_but_keeps_the_archipelagos_in_frame(page):
    def geo_of(region):
        layout = page.layout(indicator="NS.01", period="2026-10", region=region)
        graph = [
            n for n in walk(layout) if getattr(n, "id", None) == page.PROVINCES_MAP
        ]
        return graph[0].figure.layout.geo

    north = geo_of("DBSH")  # Hà Nội, Hải Phòng, Quảng Ninh ...: 104-109°E, 19-23°N
    assert north.fitbounds is False
    lon0, lon1 = north.lonaxis.range
    lat0, lat1 = north.lataxis.range
    assert (
        103 < lon0 < 105.3
        and 107.9 < lon1 < 110
        and 17 < lat0 < 20.6 < 21.6 < lat1 < 24
    )
    central = geo_of("BTBDHMT")  # Đà Nẵng and Khánh Hòa: Hoàng Sa, Trường Sa
    assert central.fitbounds == "locations" and central.lonaxis.range is None
    assert geo_of(None).fitbounds == "locations"
