"""/ : the national overview, read by leaders.

The headline indicators as KPI cards (figure, plan, % of plan against the
expected pace, same period last year, status, will-we-make-it, sparkline,
freshness), the status counts of every sector, and the provinces that need
attention. URL: the shared lang, period (a month; default the latest with
data) and geo (the province geography of the attention list).
"""

from __future__ import annotations

from collections.abc import Sequence

import dash
from dash import dcc, html

from components.download import download_buttons
from components.fmt import fmt_number, fmt_period
from components.kpi_card import card_status, kpi_card, spark_field
from components.page_title import titled
from components.sector_status import sector_counts, sector_status_table
from components.states import empty_state, problems_alert
from components.status import ICONS
from core.i18n import register, t
from core.params import ViewState, read_state
from core.urls import href
from data import queries as q
from data.schema import INDICATOR_CODE, NAME_EN, NAME_VI, UNIT_CODE
from pages._snapshot import or_no_snapshot

dash.register_page(
    __name__, path="/", order=0, title=titled("Tổng quan quốc gia", "National overview")
)

KPI_GRID = "overview-kpis"
SECTOR_STATUS = "overview-sector-status"
ATTENTION = "overview-attention"
AS_OF = "overview-as-of"
HEADLINE_SUMMARY = "overview-headline-summary"

# Sparkline length by frequency: two years of months, three of quarters.
SPARK_POINTS = {"month": 24, "quarter": 12, "year": 10}
ATTENTION_MAX = 8
ATTENTION_NAMES = 3  # off-track indicators named under a province

register(
    {
        "overview.title": {"vi": "Tổng quan quốc gia", "en": "National overview"},
        "overview.as_of": {"vi": "Số liệu đến {period}", "en": "Figures to {period}"},
        "overview.headline": {"vi": "Chỉ tiêu chủ yếu", "en": "Headline indicators"},
        "overview.sectors": {
            "vi": "Tình hình thực hiện theo ngành, lĩnh vực",
            "en": "Status by sector",
        },
        "overview.sectors_meta": {
            "vi": "Toàn quốc, kỳ mới nhất của từng chỉ tiêu đến {period}",
            "en": "National, each indicator's latest period to {period}",
        },
        "overview.attention": {
            "vi": "Tỉnh, thành phố cần chú ý",
            "en": "Provinces needing attention",
        },
        "overview.attention_meta": {
            "vi": "Kỳ mới nhất của từng chỉ tiêu trong 12 tháng đến {period}; "
            "{n} tỉnh, thành phố",
            "en": "Each indicator's latest period in the 12 months to {period}; "
            "{n:province|provinces}",
        },
        "overview.attention_none": {
            "vi": "Không có tỉnh, thành phố nào chậm tiến độ hoặc có nguy cơ",
            "en": "No province is off track or at risk",
        },
        "overview.of_targets": {
            "vi": "trên {n} chỉ tiêu có mục tiêu",
            "en": "of {n} indicators with a target",
        },
        "overview.no_month": {
            "vi": "period={period}: không có số liệu tháng này, "
            "đang hiển thị tháng mới nhất",
            "en": "period={period}: no figures for this month, showing the latest",
        },
    }
)


def layout(**kwargs: str) -> html.Div:
    state = read_state(kwargs)
    return or_no_snapshot(
        lambda: overview(state),
        state.lang,
        lambda message: html.Div([_header(state.lang, None), message]),
    )


def pick_month(state: ViewState, months: Sequence[str]) -> tuple[str, list[str]]:
    """The month to show and the problems to tell: a month without figures
    falls back to the latest month that has some."""
    problems = list(state.problems)
    if state.period and months and state.period not in months:
        problems.append(t("overview.no_month", state.lang, period=state.period))
        return months[0], problems
    return q.default_month(state.period), problems


def overview(state: ViewState) -> html.Div:
    lang, params = state.lang, state.as_params()
    month, problems = pick_month(state, q.months())
    rows = q.unit_progress("00", month, state.geo).to_dict("records")
    headline = [r for r in rows if r.get("headline") is True]
    cards = [kpi_card(r, spark_points(r), lang, params) for r in headline]
    attention = q.attention(month, state.geo).to_dict("records")
    names = {r[INDICATOR_CODE]: r for r in rows}
    return html.Div(
        [
            _header(lang, month),
            problems_alert(problems, lang),
            html.Div(
                [
                    html.H2(
                        t("overview.headline", lang), className="overview-section-title"
                    ),
                    headline_summary(headline, lang),
                ],
                className="overview-section-head",
            ),
            html.Div(cards, id=KPI_GRID, className="kpi-grid overview-kpis")
            if cards
            else empty_state(lang),
            html.Div(
                [
                    html.Div(
                        _panel(
                            t("overview.sectors", lang),
                            t(
                                "overview.sectors_meta",
                                lang,
                                period=fmt_period(month, lang),
                            ),
                            sector_status_table(sector_counts(rows), lang, params),
                            download_buttons(
                                "unit_progress", ["00", month, state.geo], lang
                            ),
                            SECTOR_STATUS,
                        ),
                        className="col-12 col-xxl-8",
                    ),
                    html.Div(
                        _panel(
                            t("overview.attention", lang),
                            t(
                                "overview.attention_meta",
                                lang,
                                period=fmt_period(month, lang),
                                n=len(attention),
                            ),
                            attention_list(attention, names, lang, params),
                            download_buttons("attention", [month, state.geo], lang),
                            ATTENTION,
                        ),
                        className="col-12 col-xxl-4",
                    ),
                ],
                className="row g-3 mt-1",
            ),
        ],
        className="overview-page",
    )


def headline_summary(rows: list[dict], lang: str) -> html.Div:
    """How many headline cards are in each status, worst first, zeros left out."""
    statuses = [card_status(r) for r in rows]
    order = ("off_track", "at_risk", "on_track", "no_target", "no_data")
    counts = [(b, statuses.count(b)) for b in order if statuses.count(b)]
    return html.Div(
        [_count(b, n, lang) for b, n in counts],
        id=HEADLINE_SUMMARY,
        className="overview-headline-summary",
    )


def spark_points(row: dict) -> list[tuple[str, object]]:
    """The last periods of the indicator's national series up to the card's period."""
    period = row.get("period")
    if not isinstance(period, str):
        return []
    series = q.unit_series(row[INDICATOR_CODE], "00")
    series = series[series["period"] <= period]
    n = SPARK_POINTS.get(str(row.get("frequency")), 12)
    return list(
        series[["period", spark_field(row)]].tail(n).itertuples(index=False, name=None)
    )


def _header(lang: str, month: str | None) -> html.Div:
    stamp = (
        html.Span(
            [
                html.I(className="bi bi-calendar3 me-1", **{"aria-hidden": "true"}),
                t("overview.as_of", lang, period=fmt_period(month, lang)),
            ],
            id=AS_OF,
            className="overview-as-of",
        )
        if month
        else None
    )
    return html.Div(
        [html.H1(t("overview.title", lang)), stamp], className="page-header"
    )


def _panel(title: str, meta: str, body, downloads, panel_id: str) -> html.Section:
    return html.Section(
        [
            html.Div(
                [html.H2(title, className="panel-title mb-0"), downloads],
                className="overview-panel-head",
            ),
            html.Div(meta, className="kpi-meta mb-2"),
            body,
        ],
        id=panel_id,
        className="panel overview-panel h-100",
    )


def _codes(value: object) -> list[str]:
    """off_track_codes arrives as a list, a numpy array or nothing."""
    if value is None or isinstance(value, float):
        return []
    return [str(c) for c in list(value)]


def _count(bucket: str, n: int, lang: str) -> html.Span:
    return html.Span(
        [
            html.I(className=f"bi {ICONS[bucket]} me-1", **{"aria-hidden": "true"}),
            f"{fmt_number(n, lang)} {t(f'status.{bucket}', lang).lower()}",
        ],
        className=f"status-text status-{bucket} attention-count",
    )


def attention_list(rows: list[dict], names: dict[str, dict], lang: str, state: dict):
    """Provinces with indicators off track or at risk, worst first, each a link
    to its page; the first off-track indicators are named under it."""
    if not any(r.get("n_with_target") for r in rows):
        return empty_state(lang)  # no province figure to judge (e.g. 63 after 2025)
    flagged = [r for r in rows if r.get("n_off_track") or r.get("n_at_risk")]
    if not flagged:
        return empty_state(lang, t("overview.attention_none", lang))
    items = []
    for row in flagged[:ATTENTION_MAX]:
        code = row[UNIT_CODE]
        counts = [
            _count(b, int(row[f"n_{b}"]), lang)
            for b in ("off_track", "at_risk")
            if row.get(f"n_{b}")
        ]
        off = [names.get(c, {}) for c in _codes(row.get("off_track_codes"))]
        labels = [i.get(NAME_EN if lang == "en" else NAME_VI) for i in off]
        items.append(
            html.Li(
                [
                    html.Div(
                        [
                            dcc.Link(
                                row[NAME_EN] if lang == "en" else row[NAME_VI],
                                href=href(f"/province/{code}", state),
                                className="attention-name",
                            ),
                            html.Span(counts, className="attention-counts"),
                        ],
                        className="attention-head",
                    ),
                    html.Div(
                        [
                            t("overview.of_targets", lang, n=int(row["n_with_target"])),
                            *(
                                [
                                    " · ",
                                    "; ".join(x for x in labels[:ATTENTION_NAMES] if x),
                                ]
                                if any(labels)
                                else []
                            ),
                        ],
                        className="attention-detail",
                    ),
                ],
                className="attention-item",
                **{"data-province": code},
            )
        )
    return html.Ol(items, className="attention-list")
