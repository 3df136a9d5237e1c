"""Building and reading the URLs that hold a view's whole state."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

# The state every view carries along when the user drills or switches.
SHARED_KEYS = ("lang", "period", "geo")


def parse_search(search: str | None) -> dict[str, str]:
    """'?period=2026-03&lang=en' -> {'period': '2026-03', 'lang': 'en'}."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def pages_location(payload: object) -> dict[str, str]:
    """The URL the pages router is asked for in a Dash update request's body:
    {'pathname': ..., 'search': ...} (empty for another callback's request)."""
    inputs = payload.get("inputs") if isinstance(payload, dict) else None
    return {
        str(item.get("property")): str(item.get("value") or "")
        for item in inputs or []
        if isinstance(item, dict) and item.get("id") == "_pages_location"
    }


def href(
    path: str, state: dict[str, str | None] | None = None, **changes: str | None
) -> str:
    """`path` with the shared state, changed by `changes` (None removes a key)."""
    params = {k: v for k, v in (state or {}).items() if k in SHARED_KEYS and v}
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    query = urlencode(sorted(params.items()))
    return f"{path}?{query}" if query else path


def same_view(path: str, params: dict[str, str], **changes: str | None) -> str:
    """The same view with some parameters changed, keeping all the others."""
    merged = {k: v for k, v in params.items() if v}
    for key, value in changes.items():
        if value in (None, ""):
            merged.pop(key, None)
        else:
            merged[key] = value
    query = urlencode(sorted(merged.items()))
    return f"{path}?{query}" if query else path
