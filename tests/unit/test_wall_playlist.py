"""wall.yaml: items with their dwell, cycles through values, the URL's
?playlist= and ?dwell= overrides, and clear errors for what the wall cannot do."""

from __future__ import annotations

import pytest

from wall.playlist import (
    CONFIG_PATH,
    Item,
    PlaylistError,
    choose,
    load_config,
    parse_config,
    parse_item,
)


def config(*items: dict, **playlists: list) -> dict:
    doc = {"settings": {"dwell": 12}, "playlists": {"main": list(items)}}
    doc["playlists"].update(playlists)
    return doc


def test_the_repository_wall_yaml_loads():
    loaded = load_config(CONFIG_PATH)
    assert loaded.default in loaded.playlists
    assert all(loaded.playlists.values())
    assert loaded.poll_seconds <= 3  # a presenter's change must reach walls within 5 s


def test_items_take_the_default_dwell_unless_they_say_otherwise():
    loaded = parse_config(
        config({"view": "overview"}, {"view": "attention", "dwell": 30})
    )
    assert [i.dwell for i in loaded.playlists["main"]] == [12.0, 30.0]
    assert loaded.default == "main"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            {"view": "province", "cycle": "provinces"},
            Item("province", 12.0, {}, "provinces"),
        ),
        (
            {"view": "province", "cycle": "behind", "limit": 5},
            Item("province", 12.0, {}, "behind", (), 5),
        ),
        (
            {"view": "sector", "cycle": "sectors", "dwell": 8},
            Item("sector", 8.0, {}, "sectors"),
        ),
        (
            {"view": "map", "cycle": "headline", "metric": "value"},
            Item("map", 12.0, {"metric": "value"}, "headline"),
        ),
        # a map cycling through provinces spotlights each in turn
        (
            {"view": "map", "indicator": "ns.01", "cycle": "behind"},
            Item("map", 12.0, {"indicator": "NS.01"}, "behind"),
        ),
        (
            {"view": "province", "values": ["1", "79"]},
            Item("province", 12.0, {}, "values", ("01", "79")),
        ),
        (
            {"view": "map", "values": ["NS.01", "DT.01"]},
            Item("map", 12.0, {}, "values", ("NS.01", "DT.01")),
        ),
    ],
)
def test_cycle_items(raw, expected):
    assert parse_item(raw, 12.0, "test") == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"dwell": 5}, "needs a view"),
        ({"view": "charts"}, "unknown view"),
        ({"view": "overview", "dwell": 1}, "between 3 and 3600"),
        ({"view": "overview", "dwell": "soon"}, "number of seconds"),
        ({"view": "overview", "province": "01"}, "takes no 'province'"),
        ({"view": "province", "province": "Hà Nội"}, "not of the expected form"),
        ({"view": "map", "metric": "share"}, "not of the expected form"),
        ({"view": "overview", "cycle": "provinces"}, "cannot cycle"),
        ({"view": "sector", "cycle": "provinces"}, "cannot cycle"),
        ({"view": "province", "cycle": "weekdays"}, "unknown cycle"),
        ({"view": "province", "values": []}, "non-empty list"),
        (
            {"view": "province", "cycle": "behind", "values": ["01"]},
            "either cycle or values",
        ),
        ({"view": "province", "cycle": "behind", "limit": 0}, "limit"),
    ],
)
def test_bad_items_are_said_plainly(raw, message):
    with pytest.raises(PlaylistError, match=message):
        parse_item(raw, 12.0, "playlist 'main', item 1")


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({}, "playlists"),
        ({"playlists": {"main": []}}, "has no items"),
        ({"playlists": {"a b": [{"view": "overview"}]}}, "letters, digits"),
        (
            {
                "default_playlist": "other",
                "playlists": {"main": [{"view": "overview"}]},
            },
            "not a playlist",
        ),
    ],
)
def test_bad_files_are_said_plainly(doc, message):
    with pytest.raises(PlaylistError, match=message):
        parse_config(doc)


def test_a_file_that_is_not_yaml(tmp_path):
    path = tmp_path / "wall.yaml"
    path.write_text("playlists: [unclosed", encoding="utf-8")
    with pytest.raises(PlaylistError, match="not valid YAML"):
        load_config(path)
    with pytest.raises(PlaylistError, match="cannot read"):
        load_config(tmp_path / "missing.yaml")


def test_url_picks_the_playlist_and_overrides_every_dwell():
    loaded = parse_config(
        config(
            {"view": "overview", "dwell": 30},
            other=[{"view": "attention"}, {"view": "map"}],
        )
    )
    name, items, problems = choose(loaded, {"playlist": "other", "dwell": "7"})
    assert (name, [i.view for i in items], problems) == (
        "other",
        ["attention", "map"],
        [],
    )
    assert [i.dwell for i in items] == [7.0, 7.0]
    # the configuration itself is unchanged for the next wall
    assert [i.dwell for i in loaded.playlists["other"]] == [12.0, 12.0]


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"playlist": "nope"}, "playlist='nope'"),
        ({"dwell": "0.5"}, "between 3 and 3600"),
        ({"dwell": "abc"}, "number of seconds"),
    ],
)
def test_bad_url_values_fall_back_with_a_problem(args, problem):
    loaded = parse_config(config({"view": "overview", "dwell": 30}))
    name, items, problems = choose(loaded, args)
    assert name == "main" and items[0].dwell == 30.0
    assert len(problems) == 1 and problem in problems[0]


def test_items_travel_to_the_browser_as_plain_json():
    item = parse_item({"view": "province", "cycle": "behind", "limit": 3}, 9, "x")
    assert item.as_json() == {
        "view": "province",
        "dwell": 9.0,
        "params": {},
        "cycle": "behind",
        "values": [],
        "limit": 3,
    }
