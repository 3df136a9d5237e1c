"""Status of a figure against its target: colour AND icon AND word, always.

Colours are the Okabe-Ito palette (readable with colour-blindness); the icon
and the word carry the meaning on their own, for a grey-scale print too.
"""

from __future__ import annotations

from dash import html

from core.i18n import t

STATUSES = ("on_track", "at_risk", "off_track", "no_target", "no_data")
ICONS = {
    "on_track": "bi-check-circle-fill",
    "at_risk": "bi-exclamation-triangle-fill",
    "off_track": "bi-x-octagon-fill",
    "no_target": "bi-circle",
    "no_data": "bi-dash-circle",
}
COLORS = {
    "on_track": "#009E73",
    "at_risk": "#E69F00",
    "off_track": "#D55E00",
    "no_target": "#56B4E9",
    "no_data": "#999999",
}


def normalize_status(status: object) -> str:
    return status if isinstance(status, str) and status in STATUSES else "no_data"


def status_label(status: object, lang: str) -> str:
    return t(f"status.{normalize_status(status)}", lang)


def status_badge(status: object, lang: str, small: bool = False) -> html.Span:
    key = normalize_status(status)
    return html.Span(
        [
            html.I(className=f"bi {ICONS[key]} me-1", **{"aria-hidden": "true"}),
            status_label(key, lang),
        ],
        className=f"status-badge status-{key}" + (" small" if small else ""),
        title=status_label(key, lang),
    )
