"""The sign-in routes: /login, /logout, /healthz, and the audit export.

Plain server-rendered HTML (no script): it works before any session exists,
under the strict Content-Security-Policy, in Vietnamese and English.
"""

from __future__ import annotations

import hmac
import re
import secrets
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from auth import audit
from auth.lockout import sign_in
from auth.store import create_session, end_session
from core.roles import AUDIT, home_path
from core.tz import VIETNAM_OFFSET_HOURS

auth_bp = Blueprint(
    "auth",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/auth/static",
)

TEXT = {
    "vi": {
        "app": "Trung tâm thông tin, chỉ đạo, điều hành",
        "title": "Đăng nhập",
        "user": "Tên đăng nhập",
        "password": "Mật khẩu",
        "submit": "Đăng nhập",
        "logout": "Đăng xuất",
        "logout_confirm": "Kết thúc phiên làm việc trên thiết bị này?",
        "bad": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "locked": "Đăng nhập sai quá nhiều lần: tạm khoá, thử lại sau {minutes} phút.",
        "expired": "Phiên làm việc đã kết thúc, vui lòng đăng nhập lại.",
        "csrf": "Biểu mẫu đã hết hạn, vui lòng thử lại.",
        "bad_token": "Mã thiết bị không hợp lệ hoặc đã bị thu hồi.",
        "signed_out": "Đã đăng xuất.",
        "note": "Truy cập theo phân cấp quản lý; mọi lượt truy cập được ghi nhật ký.",
        "other_lang": "English",
    },
    "en": {
        "app": "Command and control center",
        "title": "Sign in",
        "user": "User name",
        "password": "Password",
        "submit": "Sign in",
        "logout": "Sign out",
        "logout_confirm": "End the session on this device?",
        "bad": "Wrong user name or password.",
        "locked": "Too many failed sign-ins: locked, try again in {minutes} min.",
        "expired": "Your session has ended, please sign in again.",
        "csrf": "The form expired, please try again.",
        "bad_token": "The device token is not valid or was revoked.",
        "signed_out": "Signed out.",
        "note": "Access by management level; every access is recorded.",
        "other_lang": "Tiếng Việt",
    },
}
NEXT_RE = re.compile(r"^/(?![/\\])[\x21-\x7e]{0,1999}$")


def lang_of(value: str | None) -> str:
    return value if value in TEXT else "vi"


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_ok() -> bool:
    sent = request.form.get("csrf_token", "")
    return bool(sent) and hmac.compare_digest(sent, session.get("csrf", ""))


def safe_next(
    value: str | None, role: str | None = None, province: str | None = None
) -> str:
    """A local path to go to after signing in (never another site)."""
    home = home_path(role, province)
    if not value or not NEXT_RE.match(value) or value.startswith(("/login", "/logout")):
        return home
    return value


def login_page(
    lang: str,
    message: str = "",
    kind: str = "danger",
    status: int = 200,
    username: str = "",
    next_path: str = "",
    mode: str = "login",
):
    other = "en" if lang == "vi" else "vi"
    query = {"lang": other, **({"next": next_path} if next_path else {})}
    html = render_template(
        "login.html",
        lang=lang,
        text=TEXT[lang],
        message=message,
        message_kind=kind,
        csrf=csrf_token(),
        username=username[:64],
        next=next_path,
        mode=mode,
        other_lang_href=f"{request.path}?{urlencode(query)}",
    )
    return Response(html, status=status, mimetype="text/html")


def start_session(identity) -> None:
    """A fresh session (new id and CSRF token: no fixation) for `identity`."""
    session.clear()
    session.permanent = True
    session["sid"] = create_session(identity, request.remote_addr)
    session["csrf"] = secrets.token_urlsafe(32)


@auth_bp.route("/login", methods=["GET", "POST"])
def login():
    lang = lang_of(request.args.get("lang") or request.form.get("lang"))
    next_path = request.values.get("next", "")
    next_path = next_path if NEXT_RE.match(next_path or "") else ""
    if request.method in ("GET", "HEAD"):  # HEAD: an uptime probe
        if g.get("cc_identity") is not None:
            return redirect(
                safe_next(next_path, g.cc_identity.role, g.cc_identity.province)
            )
        if request.args.get("signed_out"):
            return login_page(lang, TEXT[lang]["signed_out"], "success")
        message = TEXT[lang]["expired"] if request.args.get("expired") else ""
        return login_page(lang, message, "warning", next_path=next_path)
    username = request.form.get("username", "")[:200]
    password = request.form.get("password", "")[:1024]
    if not csrf_ok():
        return login_page(
            lang, TEXT[lang]["csrf"], status=400, username=username, next_path=next_path
        )
    result = sign_in(username, password, request.remote_addr)
    who = {"actor": f"user:{username.strip().lower()[:64]}", "ip": request.remote_addr}
    if result.outcome == "locked":
        audit.record(audit.LOGIN_LOCKED, outcome="refused", **who)
        minutes = max(1, (result.retry_after + 59) // 60)
        page = login_page(
            lang,
            TEXT[lang]["locked"].format(minutes=minutes),
            status=429,
            username=username,
            next_path=next_path,
        )
        page.headers["Retry-After"] = str(result.retry_after)
        return page
    if result.identity is None:
        audit.record(audit.LOGIN_FAILED, outcome="refused", **who)
        return login_page(
            lang, TEXT[lang]["bad"], status=401, username=username, next_path=next_path
        )
    start_session(result.identity)
    audit.record(audit.LOGIN, role=result.identity.role, **who)
    identity = result.identity
    return redirect(safe_next(next_path, identity.role, identity.province), code=303)


@auth_bp.route("/logout", methods=["GET", "POST"])
def logout():
    lang = lang_of(request.args.get("lang") or request.form.get("lang"))
    if request.method in ("GET", "HEAD"):
        if g.get("cc_identity") is None:
            return redirect(url_for("auth.login", lang=lang))
        return login_page(lang, mode="logout")
    if not csrf_ok():
        return login_page(lang, TEXT[lang]["csrf"], status=400, mode="logout")
    if session.get("sid"):
        end_session(session["sid"])
        audit.record(audit.LOGOUT)
    session.clear()
    # to a page of its own (post/redirect/get): Back or reload sends nothing again
    return redirect(url_for("auth.login", lang=lang, signed_out=1), code=303)


@auth_bp.get("/healthz")
def healthz():
    return Response("ok\n", mimetype="text/plain")


@auth_bp.get("/admin/audit.csv")
def audit_export():
    """The audit log as CSV, filtered like /admin/audit (administrators only)."""
    scope = g.get("cc_scope")
    if scope is None or not scope.can(AUDIT):
        abort(403)
    args = request.args
    try:
        events = audit.read_events(
            args.get("actor"),
            args.get("action"),
            args.get("from"),
            args.get("to"),
            limit=None,
            utc_offset_hours=VIETNAM_OFFSET_HOURS,  # the page's days
        )
    except ValueError as exc:
        return Response(f"{exc}\n", status=400, mimetype="text/plain")
    audit.record(audit.EXPORT, detail={k: v for k, v in args.items()})
    return Response(
        audit.to_csv(events),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit.csv"},
    )
