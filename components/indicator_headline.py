"""The headline figure of the indicator page: one unit, one period, in tiles.

`progress` is one m_progress row (data.queries.progress_in_geo), `catalog_row`
the indicator. Every number comes from the model; this module only chooses
which tiles the target type calls for and formats them. The comparison with
last year is said the way the overview cards say it (components.kpi_card).
"""

from __future__ import annotations

from dash import dcc, html

from components.fmt import fmt_delta, fmt_pct, fmt_period, fmt_value
from components.freshness import tile_meta
from components.indicator_header import is_integer, present, target_type_key
from components.kpi_card import vs_last_year_text
from components.status import normalize_status, status_badge
from core.i18n import register, t
from data.schema import (
    EXPECTED_PCT,
    INDICATOR_CODE,
    PCT_OF_TARGET,
    PROJECTED_YEAR_END,
    TARGET_TO_DATE,
    UNIT_EN,
    UNIT_VI,
    YTD_ACTUAL,
)

HEADLINE_ID = "indicator-headline"

register(
    {
        "ind.actual_ytd": {"vi": "Thực hiện (lũy kế)", "en": "Actual (year to date)"},
        "ind.plan": {"vi": "Kế hoạch năm", "en": "Annual plan"},
        "ind.target_min": {"vi": "Mục tiêu tối thiểu", "en": "Minimum target"},
        "ind.target_max": {"vi": "Mục tiêu tối đa", "en": "Maximum target"},
        "ind.pace_seasonal": {
            "vi": "theo mùa vụ các năm trước",
            "en": "seasonal, from earlier years",
        },
        "ind.pace_elapsed": {
            "vi": "theo thời gian đã qua trong năm",
            "en": "share of the year elapsed",
        },
        "ind.no_figure": {
            "vi": "Chưa có số liệu của đơn vị này cho kỳ đã chọn",
            "en": "No figure for this unit and period",
        },
        "ind.unit": {"vi": "Đơn vị", "en": "Unit"},
        "ind.at": {"vi": "Kỳ số liệu", "en": "Figure's period"},
        "ind.met": {"vi": "Đạt", "en": "Met"},
        "ind.not_met": {"vi": "Chưa đạt", "en": "Not met"},
        "ind.gap": {"vi": "Chênh lệch so với mục tiêu", "en": "Gap to target"},
        "ind.plan_reached": {
            "vi": "Đã hoàn thành kế hoạch năm",
            "en": "Annual plan already met",
        },
    }
)


def _css(status: str) -> str:
    return "no_data" if status == "no_target" else status


def headline_values(progress: dict, catalog_row: dict, lang: str) -> dict[str, str]:
    """The headline's formatted figures by name (plain data, for tests too)."""
    row = {**catalog_row, **progress}
    plan = target_type_key(catalog_row) == "plan"

    def amount(value: object) -> str:
        return fmt_value(
            value,
            row.get(UNIT_VI),
            row.get(UNIT_EN),
            lang,
            integer=is_integer(catalog_row),
        )

    shown = row.get(YTD_ACTUAL) if plan and present(row.get(YTD_ACTUAL)) else None
    out = {"actual": amount(shown if shown is not None else row.get("actual"))}
    if plan and present(row.get("target")):
        out["target"] = amount(row["target"])
        out[PCT_OF_TARGET] = fmt_pct(row.get(PCT_OF_TARGET), lang)
        out[EXPECTED_PCT] = fmt_pct(row.get(EXPECTED_PCT), lang)
        if present(row.get(PROJECTED_YEAR_END)):
            out[PROJECTED_YEAR_END] = amount(row[PROJECTED_YEAR_END])
        needed = row.get("monthly_needed")
        if present(needed):
            out["monthly_needed"] = (
                amount(needed) if needed > 0 else t("ind.plan_reached", lang)
            )
    elif not plan and present(row.get(TARGET_TO_DATE)):
        out["target"] = amount(row[TARGET_TO_DATE])
        out[PCT_OF_TARGET] = fmt_pct(row.get(PCT_OF_TARGET), lang)
        if present(row.get("gap")):
            out["gap"] = fmt_delta(
                row["gap"], lang, None, row.get(UNIT_VI), row.get(UNIT_EN)
            )
    last_year = vs_last_year_text(row, lang)
    if last_year:
        out["vs_last_year"] = last_year
    return out


def _tile(key: str, label: str, value: str, *extra, css: str = "") -> html.Div:
    return html.Div(
        [
            html.Div(label, className="kpi-label"),
            html.Div(value, className="kpi-value", **{"data-value": key}),
            *[e for e in extra if e is not None],
        ],
        className=f"kpi-card indicator-tile {css}".strip(),
        **{"data-tile": key},
    )


def _plan_bar(progress: dict, status: str) -> html.Div:
    """% of plan as a bar, with a tick at the expected pace."""
    pct, pace = progress.get(PCT_OF_TARGET), progress.get(EXPECTED_PCT)
    width = max(0.0, min(100.0, float(pct))) if present(pct) else 0.0
    tick = (
        [
            html.Div(
                className="kpi-pace-tick",
                style={"left": f"{max(0.0, min(100.0, float(pace))):.1f}%"},
            )
        ]
        if present(pace)
        else []
    )
    return html.Div(
        [
            html.Div(
                className=f"progress-bar status-{_css(status)}",
                style={"width": f"{width:.1f}%"},
            ),
            *tick,
        ],
        className="progress kpi-progress",
        role="progressbar",
        **{
            "aria-valuenow": f"{width:.1f}",
            "aria-valuemin": "0",
            "aria-valuemax": "100",
        },
    )


def headline(
    progress: dict | None,
    catalog_row: dict,
    unit_name: str,
    lang: str,
    state: dict,
    unit: str,
) -> html.Div:
    """Tiles for the unit's figure of one period, with status and tile_meta."""
    if not progress:
        return html.Div(
            t("ind.no_figure", lang), className="empty-state", id=HEADLINE_ID
        )
    values = headline_values(progress, catalog_row, lang)
    status = normalize_status(progress.get("status"))
    kind = target_type_key(catalog_row)
    plan = kind == "plan"
    tiles = [
        _tile(
            "actual",
            t("ind.actual_ytd" if plan else "kpi.actual", lang),
            values["actual"],
            html.Div(status_badge(status, lang)),
            css=f"status-{_css(status)}",
        )
    ]
    if "target" in values:
        label = {"plan": "ind.plan", "min": "ind.target_min", "max": "ind.target_max"}
        tiles.append(
            _tile("target", t(label.get(kind, "kpi.target"), lang), values["target"])
        )
        tiles.append(
            _tile(
                PCT_OF_TARGET,
                t("kpi.pct_of_plan", lang),
                values[PCT_OF_TARGET],
                _plan_bar(progress, status) if plan else None,
            )
        )
    if EXPECTED_PCT in values:
        basis = "seasonal" if progress.get("pace_basis") == "seasonal" else "elapsed"
        tiles.append(
            _tile(
                EXPECTED_PCT,
                t("kpi.expected_pace", lang),
                values[EXPECTED_PCT],
                html.Div(t(f"ind.pace_{basis}", lang), className="kpi-meta"),
            )
        )
    if "gap" in values:
        met = progress.get("met")
        tiles.append(
            _tile(
                "gap",
                t("ind.gap", lang),
                values["gap"],
                html.Div(
                    t("ind.met" if met is True or met == 1 else "ind.not_met", lang),
                    className="kpi-meta",
                ),
            )
        )
    for key, label in (
        ("vs_last_year", "kpi.vs_last_year"),
        (PROJECTED_YEAR_END, "kpi.projected_year_end"),
        ("monthly_needed", "kpi.monthly_needed"),
    ):
        if key in values:
            tiles.append(_tile(key, t(label, lang), values[key]))
    caption = html.Div(
        [html.Strong(unit_name), " · ", fmt_period(progress.get("period"), lang)],
        className="headline-caption mb-2",
    )
    return html.Div(
        [
            caption,
            html.Div(tiles, className="kpi-grid indicator-tiles", id=HEADLINE_ID),
            html.Div(
                tile_meta(
                    {**progress, INDICATOR_CODE: catalog_row.get("code")},
                    lang,
                    state,
                    unit=unit,
                ),
                className="mt-2",
            ),
        ],
    )


def pickers(
    unit_options: list[dict],
    unit: str,
    periods: list[str],
    at: str | None,
    lang: str,
    unit_id: str,
    at_id: str,
) -> html.Div:
    """The unit and the figure's period; the page turns a choice into a URL."""
    if at and at not in periods:
        periods = [at, *periods]
    at_options = [{"label": fmt_period(p, lang), "value": p} for p in periods]
    return html.Div(
        [
            html.Label(
                [
                    t("ind.unit", lang),
                    dcc.Dropdown(
                        id=unit_id,
                        options=unit_options,
                        value=unit,
                        clearable=False,
                        className="indicator-picker",
                    ),
                ],
                className="picker-label",
            ),
            html.Label(
                [
                    t("ind.at", lang),
                    dcc.Dropdown(
                        id=at_id,
                        options=at_options,
                        value=at,
                        clearable=False,
                        className="indicator-picker",
                    ),
                ],
                className="picker-label",
            ),
        ],
        className="indicator-pickers no-print",
    )


def panel(title: str, body: list, download=None, **extra) -> html.Div:
    """A titled panel with its download buttons on the title line."""
    head = html.Div(
        [html.H2(title, className="panel-title"), download], className="panel-head"
    )
    return html.Div([head, *body], className="panel h-100", **extra)
