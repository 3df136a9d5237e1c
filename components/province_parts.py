"""Parts of the province/commune view: its breadcrumb trail, header, notes on
the 2025 merger and the list of communes with figures.

Pure: plain dicts (rows of data.queries as records, missing = None) in,
components out.
"""

from __future__ import annotations

from dash import dcc, html

from components.breadcrumbs import breadcrumbs
from components.fmt import fmt_period
from components.scorecard import status_summary
from core.i18n import register, t
from core.urls import href
from data.schema import NAME_EN, NAME_VI, REGION_KEY, UNIT_CODE

register(
    {
        "province.code": {"vi": "Mã {code}", "en": "Code {code}"},
        "province.data_as_of": {
            "vi": "Số liệu đến {period}",
            "en": "Figures to {period}",
        },
        "province.era_2025": {
            "vi": "34 tỉnh, thành phố (từ 01/07/2025)",
            "en": "34 provinces (from 1 Jul 2025)",
        },
        "province.era_2020": {
            "vi": "63 tỉnh, thành phố (trước 01/07/2025)",
            "en": "63 provinces (before 1 Jul 2025)",
        },
        "province.commune_of": {
            "vi": "Xã, phường thuộc {province}",
            "en": "Commune of {province}",
        },
        "province.comparable": {
            "vi": "Trước 01/07/2025, số liệu của {name} là số liệu so sánh, gộp "
            "từ các tỉnh cũ: ",
            "en": "Before 1 Jul 2025 the figures of {name} are a comparable series "
            "combining the former provinces: ",
        },
        "province.merged_into": {
            "vi": "{name} (63 tỉnh) đã hợp nhất từ 01/07/2025 vào: ",
            "en": "{name} (63 provinces) was merged on 1 Jul 2025 into: ",
        },
        "province.shown_other_geo": {
            "vi": "Mã {code} không thuộc {era}; đang hiển thị {name}.",
            "en": "Code {code} is not one of the {era}; showing {name}.",
        },
        "province.communes": {
            "vi": "Xã, phường có số liệu",
            "en": "Communes with figures",
        },
        "province.no_communes": {
            "vi": "Chưa có xã, phường nào gửi số liệu.",
            "en": "No commune has sent figures yet.",
        },
        "province.commune_figures": {
            "vi": "{n} số liệu, gần nhất {period}",
            "en": "{n:figure|figures}, latest {period}",
        },
    }
)


def name_of(row: dict, lang: str, prefix: str = "name_") -> str:
    """A name in the language, Vietnamese when the English one is missing.

    `prefix`: 'name_' for units, 'region_' for regions, 'old_'/'new_' for rows
    of the merger table.
    """
    vi, en = row.get(f"{prefix}vi"), row.get(f"{prefix}en")
    return str((en if lang == "en" else vi) or vi or "")


def unit_trail(
    lang: str,
    state: dict,
    region: dict,
    province: dict,
    province_geo: str,
    commune: dict | None = None,
) -> object:
    """Trang chủ › Tỉnh thành › <Vùng> › <Tỉnh> [› <Xã>]; the last is not a link."""
    province_href = href(
        f"/province/{province.get('unit_code')}", state, geo=province_geo
    )
    items = [
        (t("nav.home", lang), href("/", state)),
        (t("nav.provinces", lang), href("/provinces", state)),
    ]
    if region.get(REGION_KEY):
        items.append(
            (
                name_of(region, lang, "region_"),
                href("/provinces", state, region=region[REGION_KEY]),
            )
        )
    items.append((name_of(province, lang), province_href if commune else None))
    if commune:
        items.append((name_of(commune, lang), None))
    return breadcrumbs(items)


def unit_header(
    unit: dict,
    region: dict,
    province: dict,
    geo: str,
    month: str,
    rows: list[dict],
    lang: str,
    header_id: str,
) -> html.Div:
    """Name (both languages), region or parent province, era, data month, and
    how many indicators are in each status."""
    other = unit.get(NAME_VI if lang == "en" else NAME_EN)
    if unit.get("level") == "commune":
        place = [t("province.commune_of", lang, province=name_of(province, lang))]
    else:
        place = [name_of(region, lang, "region_"), t(f"province.era_{geo}", lang)]
    parts = [
        other,
        t("province.code", lang, code=unit[UNIT_CODE]),
        *place,
        t("province.data_as_of", lang, period=fmt_period(month, lang)),
    ]
    return html.Div(
        [
            html.Div(
                [
                    html.H1(name_of(unit, lang)),
                    html.Div(
                        " · ".join(p for p in parts if p),
                        className="text-muted small province-subtitle",
                    ),
                ]
            ),
            status_summary(rows, lang),
        ],
        className="page-header",
        id=header_id,
    )


def _joined(parts: list) -> list:
    """[a, b, c] -> [a, ', ', b, ', ', c]."""
    out: list = []
    for index, part in enumerate(parts):
        out.extend([", ", part] if index else [part])
    return out


def _note(body: list | str) -> html.Div:
    return html.Div(
        [html.I(className="bi bi-info-circle me-2"), html.Span(body)],
        className="alert alert-info py-2 mb-2 province-note",
    )


def lineage_notes(
    unit: dict,
    asked_geo: str,
    pre_reform: bool,
    merger: list[dict],
    state: dict,
    lang: str,
) -> list[html.Div]:
    """What the figures shown are across the 2025 merger.

    `merger`: records of data.queries.province_merger(); `pre_reform`: the
    view's month ends before 2025-07-01.
    """
    code, name, notes = unit[UNIT_CODE], name_of(unit, lang), []

    def link(other: str, label: str, geo: str) -> dcc.Link:
        return dcc.Link(
            label,
            href=href(f"/province/{other}", state, geo=geo),
            className="province-note-link",
        )

    if unit.get("geo") != asked_geo:
        era = t(f"province.era_{asked_geo}", lang)
        notes.append(t("province.shown_other_geo", lang, code=code, era=era, name=name))
    if unit.get("geo") == "2025" and pre_reform:
        olds = [
            link(r["old_code"], name_of(r, lang, "old_"), "2020")
            for r in merger
            if r["new_code"] == code
        ]
        notes.append([t("province.comparable", lang, name=name), *_joined(olds), "."])
    if unit.get("geo") == "2020":
        news = [
            link(r["new_code"], name_of(r, lang, "new_"), "2025")
            for r in merger
            if r["old_code"] == code
        ]
        notes.append([t("province.merged_into", lang, name=name), *_joined(news), "."])
    return [_note(n) for n in notes]


def commune_list(communes: list[dict], state: dict, lang: str) -> html.Ul | html.P:
    """Links to the communes' own pages, with how many figures each has."""
    if not communes:
        return html.P(t("province.no_communes", lang), className="text-muted small")
    return html.Ul(
        [
            html.Li(
                [
                    dcc.Link(
                        name_of(r, lang),
                        href=href(f"/province/{r['unit_code']}", state),
                        className="commune-link",
                    ),
                    html.Span(
                        t(
                            "province.commune_figures",
                            lang,
                            n=int(r["n_figures"]),
                            period=fmt_period(r["latest_period"], lang),
                        ),
                        className="commune-meta",
                    ),
                ],
                **{"data-unit": r[UNIT_CODE]},
            )
            for r in communes
        ],
        className="commune-list",
    )
