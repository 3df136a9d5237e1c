"""Serve the data behind tables and charts as CSV or Excel.

Only the datasets named here can be downloaded, each through its query
function with checked arguments: a crafted request gets nothing else.
"""

from __future__ import annotations

import dash
import duckdb
import pandas as pd
from dash import ALL, Input, Output, callback, ctx, dcc

from auth import audit
from components import ids
from data import queries as q
from intake.links import links_frame

# name -> (query function, number of arguments)
DATASETS = {
    "unit_progress": (q.unit_progress, 3),  # unit, as_of, geo
    "unit_series": (q.unit_series, 3),  # indicator, unit, geo
    "province_values": (q.province_values, 3),  # indicator, as_of, geo
    "region_values": (q.region_values, 3),  # indicator, period, geo
    "attention": (q.attention, 2),  # as_of, geo
    "revisions": (q.revisions, 3),  # indicator, unit, period
    "provenance": (q.provenance, 4),  # indicator, unit, period, geo
    "reports": (q.reports, 1),  # as_of
    "catalog": (q.catalog, 0),
    "observations": (q.observations, 2),  # indicator, unit
    "reports_level": (q.reports, 3),  # as_of, months, level
    "reports_unit": (q.reports, 4),  # as_of, months, level, unit
    "regimes": (q.regimes, 0),
    "rejected_files": (q.rejected_frame, 0),
    "sector_progress": (q.sector_progress, 4),  # sector, unit, as_of, geo
    "communes": (q.communes, 2),  # province, geo
    "links": (links_frame, 0),  # the links register (capability links)
}


def dataset_frame(dataset: str, packed_args: str) -> pd.DataFrame:
    """The frame of a named dataset; ValueError for anything not allowed."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    query, n_args = DATASETS[dataset]
    args = packed_args.split("|") if packed_args else []
    if len(args) != n_args:
        raise ValueError(f"{dataset} takes {n_args} arguments")
    return query(*args)


def file_name(dataset: str, packed_args: str, fmt: str) -> str:
    stem = "_".join([dataset, *[a for a in packed_args.split("|") if a]])
    return "".join(c if c.isalnum() or c in "._-" else "-" for c in stem) + f".{fmt}"


@callback(
    Output(ids.DOWNLOAD, "data"),
    Input(
        {"type": ids.DOWNLOAD_BUTTON, "dataset": ALL, "args": ALL, "fmt": ALL},
        "n_clicks",
    ),
    prevent_initial_call=True,
)
def send_download(_clicks: list[int | None]) -> dict:
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered[0].get("value"):
        raise dash.exceptions.PreventUpdate
    dataset, packed, fmt = trigger["dataset"], trigger["args"], trigger["fmt"]
    try:
        frame = dataset_frame(dataset, packed)
    except (ValueError, duckdb.Error):  # a crafted request: refuse, never a 500
        raise dash.exceptions.PreventUpdate from None
    audit.record(
        audit.DOWNLOAD,
        target=dataset,
        detail={"args": packed, "fmt": fmt, "rows": len(frame)},
    )
    name = file_name(dataset, packed, "xlsx" if fmt == "xlsx" else "csv")
    if fmt == "xlsx":
        return dcc.send_data_frame(frame.to_excel, name, index=False, sheet_name="data")
    return dcc.send_data_frame(frame.to_csv, name, index=False, encoding="utf-8-sig")
