"""/sectors : every sector, or every owner ministry, with its indicators' status.

URL: ?by=sector|owner (the grouping), plus the shared lang, period, geo.
The national figures of the month (data.queries.unit_progress("00", ...)) are
grouped here; the cards are components.sector_card.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import dcc, html

from components.breadcrumbs import breadcrumbs
from components.download import download_buttons
from components.fmt import fmt_number, fmt_period
from components.indicator_table import table_rows
from components.page_title import titled
from components.sector_card import owner_card, sector_card
from components.states import empty_state, problems_alert
from components.status import STATUSES
from core.i18n import register, t
from core.params import read_state
from core.urls import href, same_view
from data import queries as q
from data.schema import (
    INDICATOR_CODE,
    NAME_EN,
    NAME_VI,
    OWNER_EN,
    OWNER_VI,
    SECTOR_EN,
    SECTOR_VI,
)
from pages._snapshot import no_snapshot

dash.register_page(
    __name__,
    path="/sectors",
    order=2,
    name="Ngành, lĩnh vực",
    title=titled("Ngành, lĩnh vực", "Sectors"),
)

SECTORS_GRID = "sectors-grid"
SECTORS_GROUPING = "sectors-grouping"
GROUPINGS = ("sector", "owner")

register(
    {
        "sectors.subtitle": {
            "vi": "Chỉ tiêu toàn quốc theo ngành, lĩnh vực · {period}",
            "en": "National indicators by sector · {period}",
        },
        "sectors.by_sector": {"vi": "Theo ngành, lĩnh vực", "en": "By sector"},
        "sectors.by_owner": {"vi": "Theo cơ quan chủ trì", "en": "By owner ministry"},
        "sectors.group_label": {"vi": "Nhóm theo", "en": "Group by"},
        "sectors.bad_by": {
            "vi": "by={value!r}: cần sector hoặc owner",
            "en": "by={value!r}: expected sector or owner",
        },
        "sectors.total": {
            "vi": "{n} chỉ tiêu, {sectors} ngành, lĩnh vực, {owners} cơ quan chủ trì",
            "en": "{n:indicator|indicators}, {sectors:sector|sectors}, "
            "{owners:owner ministry|owner ministries}",
        },
    }
)


# The columns of table_rows records that the grouping reads.
GROUP_COLUMNS = [
    INDICATOR_CODE,
    "sector",
    SECTOR_VI,
    SECTOR_EN,
    "sector_order",
    "owner",
    OWNER_VI,
    OWNER_EN,
    "status",
    "current",
]


def _stats(part: pd.DataFrame) -> dict:
    """Indicator count, how many are up to date, and the count of each status."""
    counted = part["status"].value_counts()
    return {
        "n_indicators": len(part),
        "n_current": int(part["current"].astype(bool).sum()),
        "counts": {s: int(counted.get(s, 0)) for s in STATUSES},
    }


def _members(frame: pd.DataFrame, code: str, name_vi: str, name_en: str) -> list[dict]:
    """Who is in a group (owners of a sector, sectors of an owner), largest first."""
    grouped = frame.groupby([code, name_vi, name_en], dropna=False, sort=False).size()
    members = [
        {
            "code": c,
            NAME_VI: vi if isinstance(vi, str) else c,
            NAME_EN: en if isinstance(en, str) else c,
            "n": int(n),
        }
        for (c, vi, en), n in grouped.items()
    ]
    return sorted(members, key=lambda m: (-m["n"], m["code"]))


def sector_summaries(rows: list[dict], sectors: pd.DataFrame) -> list[dict]:
    """One summary per sector of the reference list, in its order (empty ones too)."""
    frame = pd.DataFrame(rows, columns=GROUP_COLUMNS)
    out = []
    for sector in sectors.to_dict("records"):
        part = frame[frame["sector"] == sector["code"]]
        out.append(
            {
                "code": sector["code"],
                NAME_VI: sector[NAME_VI],
                NAME_EN: sector[NAME_EN],
                **_stats(part),
                "owners": _members(part, "owner", OWNER_VI, OWNER_EN),
            }
        )
    return out


def owner_summaries(rows: list[dict]) -> list[dict]:
    """One summary per owner ministry, most indicators first."""
    frame = pd.DataFrame(rows, columns=GROUP_COLUMNS)
    out = []
    for owner in _members(frame, "owner", OWNER_VI, OWNER_EN):
        part = frame[frame["owner"] == owner["code"]].sort_values("sector_order")
        sectors = _members(part, "sector", SECTOR_VI, SECTOR_EN)
        out.append({**owner, **_stats(part), "sectors": sectors})
    return out


def _grouping_switch(by: str, params: dict, lang: str) -> html.Div:
    links = [
        dcc.Link(
            t(f"sectors.by_{key}", lang),
            href=same_view("/sectors", params, by=None if key == "sector" else key),
            className="btn btn-sm "
            + ("btn-primary" if by == key else "btn-outline-primary"),
            id=f"{SECTORS_GROUPING}-{key}",
        )
        for key in GROUPINGS
    ]
    return html.Div(
        [
            html.Span(
                t("sectors.group_label", lang), className="me-2 small text-muted"
            ),
            html.Div(links, className="btn-group", role="group"),
        ],
        className="d-flex align-items-center no-print",
    )


def layout(by: str | None = None, **kwargs: str) -> html.Div:
    state = read_state(kwargs)
    lang, params = state.lang, state.as_params()
    problems = list(state.problems)
    if by not in (None, "", *GROUPINGS):
        problems.append(t("sectors.bad_by", lang, value=by))
        by = None
    by = by or "sector"
    crumbs = breadcrumbs(
        [(t("nav.home", lang), href("/", params)), (t("nav.sectors", lang), None)]
    )
    try:
        month = q.default_month(state.period)
        progress = q.unit_progress("00", month, state.geo)
        catalog, sectors = q.catalog(), q.sectors()
    except q.NoSnapshot:
        return html.Div([crumbs, no_snapshot(lang)])
    rows = table_rows(progress, catalog, month, lang)
    owners = owner_summaries(rows)
    if by == "owner":
        cards = [owner_card(s, lang, params) for s in owners]
    else:
        cards = [sector_card(s, lang, params) for s in sector_summaries(rows, sectors)]
    page_params = {**params, "by": None if by == "sector" else by}
    return html.Div(
        [
            crumbs,
            html.Div(
                [
                    html.Div(
                        [
                            html.H1(t("nav.sectors", lang)),
                            html.Div(
                                t(
                                    "sectors.subtitle",
                                    lang,
                                    period=fmt_period(month, lang),
                                ),
                                className="text-muted small",
                            ),
                        ]
                    ),
                    _grouping_switch(by, page_params, lang),
                ],
                className="page-header",
            ),
            problems_alert(problems, lang),
            html.Div(
                [
                    html.Span(
                        t(
                            "sectors.total",
                            lang,
                            n=fmt_number(len(rows), lang),
                            sectors=fmt_number(len(sectors), lang),
                            owners=fmt_number(len(owners), lang),
                        ),
                        className="text-muted small",
                    ),
                    download_buttons("unit_progress", ["00", month, state.geo], lang),
                ],
                className="d-flex flex-wrap justify-content-between align-items-center "
                "gap-2 mb-2",
            ),
            html.Div(
                cards or empty_state(lang),
                id=SECTORS_GRID,
                className="scard-grid",
                **{"data-by": by},
            ),
        ],
        className="sectors-page",
    )
