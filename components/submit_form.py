"""The regime's form for the reporter's own unit (pure builders): an editable
grid of the regime's indicators, the figures of the previous period and of the
same period last year beside each cell, the units of measure; the rows of
SUBMISSION_FORMAT's JSON built from it; the bad cells marked from the report.

What a reporter types is sent as written (a plain number as a JSON number,
anything else as text), so the ETL's checks, not this page, judge it: a
`29.915,5` is refused in the page exactly as in a file.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from dash import dash_table

from components.fmt import MISSING, fmt_number, fmt_period
from components.submit_errors import column_label, expected_text
from core.i18n import register, t

register(
    {
        "sub.grid.code": {"vi": "Mã", "en": "Code"},
        "sub.grid.name": {"vi": "Chỉ tiêu", "en": "Indicator"},
        "sub.grid.unit": {"vi": "Đơn vị tính", "en": "Unit"},
        "sub.grid.prev": {"vi": "Kỳ trước ({period})", "en": "Previous ({period})"},
        "sub.grid.last_year": {
            "vi": "Cùng kỳ năm trước ({period})",
            "en": "Same period last year ({period})",
        },
        "sub.grid.published": {"vi": "Đã công bố", "en": "Published"},
        "sub.grid.value": {"vi": "Số liệu {period}", "en": "Value {period}"},
        "sub.grid.problem": {"vi": "Kết quả kiểm tra", "en": "Check"},
        "sub.grid.ok": {"vi": "✓ Hợp lệ", "en": "✓ Valid"},
    }
)

PLAIN_INT = re.compile(r"-?[0-9]+")
PLAIN_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+")
BAD = {"backgroundColor": "#f9e0cf", "color": "#7a2e00"}  # Okabe-Ito vermillion tint
BAD_CELL = {"border": "2px solid #D55E00", "fontWeight": "600"}
INPUT_CELL = {"backgroundColor": "#fffbe6"}
MAX_CONTEXT_DECIMALS = 3


def context_number(value: object, lang: str) -> str:
    """A published figure as the warehouse holds it (up to 3 decimals, not
    rounded to a display precision: the reporter compares it with its own)."""
    if value is None or value != value:  # None, NaN
        return MISSING
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    places = min(MAX_CONTEXT_DECIMALS, max(0, -int(exponent)))
    return fmt_number(value, lang, places)


def grid_rows(form: list[dict], lang: str) -> list[dict]:
    """The grid's rows from data.queries.reporter_form's records."""
    return [
        {
            "code": r["indicator_code"],
            "name": r["name_en"] if lang == "en" else r["name_vi"],
            "unit": (r["unit_en"] if lang == "en" else r["unit_vi"]) or "",
            "prev": context_number(r.get("prev_value"), lang),
            "last_year": context_number(r.get("last_year_value"), lang),
            "published": context_number(r.get("current_value"), lang),
            "value": "",
            "problem": "",
        }
        for r in form
    ]


def form_grid(
    rows: list[dict], lang: str, grid_id: str, period: str, prev: str, last_year: str
) -> dash_table.DataTable:
    """The grid: only the value column is editable."""

    def col(key: str, **more) -> dict:
        return {"id": key, "name": t(f"sub.grid.{key}", lang, **more)}

    columns = [
        col("code"),
        col("name"),
        col("unit"),
        col("prev", period=fmt_period(prev, lang)),
        col("last_year", period=fmt_period(last_year, lang)),
        col("published"),
        {**col("value", period=fmt_period(period, lang)), "editable": True},
        col("problem"),
    ]
    return dash_table.DataTable(
        id=grid_id,
        columns=columns,
        data=rows,
        editable=False,
        page_action="none",
        sort_action="none",
        style_table={"overflowX": "auto", "width": "100%"},
        style_cell={
            "fontFamily": "var(--cc-font)",
            "fontSize": "0.875rem",
            "padding": "0.3rem 0.5rem",
            "textAlign": "left",
            "whiteSpace": "normal",
            "height": "auto",
        },
        style_header={"backgroundColor": "#eef0f3", "fontWeight": "600"},
        style_cell_conditional=[
            {"if": {"column_id": c}, "textAlign": "right", "width": "9rem"}
            for c in ("prev", "last_year", "published", "value")
        ]
        + [
            {"if": {"column_id": "code"}, "width": "5rem"},
            {"if": {"column_id": "name"}, "minWidth": "18rem"},
            {"if": {"column_id": "problem"}, "minWidth": "16rem"},
        ],
        style_data_conditional=marks([]),
        css=[{"selector": ".dash-spreadsheet-menu", "rule": "display: none"}],
    )


def json_value(text: str) -> int | float | str:
    """A plain number (the format's) as a JSON number; else the text itself."""
    if PLAIN_INT.fullmatch(text):
        return int(text)
    if PLAIN_DECIMAL.fullmatch(text):
        return float(text)
    return text


def submission(
    rows: list[dict], agency: str, unit: str, period: str
) -> tuple[bytes, dict[int, str]]:
    """SUBMISSION_FORMAT's JSON of the filled cells, and which indicator each
    of its rows (1-based, as the report numbers them) is."""
    figures, codes = [], {}
    for row in rows:
        text = str(row.get("value") if row.get("value") is not None else "").strip()
        if not text:
            continue
        figures.append(
            {
                "indicator_code": row["code"],
                "unit_code": unit,
                "period": period,
                "value": json_value(text),
            }
        )
        codes[len(figures)] = row["code"]
    document = {"reporter": agency, "rows": figures}
    body = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    return body.encode("utf-8"), codes


def marks(bad_codes: list[str]) -> list[dict]:
    """The grid's conditional styles: the input column, then each bad row
    tinted and its value cell framed."""
    styles = [{"if": {"column_id": "value"}, **INPUT_CELL}]
    for code in bad_codes:
        match = f'{{code}} = "{code}"'
        styles.append({"if": {"filter_query": match}, **BAD})
        styles.append({"if": {"filter_query": match, "column_id": "value"}, **BAD_CELL})
    return styles


def checked(
    rows: list[dict],
    errors: list[dict],
    codes: dict[int, str],
    lang: str,
    units_vi: dict[str, str] | None = None,
) -> tuple[list[dict], list[str]]:
    """The grid's rows with each filled cell's result in words, and the codes
    of the bad rows (to mark)."""
    problems: dict[str, list[str]] = {}
    for e in errors:
        code = codes.get(int(e.get("row") or 0))
        if code is None:
            continue
        text = expected_text(e.get("expected"), lang, units_vi)
        problems.setdefault(code, []).append(
            f"✗ {column_label(e.get('column'), lang)}: {text}"
        )
    filled = set(codes.values())
    out = []
    for row in rows:
        code = row["code"]
        if code in problems:
            note = "; ".join(problems[code])
        elif code in filled:
            note = t("sub.grid.ok", lang)
        else:
            note = ""
        out.append({**row, "problem": note})
    return out, [r["code"] for r in rows if r["code"] in problems]
