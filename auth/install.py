"""install(app): sign-in, scopes, audit and security headers on the Dash app.

Called by app.py right after the Dash app is made (its pages are registered
by then), before any other before_request hook: nothing runs for a request
before its identity is known.
"""

from __future__ import annotations

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dash
from flask import jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

import settings
from auth import audit
from auth.db import create_private
from auth.gate import install_gate
from auth.headers import hide_server_banner, install_headers
from auth.pages import guard_pages
from auth.validate import install_callback_check
from auth.web import auth_bp
from data.access import OutOfScope

log = logging.getLogger(__name__)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def secret_key(root: Path | None = None) -> str:
    """CC_SECRET_KEY, else a key generated once into <auth dir>/secret.key (0600):
    enough for one host; several hosts must share CC_SECRET_KEY. Workers that
    start together agree: the file appears whole (a hard link), or not at all."""
    key = settings.secret_key()
    if key:
        return key
    file = settings.auth_dir(root) / "secret.key"
    if not file.exists():
        draft = file.with_name(f".secret.key.{os.getpid()}")
        create_private(draft)
        draft.write_text(secrets.token_hex(32))
        try:
            os.link(draft, file)
            log.warning(
                "CC_SECRET_KEY is not set: generated %s (set CC_SECRET_KEY "
                "in production)",
                file,
            )
        except FileExistsError:
            pass  # another worker was first: use its key
        finally:
            draft.unlink()
    return file.read_text().strip()


def check_debug() -> None:
    """Dash's debug mode (tracebacks, dev tools) only on a loopback address."""
    if settings.debug() and settings.host() not in LOOPBACK:
        raise RuntimeError(
            f"CC_DEBUG=1 is for development on 127.0.0.1 only (HOST={settings.host()})"
        )


def _out_of_scope(exc: OutOfScope):
    audit.record(
        audit.DENIED,
        target=request.path,
        outcome="refused",
        detail={"reason": str(exc)},
    )
    response = jsonify({"error": f"not permitted: {exc}", "status": 403})
    response.status_code = 403
    return response


def _api_http_error(exc: HTTPException):
    """Errors under /api/ as JSON (elsewhere Flask's plain page), never a trace."""
    if not request.path.startswith("/api/"):
        return exc
    response = jsonify({"error": exc.description, "status": exc.code})
    response.status_code = exc.code or 500
    return response


def install(app: dash.Dash) -> None:
    check_debug()
    server = app.server
    server.secret_key = secret_key()
    server.config.update(
        SESSION_COOKIE_NAME="__Host-cc_session"
        if settings.secure_cookies()
        else "cc_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies(),
        PERMANENT_SESSION_LIFETIME=timedelta(days=31),  # the server ends sessions
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
    )
    if settings.trust_proxy():
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1, x_host=1)
    server.register_blueprint(auth_bp)
    install_gate(server)
    install_callback_check(app)
    install_headers(app)
    hide_server_banner()
    server.register_error_handler(OutOfScope, _out_of_scope)
    server.register_error_handler(HTTPException, _api_http_error)
    guard_pages()
