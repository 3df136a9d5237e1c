"""Every request needs an identity, except the sign-in page and what it loads.

Identity, in this order:
  Authorization: Bearer <token>   a device/API token (no session is made)
  ?token=<token> on a page         a wall's device token: exchanged once for a
                                   session cookie, then redirected to the same
                                   URL without it (a kiosk is set up with one URL)
  the session cookie               a signed-in user, or a device after exchange
The identity's scope goes to flask.g (core.context), which the data layer reads.
Without one: /api/* answers 401, a page load goes to /login, anything else 401.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

from flask import Flask, g, jsonify, redirect, request, session, url_for

from auth import audit
from auth.store import identify_token, session_identity
from auth.web import TEXT, lang_of, login_page, start_session
from core.context import INTERNAL_SCOPE, set_request_scope
from core.roles import home_path
from core.scope import NO_ACCESS, Scope

# Reachable without an identity: the sign-in page and the files it loads.
PUBLIC_PATHS = ("/login", "/logout", "/healthz", "/_favicon.ico")
PUBLIC_PREFIXES = ("/auth/static/", "/assets/vendor/")


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _unauthorized(message: str, status: int = 401):
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    if request.path.startswith("/api/"):
        response.headers["WWW-Authenticate"] = 'Bearer realm="command-center"'
    return response


def _cross_site_post() -> bool:
    """A state-changing request whose Origin is another site."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    origin = request.headers.get("Origin")
    return bool(origin) and urlparse(origin).netloc != request.host


def _record_refused_token(via: str) -> None:
    """A token that is not (or no longer) valid: who tried, from where."""
    audit.record(
        audit.TOKEN_USE,
        target=request.path,
        outcome="refused",
        actor="token:?",
        ip=request.remote_addr,
        detail={"via": via},
    )


def _device_sign_in(token: str):
    """Exchange a wall's ?token= for a session, then drop it from the URL."""
    identity = identify_token(token)
    lang = lang_of(request.args.get("lang"))
    if identity is None:
        _record_refused_token("url")
        return login_page(lang, TEXT[lang]["bad_token"], status=401)
    start_session(identity)
    audit.record(
        audit.TOKEN_USE,
        target=request.path,
        detail={"via": "url"},
        actor=identity.principal,
        role=identity.role,
        ip=request.remote_addr,
    )
    rest = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
    # "/?token=" is "sign me in": the role's home (an operator's "/" refuses)
    path = request.path
    if path == "/":
        path = home_path(identity.role, identity.province)
    return redirect(path + (f"?{urlencode(rest)}" if rest else ""))


def identify() -> None:
    g.cc_identity, g.cc_auth = None, None
    set_request_scope(NO_ACCESS)
    internal = request.environ.get(INTERNAL_SCOPE)
    if isinstance(internal, Scope):  # made in this process (data.web.warm)
        g.cc_auth = "internal"
        set_request_scope(internal)
        return None
    if _cross_site_post():
        return _unauthorized("cross-site request refused", 403)
    header = request.headers.get("Authorization", "")
    if header:
        kind, _, token = header.partition(" ")
        identity = identify_token(token.strip()) if kind.lower() == "bearer" else None
        if identity is None:
            _record_refused_token("bearer")
            return _unauthorized("the bearer token is not valid or was revoked")
        g.cc_identity, g.cc_auth = identity, "bearer"
    elif (
        (token := request.args.get("token"))
        and request.method == "GET"
        and not (request.path.startswith("/api/") or is_public(request.path))
    ):
        return _device_sign_in(token)
    elif session.get("sid"):
        identity = session_identity(session["sid"])
        if identity is None:
            session.clear()
        else:
            g.cc_identity, g.cc_auth = identity, "session"
    if g.cc_identity is not None:
        set_request_scope(g.cc_identity.scope())
        return None
    if is_public(request.path):
        return None
    if request.path.startswith("/api/"):
        return _unauthorized("sign-in required: send Authorization: Bearer <token>")
    if (
        request.method == "GET"
        and not request.path.startswith(("/_dash", "/assets"))
        and request.accept_mimetypes.accept_html
    ):
        target = request.full_path.rstrip("?")
        return redirect(url_for("auth.login", next=target))
    return _unauthorized("sign-in required")


# The walls' poll (every 2 s per screen: a heartbeat, no figures) would bury
# the log; a wall's sign-in with its token is recorded instead.
NOT_AUDITED = ("/api/v1/wall/",)


def audit_api(response):
    """Every API call, with its caller (a token's use is its API calls)."""
    if (
        request.path.startswith("/api/")
        and not request.path.startswith(NOT_AUDITED)
        and g.get("cc_identity") is not None
    ):
        audit.record(
            audit.API,
            target=request.path,
            outcome="ok" if response.status_code < 400 else str(response.status_code),
            detail={"args": request.args.to_dict(), "auth": g.cc_auth},
        )
    return response


def install_gate(server: Flask) -> None:
    server.before_request(identify)
    server.after_request(audit_api)
