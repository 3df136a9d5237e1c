"""What a reporter owes, and the state of each report and submission (pure builders).

A report (regime, period) is owed (deadline to come), overdue (passed, no
figures), received (a submission holding it is queued or loading), published
(the warehouse holds its figures) or rejected (the newest submission holding it
was refused by the loader). The warehouse gives the first, second and fourth
(data/sql/reporter_reports.sql); the inbox the others (`merge_states`). A state
always shows as colour AND icon AND word.
"""

from __future__ import annotations

from collections.abc import Callable

from dash import dcc, html

from components.fmt import fmt_date, fmt_local_datetime, fmt_number, fmt_period
from core.i18n import register, t

register(
    {
        "sub.state.owed": {"vi": "Phải nộp", "en": "Owed"},
        "sub.state.overdue": {"vi": "Quá hạn", "en": "Overdue"},
        "sub.state.received": {"vi": "Đã tiếp nhận", "en": "Received"},
        "sub.state.queued": {"vi": "Đã tiếp nhận, chờ nạp", "en": "Received, queued"},
        "sub.state.loading": {"vi": "Đang nạp", "en": "Loading"},
        "sub.state.published": {"vi": "Đã công bố", "en": "Published"},
        "sub.state.rejected": {"vi": "Bị từ chối", "en": "Rejected"},
        "sub.col.regime": {"vi": "Chế độ báo cáo", "en": "Reporting regime"},
        "sub.col.period": {"vi": "Kỳ báo cáo", "en": "Period"},
        "sub.col.due": {"vi": "Hạn nộp", "en": "Deadline"},
        "sub.col.state": {"vi": "Tình trạng", "en": "State"},
        "sub.col.supplied": {"vi": "Chỉ tiêu có số liệu", "en": "Indicators supplied"},
        "sub.col.last": {"vi": "Lần nộp gần nhất", "en": "Latest submission"},
        "sub.communes": {
            "vi": "{n}/{total} xã, phường",
            "en": "{n}/{total} communes",
        },
        "sub.fill": {"vi": "Điền biểu mẫu", "en": "Fill in the form"},
        "sub.in_window": {"vi": "báo cáo trong 12 tháng", "en": "reports, 12 months"},
    }
)

REPORT_STATES = ("overdue", "owed", "received", "rejected", "published")
ICONS = {
    "owed": "bi-hourglass-split",
    "overdue": "bi-exclamation-triangle-fill",
    "received": "bi-inbox-fill",
    "queued": "bi-inbox-fill",
    "loading": "bi-arrow-repeat",
    "published": "bi-check-circle-fill",
    "rejected": "bi-x-octagon-fill",
}
IN_FLIGHT = ("queued", "loading")


def state_badge(state: str, lang: str) -> html.Span:
    """The state of a report or a submission: colour, icon and word."""
    key = state if state in ICONS else "owed"
    word = t(f"sub.state.{key}", lang)
    return html.Span(
        [html.I(className=f"bi {ICONS[key]}", **{"aria-hidden": "true"}), word],
        className=f"submit-state st-{key}",
        title=word,
        **{"data-state": key},
    )


def merge_states(
    reports: list[dict], submissions: list[tuple[dict, frozenset]]
) -> list[dict]:
    """Each report with its `state` and `submission` (the id of the newest
    submission holding it, or None). `submissions`: (Received.as_json(), its
    (regime, period) pairs), newest first."""
    merged = []
    for report in reports:
        key = (report["regime"], report["period"])
        holding = [s for s, covered in submissions if key in covered]
        flying = [s for s in holding if s["state"] in IN_FLIGHT]
        newest = holding[0] if holding else None
        state = report["report_state"]
        if flying:
            state, newest = "received", flying[0]
        elif state != "published" and newest is not None:
            if newest["state"] in ("published", "rejected"):
                state = newest["state"]
        merged.append(
            {**report, "state": state, "submission": newest["id"] if newest else None}
        )
    return merged


def count_states(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(REPORT_STATES, 0)
    for row in rows:
        counts[row["state"]] = counts.get(row["state"], 0) + 1
    return counts


def state_counters(counts: dict[str, int], lang: str, grid_id: str) -> html.Div:
    """One tile per state: the badge and how many reports are in it."""
    return html.Div(
        [
            html.Div(
                [
                    html.Div(state_badge(s, lang), className="kpi-label"),
                    html.Div(fmt_number(counts.get(s, 0), lang), className="kpi-value"),
                    html.Div(t("sub.in_window", lang), className="kpi-meta"),
                ],
                className=f"kpi-card submit-counter st-{s}",
                **{"data-state": s},
            )
            for s in REPORT_STATES
        ],
        className="kpi-grid submit-counters mb-3",
        id=grid_id,
    )


def _supplied(row: dict, lang: str) -> str:
    if row.get("level") == "commune":
        return t(
            "sub.communes",
            lang,
            n=fmt_number(row["n_units_supplied"], lang, 0),
            total=fmt_number(row["n_units"], lang, 0),
        )
    return (
        f"{fmt_number(row['n_supplied'], lang, 0)}/"
        f"{fmt_number(row['n_expected'], lang, 0)}"
    )


def owed_table(
    rows: list[dict],
    lang: str,
    table_id: str,
    receipt_href: Callable[[str], str],
    form_href: Callable[[dict], str | None],
) -> html.Div:
    """The reports, most urgent deadline first as the query orders them: regime,
    period, deadline, state, indicators supplied, the latest submission (a link
    to its receipt) and a link to the form for the reports the form can fill."""
    heads = ("sub.col.regime", "sub.col.period", "sub.col.due", "sub.col.state")
    head = html.Tr(
        [html.Th(t(k, lang), scope="col") for k in heads]
        + [
            html.Th(t("sub.col.supplied", lang), scope="col", className="num"),
            html.Th(t("sub.col.last", lang), scope="col"),
            html.Th(html.Span(t("sub.fill", lang), className="visually-hidden")),
        ]
    )
    body = []
    for r in rows:
        target = form_href(r)
        sid = r.get("submission")
        body.append(
            html.Tr(
                [
                    html.Td(r["regime_en"] if lang == "en" else r["regime_vi"]),
                    html.Td(fmt_period(r["period"], lang)),
                    html.Td(fmt_date(r["due_date"], lang)),
                    html.Td(state_badge(r["state"], lang)),
                    html.Td(_supplied(r, lang), className="num"),
                    html.Td(
                        dcc.Link(html.Code(sid), href=receipt_href(sid))
                        if sid
                        else fmt_local_datetime(r.get("last_submitted_at"), lang)
                    ),
                    html.Td(
                        dcc.Link(
                            [
                                html.I(className="bi bi-pencil-square me-1"),
                                t("sub.fill", lang),
                            ],
                            href=target,
                            className="small",
                        )
                        if target
                        else None
                    ),
                ],
                **{
                    "data-key": f"{r['regime']}|{r['period']}",
                    "data-state": r["state"],
                },
            )
        )
    return html.Div(
        html.Table(
            [html.Thead(head), html.Tbody(body)],
            className="table table-sm cc-table submit-owed mb-1",
            id=table_id,
        ),
        className="table-responsive submit-owed-wrap",
    )


def form_choice(
    rows: list[dict], regime: str | None, period: str | None
) -> tuple[str | None, str | None, list[str], list[str], list[str]]:
    """The form's regime and period: those asked for when the agency fills
    them in (its own unit's reports), else the monthly socio-economic report,
    and the newest period not yet published. (regime, period, the regimes and
    the regime's periods to choose from, what was asked for in vain:
    "regime"/"report")."""
    own = [r for r in rows if r.get("own_unit")]
    regimes = list(dict.fromkeys(r["regime"] for r in own))
    bad = []
    if regime is not None and regime not in regimes:
        bad.append("regime")
        regime = None
    regime = regime or ("KTXH_M" if "KTXH_M" in regimes else next(iter(regimes), None))
    mine = [r for r in own if r["regime"] == regime]
    periods = [r["period"] for r in mine]
    if period is not None and period not in periods:
        bad.append("report")
        period = None
    waiting = [r["period"] for r in mine if r["state"] != "published"]
    return regime, period or next(iter(waiting or periods), None), regimes, periods, bad
