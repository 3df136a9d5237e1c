"""Reporting status: badges, counts and the reporter x period matrix (pure builders).

A report's status (on time, late, missing, due) always shows as colour AND a
symbol AND a word, so it reads in grey-scale print and for colour-blind users:
✓ on time, ! late (n days), ✗ missing, … due (deadline not passed yet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from dash import dcc, html

from components.fmt import MISSING, fmt_date, fmt_local_datetime, fmt_number, fmt_period
from components.status import COLORS
from core.i18n import register, t
from data.schema import NAME_EN, NAME_VI, UNIT_CODE

register(
    {
        "ds.status.due": {"vi": "Chưa đến hạn", "en": "Due"},
        "ds.late_days": {"vi": "Muộn {n} ngày", "en": "Late {n} days"},
        "ds.late_day": {"vi": "Muộn {n} ngày", "en": "Late {n} day"},
        "ds.cell_title": {
            "vi": "{status}. Hạn {due}; nộp {submitted}; {n}/{total} chỉ tiêu",
            "en": "{status}. Due {due}; submitted {submitted}; {n}/{total} indicators",
        },
        "ds.cell_counts": {
            "vi": "{on_time} đúng hạn, {late} muộn, {missing} chưa nộp, "
            "{due} chưa đến hạn",
            "en": "{on_time} on time, {late} late, {missing} missing, {due} due",
        },
        "ds.not_expected": {"vi": "Không phải báo cáo", "en": "Not expected"},
        "ds.row_on_time": {"vi": "Đúng hạn", "en": "On time"},
    }
)

STATUSES = ("on_time", "late", "missing", "due")
SYMBOLS = {"on_time": "✓", "late": "!", "missing": "✗", "due": "…"}
WORD_KEYS = {
    "on_time": "report.on_time",
    "late": "report.late",
    "missing": "report.missing",
    "due": "ds.status.due",
}
# The progress palette (Okabe-Ito) reused: a late report is "at risk", etc.
STATUS_COLORS = {
    "on_time": COLORS["on_track"],
    "late": COLORS["at_risk"],
    "missing": COLORS["off_track"],
    "due": COLORS["no_target"],
}
# Which status a cell of several reports (communes of a province) shows first.
WORST_FIRST = ("missing", "late", "due", "on_time")


def status_word(status: str, lang: str, days_late: object = None) -> str:
    """The word of a status; a late report says by how many days."""
    if (
        status == "late"
        and isinstance(days_late, int | float)
        and days_late == days_late
    ):
        n = int(days_late)
        if n > 0:
            return t(
                "ds.late_day" if n == 1 else "ds.late_days", lang, n=fmt_number(n, lang)
            )
    return t(WORD_KEYS.get(status, "ds.not_expected"), lang)


def report_badge(
    status: str, lang: str, days_late: object = None, text: str | None = None
) -> html.Span:
    """Colour + symbol + word; `text` replaces the word (counts in a cell)."""
    word = text if text is not None else status_word(status, lang, days_late)
    return html.Span(
        [
            html.Span(
                SYMBOLS.get(status, MISSING),
                className="report-symbol",
                **{"aria-hidden": "true"},
            ),
            word,
        ],
        className=f"report-badge rs-{status}",
    )


def count_statuses(frame: pd.DataFrame) -> dict[str, int]:
    """Reports per status, every status present (0 when none)."""
    counts = frame["report_status"].value_counts() if len(frame) else {}
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def share_on_time(counts: dict[str, int]) -> float | None:
    """On-time reports in % of those past their deadline or already in."""
    settled = counts["on_time"] + counts["late"] + counts["missing"]
    return None if settled == 0 else 100.0 * counts["on_time"] / settled


def worst_status(counts: dict[str, int]) -> str:
    return next((s for s in WORST_FIRST if counts.get(s)), "on_time")


@dataclass
class Cell:
    """One (reporter, period): one report, or several (communes of a province)."""

    status: str
    counts: dict[str, int]
    n: int = 1
    days_late: int | None = None
    due_date: object = None
    submitted_at: object = None
    n_supplied: int | None = None
    n_expected: int | None = None


@dataclass
class MatrixRow:
    key: str
    label: str
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        total = dict.fromkeys(STATUSES, 0)
        for cell in self.cells.values():
            for status, n in cell.counts.items():
                total[status] += n
        return total


def last_periods(frame: pd.DataFrame, n: int = 6) -> list[str]:
    """The newest `n` periods of the frame, oldest first (left to right)."""
    return sorted(frame["period"].dropna().unique().tolist())[-n:] if len(frame) else []


def _cell(reports: list[dict]) -> Cell:
    counts = dict.fromkeys(STATUSES, 0)
    for report in reports:
        counts[report["report_status"]] += 1
    if len(reports) > 1:
        return Cell(worst_status(counts), counts, n=len(reports))
    one = reports[0]
    return Cell(
        str(one["report_status"]),
        counts,
        1,
        int(one["days_late"]),
        one.get("due_date"),
        one.get("first_submitted_at"),
        int(one["n_supplied"]),
        int(one["n_expected"]),
    )


def build_matrix(
    frame: pd.DataFrame,
    rows: list[tuple[str, str]],
    periods: list[str],
    key_column: str = UNIT_CODE,
    keep_empty: bool = True,
) -> list[MatrixRow]:
    """Rows in the order given; each cell gathers the reports of its key and period.

    `frame`: reports rows (period, report_status, days_late, ... and key_column).
    Rows with no report in the periods are dropped unless `keep_empty`.
    """
    grouped: dict[tuple[str, str], list[dict]] = {}
    if len(frame):
        # Plain dicts: a few hundred small groups, far quicker than pandas groupby.
        for report in frame[frame["period"].isin(periods)].to_dict("records"):
            grouped.setdefault((report[key_column], report["period"]), []).append(
                report
            )
    out = []
    for key, label in rows:
        cells = {p: _cell(grouped[(key, p)]) for p in periods if (key, p) in grouped}
        if cells or keep_empty:
            out.append(MatrixRow(key, label, cells))
    return out


def row_name(row, lang: str, vi: str = NAME_VI, en: str = NAME_EN) -> str:
    """The English name when asked and present, else the Vietnamese one."""
    return str(row[en] if lang == "en" and isinstance(row.get(en), str) else row[vi])


def matrix_keys(
    frame: pd.DataFrame,
    level: str,
    provinces: pd.DataFrame,
    agencies: pd.DataFrame,
    lang: str,
) -> tuple[pd.DataFrame, list, bool]:
    """Key every report by its matrix row: the province (communes grouped by their
    UBND-<province> reporter) or the ministry. Returns (frame, rows, keep_empty)."""
    if level == "national":
        reporters = set(frame["reporter"])
        named = agencies[agencies["code"].isin(reporters)]
        names = {a["code"]: row_name(a, lang) for a in named.to_dict("records")}
        keys = sorted(reporters, key=lambda k: names.get(k, k))
        return (
            frame.assign(row_key=frame["reporter"]),
            [(k, names.get(k, k)) for k in keys],
            False,
        )
    rows = [(p[UNIT_CODE], row_name(p, lang)) for p in provinces.to_dict("records")]
    if level == "commune":
        return (
            frame.assign(row_key=frame["reporter"].str.removeprefix("UBND-")),
            rows,
            False,
        )
    return frame.assign(row_key=frame[UNIT_CODE]), rows, True


def _cell_title(cell: Cell, lang: str) -> str:
    word = status_word(cell.status, lang, cell.days_late)
    if cell.n > 1:
        counts = {k: fmt_number(v, lang) for k, v in cell.counts.items()}
        return f"{word}. " + t("ds.cell_counts", lang, **counts)
    return t(
        "ds.cell_title",
        lang,
        status=word,
        due=fmt_date(cell.due_date, lang),
        submitted=fmt_local_datetime(cell.submitted_at, lang),
        n=fmt_number(cell.n_supplied, lang),
        total=fmt_number(cell.n_expected, lang),
    )


def _cell_text(cell: Cell, lang: str) -> str | None:
    """Several reports: 'worst count/total word', e.g. '✗ 2/14 Chưa nộp'."""
    if cell.n == 1:
        return None
    shown = cell.counts[cell.status]
    word = t(WORD_KEYS[cell.status], lang)
    return f"{fmt_number(shown, lang)}/{fmt_number(cell.n, lang)} {word}"


def matrix_cell(cell: Cell | None, lang: str) -> html.Td:
    if cell is None:
        return html.Td(
            MISSING, className="report-cell rs-none", title=t("ds.not_expected", lang)
        )
    return html.Td(
        report_badge(cell.status, lang, cell.days_late, _cell_text(cell, lang)),
        className=f"report-cell rs-{cell.status}",
        title=_cell_title(cell, lang),
    )


def report_matrix(
    matrix: list[MatrixRow],
    periods: list[str],
    lang: str,
    row_head: str,
    row_href: Callable[[str], str] | None = None,
    selected: str | None = None,
    marked: set[str] | None = None,
    table_id: str | None = None,
) -> html.Div:
    """The matrix table; `row_href(key)` makes row labels links (the cascade);
    `marked` periods get a † (explained under the table by the caller)."""
    marked = marked or set()
    head = html.Tr(
        [html.Th(row_head, scope="col")]
        + [
            html.Th(
                fmt_period(p, lang) + (" †" if p in marked else ""),
                scope="col",
                className="report-period",
            )
            for p in periods
        ]
        + [html.Th(t("ds.row_on_time", lang), scope="col", className="num")]
    )
    body = []
    for row in matrix:
        label = row.label
        if row_href is not None:
            label = dcc.Link(
                [row.label, html.I(className="bi bi-chevron-right ms-1")],
                href=row_href(row.key),
                className="report-row-link",
            )
        counts = row.counts
        settled = counts["on_time"] + counts["late"] + counts["missing"]
        body.append(
            html.Tr(
                [html.Th(label, scope="row", className="report-row-head")]
                + [matrix_cell(row.cells.get(p), lang) for p in periods]
                + [
                    html.Td(
                        f"{fmt_number(counts['on_time'], lang)}/"
                        f"{fmt_number(settled, lang)}",
                        className="num",
                    )
                ],
                className="report-row" + (" selected" if row.key == selected else ""),
                **{"data-key": row.key},
            )
        )
    table = html.Table(
        [html.Thead(head), html.Tbody(body)],
        className="table table-sm cc-table report-matrix mb-1",
        **({"id": table_id} if table_id else {}),
    )
    return html.Div(table, className="table-responsive report-matrix-wrap")


def legend(lang: str) -> html.Div:
    """What the symbols and colours mean, said once under the matrices."""
    return html.Div(
        [report_badge(s, lang) for s in STATUSES]
        + [
            html.Span(
                [MISSING, " ", t("ds.not_expected", lang)],
                className="report-badge rs-none",
            )
        ],
        className="report-legend",
    )
