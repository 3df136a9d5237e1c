"""Dash's pages state is put back after a test (tests/pages_state.py, the
keep_pages_state fixtures of tests/conftest.py): pages a test registers, the app
it makes, are gone for the next test, and a page module imported again
registers again."""

from __future__ import annotations

import sys

import dash
import pytest
from dash import _get_app, _pages, html

from tests.pages_state import kept_pages_state, pages_state
from tests.unit.component_text import import_pages


def _names() -> set[str]:
    return set(dash.page_registry)


def test_a_block_leaves_no_page_and_no_app_behind():
    before, app_before = _names(), _get_app.APP
    with kept_pages_state():
        app = dash.Dash(__name__, use_pages=True, pages_folder="")
        dash.register_page(
            "tests.unit.not_a_module", path="/not-a-module", layout=html.Div("x")
        )
        assert "tests.unit.not_a_module" in dash.page_registry
        assert _get_app.APP is app and _pages.CONFIG is app.config
    assert _names() == before and _get_app.APP is app_before


def test_a_page_module_imported_again_registers_again():
    for _ in range(2):
        with kept_pages_state():
            (module,) = import_pages(__name__, "pages.sectors")
            assert dash.page_registry["pages.sectors"]["module"] == module.__name__
            assert sys.modules["pages.sectors"] is module
        assert "pages.sectors" not in sys.modules
        assert "pages.sectors" not in dash.page_registry


def test_a_page_changed_in_place_is_put_back_as_it_was():
    """auth.pages.guard_pages wraps the registered layouts in place."""
    with kept_pages_state():
        import_pages(__name__, "pages.sectors")
        saved = pages_state()
        with kept_pages_state():
            dash.page_registry["pages.sectors"]["layout"] = "wrapped in place"
        assert "layout" not in dash.page_registry["pages.sectors"]
        assert pages_state()["registry"] == saved["registry"]


def test_clear_pages_state_starts_without_any_app(clear_pages_state):
    assert dict(dash.page_registry) == {}
    with pytest.raises(dash.exceptions.PageError):
        dash.register_page(
            "tests.unit.not_a_module", path="/nowhere", layout=html.Div()
        )


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_starts_without_the_pages_of_the_one_before(turn):
    """The first turn registers a page; the autouse fixture removes it."""
    assert "tests.unit.registered_by_a_test" not in dash.page_registry
    dash.Dash(__name__, use_pages=True, pages_folder="")
    dash.register_page(
        "tests.unit.registered_by_a_test", path=f"/turn-{turn}", layout=html.Div()
    )
