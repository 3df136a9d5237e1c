"""Builders of the presenter page (/present): the view picker, the session's
summary, the link walls follow, and the table of connected screens."""

from __future__ import annotations

import time

import dash_bootstrap_components as dbc
from dash import html

from components.fmt import fmt_local_datetime, fmt_number
from core.i18n import register, t

register(
    {
        "present.title": {"vi": "Điều khiển màn hình lớn", "en": "Video wall control"},
        "present.session": {"vi": "Phiên {session}", "en": "Session {session}"},
        "present.view": {"vi": "Màn hình", "en": "View"},
        "present.view.overview": {"vi": "Tổng quan", "en": "Overview"},
        "present.view.map": {"vi": "Bản đồ", "en": "Map"},
        "present.view.sector": {"vi": "Ngành", "en": "Sector"},
        "present.view.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
        "present.view.attention": {"vi": "Cần chú ý", "en": "Needing attention"},
        "present.mode.rotate": {"vi": "Tự động luân phiên", "en": "Rotating"},
        "present.mode.hold": {"vi": "Theo người trình bày", "en": "Held by presenter"},
        "present.frozen": {
            "vi": "Số liệu cố định từ {time}",
            "en": "Data frozen since {time}",
        },
        "present.live": {"vi": "Số liệu trực tiếp", "en": "Live data"},
        "present.newer": {
            "vi": "Đã có số liệu mới hơn; các màn hình vẫn giữ số liệu cố định",
            "en": "Newer data has been published; the walls keep the frozen figures",
        },
        "present.follow": {
            "vi": "Mở trên mỗi màn hình lớn:",
            "en": "Open on every wall display:",
        },
        "present.screens": {"vi": "Màn hình đang kết nối", "en": "Connected screens"},
        "present.no_screens": {
            "vi": "Chưa có màn hình nào kết nối",
            "en": "No screen has connected yet",
        },
        "present.col.screen": {"vi": "Màn hình", "en": "Screen"},
        "present.col.session": {"vi": "Theo phiên", "en": "Follows"},
        "present.col.showing": {"vi": "Đang hiển thị", "en": "Showing"},
        "present.col.size": {"vi": "Kích thước", "en": "Size"},
        "present.col.seen": {"vi": "Tín hiệu cuối", "en": "Last heartbeat"},
        "present.own": {"vi": "tự luân phiên", "en": "own rotation"},
        "present.ago": {"vi": "{n} giây trước", "en": "{n} s ago"},
        "present.online": {"vi": "Đang kết nối", "en": "Connected"},
        "present.offline": {"vi": "Mất tín hiệu", "en": "No heartbeat"},
    }
)

VIEWS = ("overview", "map", "province", "sector", "attention")
VIEW_ICONS = {
    "overview": "bi-speedometer2",
    "map": "bi-map",
    "province": "bi-geo-alt",
    "sector": "bi-diagram-3",
    "attention": "bi-exclamation-triangle",
}
ONLINE_SECONDS = 12  # a wall polls every ~2 s: this many seconds without means trouble


def view_options(lang: str) -> list[dict]:
    """Options of the view picker (icon + word, as big buttons)."""
    return [
        {
            "label": html.Span(
                [
                    html.I(className=f"bi {VIEW_ICONS[v]} me-2"),
                    t(f"present.view.{v}", lang),
                ]
            ),
            "value": v,
        }
        for v in VIEWS
    ]


def wall_link(path: str, origin: str | None, lang: str) -> html.Div:
    """The address walls open to follow this session."""
    address = (origin or "").rstrip("/") + path
    return html.Div(
        [
            html.Span(t("present.follow", lang), className="me-2"),
            html.A(address, href=path, target="_blank", className="present-wall-link"),
        ],
        className="present-follow",
    )


def session_summary(
    session, current_snapshot: str | None, lang: str, label: str | None
) -> html.Div:
    """Mode (rotating or held, and what), and whether the data are frozen."""
    mode = t(f"present.mode.{session.mode}", lang)
    parts = [
        html.Span(
            [html.I(className="bi bi-broadcast me-2"), mode], className="present-mode"
        )
    ]
    if session.mode == "hold" and label:
        parts.append(html.Span(label, className="present-holding"))
    if session.frozen_snapshot:
        stamp = fmt_local_datetime(
            time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(session.frozen_at or 0)),
            lang,
        )
        parts.append(
            html.Span(
                [
                    html.I(className="bi bi-snow2 me-1"),
                    t("present.frozen", lang, time=stamp),
                ],
                className="present-frozen",
            )
        )
        if current_snapshot and current_snapshot != session.frozen_snapshot:
            parts.append(
                html.Span(
                    [
                        html.I(className="bi bi-info-circle me-1"),
                        t("present.newer", lang),
                    ],
                    className="present-newer",
                )
            )
    else:
        parts.append(
            html.Span(
                [
                    html.I(className="bi bi-lightning-charge me-1"),
                    t("present.live", lang),
                ],
                className="present-live",
            )
        )
    return html.Div(parts, className="present-summary")


def _seen(age: float, lang: str) -> html.Span:
    """Heartbeat age with a connected/lost word and icon (not colour alone)."""
    online = age <= ONLINE_SECONDS
    word = t("present.online" if online else "present.offline", lang)
    icon = "bi-check-circle-fill" if online else "bi-x-octagon-fill"
    css = "on_track" if online else "off_track"
    return html.Span(
        [
            html.Span(
                [html.I(className=f"bi {icon} me-1"), word],
                className=f"status-badge status-{css} me-2",
            ),
            t("present.ago", lang, n=fmt_number(round(age), lang)),
        ],
    )


def screens_table(
    screens: list, session_id: str | None, lang: str, now: float | None = None
) -> html.Div:
    """Every screen heard from recently: this session's first."""
    if not screens:
        return html.Div(t("present.no_screens", lang), className="empty-state")
    now = time.time() if now is None else now
    ordered = sorted(screens, key=lambda s: (s.session_id != session_id, -s.last_seen))
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(f"present.col.{c}", lang))
                for c in ("screen", "session", "showing", "size", "seen")
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(s.screen_id, className="fw-semibold"),
                html.Td(s.session_id or t("present.own", lang)),
                html.Td(s.showing or "—"),
                html.Td((s.viewport or "—").replace("x", "×")),
                html.Td(_seen(max(0.0, now - s.last_seen), lang)),
            ],
            className="present-this"
            if session_id and s.session_id == session_id
            else None,
            **{"data-screen": s.screen_id},
        )
        for s in ordered
    ]
    return dbc.Table(
        [head, html.Tbody(rows)],
        className="present-screens mb-0",
        hover=False,
        responsive=True,
        size="sm",
    )
