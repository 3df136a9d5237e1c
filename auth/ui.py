"""What the pages show of sign-in: the account bar and "not permitted".

The account bar sits above the navbar on every page (not on the wall and the
presenter view, nor for a device): who is signed in, in which role and scope,
a link to the audit log for administrators, and a sign-out form (a POST with
the session's CSRF token).
"""

from __future__ import annotations

from dash import Input, Output, callback, dcc, html
from flask import g, has_request_context, session

from components import ids
from core.i18n import register, t
from core.roles import AUDIT, ROLES, VALUES
from core.urls import parse_search

ACCOUNT_BAR = "cc-account-bar"
KIOSK_PATHS = ("/wall",)  # the presenter's tablet keeps its sign-out

register(
    {
        "auth.forbidden": {"vi": "Không có quyền truy cập", "en": "Not permitted"},
        "auth.forbidden_text": {
            "vi": "Nội dung này nằm ngoài phạm vi được phân quyền cho tài khoản "
            "của bạn. Lượt truy cập đã được ghi nhật ký.",
            "en": "This content is outside the scope your account was given. "
            "The attempt has been recorded.",
        },
        "auth.sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
        "auth.bad_request": {"vi": "Địa chỉ không hợp lệ", "en": "Invalid address"},
        "auth.audit_log": {"vi": "Nhật ký truy cập", "en": "Audit log"},
        "auth.province": {"vi": "tỉnh {code}", "en": "province {code}"},
        "auth.nationwide": {"vi": "toàn quốc", "en": "nationwide"},
    }
)


def forbidden(lang: str, home: str = "/") -> html.Div:
    return html.Div(
        [
            html.H2(
                [html.I(className="bi bi-shield-lock me-2"), t("auth.forbidden", lang)]
            ),
            html.P(t("auth.forbidden_text", lang)),
            html.A(t("nav.home", lang), href=home, className="btn btn-outline-primary"),
        ],
        className="empty-state forbidden-state",
        **{"data-status": "403"},
    )


def bad_request(lang: str, message: str, home: str = "/") -> html.Div:
    return html.Div(
        [
            html.H2(
                [
                    html.I(className="bi bi-exclamation-triangle me-2"),
                    t("auth.bad_request", lang),
                ]
            ),
            html.P(message),
            html.A(t("nav.home", lang), href=home, className="btn btn-outline-primary"),
        ],
        className="empty-state bad-request-state",
        **{"data-status": "400"},
    )


def account_bar(identity, lang: str, csrf: str) -> html.Div | None:
    if identity is None or identity.kind != "user":
        return None
    role = ROLES.get(identity.role)
    label = (role.en if lang == "en" else role.vi) if role else identity.role
    scope = []
    if identity.province:
        scope.append(t("auth.province", lang, code=identity.province))
    scope.extend(identity.agencies + identity.sectors)
    if identity.agency:  # a reporter: the agency it reports for
        scope.append(identity.agency)
    if not scope and role and VALUES in role.capabilities:
        scope.append(t("auth.nationwide", lang))
    links = []
    if role and AUDIT in role.capabilities:
        links.append(
            html.A(
                [
                    html.I(className="bi bi-journal-text me-1"),
                    t("auth.audit_log", lang),
                ],
                href=f"/admin/audit?lang={lang}",
                className="cc-account-link",
            )
        )
    return html.Div(
        [
            html.Span(
                [
                    html.I(className="bi bi-person-circle me-1"),
                    html.Strong(identity.display_name or identity.name),
                ],
                className="cc-account-name",
            ),
            html.Span(" · ".join([label, *scope]), className="cc-account-role"),
            *links,
            html.Form(
                [
                    dcc.Input(type="hidden", name="csrf_token", value=csrf),
                    html.Button(
                        [
                            html.I(className="bi bi-box-arrow-right me-1"),
                            t("auth.sign_out", lang),
                        ],
                        type="submit",
                        id="cc-sign-out",
                        className="btn btn-sm cc-sign-out",
                    ),
                ],
                action=f"/logout?lang={lang}",
                method="POST",
                className="cc-sign-out-form",
            ),
        ],
        className="cc-account",
    )


@callback(
    Output(ACCOUNT_BAR, "children"),
    Input(ids.URL, "pathname"),
    Input(ids.URL, "search"),
)
def render_account_bar(pathname: str | None, search: str | None):
    if (pathname or "").rstrip("/") in KIOSK_PATHS or not has_request_context():
        return None
    lang = parse_search(search).get("lang")
    lang = lang if lang in ("vi", "en") else "vi"
    return account_bar(g.get("cc_identity"), lang, session.get("csrf", ""))
