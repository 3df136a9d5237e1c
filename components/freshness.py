"""The freshness and provenance line under every figure.

Says which period the figure covers, when it was last submitted, how many of
the units it should include it includes, and whether it was revised; links to
the files behind it (the indicator page's provenance section).
"""

from __future__ import annotations

from dash import dcc, html

from components.fmt import fmt_local_datetime, fmt_period
from core.i18n import t
from core.urls import href
from data.schema import INDICATOR_CODE, SUBMITTED_AT


def _present(value: object) -> bool:
    return value is not None and value == value  # not None, not NaN/NaT


def tile_meta(row: dict, lang: str, state: dict, unit: str = "00") -> html.Div:
    """`row`: a unit_progress/province_values row (period, submitted_at, ...)."""
    parts: list = []
    if _present(row.get("period")):
        parts.append(html.Span(fmt_period(row["period"], lang), className="me-2"))
    if _present(row.get(SUBMITTED_AT)):
        stamp = fmt_local_datetime(row[SUBMITTED_AT], lang)
        parts.append(html.Span(t("tile.submitted", lang, time=stamp), className="me-2"))
    n, total = row.get("n_parts"), row.get("n_expected")
    if _present(n) and _present(total) and total and total > 1:
        parts.append(
            html.Span(
                t("tile.coverage", lang, n=int(n), total=int(total)),
                className="me-2" + (" text-warning-emphasis" if n < total else ""),
            )
        )
    if row.get("revised") is True:
        parts.append(
            html.Span(
                [html.I(className="bi bi-pencil-square me-1"), t("tile.revised", lang)],
                className="badge text-bg-light me-2",
            )
        )
    code = row.get(INDICATOR_CODE)
    if code and _present(row.get("period")):
        parts.append(
            dcc.Link(
                [
                    html.I(className="bi bi-file-earmark-text me-1"),
                    t("tile.sources", lang),
                ],
                href=href(f"/indicator/{code}", state, unit=unit, at=row["period"])
                + "#provenance",
                className="tile-sources",
            )
        )
    return html.Div(parts, className="kpi-meta")
