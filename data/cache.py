"""Query caching keyed by snapshot id (flask-caching).

A cached result is stored under `q:<snapshot id>:<hash of query and arguments>`,
so a new snapshot can never be answered from an old entry: the key changes with
it (and a shared Redis can drop a superseded snapshot's entries by prefix).
The backend is settings.cache_config(): a per-process SimpleCache by default,
Redis (CC_REDIS_URL) shared by every worker and host.
Outside a Flask app (the ETL, unit tests) queries run uncached.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, has_app_context
from flask_caching import Cache

cache = Cache()
F = TypeVar("F", bound=Callable[..., Any])


def _active() -> bool:
    """True inside a Flask app that has set up the cache."""
    return has_app_context() and cache in current_app.extensions.get("cache", {})


def cache_key(fn: Callable[..., Any], snapshot_id: str, args: tuple) -> str:
    """The cache key of one call: the snapshot id in clear, the rest hashed."""
    raw = repr((fn.__module__, fn.__qualname__, snapshot_id, args))
    return f"q:{snapshot_id}:{hashlib.sha1(raw.encode()).hexdigest()}"


def snapshot_cached(timeout: int = 3600) -> Callable[[F], F]:
    """Cache a query function whose first argument is the snapshot id."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(snapshot_id: str, *args: Any) -> Any:
            if not _active():
                return fn(snapshot_id, *args)
            key = cache_key(fn, snapshot_id, args)
            hit = cache.get(key)
            if hit is not None:
                return hit
            value = fn(snapshot_id, *args)
            cache.set(key, value, timeout=timeout)
            return value

        return wrapper  # type: ignore[return-value]

    return decorate
