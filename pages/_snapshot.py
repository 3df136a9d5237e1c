"""The one wrapper of a page whose data may not be published yet.

(Dash's page discovery skips modules whose name starts with "_": this is a
helper of the pages, not a page.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from dash.development.base_component import Component

from components.states import empty_state
from core.i18n import t
from data import queries as q

T = TypeVar("T")


def no_snapshot(lang: str) -> Component:
    """What a page shows before the ETL has published anything."""
    return empty_state(lang, t("msg.no_snapshot", lang))


def or_no_snapshot(
    render: Callable[[], T],
    lang: str,
    frame: Callable[[Component], Component] | None = None,
) -> T | Component:
    """`render()`, or, when nothing is published yet, the message (inside the
    page's own `frame`: its header or breadcrumbs)."""
    try:
        return render()
    except q.NoSnapshot:
        message = no_snapshot(lang)
        return frame(message) if frame else message
