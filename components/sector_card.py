"""Builders of the sectors pages: a card per sector or owner ministry, status
counts (words, bar, chart) and the owner/status filter links.

A summary is plain data (built by pages/sectors.py):
    {"code", "name_vi", "name_en", "n_indicators", "n_current",
     "counts": {status: n}, "owners" | "sectors": [{"code", "name_vi", "name_en", "n"}]}
Status counts always show icon, number and word; the stacked bar repeats them
in colour only as a summary (its segments carry a title, never the only cue).
"""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html

from components.fmt import fmt_number, fmt_pct
from components.status import COLORS, ICONS, STATUSES, status_label
from core.i18n import register, t
from core.urls import href, same_view
from data.schema import NAME_EN, NAME_VI

register(
    {
        "scard.n_indicators": {"vi": "chỉ tiêu", "en": "indicators"},
        "scard.current": {
            "vi": "{n}/{total} có số liệu kỳ gần nhất",
            "en": "{n} of {total} up to date",
        },
        "scard.owners": {"vi": "Cơ quan chủ trì", "en": "Owner ministries"},
        "scard.filter_owner": {"vi": "Cơ quan chủ trì", "en": "Owner ministry"},
        "scard.filter_status": {"vi": "Tình trạng", "en": "Status"},
        "scard.sectors": {"vi": "Ngành, lĩnh vực phụ trách", "en": "Sectors covered"},
        "scard.status_counts": {
            "vi": "Số chỉ tiêu theo tình trạng",
            "en": "Indicators by status",
        },
    }
)


def status_counts(
    counts: dict[str, int], lang: str, hide_zero: bool = False
) -> html.Ul:
    """Icon + number + word per status, in the fixed status order."""
    items = []
    for status in STATUSES:
        n = int(counts.get(status, 0))
        if hide_zero and not n:
            continue
        items.append(
            html.Li(
                [
                    html.I(className=f"bi {ICONS[status]}", **{"aria-hidden": "true"}),
                    html.Span(fmt_number(n, lang), className="scount-n"),
                    html.Span(status_label(status, lang), className="scount-word"),
                ],
                className=f"scount status-{status}" + ("" if n else " scount-zero"),
                **{"data-status": status, "data-n": str(n)},
            )
        )
    return html.Ul(items, className="scounts", title=t("scard.status_counts", lang))


def status_bar(counts: dict[str, int], lang: str) -> html.Div:
    """A thin stacked bar of the status shares (summary; the words are beside it)."""
    total = sum(int(v) for v in counts.values()) or 1
    segments = [
        html.Div(
            className=f"sbar-seg status-{s}",
            style={"width": f"{int(counts.get(s, 0)) / total * 100:.3f}%"},
            title=f"{status_label(s, lang)}: {fmt_number(int(counts.get(s, 0)), lang)} "
            f"({fmt_pct(int(counts.get(s, 0)) / total * 100, lang, 0)})",
        )
        for s in STATUSES
        if counts.get(s)
    ]
    return html.Div(segments, className="sbar", **{"aria-hidden": "true"})


def _name(item: dict, lang: str) -> str:
    return item.get(NAME_EN if lang == "en" else NAME_VI) or item["code"]


def headline(summary: dict, lang: str) -> list:
    """The number of indicators, and how many have the figure due by now."""
    total = int(summary["n_indicators"])
    return [
        html.Div(
            [
                html.Span(fmt_number(total, lang), className="scard-n"),
                html.Span(t("scard.n_indicators", lang), className="scard-n-label"),
            ],
            className="scard-total",
        ),
        html.Div(
            t(
                "scard.current",
                lang,
                n=fmt_number(int(summary["n_current"]), lang),
                total=fmt_number(total, lang),
            ),
            className="scard-current",
        ),
    ]


def sector_card(summary: dict, lang: str, state: dict) -> html.Div:
    """A sector: counts, status words, owner ministries; the whole card links."""
    owners = ", ".join(_name(o, lang) for o in summary.get("owners", []))
    return html.Div(
        [
            html.H2(
                dcc.Link(
                    _name(summary, lang),
                    href=href(f"/sector/{summary['code']}", state),
                    className="stretched-link",
                ),
                className="scard-title",
            ),
            *headline(summary, lang),
            status_bar(summary["counts"], lang),
            status_counts(summary["counts"], lang),
            html.Div(
                [
                    html.Span(t("scard.owners", lang) + ": ", className="fw-semibold"),
                    owners or "—",
                ],
                className="scard-owners",
            ),
        ],
        className="scard position-relative",
        **{"data-sector": summary["code"]},
    )


def owner_card(summary: dict, lang: str, state: dict) -> html.Div:
    """A ministry: counts, status words, and a link per sector it owns figures in."""
    links = [
        html.Li(
            dcc.Link(
                [
                    _name(s, lang),
                    html.Span(fmt_number(int(s["n"]), lang), className="scard-chip-n"),
                ],
                href=href(f"/sector/{s['code']}", state, owner=summary["code"]),
                className="scard-chip",
            )
        )
        for s in summary.get("sectors", [])
    ]
    return html.Div(
        [
            html.H2(
                [
                    _name(summary, lang),
                    html.Span(summary["code"], className="scard-code"),
                ],
                className="scard-title",
            ),
            *headline(summary, lang),
            status_bar(summary["counts"], lang),
            status_counts(summary["counts"], lang),
            html.Div(t("scard.sectors", lang), className="scard-owners fw-semibold"),
            html.Ul(links, className="scard-chips"),
        ],
        className="scard",
        **{"data-owner": summary["code"]},
    )


def status_figure(counts: dict[str, int], lang: str) -> go.Figure:
    """Horizontal bars of the status counts; the numbers and words are printed on
    the chart (not only on hover); no data is hatched as well as grey."""
    order = list(reversed(STATUSES))  # plotly draws the first bar at the bottom
    values = [int(counts.get(s, 0)) for s in order]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=[status_label(s, lang) for s in order],
            orientation="h",
            marker={
                "color": [COLORS[s] for s in order],
                "pattern": {"shape": ["/" if s == "no_data" else "" for s in order]},
            },
            text=[fmt_number(v, lang) for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_layout(
        template="plotly_white",
        separators=",." if lang == "vi" else ".,",
        height=170,
        margin={"l": 8, "r": 32, "t": 4, "b": 4},
        xaxis={"visible": False, "range": [0, max(values + [1]) * 1.15]},
        yaxis={"automargin": True, "ticksuffix": "  "},
        showlegend=False,
        bargap=0.25,
    )
    return fig


# ---- filter links of the sector page: each one is a URL (the view re-renders)


def filter_pill(label: list | str, target: str, active: bool, pill_id: str) -> dcc.Link:
    return dcc.Link(
        label,
        href=target,
        id=pill_id,
        className="btn btn-sm sfilter "
        + ("btn-primary" if active else "btn-outline-primary"),
    )


def owner_filter(
    owners: list[dict],
    rows: list[dict],
    chosen: str | None,
    path: str,
    params: dict,
    lang: str,
    id_prefix: str,
) -> html.Div:
    """'All' and one link per owner ministry of the sector, with its count."""
    pills = [
        filter_pill(
            [
                t("ui.all", lang),
                html.Span(fmt_number(len(rows), lang), className="sfilter-n"),
            ],
            same_view(path, params, owner=None),
            chosen is None,
            f"{id_prefix}-all",
        )
    ]
    for owner in owners:
        n = sum(1 for r in rows if r.get("owner") == owner["code"])
        pills.append(
            filter_pill(
                [
                    _name(owner, lang),
                    html.Span(fmt_number(n, lang), className="sfilter-n"),
                ],
                same_view(path, params, owner=owner["code"]),
                chosen == owner["code"],
                f"{id_prefix}-{owner['code']}",
            )
        )
    return html.Div(
        [
            html.Span(t("scard.filter_owner", lang), className="sfilter-label"),
            html.Div(pills, className="sfilter-pills"),
        ],
        className="sfilter-row",
    )


def status_filter(
    counts: dict[str, int],
    chosen: str | None,
    path: str,
    params: dict,
    lang: str,
    id_prefix: str,
) -> html.Div:
    """'All' and one link per status (icon, word, count)."""
    pills = [
        filter_pill(
            t("ui.all", lang),
            same_view(path, params, status=None),
            chosen is None,
            f"{id_prefix}-all",
        )
    ]
    for status in STATUSES:
        label = [
            html.I(
                className=f"bi {ICONS[status]} me-1 status-icon status-{status}",
                **{"aria-hidden": "true"},
            ),
            status_label(status, lang),
            html.Span(fmt_number(counts.get(status, 0), lang), className="sfilter-n"),
        ]
        pills.append(
            filter_pill(
                label,
                same_view(path, params, status=status),
                chosen == status,
                f"{id_prefix}-{status}",
            )
        )
    return html.Div(
        [
            html.Span(t("scard.filter_status", lang), className="sfilter-label"),
            html.Div(pills, className="sfilter-pills"),
        ],
        className="sfilter-row",
    )
