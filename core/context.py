"""The scope of the code running now.

In a web request the scope is the request's identity (flask.g, set by
auth.gate before any view runs) and nothing else: a request without one reads
nothing. Outside a request (the ETL, the CLI, tests, scripts) the scope must be
given explicitly, for a block (`with use_scope(SYSTEM):`) or for the process
(`grant_process_scope(SYSTEM)`); by default it is NO_ACCESS too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import g, has_request_context

from core.scope import NO_ACCESS, Scope

# The WSGI environ key an in-process request (the cache warmer's test client)
# carries its scope under. HTTP clients cannot set it: a header only ever
# becomes an HTTP_* key.
INTERNAL_SCOPE = "cc.internal_scope"

_block: ContextVar[Scope | None] = ContextVar("cc_scope", default=None)
_process: Scope | None = None


def current_scope() -> Scope:
    if has_request_context():
        return g.get("cc_scope") or NO_ACCESS
    return _block.get() or _process or NO_ACCESS


def set_request_scope(scope: Scope) -> None:
    g.cc_scope = scope


@contextmanager
def use_scope(scope: Scope) -> Iterator[Scope]:
    """Within the block (outside a request), read with `scope`."""
    token = _block.set(scope)
    try:
        yield scope
    finally:
        _block.reset(token)


def grant_process_scope(scope: Scope | None) -> None:
    """For a command-line process or a test session: its scope outside requests."""
    global _process
    _process = scope
