"""Page layouts under the caller's scope, and every page view in the audit log.

Dash's pages router renders `layout(**path variables, **query values)` for
the URL it is sent: that call is wrapped here, once for every registered page,
so that a layout reaching data outside the scope (data.access.OutOfScope)
shows "not permitted" instead (and a bad value it let through, a message
saying so, not an error), and each view (its path, its query values:
the province, the indicator ...) is recorded with the caller.
"""

from __future__ import annotations

import functools

import dash

from auth import audit
from auth.ui import bad_request, forbidden
from core.context import current_scope
from core.roles import home_path
from core.urls import pages_location, parse_search
from data.access import OutOfScope
from data.queries import BadParameter
from data.web import dont_cache_response


def _target(page: dict, kwargs: dict) -> str:
    template = page.get("path_template") or page.get("path") or ""
    for key, value in kwargs.items():
        template = template.replace(f"<{key}>", str(value))
    return template


def _home(lang: str) -> str:
    """The caller's landing page (/data-status for an operator, /admin/audit
    for an administrator: '/' would refuse them again)."""
    scope = current_scope()
    return f"{home_path(scope.role, scope.province)}?lang={lang}"


def guarded(page: dict, layout):
    @functools.wraps(layout)
    def view(**kwargs):
        lang = kwargs.get("lang") if kwargs.get("lang") in ("vi", "en") else "vi"
        detail = {k: str(v)[:200] for k, v in kwargs.items()}
        target = _target(page, kwargs)
        try:
            body = layout(**kwargs)
        except (OutOfScope, BadParameter) as exc:  # BadParameter: a value the
            dont_cache_response()  # page did not check itself
            denied = isinstance(exc, OutOfScope)
            audit.record(
                audit.DENIED if denied else audit.VIEW,
                target=target,
                outcome="refused" if denied else "bad_request",
                detail={**detail, "reason": str(exc)},
            )
            if denied:
                return forbidden(lang, home=_home(lang))
            return bad_request(lang, str(exc), home=_home(lang))
        audit.record(audit.VIEW, target=target, detail=detail)
        return body

    view.cc_guarded = True
    return view


def guard_pages() -> None:
    """Wrap every registered page's layout function (idempotent)."""
    for page in dash.page_registry.values():
        layout = page.get("layout")
        if callable(layout) and not getattr(layout, "cc_guarded", False):
            page["layout"] = guarded(page, layout)


def record_cached_view(payload: dict) -> None:
    """A page view answered from data.web's cache: recorded like a rendered one
    (only views the layout allowed are ever cached). The navbar's request for
    the same URL is not a view."""
    if "_pages_content" not in str(payload.get("output", "")):
        return
    location = pages_location(payload)
    path = (location.get("pathname") or "/")[:500]
    detail = {k: v[:200] for k, v in parse_search(location.get("search")).items()}
    audit.record(audit.VIEW, target=path, detail={**detail, "cached": "1"})
