"""Where a figure came from, and how it changed.

provenance_table: data.queries.provenance rows (the files behind a figure, or
behind its predecessors, numerator and denominator), every load of them with
file, SHA-256, row, times, operator, reporter and signer (python -m etl worker
keeps a signed submission's signer: its common name shown, the rest on hover).
revisions_table: data.queries.revisions rows (every revision of one figure),
the values that changed from the previous revision highlighted.
"""

from __future__ import annotations

import json

import pandas as pd
from dash import html

from components.fmt import MISSING, fmt_delta, fmt_local_datetime, fmt_period
from components.indicator_header import format_number, present
from core.i18n import register, t
from data.schema import INDICATOR_CODE, SUBMITTED_AT, UNIT_CODE

SHA_SHOWN = 12

register(
    {
        "src.role": {"vi": "Vai trò", "en": "Role"},
        # the reporting unit's code (a province or commune), not the unit of measure
        "src.unit_code": {"vi": "Mã đơn vị hành chính", "en": "Area code"},
        "src.role.reported": {"vi": "Số báo cáo", "en": "Reported"},
        "src.role.predecessor": {
            "vi": "Tỉnh trước sáp nhập",
            "en": "Predecessor province",
        },
        "src.role.numerator": {"vi": "Tử số", "en": "Numerator"},
        "src.role.annual_target": {"vi": "Kế hoạch năm", "en": "Annual target"},
        "src.role.denominator": {"vi": "Mẫu số", "en": "Denominator"},
        "src.kind.actual": {"vi": "Thực hiện", "en": "Actual"},
        "src.kind.target": {"vi": "Kế hoạch", "en": "Target"},
        "src.revision": {"vi": "Lần", "en": "Revision"},
        "src.row": {"vi": "Dòng", "en": "Row"},
        "src.submitted_at": {"vi": "Thời điểm gửi", "en": "Submitted at"},
        "src.reporter": {"vi": "Đơn vị báo cáo", "en": "Reporter"},
        "src.change": {"vi": "Thay đổi", "en": "Change"},
        "src.note": {"vi": "Ghi chú", "en": "Note"},
        "src.signer": {"vi": "Người ký số", "en": "Signed by"},
        "src.signer.detail": {
            "vi": "{subject} · số hiệu {serial} · cấp bởi {issuer} · ký lúc {time}",
            "en": "{subject} · serial {serial} · issued by {issuer} · signed {time}",
        },
        "src.current": {"vi": "hiện hành", "en": "current"},
        "src.superseded": {"vi": "đã thay thế", "en": "superseded"},
        "src.changed": {"vi": "đã điều chỉnh", "en": "revised"},
        "src.none": {
            "vi": "Không có tệp nào ghi nhận số liệu này",
            "en": "No file records this figure",
        },
        "src.rollup": {
            "vi": "Số toàn quốc được cộng từ số của {n} tỉnh, thành phố, "
            "không có tệp riêng; nguồn của từng tỉnh xem tại trang chỉ tiêu "
            "của tỉnh đó.",
            "en": "The national figure is the sum of {n:province|provinces} and has no "
            "file of its own; each province's sources are on its indicator page.",
        },
        "src.computed": {
            "vi": "Tỷ lệ được tính từ {numerator} / {denominator}; các dòng dưới "
            "đây là tệp của tử số và mẫu số.",
            "en": "The ratio is computed from {numerator} / {denominator}; the rows "
            "below are the files of the numerator and the denominator.",
        },
        "src.computed_national": {
            "vi": "Tỷ lệ toàn quốc được tính từ {numerator} / {denominator}, mỗi "
            "số là tổng của {n} tỉnh, thành phố, nên không có tệp riêng; nguồn "
            "của từng tỉnh xem tại trang chỉ tiêu của tỉnh đó.",
            "en": "The national ratio is computed from {numerator} / {denominator}, "
            "each the sum of {n:province|provinces}, so it has no file of its own; each "
            "province's sources are on its indicator page.",
        },
        "src.merged": {
            "vi": "Trước 01/07/2025, số của tỉnh mới là tổng số của {n} tỉnh cũ "
            "hợp nhất vào tỉnh này; các dòng dưới đây là tệp của các tỉnh cũ.",
            "en": "Before 1 Jul 2025 the new province's figure is the sum of the "
            "{n:former province|former provinces} merged into it; the rows below are "
            "their files.",
        },
        "src.no_revisions": {
            "vi": "Số liệu này chưa được nạp lần nào",
            "en": "This figure has not been loaded yet",
        },
    }
)


def short_sha(sha: object, shown: int = SHA_SHOWN) -> str:
    return str(sha)[:shown] if isinstance(sha, str) and sha else MISSING


def _text(value: object) -> str:
    return str(value) if present(value) and str(value) != "" else MISSING


def _kind(value: object, lang: str) -> str:
    return (
        t(f"src.kind.{value}", lang) if value in ("actual", "target") else _text(value)
    )


def _sha_cell(sha: object) -> html.Td:
    full = sha if isinstance(sha, str) else ""
    return html.Td(html.Code(short_sha(sha), title=full), className="sha")


def signer_parts(signer: object) -> dict | None:
    """The signer kept with a load (JSON text of subject, serial, issuer,
    signing_time), or None for an unsigned one."""
    if not isinstance(signer, str) or not signer:
        return None
    try:
        parts = json.loads(signer)
    except ValueError:
        return {"subject": signer}
    return parts if isinstance(parts, dict) else {"subject": signer}


def signer_name(subject: str) -> str:
    """The common name of a subject (`CN=Nguyễn Văn A,O=...`), else all of it."""
    for part in subject.split(","):
        key, _, value = part.strip().partition("=")
        if key.strip().upper() == "CN" and value.strip():
            return value.strip()
    return subject


def _signer_cell(signer: object, lang: str) -> html.Td:
    parts = signer_parts(signer)
    if parts is None:
        return html.Td(MISSING, className="signer")
    subject = str(parts.get("subject") or MISSING)
    detail = t(
        "src.signer.detail",
        lang,
        subject=subject,
        serial=parts.get("serial") or MISSING,
        issuer=parts.get("issuer") or MISSING,
        time=parts.get("signing_time") or MISSING,
    )
    return html.Td(signer_name(subject), className="signer", title=detail)


def _file_cell(name: object) -> html.Td:
    return html.Td(_text(name), className="file-name", title=_text(name))


def current_flags(frame: pd.DataFrame, keys: list[str]) -> list[bool]:
    """True for the latest revision of each figure (the value in force)."""
    if frame.empty:
        return []
    latest = frame.groupby(keys, dropna=False)["revision"].transform("max")
    return (frame["revision"] == latest).tolist()


def revision_changes(frame: pd.DataFrame) -> list[float | None]:
    """Each revision's change from the previous one of the same kind (None first)."""
    changes: list[float | None] = []
    previous: dict[str, float] = {}
    for kind, value in zip(frame["kind"], frame["value"], strict=True):
        before = previous.get(kind)
        changes.append(None if before is None else float(value) - before)
        previous[kind] = float(value)
    return changes


def _table(head: list[str], body: list, numeric: set[int], css: str) -> html.Div:
    return html.Div(
        html.Table(
            [
                html.Thead(
                    html.Tr(
                        [
                            html.Th(h, className="num" if i in numeric else None)
                            for i, h in enumerate(head)
                        ]
                    )
                ),
                html.Tbody(body),
            ],
            className=f"table table-sm cc-table {css} mb-0",
        ),
        className="table-responsive",
    )


LOAD_KEY = [INDICATOR_CODE, UNIT_CODE, "period", "kind", "revision"]


def distinct_loads(frame: pd.DataFrame) -> pd.DataFrame:
    """Each load once: before the merger a province that kept its code is both
    the unit asked for ('reported') and one of its predecessors; keep the
    predecessor row, which says why it counts."""
    if frame.empty or "predecessor" not in set(frame["role"]):
        return frame
    predecessors = frame[frame["role"] == "predecessor"][LOAD_KEY]
    keys = set(map(tuple, predecessors.itertuples(index=False)))
    duplicate = [
        role == "reported" and tuple(key) in keys
        for role, key in zip(
            frame["role"], frame[LOAD_KEY].itertuples(index=False), strict=True
        )
    ]
    return frame[[not d for d in duplicate]].reset_index(drop=True)


def provenance_table(
    frame: pd.DataFrame, catalog_row: dict, lang: str, note: str | None = None
) -> html.Div:
    """Every load behind the figure; superseded loads are shown muted."""
    if frame is None or frame.empty:
        return html.Div(note or t("src.none", lang), className="empty-state")
    frame = distinct_loads(frame)
    head = [
        t("src.role", lang),
        t("col.indicator", lang),
        t("src.unit_code", lang),
        t("col.period", lang),
        t("col.value", lang),
        t("src.revision", lang),
        t("col.file", lang),
        "SHA-256",
        t("src.row", lang),
        t("src.submitted_at", lang),
        t("col.loaded_at", lang),
        t("col.operator", lang),
        t("src.reporter", lang),
        t("src.signer", lang),
    ]
    flags = current_flags(frame, ["role", INDICATOR_CODE, UNIT_CODE, "period", "kind"])
    body = []
    for record, current in zip(frame.to_dict("records"), flags, strict=True):
        state = t("src.current" if current else "src.superseded", lang)
        body.append(
            html.Tr(
                [
                    html.Td(t(f"src.role.{record['role']}", lang)),
                    html.Td(record[INDICATOR_CODE]),
                    html.Td(record[UNIT_CODE]),
                    html.Td(
                        f"{fmt_period(record['period'], lang)} · "
                        f"{_kind(record['kind'], lang)}"
                    ),
                    html.Td(
                        format_number(record["value"], catalog_row, lang),
                        className="num",
                    ),
                    html.Td(
                        [
                            str(int(record["revision"])),
                            " ",
                            html.Span(state, className="revision-state"),
                        ],
                        className="num",
                    ),
                    _file_cell(record.get("source_file")),
                    _sha_cell(record.get("source_sha256")),
                    html.Td(_text(record.get("source_row")), className="num"),
                    html.Td(fmt_local_datetime(record.get(SUBMITTED_AT), lang)),
                    html.Td(fmt_local_datetime(record.get("loaded_at"), lang)),
                    html.Td(_text(record.get("operator"))),
                    html.Td(_text(record.get("reporter"))),
                    _signer_cell(record.get("signer"), lang),
                ],
                className=None if current else "superseded",
            )
        )
    table = _table(head, body, {4, 5, 8}, "provenance-table")
    lead = [html.P(note, className="small text-muted mb-2")] if note else []
    return html.Div([*lead, table])


def revisions_table(frame: pd.DataFrame, catalog_row: dict, lang: str) -> html.Div:
    """Every revision of the figure, in load order; changed values highlighted."""
    if frame is None or frame.empty:
        return html.Div(t("src.no_revisions", lang), className="empty-state")
    head = [
        t("src.kind.actual", lang) + " / " + t("src.kind.target", lang),
        t("src.revision", lang),
        t("col.value", lang),
        t("src.change", lang),
        t("src.submitted_at", lang),
        t("col.loaded_at", lang),
        t("col.file", lang),
        "SHA-256",
        t("src.row", lang),
        t("src.reporter", lang),
        t("col.operator", lang),
        t("src.note", lang),
        t("src.signer", lang),
    ]
    changes = revision_changes(frame)
    flags = current_flags(frame, ["kind"])
    body = []
    for record, change, current in zip(
        frame.to_dict("records"), changes, flags, strict=True
    ):
        changed = change is not None and change != 0
        value = format_number(record["value"], catalog_row, lang)
        value_cell = html.Td(
            [
                html.I(className="bi bi-pencil-square me-1", **{"aria-hidden": "true"}),
                value,
                html.Span(f" ({t('src.changed', lang)})", className="visually-hidden"),
            ]
            if changed
            else value,
            className="num revised-value" if changed else "num",
            title=t("src.changed", lang) if changed else None,
        )
        body.append(
            html.Tr(
                [
                    html.Td(_kind(record["kind"], lang)),
                    html.Td(
                        [
                            str(int(record["revision"])),
                            " ",
                            html.Span(
                                t("src.current", lang), className="revision-state"
                            ),
                        ]
                        if current
                        else str(int(record["revision"])),
                        className="num",
                    ),
                    value_cell,
                    html.Td(
                        fmt_delta(change, lang) if change is not None else MISSING,
                        className="num",
                    ),
                    html.Td(fmt_local_datetime(record.get(SUBMITTED_AT), lang)),
                    html.Td(fmt_local_datetime(record.get("loaded_at"), lang)),
                    _file_cell(record.get("source_file")),
                    _sha_cell(record.get("source_sha256")),
                    html.Td(_text(record.get("source_row")), className="num"),
                    html.Td(_text(record.get("reporter"))),
                    html.Td(_text(record.get("operator"))),
                    html.Td(_text(record.get("note"))),
                    _signer_cell(record.get("signer"), lang),
                ],
                className="revised-row" if changed else None,
                **{
                    "data-revision": str(int(record["revision"])),
                    "data-kind": str(record["kind"]),
                },
            )
        )
    return _table(head, body, {1, 2, 3, 8}, "revisions-table")


def provenance_note(
    progress: dict | None, catalog_row: dict, unit: str, lang: str
) -> str | None:
    """How a figure was derived when it is not simply a reported one: a national
    roll-up of provinces, a ratio of two figures, a sum of merged provinces."""
    if not progress:
        return None
    origin = progress.get("origin")
    n = progress.get("n_parts")
    count = int(n) if present(n) else MISSING
    parts = {
        "numerator": catalog_row.get("numerator") or MISSING,
        "denominator": catalog_row.get("denominator") or MISSING,
    }
    if origin == "rollup":
        return t("src.rollup", lang, n=count)
    if origin == "computed" and catalog_row.get("aggregation") == "ratio":
        if unit == "00" and present(n) and n > 1:
            return t("src.computed_national", lang, n=count, **parts)
        return t("src.computed", lang, **parts)
    if origin == "merged":
        return t("src.merged", lang, n=count)
    return None
