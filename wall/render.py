"""Turn a wall cue (what the browser asks to show next) into a slide.

A cue names a view with its parameters, optionally a cycle and the position
`k` in it, and the wall-wide lang, period, geo, session and screen size. The
renderer resolves the cycle from the data, reads the figures through
data.queries (on the session's frozen snapshot when the presenter froze the
data), and calls the components.wall_* builders. It returns the slide and what
the browser needs to know about it (cycle length, label, snapshot, freshness).
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from components.wall_chrome import message_slide
from components.wall_kpis import overview_slide, province_slide
from components.wall_lists import attention_slide, sector_slide
from components.wall_map import map_slide, wall_figure
from core.context import current_scope
from core.i18n import normalize_lang, register, t
from core.params import GEOS, is_month
from data import queries as q
from data.schema import (
    INDICATOR_CODE,
    NAME_EN,
    NAME_VI,
    PCT_OF_TARGET,
    UNIT_CODE,
    UNIT_EN,
    UNIT_VI,
)
from data.web import scope_key
from wall.api import frozen_available
from wall.playlist import CYCLES, DEFAULT_INDICATOR, METRICS, PARAM_RES, VIEWS
from wall.state import check_session_id, wall_state

log = logging.getLogger(__name__)

register(
    {
        "wallr.view.overview": {"vi": "Tổng quan", "en": "Overview"},
        "wallr.view.map": {"vi": "Bản đồ", "en": "Map"},
        "wallr.view.sector": {"vi": "Ngành", "en": "Sector"},
        "wallr.view.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
        "wallr.view.attention": {"vi": "Cần chú ý", "en": "Needing attention"},
        "wallr.unknown": {
            "vi": "Không tìm thấy mã “{code}”",
            "en": "Unknown code “{code}”",
        },
        "wallr.outside": {
            "vi": "“{code}” ngoài phạm vi hiển thị của màn hình này",
            "en": "“{code}” is outside this screen's access",
        },
    }
)


@dataclass
class Cue:
    key: str
    layer: int
    view: str
    params: dict[str, str] = field(default_factory=dict)
    cycle: str | None = None
    values: list[str] = field(default_factory=list)
    limit: int | None = None
    k: int = 0
    index: int | None = None  # the playlist item, when rotating
    lang: str = "vi"
    period: str | None = None
    geo: str = "2025"
    session: str | None = None
    vw: int = 1920
    vh: int = 1080

    @property
    def aspect(self) -> float:
        return self.vw / self.vh if self.vh else 16 / 9


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


def parse_cue(data: dict) -> Cue:
    """A cue from the browser, every field checked (bad ones fall back)."""
    params = {
        k: str(v)
        for k, v in (data.get("params") or {}).items()
        if k in PARAM_RES and PARAM_RES[k].match(str(v))
    }
    period = (data.get("params") or {}).get("period") or data.get("period")
    values = [str(v) for v in (data.get("values") or []) if isinstance(v, str)]
    return Cue(
        key=str(data.get("key") or ""),
        layer=_int(data.get("layer"), 0, 0, 1),
        view=data.get("view") if data.get("view") in VIEWS else "overview",
        params=params,
        cycle=data.get("cycle") if data.get("cycle") in (*CYCLES, "values") else None,
        values=values[:200],
        limit=_int(data.get("limit"), 0, 0, 1000) or None,
        k=_int(data.get("k"), 0, -1000, 1000),
        index=_int(data.get("i"), 0, 0, 1000) if data.get("i") is not None else None,
        lang=normalize_lang(data.get("lang")),
        period=str(period) if period and is_month(period) else None,
        geo=data.get("geo") if data.get("geo") in GEOS else "2025",
        session=check_session_id(data.get("session")),
        vw=_int(data.get("vw"), 1920, 320, 20000),
        vh=_int(data.get("vh"), 1080, 240, 10000),
    )


def pick_month(period: str | None) -> str:
    """The month asked for when it has figures, else the latest one."""
    months = q.months()
    if period and period in months:
        return period
    return q.default_month(None)


def cycle_values(cue: Cue, month: str) -> list[str]:
    """The values a cycling item runs through, resolved from today's data."""
    if cue.cycle is None:
        return []
    if cue.cycle == "values":
        found = cue.values
    elif cue.cycle == "provinces":
        found = q.provinces(cue.geo)[UNIT_CODE].tolist()
    elif cue.cycle in ("behind", "attention"):
        rows = q.attention(month, cue.geo).to_dict("records")
        found = [
            r[UNIT_CODE]
            for r in rows
            if r["n_off_track"] or (cue.cycle == "attention" and r["n_at_risk"])
        ]
    elif cue.cycle == "sectors":
        found = q.sectors()["code"].tolist()
    else:  # headline
        frame = q.unit_progress("00", month, cue.geo)
        found = frame[frame["headline"] == True][INDICATOR_CODE].tolist()  # noqa: E712
    return found[: cue.limit] if cue.limit else found


def _names(frame: pd.DataFrame, key: str, lang: str) -> dict[str, str]:
    column = NAME_EN if lang == "en" else NAME_VI
    return dict(zip(frame[key].astype(str), frame[column], strict=True))


def _unknown(cue: Cue, code: str, kind: str) -> tuple:
    """A code the screen cannot show: unknown, or (a presenter's command to a
    province's or a ministry's screen) outside its device's reach, said as such
    on the wall and in the label the presenter's console lists."""
    title = t(f"wallr.view.{cue.view}", cue.lang)
    if kind == "province":
        outside = code in q.province_codes(cue.geo)
    else:
        outside = q.in_catalog(kind, code)
    if outside:
        text = t("wallr.outside", cue.lang, code=code)
        return message_slide(title, text, "bi-shield-lock"), f"{title}: {text}"
    return message_slide(
        title, t("wallr.unknown", cue.lang, code=code), "bi-question-circle"
    ), f"{title}: {code}"


def build(cue: Cue, params: dict[str, str], month: str, position: str | None) -> tuple:
    """(slide, label) of one view; label says what the screen shows."""
    lang, view = cue.lang, cue.view
    title = t(f"wallr.view.{view}", lang)
    if view == "overview":
        rows = q.unit_progress("00", month, cue.geo).to_dict("records")
        return overview_slide(rows, lang, month, cue.aspect), title
    if view == "attention":
        rows = q.attention(month, cue.geo).to_dict("records")
        names = _names(q.catalog(), "code", lang)
        return attention_slide(rows, names, lang, month, cue.aspect), title
    if view == "sector":
        code = params.get("sector") or str(q.sectors()["code"].iloc[0])
        names = _names(q.sectors(), "code", lang)
        if code not in names:
            return _unknown(cue, code, "sector")
        rows = q.sector_progress(code, "00", month, cue.geo).to_dict("records")
        slide = sector_slide(names[code], rows, lang, month, cue.aspect, position)
        return slide, f"{title}: {names[code]}"
    provinces = _names(q.provinces(cue.geo), UNIT_CODE, lang)
    province = params.get("province")
    if view == "province":
        province = province or next(iter(provinces))
        if province not in provinces:
            return _unknown(cue, province, "province")
        rows = q.unit_progress(province, month, cue.geo).to_dict("records")
        ranks = {
            r[INDICATOR_CODE]: (int(r["rank_value"]), int(r["n_ranked"]))
            for r in q.province_ranks(province, month, cue.geo).to_dict("records")
        }
        slide = province_slide(
            provinces[province], rows, ranks, lang, month, cue.aspect, position
        )
        return slide, f"{title}: {provinces[province]}"
    # map
    code = params.get("indicator") or DEFAULT_INDICATOR
    indicator = q.indicator(code)
    if indicator is None:
        return _unknown(cue, code, "indicator")
    metric = params.get("metric") if params.get("metric") in METRICS else METRICS[0]
    target_type = indicator.get("target_type")
    if not (isinstance(target_type, str) and target_type) and metric == PCT_OF_TARGET:
        metric = "value"  # no target: % of plan would be an empty map
    frame = q.province_values(code, month, cue.geo)
    period = (
        frame["period"].dropna().iloc[0] if frame["period"].notna().any() else month
    )
    spot = province if province in provinces else None
    reach = scope_key(current_scope())  # one device's map is not another's
    key = (q.snapshot_id(), code, metric, lang, cue.geo, month, spot, cue.vh, reach)
    build = map_figure if reach else map_figure.__wrapped__  # no scope: no cache
    figure = build(*key) if frame["actual"].notna().any() else None
    complete = q.whole_country(cue.geo, frame[UNIT_CODE])
    slide = map_slide(
        frame, indicator, metric, lang, figure, cue.aspect, period, spot, complete
    )
    name = indicator[NAME_EN if lang == "en" else NAME_VI]
    label = f"{title}: {name}" + (f" · {provinces[spot]}" if spot else "")
    return slide, label


@lru_cache(maxsize=16)
def map_figure(
    snapshot: str,
    code: str,
    metric: str,
    lang: str,
    geo: str,
    month: str,
    spot: str | None,
    vh: int,
    reach: str | None,
) -> dict:
    """The map as plain JSON, built once per snapshot, view and reach: building
    and serialising a plotly figure of all the boundaries takes a second or
    two, and a rotating wall shows the same maps again and again. `reach`
    (data.web.scope_key of the caller) is only part of the key: the queries
    below run under the caller's scope, so a province device's map, cached
    under the viewers' key, had shown every province's figures to it."""
    with q.pinned_snapshot(snapshot):
        frame = q.province_values(code, month, geo)
        indicator = q.indicator(code) or {}
    fig = wall_figure(
        frame,
        q.provinces_geojson(geo),
        q.archipelago_labels(geo),
        q.archipelago_geojson(geo),
        metric,
        lang,
        vh,
        spot,
        direction=str(indicator.get("direction") or "up"),
        integer=bool(indicator.get("integer")),
        unit_vi=indicator.get(UNIT_VI) or "",
        unit_en=indicator.get(UNIT_EN) or "",
    )
    return fig.to_plotly_json()


def _epoch_ms(value: Any) -> int | None:
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return int(stamp.timestamp() * 1000)


def frozen_or_current(frozen: str | None) -> AbstractContextManager:
    """Read the frozen snapshot, else whatever the request already reads (the
    app pins each request to the snapshot current when it started)."""
    return q.pinned_snapshot(frozen) if frozen else nullcontext()


def frozen_snapshot(session_id: str | None) -> str | None:
    """The snapshot the session froze, while it is still published."""
    session = wall_state().session(session_id) if session_id else None
    frozen = session.frozen_snapshot if session else None
    return frozen if frozen_available(frozen) else None


def render(data: dict) -> tuple[Any, dict, dict | None]:
    """(slide, info for the browser, snapshot meta for the freshness stamp)."""
    cue = parse_cue(data)
    frozen = frozen_snapshot(cue.session)
    info: dict[str, Any] = {
        "key": cue.key,
        "layer": cue.layer,
        "view": cue.view,
        "i": cue.index,
        "k": 0,
        "n": 1,
        "frozen": bool(frozen),
    }
    meta = None
    with frozen_or_current(frozen):
        try:
            month = pick_month(cue.period)
            params = dict(cue.params)
            values = cycle_values(cue, month)
            position = None
            if values:
                info["n"], info["k"] = len(values), cue.k % len(values)
                target = CYCLES.get(cue.cycle or "", None)
                if cue.cycle == "values" or target is None:
                    target = {"map": "indicator"}.get(cue.view, cue.view)
                params[target] = values[info["k"]]
                position = f"{info['k'] + 1}/{len(values)}"
            slide, label = build(cue, params, month, position)
            info["params"] = params
            meta = q.snapshot_meta()
        except q.NoSnapshot:
            slide = message_slide(
                t("app.title", cue.lang), t("msg.no_snapshot", cue.lang)
            )
            label = t("msg.no_snapshot", cue.lang)
        except q.BadParameter as exc:
            slide = message_slide(
                t(f"wallr.view.{cue.view}", cue.lang),
                str(exc),
                "bi-exclamation-triangle",
            )
            label = str(exc)
    info.update(
        label=label,
        snapshot=meta.get("snapshot_id") if meta else None,
        loaded_ms=_epoch_ms(meta.get("last_loaded_at")) if meta else None,
    )
    return slide, info, meta
