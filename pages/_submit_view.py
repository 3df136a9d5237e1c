"""The reading side of /submit (pages/submit.py): who the reporter is, what
its agency owes with the inbox's states, its submissions, the rows the form
sends. Dash's page discovery skips this module (its name starts with "_").

Everything here serves the caller's own agency: `reporter()` refuses any
other role, `own_submission()` any other agency's submission (OutOfScope:
"not permitted" on the page, 403 for a callback, a refusal in the audit log).
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from dash.exceptions import PreventUpdate

from components.states import empty_state
from components.submit_form import form_grid, grid_rows
from components.submit_parts import form_panel
from components.submit_receipt import submissions_table
from components.submit_status import (
    count_states,
    form_choice,
    merge_states,
    owed_table,
    state_counters,
)
from core.i18n import t
from core.roles import SUBMIT
from core.scope import Scope
from core.urls import same_view
from data import queries as q
from intake.preview import reports_covered
from store.inbox import Inbox, Received

PATH, WHAT = "/submit", "the reporter's page"
SUBMISSIONS_SHOWN = 20  # in the page's list, newest first
INBOX_READ = 50  # the agency's newest submissions read for the states


def reporter() -> Scope:
    """The caller, if a reporter of one agency; else OutOfScope."""
    scope = q.require(SUBMIT, WHAT)
    if not scope.agency:
        raise q.OutOfScope(f"{WHAT} needs a reporting agency")
    return scope


def own_submission(scope: Scope, sid: object) -> Received:
    """A submission of the caller's agency; another agency's is refused."""
    item = Inbox().get(sid) if isinstance(sid, str) and sid else None
    if item is None or item.agency != scope.agency:
        raise q.OutOfScope(f"submission {str(sid)[:40]} is not of {scope.agency}")
    return item


def submissions(scope: Scope) -> list[Received]:
    return Inbox().list(agency=scope.agency, limit=INBOX_READ)


def receipt_href(lang: str):
    return lambda sid: same_view(PATH, {"lang": lang}, receipt=sid)


def owed(scope: Scope, lang: str, items: list[Received]) -> tuple[list[dict], list]:
    """The agency's reports with their states, and the section showing them."""
    catalog = q.catalog()
    regime_of = dict(zip(catalog["code"], catalog["regime"], strict=True))
    covered = [
        (i.as_json(), reports_covered(i, regime_of) if i.state != "published" else ())
        for i in items
    ]
    rows = merge_states(q.reporter_reports(scope.agency).to_dict("records"), covered)

    def form_href(r: dict) -> str | None:
        if not r["own_unit"]:
            return None
        return same_view(PATH, {"lang": lang}, regime=r["regime"], report=r["period"])

    body = [
        state_counters(count_states(rows), lang, "sub-counters"),
        owed_table(rows, lang, "sub-owed-table", receipt_href(lang), form_href)
        if rows
        else empty_state(lang),
    ]
    return rows, body


def submissions_list(items: list[Received], lang: str):
    if not items:
        return empty_state(lang, t("sub.none_yet", lang))
    return submissions_table(
        [i.as_json() for i in items[:SUBMISSIONS_SHOWN]],
        lang,
        "sub-list",
        receipt_href(lang),
    )


def units_vi() -> dict[str, str]:
    """Indicator code -> its unit of measure in Vietnamese (the report's words)."""
    catalog = q.catalog()
    return dict(zip(catalog["code"], catalog["unit_vi"].fillna(""), strict=True))


def typed_rows(
    scope: Scope, rows: list[dict] | None, shown: dict, lang: str
) -> tuple[str, list[dict]]:
    """The agency's unit, and the grid's rows as the server builds them for
    the page's regime and period, each with the value the browser typed for
    it (anything else a request says is ignored). A crafted request with no
    such regime or period updates nothing."""
    regime, period = (shown or {}).get("regime"), (shown or {}).get("period")
    if not (isinstance(regime, str) and isinstance(period, str)):
        raise PreventUpdate
    try:
        form = q.reporter_form(scope.agency, regime, period)
    except q.BadParameter:
        raise PreventUpdate from None
    typed = {str(r.get("code")): r.get("value") for r in rows or [] if r}
    unit = str(form["unit_code"].iloc[0]) if len(form) else ""
    fresh = grid_rows(form.to_dict("records"), lang)
    return unit, [{**r, "value": typed.get(r["code"]) or ""} for r in fresh]


def decoded(contents: str | None) -> bytes | None:
    """The bytes of a dcc.Upload's data URL (None: nothing, or not base64)."""
    if not contents or "," not in contents:
        return None
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        return None


def idempotency_key(nonce: object, content: bytes) -> str:
    """One page load sending the same content twice (a double click) sends it
    once: the inbox answers with the first submission's id."""
    digest = hashlib.sha256(content).hexdigest()[:24]
    return f"web-{str(nonce)[:16]}-{digest}"


def seen(shown: Received | None, items: list[Received]) -> str:
    """What the receipt, the submissions and the reports shown depend on: the
    poll redraws them only when it changes (a redraw every few seconds would
    reset a reader's selection and scrolling in them)."""
    parts = [
        q.snapshot_id(),
        shown.id if shown else "",
        shown.state if shown else "",
        *(f"{i.id}:{i.state}" for i in items),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def form_section(
    scope: Scope, rows: list[dict], kwargs: dict, lang: str, ids: dict[str, str]
):
    """The form's panel for the URL's regime and period (else the defaults),
    its state for the callbacks, and the URL's problems."""
    asked = {k: kwargs.get(k) or None for k in ("regime", "report")}
    regime, period, regimes, periods, bad = form_choice(
        rows, asked["regime"], asked["report"]
    )
    problems = [t(f"sub.bad_{k}", lang, value=repr(asked[k])) for k in bad]
    names = {r["regime"]: r["regime_en" if lang == "en" else "regime_vi"] for r in rows}
    grid = None
    form = q.reporter_form(scope.agency, regime, period) if regime and period else None
    if form is not None and len(form):
        first = form.iloc[0]
        grid = form_grid(
            grid_rows(form.to_dict("records"), lang),
            lang,
            ids["grid"],
            period,
            first["prev_period"],
            first["last_year_period"],
        )
    choices = [(c, names[c]) for c in regimes]
    section = form_panel(lang, ids, choices, regime, periods, period, grid)
    return section, {"regime": regime, "period": period}, problems
