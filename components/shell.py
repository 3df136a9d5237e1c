"""The app's chrome: navbar with period and language, freshness footer."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components import ids
from components.fmt import fmt_local_datetime, fmt_period
from core.i18n import t
from core.urls import href, same_view

NO_PERIOD_PATHS = ("/admin/", "/links")  # pages that show no period: no picker


def navbar(
    path: str,
    params: dict,
    months: list[str],
    search: dict | None = None,
    items: tuple[tuple[str, str, str], ...] = (),
) -> dbc.Navbar:
    """`params`: the shared state; `search`: every query value of the view;
    `items`: the caller's menu, (path, label key, icon) each (core.roles.menu:
    the pages its role may open)."""
    lang = params.get("lang") or "vi"
    links = [
        dbc.NavItem(
            dbc.NavLink(
                [html.I(className=f"bi {icon} me-1"), t(key, lang)],
                href=href(target, params),
                active=(path == target or (target != "/" and path.startswith(target))),
            )
        )
        for target, key, icon in items
    ]
    period = params.get("period") or (months[0] if months else None)
    picker = dcc.Dropdown(
        id=ids.PERIOD_PICKER,
        options=[{"label": fmt_period(m, lang), "value": m} for m in months],
        value=period,
        clearable=False,
        searchable=True,
        className="period-picker",
        style={"minWidth": "11rem"},
    )
    other = "en" if lang == "vi" else "vi"
    language = dbc.NavLink(
        [
            html.I(className="bi bi-translate me-1"),
            "English" if other == "en" else "Tiếng Việt",
        ],
        href=same_view(path, search or params, lang=other),
        id=ids.LANG_SWITCH,
        className="lang-switch text-white fw-semibold",
    )
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [html.I(className="bi bi-bank2 me-2"), t("app.title", lang)],
                    href=href(items[0][0] if items else "/", params),
                ),
                dbc.Nav(links, navbar=True, className="me-auto"),
                html.Div(
                    [
                        html.Div(  # hidden, not left out: its callback needs it
                            [
                                html.Span(
                                    t("col.period", lang),
                                    className="me-2 text-white-50 small",
                                ),
                                picker,
                            ],
                            # d-none, not `hidden`: Bootstrap's d-flex would show it
                            className="period-box "
                            + (
                                "d-none"
                                if path.startswith(NO_PERIOD_PATHS)
                                else "d-flex align-items-center"
                            ),
                        ),
                        language,
                    ],
                    className="d-flex align-items-center gap-2",
                ),
            ],
            fluid=True,
        ),
        dark=True,
        className="cc-navbar mb-3",
    )


def freshness_footer(meta: dict | None, lang: str) -> html.Footer:
    """How fresh the data is, on every page."""
    if not meta:
        return html.Footer(t("msg.no_snapshot", lang), className="freshness-footer")
    loaded = fmt_local_datetime(meta.get("last_loaded_at"), lang)
    return html.Footer(
        [
            html.Span(
                [
                    html.I(className="bi bi-clock-history me-1"),
                    t("ui.updated_at", lang, time=loaded),
                ],
                className="freshness",
                id=ids.FRESHNESS,
            ),
            html.Span(
                f" · {meta.get('n_indicators_supplied', 0)}/{meta.get('n_indicators', 0)} "
                + ("chỉ tiêu có số liệu" if lang == "vi" else "indicators supplied"),
            ),
            html.Span(
                f" · snapshot {meta.get('snapshot_id', '')}", className="text-muted"
            ),
        ],
        className="freshness-footer small text-muted py-2 px-3",
    )
