"""Headline counters of the data-status page, and its panel frame (pure builders)."""

from __future__ import annotations

from dash import dcc, html

from components.fmt import fmt_number, fmt_pct, fmt_period
from components.freshness import tile_meta
from components.report_matrix import STATUSES, report_badge, share_on_time
from core.i18n import register, t
from data.schema import SUBMITTED_AT

register(
    {
        "ds.supplied_label": {"vi": "Chỉ tiêu có số liệu", "en": "Indicators supplied"},
        "ds.share_on_time": {"vi": "Tỷ lệ báo cáo đúng hạn", "en": "Share on time"},
        "ds.share_note": {
            "vi": "trên số báo cáo đã đến hạn hoặc đã nộp",
            "en": "of reports past their deadline or submitted",
        },
        "ds.reports_in_window": {
            "vi": "báo cáo trong {n} tháng",
            "en": "reports in {n:month|months}",
        },
    }
)

# The active choice is a filled button, the others outlined.
BUTTON = {True: "btn-primary", False: "btn-outline-primary"}


def panel(title: str, body: list, downloads=None, panel_id: str | None = None):
    """A titled white panel; the download buttons sit right of the title."""
    head = [html.H2(title, className="panel-title")] + (
        [downloads] if downloads else []
    )
    return html.Section(
        [html.Div(head, className="ds-panel-head"), *body],
        className="panel mb-3",
        **({"id": panel_id} if panel_id else {}),
    )


def page_header(
    title: str, subtitle: str, choices_label: str, choices: list[tuple[str, str, bool]]
) -> html.Div:
    """Title, subtitle and the window choices: (label, href, active) links."""
    links = [
        dcc.Link(
            label,
            href=target,
            className="btn btn-sm "
            + ("btn-primary" if active else "btn-outline-primary"),
        )
        for label, target, active in choices
    ]
    return html.Div(
        [
            html.Div([html.H1(title), html.Div(subtitle, className="text-muted")]),
            html.Div(
                [html.Span(choices_label, className="small text-muted me-2"), *links],
                className="ds-window d-flex align-items-center gap-1",
            ),
        ],
        className="page-header",
    )


def window_label(month: str, months: int, lang: str) -> str:
    """'Tháng 5/2026 – Tháng 10/2026': the `months` months ending with `month`."""
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + mon - 1 - (months - 1)
    first = f"{index // 12}-{index % 12 + 1:02d}"
    if first == month:
        return fmt_period(month, lang)
    return f"{fmt_period(first, lang)} – {fmt_period(month, lang)}"


def counter(
    label,
    value: str,
    lang: str,
    meta_row: dict,
    status: str | None = None,
    note: str | None = None,
    value_id: str | None = None,
) -> html.Div:
    """One tile: a label (or the status badge), the number, a note, tile_meta."""
    body = [
        html.Div(
            report_badge(status, lang) if status else label, className="kpi-label"
        ),
        html.Div(
            value, className="kpi-value", **({"id": value_id} if value_id else {})
        ),
    ]
    if note:
        body.append(html.Div(note, className="kpi-meta"))
    body.append(tile_meta(meta_row, lang, {}))
    return html.Div(
        body,
        className="kpi-card ds-counter" + (f" rs-{status}" if status else ""),
        **({"data-status": status} if status else {}),
    )


def counters(
    counts: dict[str, int],
    meta: dict,
    window: str,
    months: int,
    lang: str,
    grid_id: str,
    supplied_id: str,
) -> html.Div:
    """N of 200 indicators supplied (snapshot_meta), then the window's reports by
    status and the share on time. `window`: window_label(...)."""
    submitted = meta.get("last_submitted_at")
    # tile_meta shows a text that is not a period key as it is: the window's
    # span. The latest file's time stays on the first card only: under
    # "missing" it read as if the missing reports had been sent.
    row = {"period": window}
    n, total = (
        int(meta.get("n_indicators_supplied") or 0),
        int(meta.get("n_indicators") or 0),
    )
    tiles = [
        counter(
            t("ds.supplied_label", lang),
            f"{fmt_number(n, lang)}/{fmt_number(total, lang)}",
            lang,
            {SUBMITTED_AT: submitted},
            note=t(
                "report.indicators_supplied",
                lang,
                n=fmt_number(n, lang),
                total=fmt_number(total, lang),
            ),
            value_id=supplied_id,
        )
    ]
    in_window = t("ds.reports_in_window", lang, n=fmt_number(months, lang))
    tiles += [
        counter(None, fmt_number(counts[s], lang), lang, row, status=s, note=in_window)
        for s in STATUSES
    ]
    tiles.append(
        counter(
            t("ds.share_on_time", lang),
            fmt_pct(share_on_time(counts), lang),
            lang,
            row,
            note=t("ds.share_note", lang),
        )
    )
    return html.Div(tiles, className="kpi-grid ds-counters mb-3", id=grid_id)
