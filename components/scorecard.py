"""A unit's scorecard: one table per sector, one row per indicator.

Pure: rows of data.queries.unit_progress (as plain dicts, missing = None) in,
components out. Each row links to the indicator page for the same unit and
carries the freshness line (tile_meta) of its figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from dash import dcc, html

from components.fmt import MISSING, fmt_delta, fmt_pct, fmt_value
from components.freshness import tile_meta
from components.plans import plans_text
from components.status import STATUSES, status_badge
from core.i18n import register, t
from core.urls import href
from data.schema import (
    CATALOG_TARGET_TYPE,
    CHANGE_VS_LAST_YEAR,
    EXPECTED_PCT,
    INDICATOR_CODE,
    NAME_EN,
    NAME_VI,
    PCT_OF_TARGET,
    PCT_VS_LAST_YEAR,
    SECTOR_EN,
    SECTOR_VI,
    TARGET_TO_DATE,
    UNIT_EN,
    UNIT_VI,
)

register(
    {
        "scorecard.pct_or_met": {"vi": "% kế hoạch / đạt", "en": "% of plan / met"},
        "scorecard.met": {"vi": "Đạt", "en": "Met"},
        "scorecard.not_met": {"vi": "Chưa đạt", "en": "Not met"},
        "scorecard.points": {"vi": "điểm %", "en": "pp"},
        "scorecard.show_trend": {"vi": "Xem diễn biến", "en": "Show trend"},
        "scorecard.with_data": {
            "vi": "{n}/{total} chỉ tiêu có số liệu",
            "en": "{n} of {total} indicators with figures",
        },
        "scorecard.rank_title": {
            "vi": "Thứ hạng giữa các tỉnh, thành phố theo giá trị kỳ gần nhất",
            "en": "Rank among provinces by the latest period's value",
        },
    }
)

Ranks = dict[str, tuple[int, int]]  # indicator code -> (rank, number ranked)


def target_kind(row: dict) -> str | None:
    """plan, min, max or None (unit_progress names it catalog_target_type)."""
    return row.get("target_type") or row.get(CATALOG_TARGET_TYPE) or None


def row_status(row: dict) -> str:
    """The row's status; a row without an actual figure is 'no_data'."""
    if row.get("actual") is None:
        return "no_data"
    status = row.get("status")
    return status if status in STATUSES else "no_target"


def _value(row: dict, value: object, lang: str) -> str:
    return fmt_value(
        value,
        row.get(UNIT_VI),
        row.get(UNIT_EN),
        lang,
        integer=bool(row.get("integer")),
    )


def actual_text(row: dict, lang: str) -> str:
    return _value(row, row.get("actual"), lang)


def target_text(row: dict, lang: str) -> str:
    return _value(row, row.get("target"), lang)


def progress_text(row: dict, lang: str) -> str:
    """% of an annual plan reached, or whether a min/max target is met."""
    kind = target_kind(row)
    if kind == "plan":
        return fmt_pct(row.get(PCT_OF_TARGET), lang)
    if kind in ("min", "max") and row.get("met") is not None:
        return t("scorecard.met" if row["met"] else "scorecard.not_met", lang)
    return MISSING


def _progress_cell(row: dict, lang: str):
    """The % of the primary plan; under it every plan's when there are several."""
    several = plans_text(row.get("plans"), lang)
    if not several:
        return progress_text(row, lang)
    return [
        progress_text(row, lang),
        html.Div(several, className="scorecard-plans", **{"data-plans": "true"}),
    ]


def pace_text(row: dict, lang: str) -> str:
    """Where the figure should be by now: share of the plan, or the pro-rated target."""
    kind = target_kind(row)
    if kind == "plan":
        return fmt_pct(row.get(EXPECTED_PCT), lang)
    if kind in ("min", "max") and row.get(TARGET_TO_DATE) != row.get("target"):
        return _value(row, row.get(TARGET_TO_DATE), lang)
    return MISSING


def last_year_text(row: dict, lang: str) -> str:
    """Against the same period last year: in percent, or as a change for rates."""
    if row.get(PCT_VS_LAST_YEAR) is not None:
        return fmt_pct(row[PCT_VS_LAST_YEAR], lang)
    change = row.get(CHANGE_VS_LAST_YEAR)
    if change is not None and row.get(UNIT_VI) == "%":
        # a change of a rate is in percentage points, not percent
        return f"{fmt_delta(change, lang, decimals=1)} {t('scorecard.points', lang)}"
    if change is not None:
        return fmt_delta(
            change, lang, unit_vi=row.get(UNIT_VI), unit_en=row.get(UNIT_EN)
        )
    return MISSING


def rank_text(rank: tuple[int, int] | None) -> str:
    return f"{rank[0]}/{rank[1]}" if rank else MISSING


def status_counts(rows: list[dict]) -> Counter:
    return Counter(row_status(row) for row in rows)


def status_summary(rows: list[dict], lang: str) -> html.Div:
    """Badges with how many indicators are in each status (zeros left out)."""
    counts = status_counts(rows)
    parts = [
        html.Span(
            [
                status_badge(s, lang, small=True),
                html.Span(str(counts[s]), className="status-count"),
            ],
            className="status-summary-item",
            **{"data-status": s},
        )
        for s in STATUSES
        if counts[s]
    ]
    return html.Div(parts, className="status-summary")


def _header(lang: str, with_rank: bool) -> html.Thead:
    cells = [
        html.Th(t("col.indicator", lang)),
        html.Th(t("kpi.actual", lang), className="num"),
        html.Th(t("kpi.target", lang), className="num"),
        html.Th(t("scorecard.pct_or_met", lang), className="num"),
        html.Th(t("kpi.expected_pace", lang), className="num"),
        html.Th(t("kpi.vs_last_year", lang), className="num"),
        html.Th(t("status.label", lang)),
    ]
    if with_rank:
        cells.append(
            html.Th(
                t("col.rank", lang),
                className="num",
                title=t("scorecard.rank_title", lang),
            )
        )
    cells.append(html.Th(""))
    return html.Thead(html.Tr(cells))


def _row(
    row: dict,
    lang: str,
    state: dict,
    unit: str,
    ranks: Ranks | None,
    trend_href: Callable[[str], str] | None,
) -> html.Tr:
    code = row[INDICATOR_CODE]
    name = row.get(NAME_EN) if lang == "en" else row.get(NAME_VI)
    link = dcc.Link(
        name,
        href=href(f"/indicator/{code}", state, unit=unit),
        className="scorecard-indicator",
    )
    first = [html.Span(code, className="scorecard-code"), link]
    if row.get("actual") is not None:
        first.append(tile_meta(row, lang, state, unit))
    cells = [
        html.Td(first, className="scorecard-name"),
        html.Td(actual_text(row, lang), className="num scorecard-actual"),
        html.Td(target_text(row, lang), className="num"),
        html.Td(_progress_cell(row, lang), className="num"),
        html.Td(pace_text(row, lang), className="num"),
        html.Td(last_year_text(row, lang), className="num"),
        html.Td(status_badge(row_status(row), lang, small=True)),
    ]
    if ranks is not None:
        cells.append(
            html.Td(rank_text(ranks.get(code)), className="num scorecard-rank")
        )
    trend = ""
    if trend_href is not None and row.get("actual") is not None:
        label = t("scorecard.show_trend", lang)
        trend = dcc.Link(
            [
                html.I(className="bi bi-graph-up", **{"aria-hidden": "true"}),
                html.Span(label, className="visually-hidden"),
            ],
            href=trend_href(code),
            title=label,
            className="scorecard-trend",
        )
    cells.append(html.Td(trend, className="no-print"))
    return html.Tr(cells, **{"data-indicator": code})


def sector_groups(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """Rows grouped by sector code, in the order they come (sector order)."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row.get("sector") or "", []).append(row)
    return list(groups.items())


def scorecard(
    rows: list[dict],
    lang: str,
    state: dict,
    unit: str,
    ranks: Ranks | None = None,
    trend_href: Callable[[str], str] | None = None,
) -> html.Div:
    """Collapsible sections per sector; a sector with no figure starts closed.

    `ranks` None leaves out the rank column (communes are not ranked).
    """
    sections = []
    for sector, group in sector_groups(rows):
        first = group[0]
        title = first.get(SECTOR_EN) if lang == "en" else first.get(SECTOR_VI)
        n_data = sum(row.get("actual") is not None for row in group)
        summary = html.Summary(
            [
                html.Span(title or sector, className="scorecard-sector"),
                html.Span(
                    t("scorecard.with_data", lang, n=n_data, total=len(group)),
                    className="scorecard-sector-count",
                ),
                status_summary(group, lang),
            ]
        )
        body = [_row(r, lang, state, unit, ranks, trend_href) for r in group]
        table = html.Table(
            [_header(lang, ranks is not None), html.Tbody(body)],
            className="table table-sm table-hover cc-table scorecard-table mb-0",
        )
        sections.append(
            html.Details(
                [summary, html.Div(table, className="table-responsive")],
                open=n_data > 0,
                className="scorecard-section",
                id=f"sector-{sector}",
            )
        )
    return html.Div(sections, className="scorecard")
