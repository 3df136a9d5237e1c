"""The indicator page's header and its catalog facts, said in words.

Pure builders: a catalog row (data.queries.indicator) in, components out.
The words explaining measure, target type and aggregation live here, so
every page that explains an indicator says the same thing.
"""

from __future__ import annotations

from dash import dcc, html

from components.breadcrumbs import breadcrumbs
from components.fmt import MISSING, fmt_number
from core.i18n import register, t
from core.urls import href
from data.schema import UNIT_EN, UNIT_VI

register(
    {
        "ind.frequency": {"vi": "Kỳ báo cáo", "en": "Frequency"},
        "ind.freq.day": {"vi": "Hằng ngày", "en": "Daily"},
        "ind.freq.month": {"vi": "Hằng tháng", "en": "Monthly"},
        "ind.freq.quarter": {"vi": "Hằng quý", "en": "Quarterly"},
        "ind.freq.year": {"vi": "Hằng năm", "en": "Yearly"},
        "ind.measure": {"vi": "Cách đo", "en": "Measure"},
        "ind.measure.flow": {
            "vi": "Số phát sinh trong kỳ; cộng dồn từ đầu năm để so với kế hoạch",
            "en": "Amount arising in the period; added up from January "
            "to compare with the plan",
        },
        "ind.measure.ytd": {
            "vi": "Lũy kế từ đầu năm đến hết kỳ báo cáo",
            "en": "Cumulative from the start of the year to the end of the period",
        },
        "ind.measure.stock": {
            "vi": "Số có tại thời điểm cuối kỳ (không cộng dồn)",
            "en": "Level at the end of the period (not added up)",
        },
        "ind.measure.rate": {
            "vi": "Tỷ lệ, chỉ số hoặc tốc độ của kỳ (không cộng dồn)",
            "en": "A rate, index or growth figure for the period (not added up)",
        },
        "ind.target_type": {"vi": "Loại chỉ tiêu", "en": "Target type"},
        "ind.target.plan": {
            "vi": "Kế hoạch năm: số lũy kế so với mức giao cả năm",
            "en": "Annual plan: the year-to-date amount against the year's plan",
        },
        "ind.target.min": {
            "vi": "Mức tối thiểu: đạt khi không thấp hơn chỉ tiêu",
            "en": "Minimum: met when not below the target",
        },
        "ind.target.max": {
            "vi": "Mức tối đa: đạt khi không vượt chỉ tiêu",
            "en": "Maximum: met when not above the target",
        },
        "ind.target.none": {
            "vi": "Không giao chỉ tiêu (chỉ theo dõi)",
            "en": "No target (monitored only)",
        },
        "ind.aggregation": {"vi": "Tổng hợp", "en": "Aggregation"},
        "ind.agg.sum": {
            "vi": "Cộng số của các tỉnh, thành phố",
            "en": "Sum of the provinces",
        },
        "ind.agg.ratio": {
            "vi": "Tính từ tử số và mẫu số",
            "en": "Computed from a numerator and a denominator",
        },
        "ind.agg.none": {
            "vi": "Không cộng được; mỗi cấp báo cáo số riêng",
            "en": "Not additive; each level reports its own figure",
        },
        "ind.computed_from": {"vi": "Tính từ", "en": "Computed from"},
        "ind.direction": {"vi": "Chiều tốt", "en": "Better when"},
        "ind.dir.up": {"vi": "Càng cao càng tốt", "en": "Higher is better"},
        "ind.dir.down": {"vi": "Càng thấp càng tốt", "en": "Lower is better"},
        "ind.dir.neutral": {"vi": "Không xếp tốt/xấu", "en": "Neither"},
        "ind.facts": {"vi": "Thông tin chỉ tiêu", "en": "About the indicator"},
    }
)


def text(value: object) -> str:
    """A catalog cell as text: '' for None/NaN."""
    return value.strip() if isinstance(value, str) else ""


def present(value: object) -> bool:
    try:
        return value is not None and value == value  # not NaN / NaT
    except (TypeError, ValueError):
        return False  # pandas NA


def is_integer(row: dict) -> bool:
    """True for counts (the catalog's `integer` flag; bool or 'true' text)."""
    value = row.get("integer")
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return present(value) and bool(value)


def name(row: dict, lang: str, key: str = "name") -> str:
    other = "vi" if lang == "en" else "en"
    return text(row.get(f"{key}_{lang}")) or text(row.get(f"{key}_{other}"))


def target_type_key(row: dict) -> str:
    kind = text(row.get("target_type"))
    return kind if kind in ("plan", "min", "max") else "none"


def indicator_header(row: dict, lang: str, state: dict) -> html.Div:
    """Breadcrumb, code and name in the page language, the other name below."""
    other = "en" if lang == "vi" else "vi"
    crumbs = breadcrumbs(
        [
            (t("nav.home", lang), href("/", state)),
            (t("nav.sectors", lang), href("/sectors", state)),
            (name(row, lang, "sector"), href(f"/sector/{row['sector']}", state)),
            (row["code"], None),
        ]
    )
    return html.Div(
        [
            crumbs,
            html.Div(
                [
                    html.H1(
                        [
                            html.Span(row["code"], className="indicator-code me-2"),
                            name(row, lang),
                        ]
                    ),
                    html.Span(
                        text(row.get(f"name_{other}")),
                        className="indicator-other-name",
                        lang=other,
                    ),
                ],
                className="page-header",
            ),
        ]
    )


def _fact(label: str, value) -> list:
    return [html.Dt(label, className="col-sm-4"), html.Dd(value, className="col-sm-8")]


def _part(code: str, names: dict[str, str], state: dict) -> list:
    label = f"{code} ({names[code]})" if names.get(code) else code
    return [
        dcc.Link(label, href=href(f"/indicator/{code}", state), className="ratio-part")
    ]


def indicator_facts(
    row: dict, lang: str, state: dict, part_names: dict[str, str] | None = None
) -> html.Div:
    """What the indicator is and how its figures are read, in words.

    `part_names`: names of a ratio's numerator and denominator by code."""
    unit = unit_label(row, lang) or MISSING
    frequency = text(row.get("frequency"))
    measure = text(row.get("measure"))
    aggregation = text(row.get("aggregation")) or "none"
    items = [
        *_fact(t("col.sector", lang), name(row, lang, "sector")),
        *_fact(
            t("col.owner_agency", lang),
            f"{name(row, lang, 'owner')} ({text(row.get('owner'))})",
        ),
        *_fact(t("col.unit", lang), unit),
        *_fact(t("ind.frequency", lang), t(f"ind.freq.{frequency}", lang)),
        *_fact(t("ind.measure", lang), t(f"ind.measure.{measure}", lang)),
        *_fact(
            t("ind.target_type", lang), t(f"ind.target.{target_type_key(row)}", lang)
        ),
        *_fact(
            t("ind.direction", lang),
            t(f"ind.dir.{text(row.get('direction')) or 'neutral'}", lang),
        ),
    ]
    if aggregation == "ratio":
        num, den = text(row.get("numerator")), text(row.get("denominator"))
        items += _fact(
            t("ind.aggregation", lang),
            [
                t("ind.agg.ratio", lang) + ". " + t("ind.computed_from", lang) + " ",
                *_part(num, part_names or {}, state),
                " / ",
                *_part(den, part_names or {}, state),
            ],
        )
    else:
        items += _fact(t("ind.aggregation", lang), t(f"ind.agg.{aggregation}", lang))
    return html.Div(
        [
            html.H2(t("ind.facts", lang), className="panel-title"),
            html.Dl(items, className="row mb-0 indicator-facts"),
        ],
        className="panel h-100",
    )


def format_number(value: object, catalog_row: dict, lang: str) -> str:
    """A figure without its unit (tables whose heading names the unit)."""
    return fmt_number(value, lang, 0 if is_integer(catalog_row) else None)


def unit_label(catalog_row: dict, lang: str) -> str:
    """The unit of measure in the page language ('' when none)."""
    return text(catalog_row.get(UNIT_EN if lang == "en" else UNIT_VI))
