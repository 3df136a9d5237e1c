"""Status counts by sector: how many indicators of each sector are on track,
at risk, off track, without a target, or without any figure yet.

Five buckets, never folded together: "no target" (a figure exists but there is
no plan or limit to hold it to) is a neutral bucket of its own, apart from
"no data" (no figure at all up to the period), so a sector with few targets is
not mistaken for a sector that does not report.
"""

from __future__ import annotations

from collections.abc import Iterable

from dash import dcc, html

from components.fmt import fmt_number
from components.kpi_card import card_status
from components.status import ICONS
from core.i18n import register, t
from core.urls import href
from data.schema import NAME_EN, NAME_VI, SECTOR_EN, SECTOR_VI

BUCKETS = ("on_track", "at_risk", "off_track", "no_target", "no_data")
# A segment this wide (share of the sector's indicators) carries its number.
LABEL_MIN_SHARE = 0.08

register(
    {
        "sstatus.total": {"vi": "Tổng số", "en": "Total"},
        "sstatus.all": {"vi": "Tất cả ngành, lĩnh vực", "en": "All sectors"},
        "sstatus.caption": {
            "vi": "Số chỉ tiêu theo tình trạng thực hiện, theo ngành, lĩnh vực",
            "en": "Indicators by status, by sector",
        },
        "sstatus.note": {
            "vi": (
                "“Không giao chỉ tiêu”: có số liệu nhưng không có kế hoạch hay "
                "ngưỡng để so sánh. “Chưa có số liệu”: chưa có số liệu nào đến kỳ này."
            ),
            "en": (
                "“No target”: a figure exists but there is no plan or limit to "
                "compare it with. “No data”: no figure yet up to this period."
            ),
        },
    }
)


def sector_counts(rows: Iterable[dict]) -> list[dict]:
    """Group unit_progress rows by sector, in catalog order:
    [{"code", "name_vi", "name_en", "counts": {bucket: n}, "total"}]."""
    sectors: dict[str, dict] = {}
    for row in rows:
        code = row.get("sector")
        entry = sectors.setdefault(
            code,
            {
                "code": code,
                NAME_VI: row.get(SECTOR_VI) or code,
                NAME_EN: row.get(SECTOR_EN) or code,
                "order": row.get("sector_order"),
                "counts": dict.fromkeys(BUCKETS, 0),
                "total": 0,
            },
        )
        entry["counts"][card_status(row)] += 1
        entry["total"] += 1
    return sorted(sectors.values(), key=lambda s: (s["order"] is None, s["order"]))


def totals(summaries: list[dict]) -> dict:
    """The sum over sectors (the table's last row)."""
    counts = {b: sum(s["counts"][b] for s in summaries) for b in BUCKETS}
    return {"counts": counts, "total": sum(counts.values())}


def status_head(bucket: str, lang: str) -> html.Th:
    """A column heading: colour dot, icon and word."""
    return html.Th(
        [
            html.I(
                className=f"bi {ICONS[bucket]} me-1 sstatus-icon",
                **{"aria-hidden": "true"},
            ),
            t(f"status.{bucket}", lang),
        ],
        className=f"num sstatus-head status-{bucket}",
        scope="col",
    )


def stacked_bar(counts: dict[str, int], total: int, lang: str) -> html.Div:
    """One bar split by bucket; wide segments also carry their number."""
    segments = []
    for bucket in BUCKETS:
        n = counts.get(bucket, 0)
        if not n or not total:
            continue
        share = n / total
        label = f"{t(f'status.{bucket}', lang)}: {fmt_number(n, lang)}"
        segments.append(
            html.Div(
                fmt_number(n, lang) if share >= LABEL_MIN_SHARE else "",
                className=f"sstatus-seg sstatus-{bucket} status-{bucket}",
                style={"width": f"{share * 100:.2f}%"},
                title=label,
            )
        )
    return html.Div(segments, className="sstatus-bar", **{"aria-hidden": "true"})


def _count_cells(counts: dict[str, int], total: int, lang: str) -> list[html.Td]:
    cells = [
        html.Td(
            fmt_number(counts[b], lang),
            className="num" + ("" if counts[b] else " sstatus-zero"),
        )
        for b in BUCKETS
    ]
    return [*cells, html.Td(fmt_number(total, lang), className="num fw-semibold")]


def sector_status_table(summaries: list[dict], lang: str, state: dict) -> html.Div:
    """The table: a row per sector (linking to /sector/<code>) and a total row."""
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("col.sector", lang), scope="col"),
                html.Th("", scope="col", className="sstatus-bar-col"),
                *[status_head(b, lang) for b in BUCKETS],
                html.Th(t("sstatus.total", lang), scope="col", className="num"),
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(
                        dcc.Link(
                            s[NAME_EN] if lang == "en" else s[NAME_VI],
                            href=href(f"/sector/{s['code']}", state),
                        ),
                        scope="row",
                        className="sstatus-name",
                    ),
                    html.Td(stacked_bar(s["counts"], s["total"], lang)),
                    *_count_cells(s["counts"], s["total"], lang),
                ],
                **{"data-sector": s["code"]},
            )
            for s in summaries
        ]
    )
    all_ = totals(summaries)
    foot = html.Tfoot(
        html.Tr(
            [
                html.Th(t("sstatus.all", lang), scope="row"),
                html.Td(stacked_bar(all_["counts"], all_["total"], lang)),
                *_count_cells(all_["counts"], all_["total"], lang),
            ],
            className="sstatus-total",
        )
    )
    return html.Div(
        [
            html.Div(
                html.Table(
                    [
                        html.Caption(
                            t("sstatus.caption", lang), className="visually-hidden"
                        ),
                        head,
                        body,
                        foot,
                    ],
                    className="table table-sm cc-table sstatus-table align-middle mb-1",
                ),
                className="table-responsive",
            ),
            html.P(
                t("sstatus.note", lang), className="sstatus-note small text-muted mb-0"
            ),
        ],
        className="sstatus",
    )
