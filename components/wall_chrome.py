"""The wall's frame: header with clock, footer with freshness and status,
the slide frame every view shares, and the message slide.

Pure builders: element ids come in as arguments (the wall page owns them).
Sizes are in vh so the same markup reads from across a room at 1080p, 4K and
32:9 (assets/wall.css).
"""

from __future__ import annotations

from dash import html

from components.fmt import fmt_local_datetime
from core.i18n import register, t

register(
    {
        "wall.brand": {
            "vi": "Trung tâm thông tin, chỉ đạo, điều hành",
            "en": "Information and command center",
        },
        "wall.loading": {"vi": "Đang chuẩn bị màn hình…", "en": "Preparing the wall…"},
        "wall.frozen": {
            "vi": "Số liệu cố định cho cuộc họp",
            "en": "Data frozen for the meeting",
        },
        "wall.stale": {
            "vi": "Số liệu chưa được cập nhật quá {hours} giờ",
            "en": "Data not updated for more than {hours} hours",
        },
        "wall.offline": {
            "vi": "Mất kết nối, đang thử lại…",
            "en": "Connection lost, retrying…",
        },
        "wall.paused": {"vi": "Tạm dừng", "en": "Paused"},
        "wall.held": {"vi": "Đang giữ màn hình", "en": "Held"},
        "wall.presenter": {"vi": "Người trình bày điều khiển", "en": "Presenter"},
        "wall.screen": {"vi": "Màn hình {screen}", "en": "Screen {screen}"},
        "wall.session": {"vi": "phiên {session}", "en": "session {session}"},
        "wall.unknown_session": {
            "vi": "không tìm thấy phiên {session}",
            "en": "session {session} not found",
        },
        "wall.search": {"vi": "Tìm tỉnh, thành phố", "en": "Find a province"},
        "wall.search_keys": {
            "vi": "Enter: bảng điểm · Shift+Enter: trên bản đồ · Esc: hủy",
            "en": "Enter: scorecard · Shift+Enter: on the map · Esc: cancel",
        },
        "wall.search_none": {
            "vi": "Không có tỉnh nào khớp",
            "en": "No province matches",
        },
        "wall.bad_params": {"vi": "Tham số không hợp lệ", "en": "Invalid parameters"},
    }
)


def wall_header(lang: str, clock_id: str, date_id: str) -> html.Header:
    """Brand on the left, the clock (filled in by the browser) on the right."""
    return html.Header(
        [
            html.Div(
                [
                    html.I(className="bi bi-bank2", **{"aria-hidden": "true"}),
                    html.Span(t("wall.brand", lang)),
                ],
                className="wall-brand",
            ),
            html.Div(
                [
                    html.Span("--:--", id=clock_id, className="wall-clock-time"),
                    html.Span("", id=date_id, className="wall-clock-date"),
                ],
                className="wall-clock",
            ),
        ],
        className="wall-header",
    )


def freshness_stamp(meta: dict | None, lang: str, frozen: bool = False) -> list:
    """'Cập nhật lúc 22/11/2026 11:00' (Vietnam time) of the data on screen, and
    a badge when the presenter froze them."""
    if not meta:
        return [html.I(className="bi bi-clock-history"), t("msg.no_snapshot", lang)]
    stamp = fmt_local_datetime(meta.get("last_loaded_at"), lang)
    parts: list = [
        html.I(className="bi bi-clock-history", **{"aria-hidden": "true"}),
        html.Span(t("ui.updated_at", lang, time=stamp)),
    ]
    if frozen:
        parts.append(
            html.Span(
                [
                    html.I(className="bi bi-snow2", **{"aria-hidden": "true"}),
                    t("wall.frozen", lang),
                ],
                className="wall-frozen",
            )
        )
    return parts


def slide_frame(
    title: str, subtitle: str | None, body, kind: str, side=None
) -> html.Section:
    """A slide: its title line (title and subtitle on the left, `side` on the
    right: status counts, '3/34' in a cycle) and its body."""
    words = [html.H1(title, className="wall-slide-title")]
    if subtitle:
        words.append(html.Div(subtitle, className="wall-slide-subtitle"))
    head = [html.Div(words, className="wall-slide-words")]
    if side:
        head.append(html.Div(side, className="wall-slide-side"))
    return html.Section(
        [
            html.Div(head, className="wall-slide-head"),
            html.Div(body, className="wall-slide-body"),
        ],
        className=f"wall-slide wall-slide-{kind}",
    )


def message_slide(
    title: str, message: str, icon: str = "bi-info-circle"
) -> html.Section:
    """A whole-slide message (no data yet, a bad wall.yaml): said plainly."""
    body = html.Div(
        [
            html.I(className=f"bi {icon}", **{"aria-hidden": "true"}),
            html.Div(message, className="wall-message-text"),
        ],
        className="wall-message",
    )
    return slide_frame(title, None, body, "message")


def splash(lang: str) -> html.Section:
    """What layer 0 shows until the first slide has been rendered."""
    return html.Section(
        html.Div(
            [
                html.I(className="bi bi-bank2", **{"aria-hidden": "true"}),
                html.Div(t("wall.brand", lang), className="wall-splash-title"),
                html.Div(t("wall.loading", lang), className="wall-splash-sub"),
            ],
            className="wall-splash",
        ),
        className="wall-slide wall-slide-splash",
    )


def problems_line(problems: list[str], lang: str) -> html.Div | None:
    """Bad URL values: one discreet line (the wall falls back to defaults)."""
    if not problems:
        return None
    return html.Div(
        [
            html.I(
                className="bi bi-exclamation-triangle-fill", **{"aria-hidden": "true"}
            ),
            f"{t('wall.bad_params', lang)}: " + "; ".join(problems),
        ],
        className="wall-problems",
    )
