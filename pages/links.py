"""/links : the links register, for data operators and administrators.

Every link (a token of role `reporter` held by another system) with its
agency, the indicators its agency's figures cover, its last exchange, its
submissions and rejections in the last 30 days, and a warning when a link
that normally reports has gone quiet (the rule: intake/links.py, said on the
page and in the README). Revoked and expired links are listed as such.

URL: lang only. Data: intake.links.read_links (the tokens and the inbox: not
the warehouse, so the page is not cached per snapshot), data.queries
link_indicators and agencies. Builders: components.links_table. No callbacks:
opening the page reads the register as it stands.
"""

from __future__ import annotations

from dataclasses import asdict

import dash
from dash import html

from components.download import download_buttons
from components.links_table import links_counts, links_table, rule_note
from components.page_title import titled
from components.report_counters import panel
from components.states import empty_state, problems_alert
from core.i18n import register, t
from core.params import read_state
from core.roles import LINKS
from data import queries as q
from intake.links import read_links

dash.register_page(
    __name__,
    path="/links",
    order=7,
    name="Kết nối báo cáo",
    title=titled("Kết nối báo cáo", "Reporting links"),
)

LINKS_COUNTS = "links-counts"
LINKS_TABLE = "links-table"
LINKS_PANEL = "links-panel"

register(
    {
        "links.title": {"vi": "Kết nối báo cáo", "en": "Reporting links"},
        "links.subtitle": {
            "vi": "Hệ thống của bộ, địa phương gửi báo cáo qua API bằng mã kết nối "
            "(vai trò reporter)",
            "en": "Ministries' and localities' systems that push reports through "
            "the API with a link token (role reporter)",
        },
        "links.panel": {"vi": "Danh sách kết nối", "en": "Links"},
        "links.none": {
            "vi": "Chưa có kết nối nào. Tạo bằng: python -m auth tokens create "
            "--name ... --role reporter --agency UBND-22",
            "en": "No link yet. Make one with: python -m auth tokens create "
            "--name ... --role reporter --agency UBND-22",
        },
    }
)


def layout(**kwargs: str) -> html.Div:
    state = read_state(kwargs)
    q.require(LINKS, "the links register")  # others: "not permitted" (auth.pages)
    lang = state.lang
    links = [asdict(k) for k in read_links()]
    try:
        agencies = q.agencies()
        indicators = q.link_indicators([k["agency"] for k in links if k["agency"]])
    except q.NoSnapshot:  # the register is operational data: shown without
        agencies = indicators = None
    body = (
        links_table(links, indicators, agencies, lang, LINKS_TABLE)
        if links
        else empty_state(lang, t("links.none", lang))
    )
    return html.Div(
        [
            html.Div(
                [
                    html.H1(t("links.title", lang)),
                    html.Div(t("links.subtitle", lang), className="text-muted"),
                ],
                className="page-header",
            ),
            problems_alert(state.problems, lang),
            html.Div(links_counts(links, lang), id=LINKS_COUNTS, className="mb-2"),
            panel(
                t("links.panel", lang),
                [body, rule_note(lang)],
                download_buttons("links", [], lang),
                panel_id=LINKS_PANEL,
            ),
        ],
        className="links-page",
    )
