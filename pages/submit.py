"""/submit : the reporter's page (issue 11, the web channel).

URL: ?regime (the form's regime), report (its period: 2026-10, 2026-Q3, 2026),
receipt (a submission of the caller's agency), lang.
Data: data.queries.reporter_reports (what the agency owes, from m_reports),
reporter_form (the regime's indicators for its unit, with the previous period
and the same period last year), the inbox (store.inbox) for its submissions;
intake/ checks (preview) and receives (receive_submission, channel "web").
Builders: components.submit_status, submit_form, submit_parts, submit_receipt,
submit_errors. Every callback asks for the `submit` capability and serves the
caller's own agency only: another agency's submission id is refused (403,
in the audit log).
"""

from __future__ import annotations

import json
import secrets

import dash
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from components import ids
from components.page_title import titled
from components.report_counters import panel
from components.states import problems_alert
from components.submit_form import checked, marks, submission
from components.submit_parts import (
    upload_panel,
    verdict_bad,
    verdict_note,
    verdict_ok,
    verdict_sent,
)
from components.submit_receipt import receipt_downloads, receipt_panel
from components.submit_status import IN_FLIGHT
from core.i18n import t
from core.params import read_state
from core.scope import Scope
from core.urls import parse_search, same_view
from data import queries as q
from intake.preview import check_submission
from intake.receipt import receipt, receipt_text
from intake.receive import Refused, receive_submission
from pages import _submit_view as view
from pages._snapshot import or_no_snapshot
from store.inbox import Received

dash.register_page(
    __name__,
    path="/submit",
    order=6,
    name="Nộp báo cáo",
    title=titled("Nộp báo cáo", "Submit reports"),
)

PATH = view.PATH
LANG, NONCE, FORM, RECEIPT_ID = "sub-lang", "sub-nonce", "sub-form", "sub-receipt-id"
SEEN = "sub-seen"  # what the receipt and the lists show (pages/_submit_view.seen)
POLL, OWED, SUBMISSIONS = "sub-poll", "sub-owed", "sub-submissions"
RECEIPT, RECEIPT_BOX, RECEIPT_STATE = "sub-receipt", "sub-receipt-box", "sub-state"
RECEIPT_TXT, RECEIPT_JSON, DOWNLOAD = "sub-receipt-txt", "sub-receipt-json", "sub-dl"
UPLOAD = {
    "file": "sub-file",
    "signature": "sub-signature",
    "report": "sub-upload-report",
    "send": "sub-upload-send",
}
FORM_IDS = {
    "panel": "sub-form-panel",
    "regime": "sub-regime",
    "period": "sub-period",
    "grid": "sub-grid",
    "report": "sub-form-report",
    "check": "sub-check",
    "send": "sub-form-send",
}
POLL_MS = 1500  # while a submission of the agency is queued or loading


def layout(**kwargs: str) -> html.Div:
    scope = view.reporter()  # 'not permitted' for the other roles (auth.pages)
    state = read_state(kwargs)
    return or_no_snapshot(lambda: _page(scope, state, kwargs), state.lang)


def _page(scope: Scope, state, kwargs: dict) -> html.Div:
    lang = state.lang
    items = view.submissions(scope)
    rows, owed = view.owed(scope, lang, items)
    form, form_state, problems = view.form_section(scope, rows, kwargs, lang, FORM_IDS)
    # ?receipt=<id>: one of the agency's own (another's: "not permitted")
    shown = (
        view.own_submission(scope, kwargs["receipt"]) if kwargs.get("receipt") else None
    )
    agencies = q.agencies().set_index("code")
    name = scope.agency
    if scope.agency in agencies.index:
        name = agencies.loc[scope.agency, "name_en" if lang == "en" else "name_vi"]
    flying = any(i.state in IN_FLIGHT for i in items)
    return html.Div(
        [
            dcc.Store(id=LANG, data=lang),
            dcc.Store(id=NONCE, data=secrets.token_hex(8)),
            dcc.Store(id=FORM, data=form_state),
            dcc.Store(id=RECEIPT_ID, data=shown.id if shown else None),
            dcc.Store(id=SEEN, data=view.seen(shown, items)),
            dcc.Interval(id=POLL, interval=POLL_MS, disabled=not flying),
            dcc.Download(id=DOWNLOAD),
            html.Div(
                [
                    html.H1(t("sub.title", lang)),
                    html.Div(
                        t("sub.subtitle", lang, agency=name), className="text-muted"
                    ),
                ],
                className="page-header",
            ),
            problems_alert(state.problems + problems, lang),
            html.Div(
                [
                    html.Div(
                        panel(t("sub.owed_title", lang), [html.Div(owed, id=OWED)]),
                        className="col-xxl-8",
                    ),
                    html.Div(upload_panel(lang, UPLOAD), className="col-xxl-4"),
                ],
                className="row",
            ),
            form,
            html.Section(
                [
                    html.H2(t("sub.receipt", lang), className="panel-title"),
                    html.Div(_receipt(shown, lang), id=RECEIPT),
                    receipt_downloads(lang, RECEIPT_TXT, RECEIPT_JSON),
                ],
                className="panel mb-3",
                id=RECEIPT_BOX,
                hidden=shown is None,
            ),
            panel(
                t("sub.list_title", lang),
                [html.Div(view.submissions_list(items, lang), id=SUBMISSIONS)],
            ),
        ],
        className="submit-page",
    )


def _receipt(item: Received | None, lang: str):
    if item is None:
        return None
    return receipt_panel(
        item.as_json(), lang, {"state": RECEIPT_STATE}, view.units_vi()
    )


# -- the form: regime and period in the URL; check; submit --


@callback(
    Output(ids.URL, "href", allow_duplicate=True),
    Input(FORM_IDS["regime"], "value"),
    Input(FORM_IDS["period"], "value"),
    State(FORM, "data"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def pick_form(regime: str | None, period: str | None, shown: dict, search: str | None):
    view.reporter()
    # Dash 4's dropdowns report their value when they mount: only a change
    # from what the page rendered is the user's
    shown = shown or {}
    current = parse_search(search)
    if regime and regime != shown.get("regime"):
        return same_view(PATH, current, regime=regime, report=None, receipt=None)
    if period and period != shown.get("period"):
        return same_view(PATH, current, regime=shown.get("regime"), report=period)
    raise PreventUpdate


@callback(
    Output(FORM_IDS["grid"], "data"),
    Output(FORM_IDS["grid"], "style_data_conditional"),
    Output(FORM_IDS["report"], "children"),
    Output(FORM_IDS["send"], "disabled"),
    Input(FORM_IDS["check"], "n_clicks"),
    State(FORM_IDS["grid"], "data"),
    State(FORM, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def check_form(clicks: int | None, rows: list[dict], shown: dict, lang: str):
    scope = view.reporter()
    if not clicks:
        raise PreventUpdate
    unit, rows = view.typed_rows(scope, rows, shown, lang)
    content, codes = submission(rows, scope.agency, unit, shown["period"])
    if not codes:
        return rows, marks([]), verdict_note(t("sub.nothing", lang), "warning"), True
    try:
        found = check_submission(content, "form.json", scope)
    except Refused as refused:
        units = view.units_vi()
        marked, bad = checked(rows, refused.errors, codes, lang, units)
        report = verdict_bad(
            refused.message(lang), refused.errors, lang, codes, units, "sub-form-errors"
        )
        return marked, marks(bad), report, True
    marked, _ = checked(rows, [], codes, lang)
    return (
        marked,
        marks([]),
        verdict_ok(found.count, len(found.indicators), lang),
        False,
    )


@callback(
    Output(FORM_IDS["send"], "disabled", allow_duplicate=True),
    Input(FORM_IDS["grid"], "data_timestamp"),
    prevent_initial_call=True,
)
def edited(_stamp: int | None) -> bool:
    """A cell changed after the check: check again before sending."""
    view.reporter()
    return True


@callback(
    Output(RECEIPT_ID, "data"),
    Output(FORM_IDS["report"], "children", allow_duplicate=True),
    Output(FORM_IDS["send"], "disabled", allow_duplicate=True),
    Input(FORM_IDS["send"], "n_clicks"),
    State(FORM_IDS["grid"], "data"),
    State(FORM, "data"),
    State(NONCE, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def send_form(clicks: int | None, rows: list[dict], shown: dict, nonce: str, lang: str):
    scope = view.reporter()
    if not clicks:
        raise PreventUpdate
    unit, rows = view.typed_rows(scope, rows, shown, lang)
    content, codes = submission(rows, scope.agency, unit, shown["period"])
    name = f"{scope.agency}_{shown['regime']}_{shown['period']}.json"
    try:
        item, created = receive_submission(
            content, name, scope, "web", view.idempotency_key(nonce, content)
        )
    except Refused as refused:
        report = verdict_bad(refused.message(lang), refused.errors, lang, codes)
        return dash.no_update, report, True
    return item.id, verdict_sent(item.id, created, lang), True


# -- the upload: checked when chosen, then sent --


@callback(
    Output(UPLOAD["report"], "children"),
    Output(UPLOAD["send"], "disabled"),
    Input(UPLOAD["file"], "contents"),
    Input(UPLOAD["signature"], "contents"),
    State(UPLOAD["file"], "filename"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def check_upload(contents, signature, file_name: str | None, lang: str):
    scope = view.reporter()
    content = view.decoded(contents)
    if content is None:
        raise PreventUpdate
    try:
        found = check_submission(
            content, file_name or "", scope, view.decoded(signature)
        )
    except Refused as refused:
        report = verdict_bad(
            refused.message(lang),
            refused.errors,
            lang,
            units_vi=view.units_vi(),
            table_id="sub-upload-errors",
        )
        return report, True
    return verdict_ok(found.count, len(found.indicators), lang, file_name), False


@callback(
    Output(RECEIPT_ID, "data", allow_duplicate=True),
    Output(UPLOAD["report"], "children", allow_duplicate=True),
    Output(UPLOAD["send"], "disabled", allow_duplicate=True),
    Input(UPLOAD["send"], "n_clicks"),
    State(UPLOAD["file"], "contents"),
    State(UPLOAD["file"], "filename"),
    State(UPLOAD["signature"], "contents"),
    State(NONCE, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def send_upload(clicks, contents, file_name, signature, nonce: str, lang: str):
    scope = view.reporter()
    content = view.decoded(contents)
    if not clicks or content is None:
        raise PreventUpdate
    try:
        item, created = receive_submission(
            content,
            file_name or "",
            scope,
            "web",
            view.idempotency_key(nonce, content),
            view.decoded(signature),
        )
    except Refused as refused:
        report = verdict_bad(refused.message(lang), refused.errors, lang)
        return dash.no_update, report, True
    return item.id, verdict_sent(item.id, created, lang), True


# -- the receipt and the lists, as the loader takes the submissions --


@callback(
    Output(RECEIPT, "children"),
    Output(RECEIPT_BOX, "hidden"),
    Output(SUBMISSIONS, "children"),
    Output(OWED, "children"),
    Output(POLL, "disabled"),
    Output(SEEN, "data"),
    Input(RECEIPT_ID, "data"),
    Input(POLL, "n_intervals"),
    State(SEEN, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def follow(sid: str | None, _n: int | None, before: str | None, lang: str):
    """Every POLL_MS while a submission of the agency is queued or loading:
    the receipt, the submissions and what is owed, redrawn when they change."""
    scope = view.reporter()
    shown = view.own_submission(scope, sid) if sid else None
    items = view.submissions(scope)
    flying = any(i.state in IN_FLIGHT for i in items)
    now = view.seen(shown, items)
    if now == before:
        return (*[dash.no_update] * 4, not flying, dash.no_update)
    _rows, owed = view.owed(scope, lang, items)
    return (
        _receipt(shown, lang),
        shown is None,
        view.submissions_list(items, lang),
        owed,
        not flying,
        now,
    )


@callback(
    Output(DOWNLOAD, "data"),
    Input(RECEIPT_TXT, "n_clicks"),
    State(RECEIPT_ID, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def download_text(clicks: int | None, sid: str | None, lang: str) -> dict:
    """The receipt as plain text in the page's language."""
    item = view.own_submission(view.reporter(), sid)
    if not clicks:
        raise PreventUpdate
    return {"content": receipt_text(item, lang), "filename": f"bien-nhan-{item.id}.txt"}


@callback(
    Output(DOWNLOAD, "data", allow_duplicate=True),
    Input(RECEIPT_JSON, "n_clicks"),
    State(RECEIPT_ID, "data"),
    prevent_initial_call=True,
)
def download_json(clicks: int | None, sid: str | None) -> dict:
    """The receipt as JSON (as the API gives it)."""
    item = view.own_submission(view.reporter(), sid)
    if not clicks:
        raise PreventUpdate
    text = json.dumps(receipt(item), ensure_ascii=False, indent=2)
    return {"content": text, "filename": f"bien-nhan-{item.id}.json"}
