"""Browser-tab titles in the language of the URL, for dash.register_page.

Dash calls a page's `title` with the path variables only (not the query), in
the pages router's request (a POST whose inputs hold the URL's search) and in
the first page load (a GET with the query): the language is read from
whichever of the two this request is.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import has_request_context, request

from core.i18n import LANGS
from core.urls import pages_location, parse_search


def request_lang() -> str:
    """'en' when this request's page URL says lang=en, else 'vi'."""
    if not has_request_context():
        return "vi"
    value = request.args.get("lang")
    payload = request.get_json(silent=True) if request.is_json else None
    location = pages_location(payload)
    if "search" in location:
        value = parse_search(location["search"]).get("lang")
    return value if value in LANGS else "vi"


def titled(vi: str, en: str) -> Callable[..., str]:
    """A page title for register_page: `vi` or `en` by the URL's language;
    `{code}` in either is the page's path variable."""

    def title(**path: str) -> str:
        text = en if request_lang() == "en" else vi
        return text.format(code=path.get("code", "")) if "{code}" in text else text

    return title
