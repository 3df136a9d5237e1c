"""The presenter page's controls (pages/present.py): the landing without a
session, and the pickers that drive the walls. Pure builders: the page passes
the choices (from the data layer) and its component ids."""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.fmt import fmt_period
from components.present_parts import view_options
from core.i18n import register, t
from core.urls import href
from data.schema import NAME_EN, NAME_VI, UNIT_CODE

register(
    {
        "present.start": {"vi": "Bắt đầu phiên trình bày", "en": "Start a session"},
        "present.intro": {
            "vi": "Mỗi phiên điều khiển mọi màn hình mở địa chỉ của phiên. "
            "Màn hình không theo phiên nào thì tự luân phiên.",
            "en": "A session drives every screen that opens its address. "
            "Screens that follow no session rotate by themselves.",
        },
        "present.recent": {"vi": "Phiên gần đây", "en": "Recent sessions"},
        "present.unknown": {
            "vi": "Không tìm thấy phiên “{session}”",
            "en": "Session “{session}” not found",
        },
        "present.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
        "present.province_hint": {
            "vi": "Gõ để tìm; trên bản đồ: làm nổi bật",
            "en": "Type to search; on the map: spotlight",
        },
        "present.indicator": {"vi": "Chỉ tiêu (bản đồ)", "en": "Indicator (map)"},
        "present.metric": {"vi": "Thước đo", "en": "Measure"},
        "present.metric.pct_of_target": {"vi": "% kế hoạch", "en": "% of target"},
        "present.metric.value": {"vi": "Giá trị", "en": "Value"},
        "present.metric.pct_vs_last_year": {"vi": "So cùng kỳ", "en": "vs last year"},
        "present.sector": {"vi": "Ngành, lĩnh vực", "en": "Sector"},
        "present.period": {"vi": "Kỳ số liệu", "en": "Period"},
        "present.latest": {"vi": "Mới nhất", "en": "Latest"},
        "present.rotate": {
            "vi": "Trở lại tự động luân phiên",
            "en": "Back to rotation",
        },
        "present.freeze": {"vi": "Cố định số liệu", "en": "Freeze the data"},
        "present.release": {"vi": "Bỏ cố định số liệu", "en": "Release the data"},
        "present.sent": {"vi": "Đã gửi lúc {time}", "en": "Sent at {time}"},
        "present.pick_province": {
            "vi": "Chọn một tỉnh, thành phố để hiển thị",
            "en": "Choose a province to show",
        },
        "present.rotating": {
            "vi": "Các màn hình trở lại tự động luân phiên",
            "en": "The walls are back to their own rotation",
        },
        "present.froze": {"vi": "Đã cố định số liệu", "en": "Data frozen"},
        "present.released": {"vi": "Đã bỏ cố định số liệu", "en": "Data released"},
    }
)


@dataclass(frozen=True)
class ControlIds:
    """The page's component ids, passed in (they stay defined by the page)."""

    create: str
    view: str
    province: str
    indicator: str
    metric: str
    sector: str
    period: str
    rotate: str
    freeze: str
    feedback: str


def choices_from(
    provinces,
    sectors,
    catalog,
    months: list[str],
    lang: str,
    metrics: tuple[str, ...],
    default_indicator: str,
) -> dict:
    """Picker choices from data-layer frames: (value, label) pairs; the map's
    metrics and the indicator a map shows unless told (wall.playlist's)."""
    name = NAME_EN if lang == "en" else NAME_VI
    return {
        "provinces": list(zip(provinces[UNIT_CODE], provinces[name], strict=True)),
        "sectors": list(zip(sectors["code"], sectors[name], strict=True)),
        "indicators": [
            (c, f"{c} · {n}")
            for c, n in zip(catalog["code"], catalog[name], strict=True)
        ],
        "months": list(months),
        "metrics": tuple(metrics),
        "default_indicator": default_indicator,
    }


def _options(pairs: list) -> list[dict]:
    return [{"value": value, "label": label} for value, label in pairs]


def _label(lang: str, text: str, hint: str | None = None) -> html.Label:
    return html.Label(
        [text, html.Small(f" · {hint}", className="text-muted") if hint else None],
        className="present-label",
    )


def landing(lang: str, recent: list, ids: ControlIds) -> html.Div:
    """No session yet: what a session is, the start button, recent sessions."""
    links = [
        html.Li(
            dcc.Link(
                t("present.session", lang, session=s.id),
                href=href("/present", {"lang": lang}, session=s.id),
            )
        )
        for s in recent
    ]
    return html.Div(
        [
            html.P(t("present.intro", lang), className="present-intro"),
            dbc.Button(
                [html.I(className="bi bi-play-circle me-2"), t("present.start", lang)],
                id=ids.create,
                color="primary",
                size="lg",
                className="mb-4",
            ),
            html.H2(t("present.recent", lang), className="h5") if links else None,
            html.Ul(links) if links else None,
        ]
    )


def controls(session, lang: str, choices: dict, ids: ControlIds) -> html.Div:
    """The pickers, initialised from what the session shows now. `choices`:
    provinces, sectors, indicators as (value, label) pairs; months."""
    params = session.params or {}
    return html.Div(
        [
            _label(lang, t("present.view", lang)),
            dbc.RadioItems(
                id=ids.view,
                options=view_options(lang),
                value=session.view or "overview",
                inline=True,
                className="present-views btn-group flex-wrap",
                inputClassName="btn-check",
                labelClassName="btn btn-outline-primary btn-lg",
                labelCheckedClassName="active",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            _label(
                                lang,
                                t("present.province", lang),
                                t("present.province_hint", lang),
                            ),
                            dcc.Dropdown(
                                id=ids.province,
                                value=params.get("province"),
                                options=_options(choices["provinces"]),
                                searchable=True,
                                clearable=True,
                            ),
                        ],
                        md=6,
                    ),
                    dbc.Col(
                        [
                            _label(lang, t("present.sector", lang)),
                            dcc.Dropdown(
                                id=ids.sector,
                                value=params.get("sector") or choices["sectors"][0][0],
                                clearable=False,
                                options=_options(choices["sectors"]),
                            ),
                        ],
                        md=6,
                    ),
                    dbc.Col(
                        [
                            _label(lang, t("present.indicator", lang)),
                            dcc.Dropdown(
                                id=ids.indicator,
                                clearable=False,
                                searchable=True,
                                value=params.get("indicator")
                                or choices["default_indicator"],
                                options=_options(choices["indicators"]),
                            ),
                        ],
                        md=6,
                    ),
                    dbc.Col(
                        [
                            _label(lang, t("present.period", lang)),
                            dcc.Dropdown(
                                id=ids.period,
                                value=params.get("period"),
                                clearable=True,
                                placeholder=t("present.latest", lang),
                                options=[
                                    {"label": fmt_period(m, lang), "value": m}
                                    for m in choices["months"]
                                ],
                            ),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            _label(lang, t("present.metric", lang)),
                            dbc.RadioItems(
                                id=ids.metric,
                                value=params.get("metric") or choices["metrics"][0],
                                options=[
                                    {
                                        "label": t(f"present.metric.{m}", lang),
                                        "value": m,
                                    }
                                    for m in choices["metrics"]
                                ],
                            ),
                        ],
                        md=3,
                    ),
                ],
                className="g-3 my-2",
            ),
            html.Div(
                [
                    dbc.Button(
                        [
                            html.I(className="bi bi-arrow-repeat me-2"),
                            t("present.rotate", lang),
                        ],
                        id=ids.rotate,
                        color="secondary",
                        size="lg",
                    ),
                    dbc.Button(
                        freeze_label(session, lang),
                        id=ids.freeze,
                        size="lg",
                        color="info" if session.frozen_snapshot else "outline-info",
                    ),
                ],
                className="d-flex flex-wrap gap-3 my-3",
            ),
            html.Div(id=ids.feedback, className="present-feedback", role="status"),
        ]
    )


def freeze_label(session, lang: str) -> list:
    """Freeze or release, by the session's state."""
    key = "present.release" if session.frozen_snapshot else "present.freeze"
    return [html.I(className="bi bi-snow2 me-2"), t(key, lang)]
