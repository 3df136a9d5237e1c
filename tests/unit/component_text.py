"""Helpers shared by the builder tests (tests/unit/test_*_builders.py): pure
functions that read a Dash component tree (the strings it shows, the nodes that
match), and import_pages, which imports page modules the way register_page
needs (after a Dash app with pages exists). No fixtures: each test file wraps
import_pages in its own; what it registers is taken away after the test or
the module (tests/conftest.py keep_pages_state)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

import dash


def strings(
    component, *, numbers: bool = False, props: tuple[str, ...] = ("children",)
) -> list[str]:
    """Every string inside a component tree, in order.

    A node's `props` are read in turn (by default only its children; the
    indicator tests add "title"). Numbers in the tree are skipped unless
    `numbers` is true, then they are listed as str(number).
    """
    found: list[str] = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif numbers and isinstance(node, int | float):
            found.append(str(node))
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif node is not None:
            for prop in props:
                value = getattr(node, prop, None)
                if value is not None:
                    walk(value)

    walk(component)
    return found


def text_of(component, sep: str = "") -> str:
    """All the text a component tree shows (strings and numbers), in order.

    The texts of the items of a list are joined with `sep`: "" runs them
    together as a browser does inline elements; " " keeps words apart (and an
    empty item still adds its separator).
    """
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return sep.join(text_of(c, sep) for c in component)
    return text_of(getattr(component, "children", None), sep)


def find_all(component, predicate: Callable) -> list:
    """Every node of a component tree (any object but None, a string or a
    number) for which predicate(node) is true, parents before their children."""
    if isinstance(component, list | tuple):
        return [f for c in component for f in find_all(c, predicate)]
    if component is None or isinstance(component, str | int | float):
        return []
    own = [component] if predicate(component) else []
    return own + find_all(getattr(component, "children", None), predicate)


def by_class(component, css: str) -> list:
    """The nodes of a component tree whose className has the class `css`."""
    return find_all(
        component, lambda c: css in (getattr(c, "className", "") or "").split()
    )


def find_nodes(component, predicate: Callable, *, node_attr: str = "children") -> list:
    """The nodes of a component tree for which predicate(node) is true, parents
    before their children.

    A node is an object that has the attribute `node_attr`: with "children" a
    component without children (dcc.Graph, say) is neither tested nor walked;
    with "to_plotly_json" every Dash component is.
    """
    out: list = []

    def walk(node):
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif node is not None and hasattr(node, node_attr):
            if predicate(node):
                out.append(node)
            walk(getattr(node, "children", None))

    walk(component)
    return out


def import_pages(
    name: str, *modules: str, new_app: bool = True
) -> tuple[ModuleType, ...]:
    """The page modules `modules` (dotted names), imported in order.

    register_page refuses to run before a Dash app with pages exists, so
    import_pages makes one, dash.Dash(name, use_pages=True, pages_folder=""),
    `name` being the calling test module's __name__. With new_app (the
    default) it makes the app first, every time; without it, it tries the
    imports as they are and makes the app only if register_page refuses
    (dash.exceptions.PageError), then imports again.
    """
    if not new_app:
        try:
            return tuple(importlib.import_module(m) for m in modules)
        except dash.exceptions.PageError:
            pass
    dash.Dash(name, use_pages=True, pages_folder="")
    return tuple(importlib.import_module(m) for m in modules)
