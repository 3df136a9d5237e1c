"""A table of indicators for one unit: rows of data.queries.unit_progress.

One row per indicator: name (linked to its page) with the freshness line,
actual with its unit, target, % of plan or met, expected pace, comparison with
the same period last year, and the status (colour, icon and word). Values are
formatted here and nowhere else; the rows are not filtered or sorted here.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from components.fmt import MISSING, fmt_delta, fmt_pct, fmt_value
from components.freshness import tile_meta
from components.status import normalize_status, status_badge
from core.i18n import register, t
from core.urls import href
from data.schema import (
    CATALOG_TARGET_TYPE,
    CHANGE_VS_LAST_YEAR,
    EXPECTED_PCT,
    INDICATOR_CODE,
    NAME_EN,
    NAME_VI,
    OWNER_EN,
    OWNER_VI,
    PCT_OF_TARGET,
    PCT_VS_LAST_YEAR,
    UNIT_EN,
    UNIT_VI,
    YTD_ACTUAL,
)

register(
    {
        "itable.owner": {"vi": "Chủ trì: {name}", "en": "Owner: {name}"},
        "itable.ytd": {"vi": "lũy kế {value}", "en": "year to date {value}"},
        "itable.pct_or_met": {"vi": "% KH / Đạt", "en": "% of plan / met"},
        "itable.pace": {"vi": "Tiến độ dự kiến", "en": "Expected pace"},
        "itable.vs_last_year": {"vi": "So với cùng kỳ", "en": "vs last year"},
        "itable.met": {"vi": "Đạt", "en": "Met"},
        "itable.not_met": {"vi": "Chưa đạt", "en": "Not met"},
        "itable.pp": {"vi": "điểm %", "en": "pp"},
        "itable.at_least": {"vi": "≥ {value}", "en": "≥ {value}"},
        "itable.at_most": {"vi": "≤ {value}", "en": "≤ {value}"},
    }
)

COLUMNS = (  # (label key, numeric column)
    ("col.indicator", False),
    ("kpi.actual", True),
    ("kpi.target", True),
    ("itable.pct_or_met", True),
    ("itable.pace", True),
    ("itable.vs_last_year", True),
    ("status.label", False),
)


def _present(value: object) -> bool:
    try:
        return value is not None and bool(value == value)  # not None, NaN, NaT
    except TypeError:  # pandas NA
        return False


def due_period(month: str, frequency: str) -> str:
    """The latest period at `frequency` that ends by the end of `month` (YYYY-MM):
    the figure a unit should have supplied by then."""
    year, mon = int(month[:4]), int(month[5:7])
    if frequency == "month":
        return month
    if frequency == "quarter":
        return f"{year}-Q{mon // 3}" if mon >= 3 else f"{year - 1}-Q4"
    return str(year) if mon == 12 else str(year - 1)


def table_rows(
    progress: pd.DataFrame, catalog: pd.DataFrame, month: str, lang: str
) -> list[dict]:
    """unit_progress records with the owner's names, a status that is never
    empty (`status`: no_data when there is no figure) and `current` (the figure
    is the one due by `month`)."""
    owners = {
        r["code"]: r for r in catalog[["code", OWNER_VI, OWNER_EN]].to_dict("records")
    }
    records = progress.to_dict("records")
    for row in records:
        owner = owners.get(row[INDICATOR_CODE], {})
        row[OWNER_VI], row[OWNER_EN] = owner.get(OWNER_VI), owner.get(OWNER_EN)
        name = row[OWNER_EN] if lang == "en" else row[OWNER_VI]
        row["owner_name"] = name if _present(name) else row.get("owner")
        row["status"] = normalize_status(row.get("status"))
        row["current"] = row.get("period") == due_period(month, row.get("frequency"))
    return records


def _is_true(value: object) -> bool:
    return _present(value) and bool(value)


def _units(row: dict) -> tuple[str | None, str | None]:
    return row.get(UNIT_VI), row.get(UNIT_EN)


def actual_text(row: dict, lang: str) -> str:
    """The period's figure with its unit (counts without decimals)."""
    return fmt_value(
        row.get("actual"), *_units(row), lang, integer=_is_true(row.get("integer"))
    )


def ytd_text(row: dict, lang: str) -> str | None:
    """For monthly/quarterly flows, the year-to-date sum the plan is held to."""
    if row.get("measure") != "flow" or row.get("frequency") == "year":
        return None
    ytd = row.get(YTD_ACTUAL)
    if not _present(ytd) or ytd == row.get("actual"):
        return None
    value = fmt_value(ytd, *_units(row), lang, integer=_is_true(row.get("integer")))
    return t("itable.ytd", lang, value=value)


def target_text(row: dict, lang: str) -> str:
    """The target, with ≥ / ≤ for a minimum or maximum."""
    text = fmt_value(
        row.get("target"), *_units(row), lang, integer=_is_true(row.get("integer"))
    )
    if text == MISSING:
        return text
    kind = row.get(CATALOG_TARGET_TYPE)
    if kind == "min":
        return t("itable.at_least", lang, value=text)
    if kind == "max":
        return t("itable.at_most", lang, value=text)
    return text


def plan_text(row: dict, lang: str) -> str:
    """% of plan for plan targets; met or not for minimum/maximum targets."""
    if row.get(CATALOG_TARGET_TYPE) == "plan":
        return fmt_pct(row.get(PCT_OF_TARGET), lang)
    met = row.get("met")
    if not _present(met):
        return MISSING
    return t("itable.met" if met else "itable.not_met", lang)


def pace_text(row: dict, lang: str) -> str:
    """Share of the plan normally reached by now (plan targets only)."""
    if row.get(CATALOG_TARGET_TYPE) != "plan":
        return MISSING
    return fmt_pct(row.get(EXPECTED_PCT), lang)


def last_year_text(row: dict, lang: str) -> str:
    """Amounts: % of the same period last year; rates: the change (points)."""
    pct = row.get(PCT_VS_LAST_YEAR)
    if _present(pct):
        return fmt_pct(pct, lang)
    change = row.get(CHANGE_VS_LAST_YEAR)
    if not _present(change):
        return MISSING
    unit_vi, unit_en = _units(row)
    if unit_vi == "%":
        return f"{fmt_delta(change, lang, decimals=1)} {t('itable.pp', lang)}"
    return fmt_delta(change, lang, unit_vi=unit_vi, unit_en=unit_en)


def _name_cell(
    row: dict, lang: str, state: dict, unit: str, show_owner: bool
) -> html.Td:
    code = row[INDICATOR_CODE]
    name = row.get(NAME_EN if lang == "en" else NAME_VI) or code
    link_unit = None if unit == "00" else unit
    extra = []
    if show_owner and _present(row.get("owner_name")):
        extra.append(
            html.Span(
                t("itable.owner", lang, name=row["owner_name"]),
                className="itable-owner",
            )
        )
    return html.Td(
        [
            html.Div(
                [
                    dcc.Link(
                        name,
                        href=href(f"/indicator/{code}", state, unit=link_unit),
                        className="itable-name",
                    ),
                    html.Span(code, className="itable-code"),
                ],
            ),
            *extra,
            tile_meta(row, lang, state, unit=unit)
            if _present(row.get("period"))
            else None,
        ],
        className="itable-indicator",
    )


def indicator_row(
    row: dict, lang: str, state: dict, unit: str = "00", show_owner: bool = True
) -> html.Tr:
    ytd = ytd_text(row, lang)
    actual = [actual_text(row, lang)]
    if ytd:
        actual += [html.Br(), html.Small(ytd, className="text-muted")]
    return html.Tr(
        [
            _name_cell(row, lang, state, unit, show_owner),
            html.Td(actual, className="num"),
            html.Td(target_text(row, lang), className="num"),
            html.Td(plan_text(row, lang), className="num"),
            html.Td(pace_text(row, lang), className="num"),
            html.Td(last_year_text(row, lang), className="num"),
            html.Td(status_badge(row.get("status"), lang, small=True)),
        ],
        **{"data-indicator": row[INDICATOR_CODE]},
    )


def indicator_table(
    rows: list[dict], lang: str, state: dict, unit: str = "00", show_owner: bool = True
) -> html.Div:
    """`rows`: unit_progress records (optionally with `owner_name`), as shown."""
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(key, lang), className="num" if numeric else None, scope="col")
                for key, numeric in COLUMNS
            ]
        )
    )
    body = html.Tbody([indicator_row(r, lang, state, unit, show_owner) for r in rows])
    return html.Div(
        html.Table(
            [head, body],
            className="table table-sm table-hover cc-table itable align-middle mb-0",
        ),
        className="table-responsive",
    )
