"""The ranking beside the wall's map: every province as text (nothing is
hover-only on a wall), highest first, with its status for % of target; all of
it on a wide wall, the highest and the lowest on 16:9; and the spotlight card
of one province (name, figure, status, rank, change on last year)."""

from __future__ import annotations

import math

import pandas as pd
from dash import html

from components.choropleth import metric_text, metric_values
from components.fmt import fmt_signed_pct
from components.status import normalize_status, status_badge
from core.i18n import register, t
from data.schema import NAME_EN, NAME_VI, PCT_OF_TARGET, PCT_VS_LAST_YEAR, UNIT_CODE

register(
    {
        "wallm.ranking": {"vi": "Xếp hạng", "en": "Ranking"},
        "wallm.highest": {"vi": "Cao nhất", "en": "Highest"},
        "wallm.lowest": {"vi": "Thấp nhất", "en": "Lowest"},
        "wallm.rank": {"vi": "Hạng {rank}/{n}", "en": "Rank {rank} of {n}"},
        "wallm.vs_last_year": {"vi": "So cùng kỳ", "en": "vs last year"},
    }
)

MAP_VH = 80  # the map's width in vh (wall.css .wall-map-body)
COLUMN_VH = 42  # one ranking column
ROWS_PER_COLUMN = 11


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _rank_rows(
    frame: pd.DataFrame, metric: str, lang: str, integer: bool
) -> list[dict]:
    """Provinces with a figure, highest metric value first, as display rows."""
    values, kind = metric_values(frame, metric)
    rows = []
    for (_, r), v in zip(frame.iterrows(), values, strict=True):
        if _present(v):
            rows.append(
                {
                    "code": r[UNIT_CODE],
                    "name": r[NAME_EN if lang == "en" else NAME_VI],
                    "value": float(v),
                    "status": normalize_status(r.get("status")),
                    "text": metric_text(v, kind, lang, integer=integer),
                }
            )
    rows.sort(key=lambda r: -r["value"])
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    return rows


def _rank_line(
    row: dict, lang: str, with_status: bool, spotlight: str | None
) -> html.Div:
    return html.Div(
        [
            html.Span(str(row["rank"]), className="wall-rank-n"),
            html.Span(row["name"], className="wall-rank-name"),
            html.Span(row["text"], className="wall-rank-value"),
            status_badge(row["status"], lang) if with_status else None,
        ],
        className="wall-rank-row" + (" is-spot" if row["code"] == spotlight else ""),
    )


def _column(
    title: str | None,
    rows: list[dict],
    lang: str,
    with_status: bool,
    spotlight: str | None,
) -> html.Div:
    head = [html.Div(title, className="wall-rank-head")] if title else []
    return html.Div(
        head + [_rank_line(r, lang, with_status, spotlight) for r in rows],
        className="wall-rank-col",
    )


def _spot_card(
    row: dict | None, source: dict | None, n: int | None, lang: str
) -> html.Div:
    """`n`: how many are ranked; None when the ranking is not the country's."""
    if row is None or source is None:
        return html.Div(className="wall-spot wall-rank-col")
    facts = [t("wallm.rank", lang, rank=row["rank"], n=n)] if n else []
    if _present(source.get(PCT_VS_LAST_YEAR)):
        facts.append(
            t("wallm.vs_last_year", lang)
            + " "
            + fmt_signed_pct(source[PCT_VS_LAST_YEAR] - 100, lang)
        )
    return html.Div(
        [
            html.Div(row["name"], className="wall-spot-name"),
            html.Div(row["text"], className="wall-spot-value"),
            status_badge(row["status"], lang),
            *[html.Div(f, className="wall-spot-fact") for f in facts],
        ],
        className="wall-spot wall-rank-col",
    )


def ranking_panel(
    frame: pd.DataFrame,
    metric: str,
    lang: str,
    aspect: float,
    spotlight: str | None = None,
    integer: bool = False,
    complete: bool = True,
) -> html.Div:
    """The ranking beside the map: all of it when the wall is wide enough,
    else the highest and the lowest; the spotlight card first. `complete`:
    the frame holds every province (not a province device's own alone, whose
    "1/1" would be a false first place: no places then)."""
    rows = _rank_rows(frame, metric, lang, integer)
    if not complete:
        for row in rows:
            row["rank"] = "–"
    with_status = metric == PCT_OF_TARGET
    n_cols = max(1, math.floor((aspect * 100 - MAP_VH - 6) / COLUMN_VH))
    columns: list = []
    if spotlight:
        spot = next((r for r in rows if r["code"] == spotlight), None)
        source = next(
            (r for r in frame.to_dict("records") if r[UNIT_CODE] == spotlight), None
        )
        columns.append(_spot_card(spot, source, len(rows) if complete else None, lang))
        n_cols = max(1, n_cols - 1)
    per = ROWS_PER_COLUMN
    if len(rows) <= n_cols * per:
        for start in range(0, len(rows), per):
            title = t("wallm.ranking", lang) if start == 0 else None
            columns.append(
                _column(title, rows[start : start + per], lang, with_status, spotlight)
            )
    elif n_cols >= 2:
        columns.append(
            _column(
                t("wallm.highest", lang), rows[: per - 1], lang, with_status, spotlight
            )
        )
        columns.append(
            _column(
                t("wallm.lowest", lang),
                rows[-(per - 1) :],
                lang,
                with_status,
                spotlight,
            )
        )
    else:
        half = (per - 2) // 2
        columns.append(
            html.Div(
                [
                    _column(
                        t("wallm.highest", lang),
                        rows[:half],
                        lang,
                        with_status,
                        spotlight,
                    ),
                    _column(
                        t("wallm.lowest", lang),
                        rows[-half:],
                        lang,
                        with_status,
                        spotlight,
                    ),
                ],
                className="wall-rank-col wall-rank-split",
            )
        )
    return html.Div(columns, className="wall-rank-panel")
