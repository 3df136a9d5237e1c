"""/admin/audit: the audit log, for administrators (role with `audit`).

URL: actor (part of a name, e.g. user:an or token:wall-1), action (login,
view, download, ...), from/to (days in Vietnam time, GMT+7, inclusive, as
the times shown) plus the shared lang.
The filter form is a plain GET form: submitting it changes the URL, which
re-renders the page. "CSV" downloads the same selection (/admin/audit.csv).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import dash
from dash import dcc, html

from auth import audit
from components.fmt import fmt_local_datetime, fmt_number
from components.page_title import titled
from components.states import empty_state, problems_alert
from core.i18n import register, t
from core.params import read_state
from core.roles import AUDIT, ROLES
from core.tz import VIETNAM_OFFSET_HOURS
from data import queries as q

dash.register_page(
    __name__,
    path="/admin/audit",
    title=titled("Nhật ký truy cập", "Audit log"),
    name="Audit",
    nav=False,
)

AUDIT_FILTERS = "audit-filters"
AUDIT_TABLE = "audit-table"
AUDIT_EXPORT = "audit-export"
SHOWN = 500  # newest events on screen; the CSV has them all

register(
    {
        "audit.title": {"vi": "Nhật ký truy cập", "en": "Audit log"},
        "audit.actor": {"vi": "Người, thiết bị", "en": "User or device"},
        "audit.action": {"vi": "Hành động", "en": "Action"},
        "audit.any": {"vi": "Tất cả", "en": "Any"},
        "audit.from": {"vi": "Từ ngày (GMT+7)", "en": "From (GMT+7)"},
        "audit.to": {"vi": "Đến ngày (GMT+7)", "en": "To (GMT+7)"},
        "audit.filter": {"vi": "Lọc", "en": "Filter"},
        "audit.csv": {"vi": "Tải CSV", "en": "Download CSV"},
        "audit.count": {
            "vi": "{n} sự kiện mới nhất (tối đa {max})",
            "en": "{n} latest events (at most {max})",
        },
        "audit.col.at": {"vi": "Thời gian (GMT+7)", "en": "Time (GMT+7)"},
        **{
            f"audit.out.{code}": {"vi": vi, "en": en}
            for code, vi, en in (
                ("ok", "Thành công", "OK"),
                ("refused", "Bị từ chối", "Refused"),
                ("bad_request", "Yêu cầu sai", "Bad request"),
                ("published", "Đã công bố", "Published"),
                ("not_published", "Không công bố", "Not published"),
                ("queued", "Đã tiếp nhận", "Received"),
                ("duplicate", "Gửi lại (đã có)", "Retry (known)"),
                ("invalid", "Không hợp lệ", "Invalid"),
            )
        },
        **{
            f"audit.act.{code}": {"vi": vi, "en": en}
            for code, vi, en in (
                ("login", "Đăng nhập", "Sign-in"),
                ("login_failed", "Đăng nhập sai", "Failed sign-in"),
                ("login_locked", "Bị khoá đăng nhập", "Locked out"),
                ("logout", "Đăng xuất", "Sign-out"),
                ("view", "Xem trang", "Page view"),
                ("download", "Tải dữ liệu", "Download"),
                ("api", "Gọi API", "API call"),
                ("token_use", "Dùng mã thiết bị", "Token use"),
                ("denied", "Bị từ chối", "Refused"),
                ("etl_load", "Nạp dữ liệu", "Data load"),
                ("admin", "Quản trị tài khoản", "Account change"),
                ("audit_export", "Xuất nhật ký", "Log export"),
                ("submit", "Nộp báo cáo", "Report submitted"),
            )
        },
        "audit.bad_filter": {
            "vi": "Bộ lọc không hợp lệ, đang hiện tất cả sự kiện: {reason}",
            "en": "Invalid filter, showing every event: {reason}",
        },
        "audit.col.role": {"vi": "Vai trò", "en": "Role"},
        "audit.col.target": {"vi": "Đối tượng", "en": "Target"},
        "audit.col.outcome": {"vi": "Kết quả", "en": "Outcome"},
        "audit.col.ip": {"vi": "Địa chỉ", "en": "Address"},
        "audit.col.detail": {"vi": "Chi tiết", "en": "Detail"},
    }
)
FILTER_KEYS = ("actor", "action", "from", "to")


def layout(**kwargs: str) -> html.Div:
    state = read_state(kwargs)
    q.require(AUDIT, "the audit log")  # others: "not permitted" (auth.pages)
    lang, problems = state.lang, list(state.problems)
    chosen = {k: str(kwargs.get(k) or "").strip()[:64] for k in FILTER_KEYS}
    try:
        events = audit.read_events(
            chosen["actor"] or None,
            chosen["action"] or None,
            chosen["from"] or None,
            chosen["to"] or None,
            limit=SHOWN,
            utc_offset_hours=VIETNAM_OFFSET_HOURS,
        )
    except ValueError as exc:
        problems.append(t("audit.bad_filter", lang, reason=str(exc)))
        events = audit.read_events(limit=SHOWN)
    export = "/admin/audit.csv?" + urlencode({k: v for k, v in chosen.items() if v})
    return html.Div(
        [
            html.Div([html.H1(t("audit.title", lang))], className="page-header"),
            problems_alert(problems, lang),
            filter_form(chosen, lang),
            html.Div(
                [
                    html.Span(
                        t(
                            "audit.count",
                            lang,
                            n=fmt_number(len(events), lang),
                            max=fmt_number(SHOWN, lang),
                        ),
                        className="text-muted small",
                    ),
                    html.A(
                        [
                            html.I(className="bi bi-filetype-csv me-1"),
                            t("audit.csv", lang),
                        ],
                        href=export.rstrip("?"),
                        id=AUDIT_EXPORT,
                        className="btn btn-sm btn-outline-secondary",
                    ),
                ],
                className="d-flex justify-content-between align-items-center my-2",
            ),
            events_table(events, lang) if events else empty_state(lang),
        ],
        className="audit-page",
    )


def filter_form(chosen: dict[str, str], lang: str) -> html.Div:
    """Action chips (links) and a GET form for the rest: both change the URL."""

    def field(label: str, control) -> html.Div:
        return html.Div(
            [html.Label(label, className="form-label small"), control],
            className="col-auto",
        )

    def text_field(name: str, label: str, values: dict, example: str = ""):
        """A filter box named as its query key (a GET form writes the URL)."""
        return field(
            label,
            dcc.Input(
                name=name,
                value=values[name],
                type="text",
                placeholder=example or None,
                id=f"audit-{name}",
                className="form-control form-control-sm audit-input",
            ),
        )

    def chip(action: str) -> dcc.Link:
        params = {**chosen, "lang": lang, "action": action}
        query = urlencode({k: v for k, v in params.items() if v})
        active = chosen["action"] == action
        return dcc.Link(
            action_label(action, lang) if action else t("audit.any", lang),
            href=f"/admin/audit?{query}",
            className="btn btn-sm "
            + ("btn-primary" if active else "btn-outline-secondary"),
        )

    form = html.Form(
        [
            dcc.Input(type="hidden", name="lang", value=lang),
            dcc.Input(type="hidden", name="action", value=chosen["action"]),
            text_field("actor", t("audit.actor", lang), chosen),
            text_field("from", t("audit.from", lang), chosen, "2026-10-01"),
            text_field("to", t("audit.to", lang), chosen, "2026-10-31"),
            html.Div(
                html.Button(
                    t("audit.filter", lang),
                    type="submit",
                    id="audit-submit",
                    className="btn btn-sm btn-primary",
                ),
                className="col-auto align-self-end",
            ),
        ],
        method="GET",
        action="/admin/audit",
        className="row g-2",
    )
    return html.Div(
        [
            html.Div(
                [
                    html.Span(t("audit.action", lang), className="small me-2"),
                    *[chip(a) for a in ("", *audit.ACTIONS)],
                ],
                className="d-flex flex-wrap gap-1 align-items-center mb-2",
            ),
            form,
        ],
        id=AUDIT_FILTERS,
        className="panel py-2",
    )


def action_label(code: str, lang: str) -> str:
    """An action in the page's language (the stored code in the cell's title
    and in the CSV export)."""
    return t(f"audit.act.{code}", lang) if code in audit.ACTIONS else code


def outcome_label(code: str, lang: str) -> str:
    """An outcome in the page's language; an HTTP status (an API call's) as is."""
    key = f"audit.out.{code}"
    text = t(key, lang)
    return code if text == key else text


def role_label(code: str, lang: str) -> str:
    role = ROLES.get(code)
    return (role.en if lang == "en" else role.vi) if role else code


def _detail(text: str) -> str:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return text
    return "; ".join(f"{k}={v}" for k, v in value.items()) if value else ""


def events_table(events: list[dict], lang: str) -> html.Table:
    heads = [
        "audit.col.at",
        "audit.actor",
        "audit.col.role",
        "audit.action",
        "audit.col.target",
        "audit.col.outcome",
        "audit.col.ip",
        "audit.col.detail",
    ]
    rows = [
        html.Tr(
            [
                html.Td(
                    fmt_local_datetime(e["at"].rstrip("Z"), lang),
                    className="text-nowrap",
                ),
                html.Td(e["actor"]),
                html.Td(role_label(e["role"], lang), title=e["role"]),
                html.Td(action_label(e["action"], lang), title=e["action"]),
                html.Td(e["target"]),
                html.Td(
                    outcome_label(e["outcome"], lang),
                    title=e["outcome"],
                    className=""
                    if e["outcome"] in ("ok", "published")
                    else "text-danger",
                ),
                html.Td(e["ip"]),
                html.Td(_detail(e["detail"]), className="small text-break"),
            ],
            **{"data-action": e["action"]},
        )
        for e in events
    ]
    return html.Table(
        [html.Thead(html.Tr([html.Th(t(h, lang)) for h in heads])), html.Tbody(rows)],
        id=AUDIT_TABLE,
        className="table table-sm table-striped align-middle panel",
    )
