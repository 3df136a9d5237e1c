"""Reporting regimes and one reporter's reports as tables (pure builders)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import dcc, html

from components.fmt import MISSING, fmt_date, fmt_local_datetime, fmt_number, fmt_period
from components.report_matrix import STATUSES, count_statuses, report_badge, status_word
from core.i18n import register, t
from data.schema import NAME_EN, NAME_VI

register(
    {
        "ds.col.regime": {"vi": "Chế độ báo cáo", "en": "Reporting regime"},
        "ds.col.frequency": {"vi": "Kỳ báo cáo", "en": "Frequency"},
        "ds.col.reporter": {"vi": "Đơn vị báo cáo", "en": "Reporters"},
        "ds.col.deadline": {"vi": "Thời hạn gửi", "en": "Deadline"},
        "ds.col.basis": {"vi": "Căn cứ pháp lý", "en": "Legal basis"},
        "ds.col.latest": {"vi": "Kỳ gần nhất", "en": "Latest period"},
        "ds.col.indicators": {"vi": "Số chỉ tiêu", "en": "Indicators"},
        "ds.col.due_date": {"vi": "Hạn gửi", "en": "Due date"},
        "ds.col.submitted": {"vi": "Gửi lần đầu", "en": "First submitted"},
        "ds.col.supplied": {"vi": "Chỉ tiêu đã có", "en": "Indicators supplied"},
        "ds.show": {"vi": "Xem", "en": "Show"},
        "ds.freq.day": {"vi": "Hằng ngày", "en": "Daily"},
        "ds.freq.month": {"vi": "Hằng tháng", "en": "Monthly"},
        "ds.freq.quarter": {"vi": "Hằng quý", "en": "Quarterly"},
        "ds.freq.year": {"vi": "Hằng năm", "en": "Yearly"},
        "ds.level.province": {"vi": "UBND cấp tỉnh", "en": "Provinces"},
        "ds.level.commune": {"vi": "UBND cấp xã", "en": "Communes"},
        "ds.level.ministry": {"vi": "Bộ, cơ quan ngang bộ", "en": "Ministries"},
        "ds.deadline.day": {
            "vi": "{n} ngày sau khi kết thúc ngày",
            "en": "{n:day|days} after the day ends",
        },
        "ds.deadline.month": {
            "vi": "{n} ngày sau khi kết thúc tháng",
            "en": "{n:day|days} after the month ends",
        },
        "ds.deadline.quarter": {
            "vi": "{n} ngày sau khi kết thúc quý",
            "en": "{n:day|days} after the quarter ends",
        },
        "ds.deadline.year": {
            "vi": "{n} ngày sau khi kết thúc năm",
            "en": "{n:day|days} after the year ends",
        },
        "ds.cutoff": {"vi": "chốt số liệu ngày {d}", "en": "data cut-off on day {d}"},
    }
)


def _present(value: object) -> bool:
    return value is not None and value == value and value != ""


def deadline_rule(
    period_type: str, deadline_days: object, cutoff_day: object, lang: str
) -> str:
    """'5 ngày sau khi kết thúc tháng; chốt số liệu ngày 14'."""
    if not _present(deadline_days):
        return MISSING
    text = t(f"ds.deadline.{period_type}", lang, n=fmt_number(int(deadline_days), lang))
    if _present(cutoff_day):
        text += "; " + t("ds.cutoff", lang, d=fmt_number(int(cutoff_day), lang))
    return text


def regime_summary(regimes: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Per regime (in the regimes' order): its latest period in `reports` and the
    reports of that period by status, plus how many indicators a report owes."""
    rows = []
    for regime in regimes.to_dict("records"):
        part = reports[reports["regime"] == regime["code"]] if len(reports) else reports
        latest = part["period"].max() if len(part) else None
        in_latest = part[part["period"] == latest] if latest else part.iloc[0:0]
        counts = count_statuses(in_latest)
        owed = in_latest["n_expected"].max() if len(in_latest) else None
        rows.append(
            {
                **regime,
                "latest_period": latest,
                "n_reports": len(in_latest),
                "n_indicators": owed,
                **counts,
            }
        )
    return pd.DataFrame(rows)


def _name(row: dict, lang: str) -> str:
    return row[NAME_EN] if lang == "en" else row[NAME_VI]


def regime_table(
    summary: pd.DataFrame,
    lang: str,
    regime_href: Callable[[str], str],
    selected: str | None = None,
) -> html.Div:
    head = html.Tr(
        [
            html.Th(t(k, lang), scope="col")
            for k in (
                "ds.col.regime",
                "ds.col.frequency",
                "ds.col.reporter",
                "ds.col.deadline",
                "ds.col.basis",
                "ds.col.latest",
            )
        ]
        + [html.Th(t("ds.col.indicators", lang), scope="col", className="num")]
        + [
            html.Th(report_badge(s, lang), scope="col", className="num")
            for s in STATUSES
        ]
        + [html.Th("", scope="col")]
    )
    body = []
    for row in summary.to_dict("records"):
        body.append(
            html.Tr(
                [
                    html.Td(
                        [
                            html.Span(_name(row, lang)),
                            html.Br(),
                            html.Code(row["code"], className="small"),
                        ]
                    ),
                    html.Td(t(f"ds.freq.{row['period_type']}", lang)),
                    html.Td(t(f"ds.level.{row['reporter_level']}", lang)),
                    html.Td(
                        deadline_rule(
                            row["period_type"],
                            row["deadline_days"],
                            row["cutoff_day"],
                            lang,
                        )
                    ),
                    html.Td(
                        row["basis"] if _present(row["basis"]) else MISSING,
                        className="regime-basis",
                    ),
                    html.Td(fmt_period(row["latest_period"], lang)),
                    html.Td(fmt_number(row["n_indicators"], lang, 0), className="num"),
                ]
                + [
                    html.Td(fmt_number(row[s], lang, 0), className=f"num rs-count-{s}")
                    for s in STATUSES
                ]
                + [
                    html.Td(
                        dcc.Link(
                            [t("ds.show", lang), html.I(className="bi bi-funnel ms-1")],
                            href=regime_href(row["code"]),
                            className="btn btn-sm btn-outline-primary regime-filter",
                        )
                    )
                ],
                className="regime-row"
                + (" selected" if row["code"] == selected else ""),
                **{"data-regime": row["code"]},
            )
        )
    return html.Div(
        html.Table(
            [html.Thead(head), html.Tbody(body)],
            className="table table-sm cc-table regime-table mb-1",
        ),
        className="table-responsive",
    )


def reports_table(
    frame: pd.DataFrame, lang: str, table_id: str | None = None
) -> html.Div:
    """One reporter's reports, newest period first (the province cascade)."""
    head = html.Tr(
        [
            html.Th(t(k, lang), scope="col")
            for k in (
                "ds.col.regime",
                "col.period",
                "ds.col.due_date",
                "ds.col.submitted",
            )
        ]
        + [
            html.Th(t("ds.col.supplied", lang), scope="col", className="num"),
            html.Th(t("status.label", lang), scope="col"),
        ]
    )
    rows = frame.sort_values(["period", "regime"], ascending=[False, True])
    body = [
        html.Tr(
            [
                html.Td(r["regime_en"] if lang == "en" else r["regime_vi"]),
                html.Td(fmt_period(r["period"], lang)),
                html.Td(fmt_date(r["due_date"], lang)),
                html.Td(fmt_local_datetime(r["first_submitted_at"], lang)),
                html.Td(
                    f"{fmt_number(r['n_supplied'], lang, 0)}/"
                    f"{fmt_number(r['n_expected'], lang, 0)}",
                    className="num",
                ),
                html.Td(
                    report_badge(r["report_status"], lang, r["days_late"]),
                    title=status_word(r["report_status"], lang, r["days_late"]),
                ),
            ]
        )
        for r in rows.to_dict("records")
    ]
    return html.Div(
        html.Table(
            [html.Thead(head), html.Tbody(body)],
            className="table table-sm cc-table mb-1",
            **({"id": table_id} if table_id else {}),
        ),
        className="table-responsive report-list-wrap",
    )
