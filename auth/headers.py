"""Security headers on every response.

Content-Security-Policy: nothing from any other origin. Scripts: our own files
plus Dash's inline scripts, allowed by their hashes (app.csp_hashes(), read at
response time because the pages router adds one on the first request).
Styles: 'unsafe-inline' because plotly.js and Dash components set inline
styles. No framing (frame-ancestors 'none', X-Frame-Options DENY), no
referrer to other sites, no MIME sniffing, no server banner; dynamic answers
are not stored by browsers or proxies (they hold data a signed-out user must
not leave behind).
"""

from __future__ import annotations

import dash
from flask import Flask, request

STATIC_PREFIXES = (
    "/assets/",
    "/_dash-component-suites/",
    "/auth/static/",
    "/_favicon.ico",
)


def content_security_policy(script_hashes: list[str]) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())


def install_headers(app: dash.Dash) -> None:
    server: Flask = app.server

    @server.after_request
    def _security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(app.csp_hashes())
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.is_secure:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        if not request.path.startswith(STATIC_PREFIXES):
            headers["Cache-Control"] = "no-store"
        return response


def hide_server_banner() -> None:
    """Werkzeug's server (python app.py, the browser tests) names itself and its
    Python version in a Server header; say nothing of either. (gunicorn says
    only "gunicorn"; the reverse proxy hides that: README, "Security".)"""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.version_string = lambda _self: "command-center"
