"""The wall's playlists, read from wall.yaml and overridden by the wall's URL.

A playlist is a list of items; each shows one view for its dwell time. An item
with `cycle` shows its view once per value of a list that is resolved from the
data when it is shown (every province, the provinces behind plan, every
sector, the headline indicators) or given as `values`, each value for the
item's dwell time, without listing them one by one. See README, "Video wall
and presenter", for the file format.

Pure: no data access here (wall.render resolves cycles).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from data.schema import PCT_OF_TARGET, PCT_VS_LAST_YEAR

ROOT = Path(__file__).resolve().parents[1]
CONFIG_PATH = ROOT / "wall.yaml"

VIEWS = ("overview", "map", "sector", "province", "attention")
METRICS = (PCT_OF_TARGET, "value", PCT_VS_LAST_YEAR)
DEFAULT_INDICATOR = "NS.01"  # a map asked for without an indicator
# What an item's cycle runs through, and which parameter each value sets.
CYCLES = {
    "provinces": "province",  # every province of the geography
    "behind": "province",  # provinces with indicators off track, worst first
    "attention": "province",  # provinces with any indicator off track or at risk
    "sectors": "sector",  # every sector, in catalog order
    "headline": "indicator",  # the national headline indicators
}
# The parameters each view takes (besides the wall-wide lang, period, geo).
VIEW_PARAMS = {
    "overview": (),
    "map": ("indicator", "metric", "province"),
    "sector": ("sector",),
    "province": ("province",),
    "attention": (),
}
PARAM_RES = {
    "indicator": re.compile(r"^[A-Z]{1,4}\.\d{1,3}$"),
    "metric": re.compile("^(" + "|".join(METRICS) + ")$"),
    "province": re.compile(r"^\d{2}$"),
    "sector": re.compile(r"^[a-z][a-z_]{1,39}$"),
}
CYCLE_PARAM_FOR = {"province": "province", "sector": "sector", "map": "indicator"}
DWELL_MIN, DWELL_MAX = 3.0, 3600.0
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class PlaylistError(ValueError):
    """wall.yaml says something the wall cannot do (the message says what)."""


@dataclass
class Item:
    view: str
    dwell: float
    params: dict[str, str] = field(default_factory=dict)
    cycle: str | None = None  # a key of CYCLES, or "values"
    values: tuple[str, ...] = ()
    limit: int | None = None

    def as_json(self) -> dict[str, Any]:
        """What the browser keeps and sends back in each cue."""
        return {
            "view": self.view,
            "dwell": self.dwell,
            "params": dict(self.params),
            "cycle": self.cycle,
            "values": list(self.values),
            "limit": self.limit,
        }


@dataclass
class WallConfig:
    playlists: dict[str, list[Item]]
    default: str
    dwell: float = 20.0
    stale_after_hours: float = 36.0
    poll_seconds: float = 2.0
    transition_ms: int = 700


def check_params(view: str, params: dict[str, Any], where: str) -> dict[str, str]:
    """A view's parameters, each of the expected form (PlaylistError if not)."""
    allowed = VIEW_PARAMS[view]
    out: dict[str, str] = {}
    for key, value in params.items():
        if key not in allowed:
            raise PlaylistError(
                f"{where}: view {view!r} takes no {key!r} "
                f"(it takes {', '.join(allowed) or 'nothing'})"
            )
        text = str(value).strip()
        if key == "indicator":
            text = text.upper()
        if key == "province":
            text = text.zfill(2)
        if not PARAM_RES[key].match(text):
            raise PlaylistError(f"{where}: {key}={value!r} is not of the expected form")
        out[key] = text
    return out


def _seconds(value: Any, where: str) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise PlaylistError(
            f"{where}: dwell must be a number of seconds, not {value!r}"
        ) from None
    if not DWELL_MIN <= seconds <= DWELL_MAX:
        raise PlaylistError(
            f"{where}: dwell must be between {DWELL_MIN:g} and "
            f"{DWELL_MAX:g} seconds, not {value!r}"
        )
    return seconds


def parse_item(raw: Any, default_dwell: float, where: str) -> Item:
    if not isinstance(raw, dict) or "view" not in raw:
        raise PlaylistError(f"{where}: each item needs a view ({', '.join(VIEWS)})")
    raw = dict(raw)
    view = str(raw.pop("view"))
    if view not in VIEWS:
        raise PlaylistError(
            f"{where}: unknown view {view!r} (one of {', '.join(VIEWS)})"
        )
    dwell = _seconds(raw.pop("dwell", default_dwell), where)
    cycle = raw.pop("cycle", None)
    values = raw.pop("values", None)
    limit = raw.pop("limit", None)
    params = check_params(view, raw, where)
    if values is not None:
        if cycle not in (None, "values"):
            raise PlaylistError(f"{where}: give either cycle or values, not both")
        if not isinstance(values, list) or not values:
            raise PlaylistError(f"{where}: values must be a non-empty list")
        cycle = "values"
    if cycle is not None:
        target = CYCLE_PARAM_FOR.get(view)
        if cycle != "values" and cycle not in CYCLES:
            raise PlaylistError(
                f"{where}: unknown cycle {cycle!r} "
                f"(one of {', '.join(CYCLES)}, or values: [...])"
            )
        wanted = CYCLES.get(cycle, target)
        if view == "map" and wanted == "province":
            target = "province"  # a map cycling through provinces spotlights each
        if target is None or wanted != target:
            raise PlaylistError(
                f"{where}: view {view!r} cannot cycle through {cycle!r}"
            )
        if cycle == "values":
            values = [check_params(view, {target: v}, where)[target] for v in values]
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise PlaylistError(f"{where}: limit must be a whole number of at least 1")
    return Item(view, dwell, params, cycle, tuple(values or ()), limit)


def parse_config(doc: Any) -> WallConfig:
    if not isinstance(doc, dict) or not isinstance(doc.get("playlists"), dict):
        raise PlaylistError("wall.yaml needs a 'playlists:' mapping of name -> items")
    options = doc.get("settings") or {}
    dwell = _seconds(options.get("dwell", 20), "settings")
    playlists: dict[str, list[Item]] = {}
    for name, items in doc["playlists"].items():
        if not NAME_RE.match(str(name)):
            raise PlaylistError(
                f"playlist name {name!r}: letters, digits, - and _ only"
            )
        if not isinstance(items, list) or not items:
            raise PlaylistError(f"playlist {name!r} has no items")
        playlists[str(name)] = [
            parse_item(raw, dwell, f"playlist {name!r}, item {i}")
            for i, raw in enumerate(items, start=1)
        ]
    default = str(doc.get("default_playlist") or next(iter(playlists)))
    if default not in playlists:
        raise PlaylistError(f"default_playlist {default!r} is not a playlist")
    try:
        return WallConfig(
            playlists,
            default,
            dwell,
            stale_after_hours=float(options.get("stale_after_hours", 36)),
            poll_seconds=max(1.0, float(options.get("poll_seconds", 2))),
            transition_ms=int(options.get("transition_ms", 700)),
        )
    except (TypeError, ValueError) as exc:
        raise PlaylistError(f"settings: {exc}") from None


def load_config(path: Path = CONFIG_PATH) -> WallConfig:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PlaylistError(f"cannot read {path}: {exc.strerror}") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlaylistError(f"{Path(path).name} is not valid YAML: {exc}") from None
    return parse_config(doc)


def choose(
    config: WallConfig, args: dict[str, str]
) -> tuple[str, list[Item], list[str]]:
    """The playlist the wall's URL asks for (`?playlist=`, `?dwell=`), and the
    problems with its values (the wall then uses the defaults and says so)."""
    problems: list[str] = []
    name = args.get("playlist") or config.default
    if name not in config.playlists:
        problems.append(
            f"playlist={name!r}: not in wall.yaml ({', '.join(config.playlists)})"
        )
        name = config.default
    items = [Item(**vars(i)) for i in config.playlists[name]]
    if args.get("dwell"):
        try:
            seconds = _seconds(args["dwell"], "dwell")
        except PlaylistError as exc:
            problems.append(str(exc))
        else:
            for item in items:
                item.dwell = seconds
    return name, items, problems
