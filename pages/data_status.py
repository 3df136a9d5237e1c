"""/data-status : who has submitted what, for which period, against its deadline.

URL: ?period (month the window ends), months (window, default 6), regime (the
matrix's regime), unit (a province: its own reports and its communes), lang.
Data: data.queries.reports (statuses as of today), regimes, agencies,
snapshot_meta (N of 200 indicators supplied); data.rejected for the files the
ETL refused. Builders: components.report_matrix, report_tables,
report_counters, rejected_list. No callbacks: every control is a link.
"""

from __future__ import annotations

from datetime import date

import dash
import pandas as pd
from dash import dcc, html

from components.download import download_buttons
from components.fmt import fmt_date, fmt_number, fmt_period
from components.page_title import titled
from components.rejected_list import rejected_list
from components.report_counters import counters, page_header, panel, window_label
from components.report_matrix import (
    build_matrix,
    count_statuses,
    last_periods,
    legend,
    matrix_keys,
    report_matrix,
    row_name,
)
from components.report_tables import regime_summary, regime_table, reports_table
from components.states import empty_state, problems_alert
from core.i18n import register, t
from core.params import read_state
from core.urls import same_view
from data import queries as q
from data.schema import UNIT_CODE, UNIT_EN, UNIT_VI
from pages._snapshot import or_no_snapshot

dash.register_page(
    __name__,
    path="/data-status",
    order=3,
    name="Tình hình báo cáo",
    title=titled("Tình hình báo cáo", "Reporting status"),
)

PATH = "/data-status"
DS_COUNTERS = "ds-counters"
DS_SUPPLIED = "ds-indicators-supplied"
DS_REGIMES = "ds-regimes"
DS_MATRIX = "ds-matrix"
DS_CASCADE = "ds-cascade"
DS_UNIT_REPORTS = "ds-unit-reports"
DS_COMMUNES = "ds-communes"
DS_MINISTRIES = "ds-ministries"
DS_REJECTED = "ds-rejected"

DEFAULT_MONTHS, MAX_MONTHS, WINDOW_CHOICES = 6, 36, (3, 6, 12)
DEFAULT_REGIME = "KTXH_M"
MATRIX_PERIODS = 6  # columns of a matrix: the regime's last six periods
PERIOD_MONTHS = {"day": 1, "month": 1, "quarter": 3, "year": 12}
SUMMARY_MONTHS = 12  # holds the latest closed period of every regime, even yearly
LEVEL_OF = {"province": "province", "commune": "commune", "ministry": "national"}

register(
    {
        "ds.title": {"vi": "Tình hình báo cáo", "en": "Reporting status"},
        "ds.subtitle": {
            "vi": "{months} tháng đến {period} · tình trạng tính đến ngày {today}",
            "en": "{months} months to {period} · status as of {today}",
        },
        "ds.window": {"vi": "Khoảng thời gian", "en": "Window"},
        "ds.n_months": {"vi": "{n} tháng", "en": "{n:month|months}"},
        "ds.regimes_title": {
            "vi": "Chế độ báo cáo (kỳ gần nhất)",
            "en": "Reporting regimes (latest period)",
        },
        "ds.matrix_title": {"vi": "Theo tỉnh, thành phố", "en": "By province"},
        "ds.matrix_ministry": {"vi": "Theo bộ, cơ quan", "en": "By ministry"},
        "ds.matrix_communes": {
            "vi": "Xã, phường báo cáo (gộp theo tỉnh)",
            "en": "Reporting communes (grouped by province)",
        },
        "ds.reform_note": {
            "vi": "† Kỳ trước 1/7/2025: báo cáo của tỉnh cũ cùng mã "
            "(63 tỉnh, thành phố).",
            "en": "† Periods before 1 Jul 2025: the former province with the same code "
            "(63 provinces).",
        },
        "ds.pick_hint": {
            "vi": "Chọn một tỉnh, thành phố trong bảng để xem từng báo cáo của tỉnh "
            "và các xã, phường báo cáo.",
            "en": "Pick a province in the table to see each of its reports and its "
            "reporting communes.",
        },
        "ds.unit_reports": {
            "vi": "{name}: báo cáo của tỉnh",
            "en": "{name}: its reports",
        },
        "ds.unit_communes": {
            "vi": "{name}: báo cáo cấp xã",
            "en": "{name}: commune reports",
        },
        "ds.no_communes": {
            "vi": "Chưa có xã, phường nào của tỉnh báo cáo trong kỳ",
            "en": "No commune of this province reports in the window",
        },
        "ds.close": {"vi": "Đóng", "en": "Close"},
        "ds.dl_regimes": {"vi": "Danh mục chế độ:", "en": "Regimes:"},
        "ds.dl_reports": {"vi": "Báo cáo 12 tháng:", "en": "Reports, 12 months:"},
        "ds.ministries": {
            "vi": "Báo cáo của bộ, cơ quan ngang bộ",
            "en": "Ministries' national reports",
        },
        "ds.bad_months": {
            "vi": "months={value!r}: cần số tháng từ 1 đến 36",
            "en": "months={value!r}: expected 1 to 36 months",
        },
        "ds.bad_regime": {
            "vi": "regime={value!r}: không có chế độ báo cáo này",
            "en": "regime={value!r}: no such reporting regime",
        },
        "ds.bad_unit": {
            "vi": "unit={value!r}: không phải tỉnh, thành phố của kỳ này",
            "en": "unit={value!r}: not a province of this period",
        },
    }
)


def read_page_params(
    args: dict, regimes: list[str], provinces: list[str], lang: str
) -> tuple[str, str | None, int, list[str]]:
    """(regime, unit, months, problems) from the URL; bad values fall back."""
    problems = []
    regime = args.get("regime") or DEFAULT_REGIME
    if regime not in regimes:
        problems.append(t("ds.bad_regime", lang, value=regime))
        regime = DEFAULT_REGIME if DEFAULT_REGIME in regimes else regimes[0]
    unit = args.get("unit") or None
    if unit is not None and unit not in provinces:
        problems.append(t("ds.bad_unit", lang, value=unit))
        unit = None
    months, raw = DEFAULT_MONTHS, args.get("months")
    if raw:
        if str(raw).isdigit() and 1 <= int(raw) <= MAX_MONTHS:
            months = int(raw)
        else:
            problems.append(t("ds.bad_months", lang, value=raw))
    return regime, unit, months, problems


def _matrix_section(month, regime, regimes, provinces, agencies, search, unit, lang):
    info = regimes.set_index("code").loc[regime]
    level = LEVEL_OF[info["reporter_level"]]
    window = MATRIX_PERIODS * PERIOD_MONTHS[info["period_type"]]
    frame = q.reports(month, window, level)
    frame = frame[frame["regime"] == regime]
    frame, rows, keep_empty = matrix_keys(frame, level, provinces, agencies, lang)
    periods = last_periods(frame, MATRIX_PERIODS)
    geo = q.period_geo(month)
    marked = {p for p in periods if level != "national" and q.period_geo(p) != geo}
    matrix = build_matrix(frame, rows, periods, "row_key", keep_empty)
    pills = [
        dcc.Link(
            code,
            href=same_view(PATH, search, regime=code, unit=unit),
            className="btn btn-sm "
            + ("btn-primary" if code == regime else "btn-outline-primary"),
            title=row_name(r, lang),
        )
        for code, r in regimes.set_index("code").iterrows()
        if r["reporter_level"] != "ministry"
    ]
    head = {"national": "ds.matrix_ministry", "commune": "ds.matrix_communes"}
    title = t(head.get(level, "ds.matrix_title"), lang) + " · " + row_name(info, lang)
    row_head = t("ds.col.reporter" if level == "national" else "col.province", lang)
    body = [html.Div(pills, className="ds-regime-pills mb-2")]
    body.append(
        report_matrix(
            matrix,
            periods,
            lang,
            row_head,
            row_href=None
            if level == "national"
            else (lambda k: same_view(PATH, search, unit=k) + "#" + DS_CASCADE),
            selected=unit,
            marked=marked,
            table_id=DS_MATRIX,
        )
        if matrix
        else empty_state(lang)
    )
    if marked:
        body.append(html.Div(t("ds.reform_note", lang), className="small text-muted"))
    body.append(legend(lang))
    return panel(
        title,
        body,
        download_buttons("reports_level", [month, str(window), level], lang),
    )


def _cascade(month, months, unit, provinces, search, lang):
    if unit is None:
        return html.Section(
            html.Div(
                [html.I(className="bi bi-hand-index me-2"), t("ds.pick_hint", lang)],
                className="empty-state",
            ),
            className="mb-3",
            id=DS_CASCADE,
        )
    name = row_name(provinces.set_index(UNIT_CODE).loc[unit], lang)
    own = q.reports(month, months, "province", unit)
    communes = q.reports(month, MATRIX_PERIODS, "commune", unit)
    close = dcc.Link(
        [html.I(className="bi bi-x-lg me-1"), t("ds.close", lang)],
        href=same_view(PATH, search, unit=None),
        className="ds-close small",
    )
    body = [
        reports_table(own, lang, DS_UNIT_REPORTS) if len(own) else empty_state(lang),
        download_buttons("reports_unit", [month, str(months), "province", unit], lang),
        html.H3(t("ds.unit_communes", lang, name=name), className="panel-title mt-3"),
    ]
    if len(communes):
        periods = last_periods(communes, MATRIX_PERIODS)
        names = communes.drop_duplicates(UNIT_CODE).sort_values(UNIT_VI)
        rows = [
            (c[UNIT_CODE], row_name(c, lang, UNIT_VI, UNIT_EN))
            for c in names.to_dict("records")
        ]
        body += [
            report_matrix(
                build_matrix(communes, rows, periods),
                periods,
                lang,
                t("col.commune", lang),
                table_id=DS_COMMUNES,
            ),
            download_buttons(
                "reports_unit", [month, str(MATRIX_PERIODS), "commune", unit], lang
            ),
        ]
    else:
        body.append(empty_state(lang, t("ds.no_communes", lang)))
    return panel(t("ds.unit_reports", lang, name=name), body, close, DS_CASCADE)


def _ministries(month, regimes, agencies, lang):
    window = MATRIX_PERIODS * PERIOD_MONTHS["year"]
    frame = q.reports(month, window, "national")
    body = []
    for regime in regimes[regimes["reporter_level"] == "ministry"].to_dict("records"):
        part, rows, _ = matrix_keys(
            frame[frame["regime"] == regime["code"]],
            "national",
            pd.DataFrame(),
            agencies,
            lang,
        )
        periods = last_periods(part, MATRIX_PERIODS)
        body += [
            html.H3(row_name(regime, lang), className="ds-subtitle"),
            report_matrix(
                build_matrix(part, rows, periods, "row_key", False),
                periods,
                lang,
                t("ds.col.reporter", lang),
            )
            if len(part)
            else empty_state(lang),
        ]
    return panel(
        t("ds.ministries", lang),
        body,
        download_buttons("reports_level", [month, str(window), "national"], lang),
        panel_id=DS_MINISTRIES,
    )


def layout(**kwargs: str) -> html.Div:
    state = read_state(kwargs)
    lang = state.lang
    return or_no_snapshot(lambda: _page(state, kwargs), lang)


def _page(state, kwargs: dict) -> html.Div:
    lang = state.lang
    month = q.default_month(state.period)
    provinces = q.provinces(q.period_geo(month))
    regimes, agencies, meta = q.regimes(), q.agencies(), q.snapshot_meta()
    regime, unit, months, problems = read_page_params(
        kwargs, regimes["code"].tolist(), provinces[UNIT_CODE].tolist(), lang
    )
    # The view's query values, the bad ones replaced by what is shown.
    search = {k: v for k, v in kwargs.items() if isinstance(v, str) and v}
    for key, value in (("regime", regime), ("unit", unit), ("months", str(months))):
        if key in search:
            search[key] = value
    window = q.reports(month, months)
    summary = regime_summary(regimes, q.reports(month, SUMMARY_MONTHS))
    choices = [
        (
            t("ds.n_months", lang, n=n),
            same_view(PATH, search, months=str(n)),
            n == months,
        )
        for n in WINDOW_CHOICES
    ]
    subtitle = t(
        "ds.subtitle",
        lang,
        months=fmt_number(months, lang),
        period=fmt_period(month, lang),
        today=fmt_date(date.today(), lang),
    )
    header = page_header(t("ds.title", lang), subtitle, t("ds.window", lang), choices)
    regimes_panel = panel(
        t("ds.regimes_title", lang),
        [
            regime_table(
                summary,
                lang,
                lambda c: same_view(PATH, search, regime=c) + "#" + DS_MATRIX,
                selected=regime,
            )
        ],
        html.Div(
            [
                html.Span(t("ds.dl_regimes", lang), className="small text-muted"),
                download_buttons("regimes", [], lang),
                html.Span(t("ds.dl_reports", lang), className="small text-muted"),
                download_buttons("reports", [month], lang),
            ],
            className="d-flex align-items-center gap-2",
        ),
        panel_id=DS_REGIMES,
    )
    return html.Div(
        [
            header,
            problems_alert(state.problems + problems, lang),
            counters(
                count_statuses(window),
                meta,
                window_label(month, months, lang),
                months,
                lang,
                DS_COUNTERS,
                DS_SUPPLIED,
            ),
            html.Div(
                [
                    html.Div(
                        _matrix_section(
                            month,
                            regime,
                            regimes,
                            provinces,
                            agencies,
                            search,
                            unit,
                            lang,
                        ),
                        className="col-xxl-6",
                    ),
                    html.Div(
                        [
                            _cascade(month, months, unit, provinces, search, lang),
                            _ministries(month, regimes, agencies, lang),
                        ],
                        className="col-xxl-6",
                    ),
                ],
                className="row",
            ),
            regimes_panel,
            panel(
                t("report.rejected_files", lang),
                [rejected_list(q.rejected_files(), lang)],
                download_buttons("rejected_files", [], lang),
                panel_id=DS_REJECTED,
            ),
        ],
        className="data-status",
    )
