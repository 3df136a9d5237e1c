"""The links register as a table, its counts and its rule (pure builders).

A link arrives as a plain dict (intake.links.Link's fields); the indicators
its agency's figures cover and the agencies' names come as the frames of
data.queries.link_indicators and agencies. Times are UTC epoch seconds (as
auth.store and store.inbox keep them), shown in Vietnam time. A link's state
is colour AND icon AND word: active, quiet (a live link gone quiet), never
used, expired, revoked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pandas as pd
from dash import html

from components.fmt import MISSING, fmt_local_datetime, fmt_number
from core.i18n import register, t

register(
    {
        "links.state.active": {"vi": "Hoạt động", "en": "Active"},
        "links.state.quiet": {"vi": "Im lặng", "en": "Gone quiet"},
        "links.state.never": {"vi": "Chưa dùng", "en": "Never used"},
        "links.state.expired": {"vi": "Hết hạn", "en": "Expired"},
        "links.state.revoked": {"vi": "Đã thu hồi", "en": "Revoked"},
        "links.col.link": {"vi": "Kết nối", "en": "Link"},
        "links.col.agency": {"vi": "Cơ quan báo cáo", "en": "Reporting agency"},
        "links.col.state": {"vi": "Tình trạng", "en": "State"},
        "links.col.indicators": {
            "vi": "Chỉ tiêu cung cấp",
            "en": "Indicators supplied",
        },
        "links.col.last": {
            "vi": "Trao đổi gần nhất (GMT+7)",
            "en": "Last exchange (GMT+7)",
        },
        "links.col.submitted": {"vi": "Lượt nộp 30 ngày", "en": "Submitted, 30 days"},
        "links.col.rejected": {"vi": "Bị từ chối 30 ngày", "en": "Rejected, 30 days"},
        "links.created": {"vi": "mã số {id} · tạo {at}", "en": "no. {id} · made {at}"},
        "links.used": {"vi": "Dùng mã: {at}", "en": "Token used: {at}"},
        "links.sent": {"vi": "Nộp qua kết nối: {at}", "en": "Sent by the link: {at}"},
        "links.agency_sent": {
            "vi": "Cơ quan nộp gần nhất: {at}",
            "en": "Agency's last submission: {at}",
        },
        "links.silent": {
            "vi": "không nộp {days} ngày (thường {gap} ngày một lần)",
            "en": "nothing for {days:day|days} (usually every {gap:day|days})",
        },
        "links.expired_at": {"vi": "hết hạn {at}", "en": "expired {at}"},
        "links.revoked_at": {"vi": "thu hồi {at}", "en": "revoked {at}"},
        "links.expires_at": {"vi": "hết hạn {at}", "en": "expires {at}"},
        "links.n_indicators": {"vi": "{n} chỉ tiêu", "en": "{n:indicator|indicators}"},
        "links.more": {"vi": "+{n} chỉ tiêu khác", "en": "+{n} more"},
        "links.count": {"vi": "{n} kết nối", "en": "{n:link|links}"},
        "links.rule": {
            "vi": "Cảnh báo im lặng: kết nối còn hiệu lực, đã nộp trong ít nhất 2 "
            "của 3 khoảng 30 ngày trong 90 ngày tính đến lần nộp cuối, nhưng từ đó "
            "không nộp lâu hơn 3 lần khoảng cách thường lệ giữa các lần nộp (trung "
            "vị), tối thiểu 2 ngày và tối đa 35 ngày.",
            "en": "Gone quiet: a live link that submitted in at least 2 of the three "
            "30-day windows of the 90 days up to its last submission, and has sent "
            "nothing since for longer than 3 times its usual gap between "
            "submissions (the median), at least 2 days and at most 35 days.",
        },
    }
)

ICONS = {
    "active": "bi-check-circle-fill",
    "quiet": "bi-bell-slash-fill",
    "never": "bi-hourglass-split",
    "expired": "bi-clock-history",
    "revoked": "bi-slash-circle",
}
DISPLAY_STATES = tuple(ICONS)
SHOWN_CODES = 8  # indicator chips in a cell; the rest counted


def _utc(epoch: object) -> datetime | None:
    if epoch is None or epoch != epoch:  # None, NaN
        return None
    return datetime.fromtimestamp(float(epoch), tz=UTC)


def when(epoch: object, lang: str) -> str:
    """An epoch-seconds UTC time in Vietnam time; '—' when missing."""
    stamp = _utc(epoch)
    return MISSING if stamp is None else fmt_local_datetime(stamp, lang)


def display_state(link: Mapping) -> str:
    """What the state cell shows: the token's state, `quiet` for a live link
    gone quiet, `never` for a live one never used nor submitting."""
    if link["state"] in ("expired", "revoked"):
        return link["state"]
    if link["quiet"]:
        return "quiet"
    if link["last_used_at"] is None and link["last_submission_at"] is None:
        return "never"
    return "active"


def state_badge(state: str, lang: str) -> html.Span:
    key = state if state in ICONS else "active"
    word = t(f"links.state.{key}", lang)
    return html.Span(
        [html.I(className=f"bi {ICONS[key]}", **{"aria-hidden": "true"}), word],
        className=f"link-state ls-{key}",
        title=word,
        **{"data-state": key},
    )


def _days(value: float, lang: str) -> str:
    return fmt_number(value, lang, 0 if value >= 10 else 1)


def state_note(link: Mapping, lang: str) -> str | None:
    """The line under the badge: how long quiet, or when it ended or ends."""
    state = display_state(link)
    if state == "quiet":
        return t(
            "links.silent",
            lang,
            days=fmt_number(int(link["silent_days"]), lang, 0),
            gap=_days(link["usual_gap_days"], lang),
        )
    if state == "revoked":
        return t("links.revoked_at", lang, at=when(link["revoked_at"], lang))
    if state == "expired":
        return t("links.expired_at", lang, at=when(link["expires_at"], lang))
    if link.get("expires_at") is not None:
        return t("links.expires_at", lang, at=when(link["expires_at"], lang))
    return None


def names_of(agencies: pd.DataFrame | None, lang: str) -> dict[str, str]:
    """Agency code -> its name in `lang` (the catalog's; UBND-<code> named
    from the units); none before a snapshot is published."""
    if agencies is None:
        return {}
    column = "name_en" if lang == "en" else "name_vi"
    return dict(zip(agencies["code"], agencies[column], strict=True))


def indicator_cell(codes: pd.DataFrame, lang: str) -> html.Td:
    """The agency's indicators: a count and the first codes, named on hover
    (the count and the codes carry the meaning; the names are extra)."""
    if codes.empty:
        return html.Td(MISSING, className="text-muted")
    column = "name_en" if lang == "en" else "name_vi"
    chips = [
        html.Span(code, title=name if isinstance(name, str) else code, className="lc")
        for code, name in zip(
            codes["indicator_code"][:SHOWN_CODES],
            codes[column][:SHOWN_CODES],
            strict=True,
        )
    ]
    if len(codes) > SHOWN_CODES:
        more = t("links.more", lang, n=fmt_number(len(codes) - SHOWN_CODES, lang))
        chips.append(html.Span(more, className="small text-muted"))
    return html.Td(
        [
            html.Div(t("links.n_indicators", lang, n=fmt_number(len(codes), lang))),
            html.Div(chips, className="link-codes"),
        ]
    )


def _row(link: Mapping, codes: pd.DataFrame, names: dict, lang: str) -> html.Tr:
    state = display_state(link)
    note = state_note(link, lang)
    rejected = int(link["rejected_30d"])
    last = [
        t("links.used", lang, at=when(link["last_used_at"], lang)),
        t("links.sent", lang, at=when(link["last_submission_at"], lang)),
        t("links.agency_sent", lang, at=when(link["agency_last_submission_at"], lang)),
    ]
    return html.Tr(
        [
            html.Td(
                [
                    html.Div(link["name"], className="fw-semibold"),
                    html.Div(
                        t(
                            "links.created",
                            lang,
                            id=link["id"],
                            at=when(link["created_at"], lang),
                        ),
                        className="small text-muted",
                    ),
                ]
            ),
            html.Td(
                [
                    html.Div(names.get(link["agency"], link["agency"] or MISSING)),
                    html.Div(link["agency"], className="small text-muted"),
                ]
            ),
            html.Td(
                [state_badge(state, lang)]
                + ([html.Div(note, className="small")] if note else [])
            ),
            indicator_cell(codes, lang),
            html.Td([html.Div(line, className="small") for line in last]),
            html.Td(fmt_number(link["submissions_30d"], lang), className="text-end"),
            html.Td(
                fmt_number(rejected, lang),
                className="text-end" + (" text-danger fw-semibold" if rejected else ""),
            ),
        ],
        className=f"link-row link-{state}",
        **{"data-link": link["name"], "data-state": state},
    )


def links_table(
    links: Sequence[Mapping],
    indicators: pd.DataFrame | None,
    agencies: pd.DataFrame | None,
    lang: str,
    table_id: str | None = None,
) -> html.Table:
    """One row per link, in the order given; `indicators` and `agencies` are
    None before a snapshot is published (codes shown, no indicators)."""
    names = names_of(agencies, lang)
    if indicators is None:
        indicators = pd.DataFrame(columns=["agency", "indicator_code"])
    by_agency = {a: part for a, part in indicators.groupby("agency", sort=False)}
    empty = indicators.iloc[0:0]
    heads = ["link", "agency", "state", "indicators", "last", "submitted", "rejected"]
    return html.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th(
                            t(f"links.col.{h}", lang),
                            className="text-end" if h in heads[-2:] else None,
                        )
                        for h in heads
                    ]
                )
            ),
            html.Tbody(
                [_row(k, by_agency.get(k["agency"], empty), names, lang) for k in links]
            ),
        ],
        className="table table-sm align-middle links-table",
        **({"id": table_id} if table_id else {}),
    )


def links_counts(links: Sequence[Mapping], lang: str) -> html.Div:
    """'5 links' and one badge with its count per state present."""
    counts = {s: 0 for s in DISPLAY_STATES}
    for link in links:
        counts[display_state(link)] += 1
    badges = [
        html.Span(
            [state_badge(s, lang), html.Span(fmt_number(n, lang), className="ms-1")],
            className="me-3",
            **{"data-count": s},
        )
        for s, n in counts.items()
        if n
    ]
    total = t("links.count", lang, n=fmt_number(len(links), lang))
    return html.Div(
        [html.Strong(total, className="me-3"), *badges],
        className="links-counts d-flex flex-wrap align-items-center",
    )


def rule_note(lang: str) -> html.P:
    return html.P(
        [html.I(className="bi bi-info-circle me-1"), t("links.rule", lang)],
        className="small text-muted links-rule",
    )
