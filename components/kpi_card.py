"""The KPI card of a headline indicator: the figure, its target, pace, last year,
status, a sparkline, "will we make it", and the freshness line.

`row` is one row of data.queries.unit_progress as a dict; every number shown
comes from the m_progress model (pct_of_target, expected_pct, projected_year_end,
monthly_needed, ...), the card only chooses what to say and formats it.
"""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from components.fmt import (
    MISSING,
    fmt_delta,
    fmt_number,
    fmt_pct,
    fmt_period,
    fmt_signed_pct,
    fmt_value,
)
from components.freshness import tile_meta
from components.sparkline import sparkline
from components.status import normalize_status, status_badge
from core.i18n import register, t
from core.urls import href
from data.schema import (
    CATALOG_TARGET_TYPE,
    CHANGE_VS_LAST_YEAR,
    EXPECTED_PCT,
    INDICATOR_CODE,
    PCT_OF_TARGET,
    PCT_VS_LAST_YEAR,
    PROJECTED_YEAR_END,
    TARGET_TO_DATE,
    UNIT_EN,
    UNIT_VI,
    YTD_ACTUAL,
)

# (key, Vietnamese, English)
_STRINGS = [
    ("kpicard.ytd", "Lũy kế từ đầu năm", "Year to date"),
    ("kpicard.plan", "Kế hoạch năm", "Annual plan"),
    ("kpicard.target_min", "Mục tiêu: không thấp hơn", "Target: at least"),
    ("kpicard.target_max", "Mục tiêu: không vượt quá", "Target: at most"),
    ("kpicard.of_plan", "{pct} kế hoạch", "{pct} of plan"),
    ("kpicard.pace", "tiến độ dự kiến {pct}", "expected pace {pct}"),
    (
        "kpicard.pace_seasonal",
        "Tiến độ dự kiến theo mùa vụ các năm trước",
        "Expected pace from the seasonality of earlier years",
    ),
    (
        "kpicard.pace_elapsed",
        "Tiến độ dự kiến theo thời gian đã qua trong năm",
        "Expected pace from the share of the year elapsed",
    ),
    ("kpicard.gap", "Chênh lệch so với mục tiêu", "Gap to target"),
    ("kpicard.vs_last_year", "So với cùng kỳ năm trước", "vs same period last year"),
    ("kpicard.points", "điểm %", "pts"),
    ("kpicard.projected", "Ước cả năm", "Projected year end"),
    ("kpicard.will_make", "Dự kiến đạt kế hoạch", "On course to meet the plan"),
    (
        "kpicard.will_miss",
        "Dự kiến thiếu {amount} so với kế hoạch",
        "On course to fall {amount} short of the plan",
    ),
    (
        "kpicard.needed",
        "Cần bình quân {value}/tháng trong {n} tháng còn lại",
        "Needs {value} a month over the {n} months left",
    ),
    ("kpicard.plan_reached", "Đã hoàn thành kế hoạch năm", "Annual plan already met"),
    ("kpicard.trend", "Xu hướng {start} – {end}", "Trend {start} – {end}"),
]
register({key: {"vi": vi, "en": en} for key, vi, en in _STRINGS})


def present(value: object) -> bool:
    """Not None, NaN, NaT or pandas NA."""
    if value is None:
        return False
    try:
        return bool(value == value)
    except (TypeError, ValueError):
        return False


def _lang_field(row: dict, field: str, lang: str) -> str:
    value = row.get(f"{field}_{'en' if lang == 'en' else 'vi'}")
    return value if isinstance(value, str) else ""


def months_left(period: object) -> int | None:
    """Months of the year after `period` (a month or quarter key), as the model
    divides monthly_needed by them: '2026-10' -> 2, '2026-Q3' -> 3."""
    text = str(period)
    if len(text) == 7 and text[4] == "-" and text[5:].isdigit():
        return 12 - int(text[5:])
    if len(text) == 7 and text[5] == "Q" and text[6] in "1234":
        return 12 - 3 * int(text[6])
    return None


def shown_value(row: dict) -> object:
    """The figure the card leads with: the year-to-date amount for plan targets
    (what % of plan is measured on), else the period's own figure."""
    if row.get(CATALOG_TARGET_TYPE) == "plan" and present(row.get(YTD_ACTUAL)):
        return row[YTD_ACTUAL]
    return row.get("actual")


def card_status(row: dict) -> str:
    """The row's status; an indicator without a figure is 'no_data'."""
    return (
        normalize_status(row.get("status")) if present(row.get("actual")) else "no_data"
    )


def _css(status: str) -> str:
    """The status class: no_target is drawn in the neutral no_data style."""
    return "status-" + ("no_data" if status == "no_target" else status)


def _amount(value: object, row: dict, lang: str) -> str:
    """An amount with the indicator's unit, whole numbers for counts."""
    units = (row.get(UNIT_VI), row.get(UNIT_EN))
    return fmt_value(value, *units, lang, integer=bool(row.get("integer")))


def _change(value: object, row: dict, lang: str) -> str:
    """A signed difference: in percentage points for % figures, else in units."""
    if row.get(UNIT_VI) == "%":
        return f"{fmt_delta(value, lang, decimals=1)} {t('kpicard.points', lang)}"
    return fmt_delta(value, lang, unit_vi=row.get(UNIT_VI), unit_en=row.get(UNIT_EN))


def vs_last_year_text(row: dict, lang: str) -> str | None:
    """Growth in percent for amounts; the change in points (or units) for rates."""
    if present(row.get(PCT_VS_LAST_YEAR)) and row.get("measure") != "rate":
        return fmt_signed_pct(row[PCT_VS_LAST_YEAR] - 100, lang)
    change = row.get(CHANGE_VS_LAST_YEAR)
    return _change(change, row, lang) if present(change) else None


def _line(label: str, value: str) -> html.Div:
    return html.Div(
        [
            html.Span(label + ": ", className="kpi-line-label"),
            html.Span(value, className="kpi-line-value"),
        ],
        className="kpi-line",
    )


def _share(value: object) -> float:
    """A percent clamped to the bar (0 to 100); missing counts as 0."""
    return max(0.0, min(100.0, float(value))) if present(value) else 0.0  # type: ignore[arg-type]


def plan_progress(row: dict, lang: str) -> html.Div:
    """% of plan as a bar with a tick at the expected pace, said in words too."""
    pct, pace = row.get(PCT_OF_TARGET), row.get(EXPECTED_PCT)
    width = _share(pct)
    tick = html.Div(className="kpi-pace-tick", style={"left": f"{_share(pace):.1f}%"})
    bar = html.Div(
        [
            html.Div(
                className=f"progress-bar {_css(card_status(row))}",
                style={"width": f"{width:.1f}%"},
            ),
            *([tick] if present(pace) else []),
        ],
        className="progress kpi-progress",
        role="progressbar",
        **{
            "aria-valuenow": f"{width:.1f}",
            "aria-valuemin": "0",
            "aria-valuemax": "100",
        },
    )
    seasonal = row.get("pace_basis") == "seasonal"
    basis = t("kpicard.pace_seasonal" if seasonal else "kpicard.pace_elapsed", lang)
    words = html.Div(
        [
            html.Span(
                t("kpicard.of_plan", lang, pct=fmt_pct(pct, lang)), className="kpi-pct"
            ),
            " · ",
            html.Span(t("kpicard.pace", lang, pct=fmt_pct(pace, lang)), title=basis),
        ],
        className="kpi-line",
    )
    return html.Div([bar, words])


def _verdict(row: dict, lang: str) -> html.Span:
    """Will the projection reach the plan: yes, or by how much it falls short."""
    target, projected = row["target"], row[PROJECTED_YEAR_END]
    down = row.get("direction") == "down"
    if projected <= target if down else projected >= target:
        icon, words, css = (
            "bi-check-circle-fill",
            t("kpicard.will_make", lang),
            "on_track",
        )
    else:
        # the shortfall in the indicator's unit, coloured like the card's status
        # (an on-track card that is a little short stays neutral, not green)
        shortfall = _amount(abs(target - projected), row, lang)
        icon = "bi-arrow-down-circle-fill"
        words = t("kpicard.will_miss", lang, amount=shortfall)
        status = card_status(row)
        css = status if status in ("at_risk", "off_track") else "no_data"
    return html.Span(
        [html.I(className=f"bi {icon} me-1", **{"aria-hidden": "true"}), words],
        className=f"status-text status-{css}",
    )


def will_we_make_it(row: dict, lang: str) -> html.Div | None:
    """Projected year end against the plan, and what each remaining month needs."""
    target, projected = row.get("target"), row.get(PROJECTED_YEAR_END)
    if row.get(CATALOG_TARGET_TYPE) != "plan" or not (
        present(target) and present(projected)
    ):
        return None
    ratio = fmt_pct(projected / target * 100, lang) if target else MISSING
    of_plan = t("kpicard.of_plan", lang, pct=ratio)
    lines = [
        html.Div(_verdict(row, lang), className="kpi-verdict"),
        _line(
            t("kpicard.projected", lang), f"{_amount(projected, row, lang)} ({of_plan})"
        ),
    ]
    needed, left = row.get("monthly_needed"), months_left(row.get("period"))
    if present(needed) and left:
        text = (
            t("kpicard.plan_reached", lang)
            if needed <= 0
            else t("kpicard.needed", lang, value=_amount(needed, row, lang), n=left)
        )
        lines.append(html.Div(text, className="kpi-line kpi-needed"))
    return html.Div(lines, className="kpi-forecast")


def target_block(row: dict, lang: str) -> list:
    """The target and how the figure stands against it, by target type."""
    kind = row.get(CATALOG_TARGET_TYPE)
    if kind == "plan" and present(row.get("target")):
        return [
            _line(t("kpicard.plan", lang), _amount(row["target"], row, lang)),
            plan_progress(row, lang),
        ]
    if kind in ("min", "max") and present(row.get(TARGET_TO_DATE)):
        label = t(f"kpicard.target_{kind}", lang)
        limit = _amount(row[TARGET_TO_DATE], row, lang)
        parts = [html.Div(f"{label} {limit}", className="kpi-line")]
        if present(row.get("gap")):
            parts.append(_line(t("kpicard.gap", lang), _change(row["gap"], row, lang)))
        return parts
    return []


def trend_label(points: Sequence[tuple[str, object]], lang: str) -> str:
    if not points:
        return ""
    return t(
        "kpicard.trend",
        lang,
        start=fmt_period(points[0][0], lang),
        end=fmt_period(points[-1][0], lang),
    )


def value_parts(row: dict, lang: str) -> tuple[str, str]:
    """The lead figure and its unit, formatted apart so the number can be large."""
    number = fmt_number(shown_value(row), lang, 0 if row.get("integer") else None)
    unit = _lang_field(row, "unit", lang).strip()
    return number, ("" if number == MISSING else unit)


def kpi_card(
    row: dict, spark_series: Sequence[tuple[str, object]], lang: str, state: dict
) -> html.Div:
    """One headline card; its title links to /indicator/<code> (the whole card
    is clickable through Bootstrap's stretched link)."""
    code = str(row.get(INDICATOR_CODE))
    status = card_status(row)
    number, unit = value_parts(row, lang)
    # the same text as fmt_value: a space before a unit, none before "%"
    unit_parts = (
        []
        if not unit
        else [html.Span(unit, className="kpi-unit kpi-unit-glued")]
        if unit == "%"
        else [" ", html.Span(unit, className="kpi-unit")]
    )
    is_ytd = row.get(CATALOG_TARGET_TYPE) == "plan" or row.get("measure") == "ytd"
    ly = vs_last_year_text(row, lang)
    trend = trend_label(spark_series, lang)
    children = [
        html.Div(
            [
                dcc.Link(
                    _lang_field(row, "name", lang) or code,
                    href=href(f"/indicator/{code}", state),
                    className="kpi-label stretched-link",
                ),
                status_badge(status, lang, small=True),
            ],
            className="kpi-head",
        ),
        html.Div(
            [html.Span(number, className="kpi-number"), *unit_parts],
            className="kpi-value",
        ),
        html.Div(t("kpicard.ytd", lang), className="kpi-sub")
        if is_ytd and number != MISSING
        else None,
        *target_block(row, lang),
        _line(t("kpicard.vs_last_year", lang), ly) if ly else None,
        will_we_make_it(row, lang),
        sparkline(spark_series, lang, trend) if spark_series else None,
        html.Div(trend, className="kpi-trend-label") if spark_series else None,
        tile_meta(row, lang, state),
    ]
    return html.Div(
        [c for c in children if c is not None],
        className=f"kpi-card overview-kpi {_css(status)}",
        **{"data-indicator": code},
    )


def spark_field(row: dict) -> str:
    """The series column the sparkline draws: the same measure as the lead figure."""
    return YTD_ACTUAL if row.get(CATALOG_TARGET_TYPE) == "plan" else "actual"
