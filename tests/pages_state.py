"""Dash's pages state, saved and put back (tests/conftest.py keep_pages_state).

register_page writes dash._pages.PAGE_REGISTRY (the same dict as
dash.page_registry) and reads the config of the last Dash app made
(dash._pages.CONFIG, dash._get_paths.CONFIG, dash._get_app.APP): a test that
makes an app with pages and imports page modules leaves all of it behind, for
the tests after it to find. Dash's own tests clear it (tests/conftest.py
clear_pages_state); these put back what was there, so that the real app, made
once per process (the_app), can be served again.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from dash import _get_app, _get_paths, _pages
from dash._utils import AttributeDict


def pages_state() -> dict:
    """Dash's pages state as it is now (the pages copied: the auth guard wraps
    their layouts in place)."""
    return {
        "registry": tuple(
            (name, dict(page)) for name, page in _pages.PAGE_REGISTRY.items()
        ),
        "pages_config": _pages.CONFIG,
        "paths_config": _get_paths.CONFIG,
        "app": _get_app.APP,
    }


def set_pages_state(state: dict) -> None:
    """Dash's pages state becomes `state` (from pages_state). A page module
    registered since is dropped from sys.modules, so that importing it again
    registers it again."""
    registry = _pages.PAGE_REGISTRY
    kept = {name for name, _ in state["registry"]}
    for name in set(registry) - kept:
        sys.modules.pop(name, None)
    registry.clear()  # in place: dash.page_registry is the same dict
    registry.update((name, dict(page)) for name, page in state["registry"])
    _pages.CONFIG = state["pages_config"]
    _get_paths.CONFIG = state["paths_config"]
    _get_app.APP = state["app"]


def empty_pages_state() -> dict:
    """No page registered and no app made: register_page refuses to run."""
    return {
        "registry": (),
        "pages_config": AttributeDict(),
        "paths_config": AttributeDict(),
        "app": None,
    }


@contextmanager
def kept_pages_state() -> Iterator[None]:
    """Dash's pages state is as it was before, whatever the block registers."""
    saved = pages_state()
    try:
        yield
    finally:
        set_pages_state(saved)


_THE_APP: dict = {}


def the_app() -> tuple[ModuleType, dict]:
    """The app module (app.py, imported once per process: the callbacks of
    dash.callback are registered once) and the pages state its import made.

    The import leaves no pages behind: a fixture serving the app installs that
    state (set_pages_state), and keep_pages_state takes it away after. The
    environment (CC_DATA_DIR, CC_AUTH_DIR) is the first caller's."""
    if not _THE_APP:
        with kept_pages_state():
            module = importlib.import_module("app")
            _THE_APP.update(module=module, state=pages_state())
    return _THE_APP["module"], _THE_APP["state"]
