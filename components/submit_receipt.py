"""The receipt (biên nhận) of a submission and the list of an agency's
submissions, as the /submit page shows them (pure builders: a submission comes
as store.inbox.Received.as_json()).

The receipt follows the submission as the loader takes it: received (queued)
→ loading → published in snapshot X, or rejected with its row-level report.
"""

from __future__ import annotations

from collections.abc import Callable

from dash import dcc, html

from components.fmt import MISSING, fmt_local_datetime, fmt_number
from components.submit_errors import errors_table
from components.submit_status import state_badge
from core.i18n import register, t

register(
    {
        "sub.receipt": {"vi": "Biên nhận", "en": "Receipt"},
        "sub.rc.id": {"vi": "Mã tiếp nhận", "en": "Submission id"},
        "sub.rc.sha256": {"vi": "Mã băm SHA-256", "en": "SHA-256"},
        "sub.rc.received_at": {"vi": "Thời điểm tiếp nhận", "en": "Received at"},
        "sub.rc.rows": {"vi": "Số dòng số liệu", "en": "Rows"},
        "sub.rc.file": {"vi": "Tệp", "en": "File"},
        "sub.rc.channel": {"vi": "Kênh", "en": "Channel"},
        "sub.rc.signer": {"vi": "Người ký số", "en": "Signed by"},
        "sub.rc.unsigned": {"vi": "Không ký số", "en": "Not signed"},
        "sub.rc.state": {"vi": "Tình trạng", "en": "State"},
        "sub.rc.snapshot": {
            "vi": "Đã công bố trong bản dữ liệu {snapshot}",
            "en": "Published in snapshot {snapshot}",
        },
        "sub.rc.waiting": {
            "vi": "Đang chờ bộ nạp dữ liệu; trang tự cập nhật.",
            "en": "Waiting for the loader; this page updates by itself.",
        },
        "sub.rc.rejected": {
            "vi": "Bộ nạp đã từ chối báo cáo; không số liệu nào được nạp:",
            "en": "The loader rejected the report; no figure was loaded:",
        },
        "sub.rc.download_txt": {"vi": "Tải biên nhận (.txt)", "en": "Receipt (.txt)"},
        "sub.rc.download_json": {
            "vi": "Tải biên nhận (.json)",
            "en": "Receipt (.json)",
        },
        "sub.channel.web": {"vi": "Trang web", "en": "Web page"},
        "sub.channel.api": {"vi": "Kết nối (API)", "en": "Link (API)"},
        "sub.steps.queued": {"vi": "Tiếp nhận", "en": "Received"},
        "sub.steps.loading": {"vi": "Nạp", "en": "Loading"},
        "sub.steps.done": {"vi": "Công bố / từ chối", "en": "Published / rejected"},
    }
)

STEPS = ("queued", "loading", "done")


def _steps(state: str, lang: str) -> html.Ol:
    """queued → loading → published/rejected, the steps done so far marked."""
    reached = {"queued": 0, "loading": 1}.get(state, 2)
    return html.Ol(
        [
            html.Li(
                t(f"sub.steps.{step}", lang),
                className="done" if i <= reached else "todo",
            )
            for i, step in enumerate(STEPS)
        ],
        className="submit-steps",
    )


def _signer(item: dict, lang: str) -> str:
    signer = item.get("signer") or {}
    if not signer:
        return t("sub.rc.unsigned", lang)
    return str(signer.get("subject") or signer)


def receipt_panel(
    item: dict, lang: str, ids: dict[str, str], units_vi: dict | None = None
) -> html.Div:
    """The receipt: id, SHA-256, time received, rows, state (and the report
    of a rejected one). `ids["state"]`: the id of its state."""
    state = item["state"]
    rows = item.get("rows")
    fields = [
        ("sub.rc.id", html.Code(item["id"])),
        ("sub.rc.sha256", html.Code(item["sha256"], className="submit-sha")),
        ("sub.rc.received_at", fmt_local_datetime(item["received_at"], lang)),
        ("sub.rc.rows", MISSING if rows is None else fmt_number(rows, lang, 0)),
        ("sub.rc.file", item.get("file_name") or MISSING),
        ("sub.rc.channel", t(f"sub.channel.{item.get('channel')}", lang)),
        ("sub.rc.signer", _signer(item, lang)),
        ("sub.rc.state", html.Span(state_badge(state, lang), id=ids["state"])),
    ]
    body = [
        html.Dl(
            [
                part
                for key, value in fields
                for part in (html.Dt(t(key, lang)), html.Dd(value))
            ],
            className="submit-receipt-fields",
        ),
        _steps(state, lang),
    ]
    if state == "published":
        body.append(
            html.P(
                t("sub.rc.snapshot", lang, snapshot=item.get("snapshot_id") or MISSING),
                className="submit-outcome text-success-emphasis",
            )
        )
    elif state == "rejected":
        body += [
            html.P(t("sub.rc.rejected", lang), className="submit-outcome"),
            errors_table(item.get("errors") or [], lang, units_vi=units_vi),
        ]
    else:
        body.append(html.P(t("sub.rc.waiting", lang), className="text-muted small"))
    return html.Div(body, className="submit-receipt", **{"data-state": state})


def receipt_downloads(lang: str, txt_id: str, json_id: str) -> html.Div:
    """The receipt's two downloads: plain text (in the page's language), JSON."""
    return html.Div(
        [
            html.Button(
                [
                    html.I(className="bi bi-download me-1"),
                    t("sub.rc.download_txt", lang),
                ],
                id=txt_id,
                className="btn btn-sm btn-outline-primary",
            ),
            html.Button(
                [
                    html.I(className="bi bi-filetype-json me-1"),
                    t("sub.rc.download_json", lang),
                ],
                id=json_id,
                className="btn btn-sm btn-outline-primary",
            ),
        ],
        className="d-flex gap-2 mt-2",
    )


def submissions_table(
    items: list[dict], lang: str, table_id: str, receipt_href: Callable[[str], str]
) -> html.Div:
    """The agency's submissions, newest first: time, id (its receipt), file,
    channel, rows, state."""
    heads = ("sub.rc.received_at", "sub.rc.id", "sub.rc.file", "sub.rc.channel")
    head = html.Tr(
        [html.Th(t(k, lang), scope="col") for k in heads]
        + [
            html.Th(t("sub.rc.rows", lang), scope="col", className="num"),
            html.Th(t("sub.rc.state", lang), scope="col"),
        ]
    )
    body = [
        html.Tr(
            [
                html.Td(fmt_local_datetime(s["received_at"], lang)),
                html.Td(dcc.Link(html.Code(s["id"]), href=receipt_href(s["id"]))),
                html.Td(s.get("file_name") or MISSING),
                html.Td(t(f"sub.channel.{s.get('channel')}", lang)),
                html.Td(
                    MISSING
                    if s.get("rows") is None
                    else fmt_number(s["rows"], lang, 0),
                    className="num",
                ),
                html.Td(state_badge(s["state"], lang)),
            ],
            **{"data-id": s["id"], "data-state": s["state"]},
        )
        for s in items
    ]
    return html.Div(
        html.Table(
            [html.Thead(head), html.Tbody(body)],
            className="table table-sm cc-table submit-list mb-1",
            id=table_id,
        ),
        className="table-responsive",
    )
