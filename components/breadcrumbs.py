"""Breadcrumbs for drill paths (Trang chủ › Tỉnh thành › Vùng › Tỉnh › Xã)."""

from __future__ import annotations

from dash import dcc, html


def breadcrumbs(items: list[tuple[str, str | None]]) -> html.Nav:
    """`items`: (label, href) from the root down; href None = not a link.

    The last item is the current page (aria-current), never a link.
    """
    last = len(items) - 1
    entries = []
    for index, (label, target) in enumerate(items):
        current = index == last
        body = label if current or not target else dcc.Link(label, href=target)
        extra = {"aria-current": "page"} if current else {}
        entries.append(
            html.Li(
                body,
                className="breadcrumb-item" + (" active" if current else ""),
                **extra,
            )
        )
    return html.Nav(
        html.Ol(entries, className="breadcrumb"),
        **{"aria-label": "breadcrumb"},
        className="cc-breadcrumbs",
    )
