"""The /submit page's two ways to hand a report in, and the check's verdict
(pure builders: the page passes its component ids and the choices).

Upload: a report file (CSV, XLSX, JSON) and, if signed, its detached .p7s;
checked as soon as it is chosen. Form: the regime and the period, then the
grid (components.submit_form), *Kiểm tra*, *Nộp báo cáo*.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.fmt import fmt_number, fmt_period
from components.submit_errors import errors_table
from core.i18n import register, t

register(
    {
        "sub.title": {"vi": "Nộp báo cáo", "en": "Submit reports"},
        "sub.subtitle": {
            "vi": "{agency} · tình trạng tính đến ngày hôm nay",
            "en": "{agency} · status as of today",
        },
        "sub.owed_title": {
            "vi": "Báo cáo phải nộp (12 tháng gần nhất)",
            "en": "Reports owed (last 12 months)",
        },
        "sub.list_title": {"vi": "Báo cáo đã gửi", "en": "Submissions"},
        "sub.none_yet": {"vi": "Chưa gửi báo cáo nào.", "en": "Nothing submitted yet."},
        "sub.bad_regime": {
            "vi": "regime={value}: không phải chế độ báo cáo đơn vị điền được",
            "en": "regime={value}: not a regime this agency fills in",
        },
        "sub.bad_report": {
            "vi": "report={value}: không phải kỳ báo cáo của chế độ này",
            "en": "report={value}: not a period of this regime",
        },
        "sub.upload.title": {"vi": "Tải tệp báo cáo lên", "en": "Upload a report file"},
        "sub.upload.drop": {
            "vi": "Kéo thả hoặc bấm để chọn tệp CSV, XLSX hoặc JSON (tối đa {mb} MB)",
            "en": "Drop or click to choose a CSV, XLSX or JSON file (at most {mb} MB)",
        },
        "sub.upload.sign": {
            "vi": "Chữ ký số kèm theo (tệp .p7s, nếu có)",
            "en": "Detached digital signature (.p7s file, if any)",
        },
        "sub.upload.format": {
            "vi": "Định dạng theo quy định nộp số liệu (SUBMISSION_FORMAT): "
            "indicator_code, unit_code, period, value.",
            "en": "Format of the submission contract (SUBMISSION_FORMAT): "
            "indicator_code, unit_code, period, value.",
        },
        "sub.form.title": {"vi": "Điền biểu mẫu", "en": "Fill in the form"},
        "sub.form.regime": {"vi": "Chế độ báo cáo", "en": "Reporting regime"},
        "sub.form.period": {"vi": "Kỳ báo cáo", "en": "Period"},
        "sub.form.hint": {
            "vi": "Nhập số liệu kỳ này vào cột màu vàng: số viết liền, dấu chấm "
            "ngăn phần thập phân (ví dụ 29915 hoặc 66.4). Ô để trống không "
            "được gửi.",
            "en": "Type this period's figures in the yellow column: plain numbers, "
            "a dot before the decimals (e.g. 29915 or 66.4). Empty cells are "
            "not sent.",
        },
        "sub.form.none": {
            "vi": "Đơn vị không có chỉ tiêu nào của chế độ này để điền.",
            "en": "This agency reports no indicator of this regime.",
        },
        "sub.check": {"vi": "Kiểm tra", "en": "Check"},
        "sub.send": {"vi": "Nộp báo cáo", "en": "Submit report"},
        "sub.ok": {
            "vi": "Hợp lệ: {rows} dòng số liệu, {n} chỉ tiêu. Bấm “Nộp báo cáo” để gửi.",
            "en": "Valid: {rows} rows, {n} indicators. Press “Submit report” to send.",
        },
        "sub.ok_title": {"vi": "Đã kiểm tra", "en": "Checked"},
        "sub.bad_title": {"vi": "Chưa nộp được", "en": "Not sent"},
        "sub.nothing": {
            "vi": "Chưa nhập số liệu nào.",
            "en": "No figure typed yet.",
        },
        "sub.file": {"vi": "Tệp: {name}", "en": "File: {name}"},
        "sub.sent": {
            "vi": "Đã nộp: mã tiếp nhận {id}. Xem biên nhận bên dưới.",
            "en": "Submitted: id {id}. See the receipt below.",
        },
        "sub.sent_again": {
            "vi": "Báo cáo này đã được nộp (mã {id}); không gửi lại.",
            "en": "This report was already submitted (id {id}); not sent again.",
        },
    }
)

UPLOAD_MAX_MB = 5  # a callback request carries the file in base64 (Flask: 8 MB)


def upload_panel(lang: str, ids: dict[str, str]) -> html.Section:
    """ids: file, signature, report, send."""
    return html.Section(
        [
            html.H2(t("sub.upload.title", lang), className="panel-title"),
            dcc.Upload(
                html.Div(
                    [
                        html.I(className="bi bi-cloud-arrow-up me-2"),
                        t("sub.upload.drop", lang, mb=fmt_number(UPLOAD_MAX_MB, lang)),
                    ]
                ),
                id=ids["file"],
                accept=".csv,.xlsx,.json,.txt",
                max_size=UPLOAD_MAX_MB * 1024 * 1024,
                multiple=False,
                className="submit-drop",
            ),
            dcc.Upload(
                html.Div(
                    [html.I(className="bi bi-pen me-2"), t("sub.upload.sign", lang)]
                ),
                id=ids["signature"],
                accept=".p7s",
                max_size=256 * 1024,
                multiple=False,
                className="submit-drop submit-drop-sign",
            ),
            html.Div(t("sub.upload.format", lang), className="small text-muted mb-2"),
            html.Div(id=ids["report"]),
            send_button(lang, ids["send"]),
        ],
        className="panel mb-3 submit-upload",
    )


def send_button(lang: str, button_id: str) -> html.Button:
    return html.Button(
        [html.I(className="bi bi-send me-1"), t("sub.send", lang)],
        id=button_id,
        disabled=True,
        className="btn btn-primary",
    )


def form_panel(
    lang: str,
    ids: dict[str, str],
    regimes: list[tuple[str, str]],
    regime: str | None,
    periods: list[str],
    period: str | None,
    grid,
) -> html.Section:
    """ids: regime, period, report, check, send; `regimes`: (code, name);
    `grid`: the form's grid, or None when the regime has nothing to fill."""
    pickers = dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("sub.form.regime", lang), html_for=ids["regime"]),
                    dcc.Dropdown(
                        id=ids["regime"],
                        options=[{"label": n, "value": c} for c, n in regimes],
                        value=regime,
                        clearable=False,
                    ),
                ],
                md=8,
            ),
            dbc.Col(
                [
                    dbc.Label(t("sub.form.period", lang), html_for=ids["period"]),
                    dcc.Dropdown(
                        id=ids["period"],
                        options=[
                            {"label": fmt_period(p, lang), "value": p} for p in periods
                        ],
                        value=period,
                        clearable=False,
                    ),
                ],
                md=4,
            ),
        ],
        className="g-2 mb-2",
    )
    body = [html.H2(t("sub.form.title", lang), className="panel-title"), pickers]
    if grid is None:
        body.append(html.Div(t("sub.form.none", lang), className="empty-state"))
    else:
        body += [
            html.Div(t("sub.form.hint", lang), className="small text-muted mb-2"),
            grid,
            html.Div(id=ids["report"], className="mt-2"),
            html.Div(
                [
                    html.Button(
                        [
                            html.I(className="bi bi-check2-square me-1"),
                            t("sub.check", lang),
                        ],
                        id=ids["check"],
                        className="btn btn-outline-primary",
                    ),
                    send_button(lang, ids["send"]),
                ],
                className="d-flex gap-2 mt-2",
            ),
        ]
    return html.Section(body, className="panel mb-3 submit-form", id=ids["panel"])


def verdict_ok(rows: int, indicators: int, lang: str, file_name: str | None = None):
    """The check passed: how many rows and indicators will be sent."""
    body = [
        html.Strong(
            [html.I(className="bi bi-check-circle-fill me-1"), t("sub.ok_title", lang)]
        ),
        " ",
        t("sub.ok", lang, rows=fmt_number(rows, lang), n=fmt_number(indicators, lang)),
    ]
    if file_name:
        body = [html.Div(t("sub.file", lang, name=file_name), className="small"), *body]
    return _alert(body, "success", "1")


def verdict_bad(
    message: str,
    errors: list[dict],
    lang: str,
    row_names: dict[int, str] | None = None,
    units_vi: dict[str, str] | None = None,
    table_id: str | None = None,
):
    """The check (or the sending) failed: why, and the row-level report."""
    body = [
        html.Strong(
            [html.I(className="bi bi-x-octagon-fill me-1"), t("sub.bad_title", lang)]
        ),
        " ",
        message,
    ]
    if errors:
        body.append(errors_table(errors, lang, row_names, table_id, units_vi))
    return _alert(body, "danger", "0")


def verdict_note(message: str, color: str = "info"):
    return _alert(message, color, "")


def _alert(body, color: str, ok: str) -> html.Div:
    """A Bootstrap alert that says in data-ok whether the check passed."""
    return html.Div(
        body,
        role="alert",
        className=f"alert alert-{color} py-2 mb-2 submit-verdict",
        **{"data-ok": ok},
    )


def verdict_sent(sid: str, created: bool, lang: str):
    """Sent: the submission's id (or the earlier one's, for a second click)."""
    key = "sub.sent" if created else "sub.sent_again"
    return verdict_note(t(key, lang, id=sid), "success" if created else "info")
