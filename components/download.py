"""Download buttons for the data behind a table or chart (CSV and Excel)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from components import ids
from core.i18n import t


def download_buttons(dataset: str, args: list[str], lang: str) -> html.Div:
    """Two small buttons; the shell's download callback serves the data."""
    packed = "|".join(args)
    return html.Div(
        [
            dbc.Button(
                [html.I(className=f"bi {icon} me-1"), label],
                id={
                    "type": ids.DOWNLOAD_BUTTON,
                    "dataset": dataset,
                    "args": packed,
                    "fmt": fmt,
                },
                size="sm",
                color="secondary",
                outline=True,
                className="me-1",
            )
            for fmt, icon, label in (
                ("csv", "bi-filetype-csv", t("ui.download_csv", lang)),
                ("xlsx", "bi-file-earmark-spreadsheet", t("ui.download_excel", lang)),
            )
        ],
        className="download-buttons no-print",
    )
