"""Rejected submission files, each with its first bad rows in an expandable detail."""

from __future__ import annotations

from dash import html

from components.fmt import MISSING, fmt_local_datetime, fmt_number
from core.i18n import register, t

register(
    {
        "ds.rej.errors": {"vi": "{n} lỗi", "en": "{n} errors"},
        "ds.rej.error": {"vi": "{n} lỗi", "en": "{n} error"},
        "ds.rej.kept_at": {"vi": "Nhận lúc {time}", "en": "Received {time}"},
        "ds.rej.row": {"vi": "Dòng", "en": "Row"},
        "ds.rej.column": {"vi": "Cột", "en": "Column"},
        "ds.rej.value": {"vi": "Giá trị", "en": "Value"},
        "ds.rej.expected": {"vi": "Yêu cầu", "en": "Expected"},
        "ds.rej.more": {
            "vi": "… và {n} lỗi khác (xem tệp báo cáo lỗi)",
            "en": "… and {n} more (see the error report file)",
        },
        "ds.rej.partial": {"vi": "Nạp một phần", "en": "Partly loaded"},
        "ds.rej.rejected": {"vi": "Bị từ chối", "en": "Rejected"},
        "ds.rej.none": {
            "vi": "Không có tệp nào bị từ chối",
            "en": "No file has been rejected",
        },
    }
)


def _errors_table(errors: list[dict], n_errors: int, lang: str) -> html.Div:
    head = html.Tr(
        [
            html.Th(t(f"ds.rej.{k}", lang), scope="col")
            for k in ("row", "column", "value", "expected")
        ]
    )
    body = [
        html.Tr(
            [
                html.Td(fmt_number(e.get("row"), lang, 0), className="num"),
                html.Td(html.Code(e.get("column") or MISSING)),
                # The value as written in the file: verbatim, quoted, not parsed.
                html.Td(
                    html.Code(
                        repr(e.get("value") if e.get("value") is not None else "")
                    )
                ),
                html.Td(e.get("expected") or MISSING),
            ]
        )
        for e in errors
    ]
    parts: list = [
        html.Table(
            [html.Thead(head), html.Tbody(body)],
            className="table table-sm cc-table mb-1 rejected-errors",
        )
    ]
    if n_errors > len(errors):
        parts.append(
            html.Div(
                t("ds.rej.more", lang, n=fmt_number(n_errors - len(errors), lang)),
                className="small text-muted",
            )
        )
    return html.Div(parts, className="table-responsive")


def rejected_item(doc: dict, lang: str) -> html.Details:
    n = int(doc.get("n_errors") or 0)
    status = doc.get("status") or "rejected"
    errors_word = t(
        "ds.rej.error" if n == 1 else "ds.rej.errors", lang, n=fmt_number(n, lang)
    )
    summary = html.Summary(
        [
            html.I(className="bi bi-file-earmark-x me-1", **{"aria-hidden": "true"}),
            html.Span(doc.get("file") or MISSING, className="rejected-file"),
            html.Span(
                t(f"ds.rej.{'partial' if status == 'partial' else 'rejected'}", lang),
                className="badge text-bg-light ms-2",
            ),
            html.Span(errors_word, className="rejected-count ms-2"),
            html.Span(
                t(
                    "ds.rej.kept_at",
                    lang,
                    time=fmt_local_datetime(doc.get("kept_at"), lang),
                ),
                className="rejected-time ms-2",
            ),
        ]
    )
    return html.Details(
        [summary, _errors_table(doc.get("errors") or [], n, lang)],
        className="rejected-item",
    )


def rejected_list(docs: list[dict], lang: str) -> html.Div:
    """`docs`: data.rejected.rejected_files() (newest first)."""
    if not docs:
        return html.Div(
            [html.I(className="bi bi-check2-circle me-2"), t("ds.rej.none", lang)],
            className="empty-state",
        )
    return html.Div([rejected_item(d, lang) for d in docs], className="rejected-list")
