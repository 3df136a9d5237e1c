"""The wall's server side on a small warehouse built through the ETL: cues
become slides (cycles resolved from the data, frozen sessions read their
snapshot), the JSON poll records heartbeats and relays the presenter, and the
presenter's callbacks write the shared state and pin frozen snapshots."""

from __future__ import annotations

import time

import dash
import pytest
from flask import Flask

from components.fmt import fmt_number
from data import pins
from data import queries as q
from tests.conftest import Warehouse
from wall.api import wall_api
from wall.render import parse_cue, render
from wall.state import wall_state

A, T = "actual", "target"
SCENARIO = [
    ("NS.01", "00", "2025-09", A, 1500000),
    ("NS.01", "00", "2025", T, 2000000),
    ("NS.01", "01", "2025-09", A, 300000),
    ("NS.01", "01", "2025", T, 350000),
    ("NS.01", "79", "2025-09", A, 400000),
    ("NS.01", "79", "2025", T, 600000),
    ("DT.01", "01", "2025-09", A, 60000),
    ("DT.01", "01", "2025", T, 100000),
]
CHANGED = [("NS.01", "00", "2025-09", A, 1600000)]


def rows(scenario):
    return [
        {"indicator_code": i, "unit_code": u, "period": p, "kind": k, "value": str(v)}
        for i, u, p, k, v in scenario
    ]


@pytest.fixture(scope="module")
def template(tmp_path_factory, make_submissions):
    folder = tmp_path_factory.mktemp("wall")
    path = make_submissions(folder / "in").csv("wall.csv", rows(SCENARIO))
    result = Warehouse(folder / "warehouse").load(path)
    assert result.outcomes[0].status == "loaded", result.outcomes[0].errors
    return folder / "warehouse"


@pytest.fixture
def data_dir(template, tmp_path, monkeypatch):
    import shutil

    root = tmp_path / "warehouse"
    shutil.copytree(template, root)
    monkeypatch.setenv("CC_DATA_DIR", str(root))
    return root


def cue(view: str, **extra) -> dict:
    return {
        "key": "1-1",
        "layer": 1,
        "view": view,
        "lang": "vi",
        "vw": 1920,
        "vh": 1080,
        "period": "2025-09",
        **extra,
    }


def text_of(component) -> str:
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


def test_cues_from_the_browser_are_checked():
    checked = parse_cue(
        {
            "view": "drop tables",
            "params": {"province": "1; --", "indicator": "NS.01"},
            "layer": 7,
            "k": "x",
            "lang": "fr",
            "geo": "1999",
            "session": "nope",
            "vh": 0,
            "cycle": "everything",
            "period": "2025-13",
        }
    )
    assert (
        checked.view,
        checked.params,
        checked.layer,
        checked.k,
        checked.lang,
        checked.geo,
        checked.session,
        checked.vh,
        checked.cycle,
        checked.period,
    ) == ("overview", {"indicator": "NS.01"}, 1, 0, "vi", "2025", None, 240, None, None)
    assert parse_cue({"params": {"period": "2025-09"}}).period == "2025-09"


def test_overview_shows_the_data_layers_figure(data_dir):
    slide, info, meta = render(cue("overview"))
    row = q.unit_progress("00", "2025-09").set_index("indicator_code").loc["NS.01"]
    assert fmt_number(row["ytd_actual"], "vi") in text_of(slide)
    assert fmt_number(1500000, "vi") == "1.500.000"
    assert info["snapshot"] == q.snapshot_id() == meta["snapshot_id"]
    assert (info["key"], info["layer"], info["n"], info["k"], info["label"]) == (
        "1-1",
        1,
        1,
        0,
        "Tổng quan",
    )
    assert info["loaded_ms"] > 0 and info["frozen"] is False


@pytest.mark.parametrize(
    ("view", "extra", "label", "shown"),
    [
        (
            "province",
            {"params": {"province": "79"}},
            "Tỉnh, thành phố: TP. Hồ Chí Minh",
            "400.000",
        ),
        (
            "map",
            {"params": {"indicator": "NS.01", "province": "01"}},
            "Bản đồ: Thu ngân sách nhà nước trên địa bàn · Hà Nội",
            "Hà Nội",
        ),
        (
            "sector",
            {"params": {"sector": "budget"}},
            "Ngành: Ngân sách nhà nước",
            "1.500.000",
        ),
        ("attention", {}, "Cần chú ý", "Tỉnh, thành phố cần chú ý"),
    ],
)
def test_each_view_renders_with_a_label(data_dir, view, extra, label, shown):
    slide, info, _ = render(cue(view, **extra))
    assert info["label"] == label
    assert shown in text_of(slide)


def test_cycles_resolve_from_the_data_and_wrap_around(data_dir):
    provinces = q.provinces("2025")["unit_code"].tolist()
    _, info, _ = render(cue("province", cycle="provinces", k=-1))
    assert (info["n"], info["k"]) == (len(provinces), len(provinces) - 1)
    assert info["params"]["province"] == provinces[-1]
    _, info, _ = render(cue("province", cycle="values", values=["79", "01"], k=3))
    assert (info["n"], info["k"], info["params"]["province"]) == (2, 1, "01")
    _, info, _ = render(cue("map", cycle="headline", k=0))
    assert info["params"]["indicator"] in set(q.catalog().query("headline")["code"])
    _, info, _ = render(cue("sector", cycle="sectors", limit=2, k=5))
    assert info["n"] == 2


def test_unknown_codes_are_said_on_the_slide(data_dir):
    slide, info, _ = render(cue("province", params={"province": "98"}))
    assert "Không tìm thấy mã “98”" in text_of(slide)
    slide, _, _ = render(cue("map", params={"indicator": "ZZ.99"}))
    assert "ZZ.99" in text_of(slide)


def test_no_published_data_is_a_message_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CC_DATA_DIR", str(tmp_path / "empty"))
    slide, info, meta = render(cue("overview"))
    assert "Chưa có số liệu nào được công bố" in text_of(slide)
    assert meta is None and info["snapshot"] is None


@pytest.fixture
def client(data_dir):
    app = Flask(__name__)
    app.register_blueprint(wall_api)
    return app.test_client()


def test_the_poll_records_the_heartbeat_and_relays_the_session(client, data_dir):
    current = q.snapshot_id()
    answer = client.post(
        "/api/v1/wall/state",
        json={
            "screen": "hall-A",
            "showing": "Tổng quan",
            "view": "overview",
            "snapshot": current,
            "viewport": "3840x2160",
        },
    ).get_json()
    assert (answer["snapshot"], answer["data_snapshot"], answer["session"]) == (
        current,
        current,
        None,
    )
    (screen,) = wall_state().screens()
    assert (screen.screen_id, screen.showing, screen.viewport) == (
        "hall-A",
        "Tổng quan",
        "3840x2160",
    )
    session = wall_state().create_session()
    wall_state().hold(session.id, "province", {"province": "01"})
    answer = client.get(f"/api/v1/wall/state?session={session.id}&screen=hall-B")
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.get_json()["session"] == {
        "id": session.id,
        "mode": "hold",
        "view": "province",
        "params": {"province": "01"},
        "frozen": None,
        "seq": 1,
    }
    unknown = client.post("/api/v1/wall/state", json={"session": "ZZZZZZ"}).get_json()
    assert unknown["unknown_session"] is True and unknown["session"] is None


@pytest.fixture
def present(data_dir):
    try:
        import pages.present as module
    except dash.exceptions.PageError:
        dash.Dash(__name__, use_pages=True, pages_folder="")
        import pages.present as module
    return module


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("overview", "01", "NS.01", "value", "budget", None), {}),
        (
            ("province", "01", "NS.01", "value", "budget", "2025-09"),
            {"province": "01", "period": "2025-09"},
        ),
        (("province", None, "NS.01", "value", "budget", None), None),
        (
            ("map", "79", "DT.01", "value", None, None),
            {"indicator": "DT.01", "metric": "value", "province": "79"},
        ),
        (
            ("map", None, None, "bogus", None, None),
            {"indicator": "NS.01", "metric": "pct_of_target"},
        ),
        (("sector", None, None, None, "budget", None), {"sector": "budget"}),
    ],
)
def test_what_the_presenter_sends_for_each_view(present, args, expected):
    assert present.command_params(*args) == expected


def test_freeze_pins_the_snapshot_and_walls_keep_reading_it(
    present, data_dir, client, make_submissions, tmp_path
):
    session = wall_state().create_session()
    frozen = q.snapshot_id()
    present.send_view("overview", None, None, None, None, None, session.id, "vi")
    present.toggle_freeze(1, session.id, "vi")
    assert wall_state().session(session.id).frozen_snapshot == frozen
    assert pins.pinned_ids(data_dir) == {frozen}

    # a refresh is published while the meeting goes on
    path = make_submissions(tmp_path / "in2").csv("changed.csv", rows(CHANGED))
    assert Warehouse(data_dir).load(path).published
    time.sleep(0.6)  # the data layer looks at CURRENT at most every 0.5 s
    assert q.snapshot_id() != frozen
    answer = client.post("/api/v1/wall/state", json={"session": session.id}).get_json()
    assert answer["data_snapshot"] == frozen != answer["snapshot"]
    slide, info, _ = render(cue("overview", session=session.id))
    assert info["snapshot"] == frozen and info["frozen"] is True
    assert "1.500.000" in text_of(slide) and "1.600.000" not in text_of(slide)

    present.toggle_freeze(2, session.id, "vi")  # release
    assert pins.pinned_ids(data_dir) == set()
    slide, info, _ = render(cue("overview", session=session.id))
    assert info["snapshot"] == q.snapshot_id() and "1.600.000" in text_of(slide)
    present.back_to_rotation(1, session.id, "vi")
    assert wall_state().session(session.id).mode == "rotate"


def test_the_presenter_page_lays_out_for_a_session_and_without(present, data_dir):
    session = wall_state().create_session()
    with_session = text_of(present.layout(session=session.id, lang="en"))
    assert f"Session {session.id}" in with_session and "Freeze the data" in with_session
    assert "Bắt đầu phiên trình bày" in text_of(present.layout())
    assert "không tìm thấy" in text_of(present.layout(session="QQQQQQ")).lower()


def test_the_presenter_console_leads_home_and_to_the_other_language(present, data_dir):
    """No navbar beside the wall: its own ways out, keeping the session."""
    from dash import html

    session = wall_state().create_session()
    layout = present.layout(session=session.id, lang="en")
    links = {}
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, html.A):
            links[getattr(node, "className", "")] = node.href
        children = getattr(node, "children", None)
        stack += (
            children if isinstance(children, list) else [children] if children else []
        )
    assert links["present-home"] == "/?lang=en"
    assert links["present-lang"] == f"/present?lang=vi&session={session.id}"


def test_a_cached_map_is_never_shown_to_another_scope(data_dir):
    """The wall's maps are cached (slow to build): the key holds the caller's
    reach, so a province device never gets the viewers' map of every province
    (nor they its map of one), whichever asked first."""
    from dash import dcc

    from core.context import use_scope
    from core.scope import SYSTEM, make_scope

    def locations() -> set[str]:
        slide, _, _ = render(cue("map", params={"indicator": "NS.01"}))
        graphs = []
        stack = [slide]
        while stack:
            node = stack.pop()
            if isinstance(node, dcc.Graph):
                graphs.append(node)
            children = getattr(node, "children", None)
            stack += (
                children
                if isinstance(children, list)
                else [children]
                if children
                else []
            )
        data = graphs[0].figure["data"]
        return set(next(t for t in data if t.get("name") == "provinces")["locations"])

    hanoi = make_scope("province_analyst", "token:wall-01", province="01")
    with use_scope(hanoi):
        own_first = locations()
    with use_scope(SYSTEM):
        every = locations()
    with use_scope(hanoi):
        own_again = locations()
    assert own_first == own_again == {"01"}
    assert {"01", "79"} <= every and len(every) == 34


def test_a_province_devices_map_gives_no_false_first_place(data_dir):
    from core.context import use_scope
    from core.scope import SYSTEM, make_scope

    spot = cue("map", params={"indicator": "NS.01", "province": "01"})
    with use_scope(SYSTEM):
        assert "Hạng 1/2" in text_of(render(spot)[0])  # % of plan: 01 before 79
    with use_scope(make_scope("province_analyst", "token:wall-01", province="01")):
        shown = text_of(render(spot)[0])
    assert "Hà Nội" in shown and "Hạng" not in shown  # not "1/1"


def test_a_code_outside_the_devices_reach_is_said_as_such(data_dir):
    """A presenter's command a province's or a ministry's screen may not show:
    not "unknown code" (it looks like an error on a meeting's wall)."""
    from core.context import use_scope
    from core.scope import make_scope

    hanoi = make_scope("province_analyst", "token:wall-01", province="01")
    with use_scope(hanoi):
        slide, info, _ = render(cue("province", params={"province": "79"}))
        assert "ngoài phạm vi hiển thị" in text_of(slide)
        assert "ngoài phạm vi" in info["label"]
        slide, _, _ = render(cue("province", params={"province": "98"}))
        assert "Không tìm thấy" in text_of(slide)  # no such province at all
    btc = make_scope("ministry_analyst", "token:wall-btc", agencies=("BTC",))
    with use_scope(btc):
        slide, _, _ = render(cue("map", params={"indicator": "YT.08"}))
        assert "ngoài phạm vi hiển thị" in text_of(slide)
        slide, _, _ = render(cue("map", params={"indicator": "ZZ.99"}))
        assert "Không tìm thấy" in text_of(slide)
