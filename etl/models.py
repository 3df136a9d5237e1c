"""Build the modelled tables of a snapshot from etl/models/*.sql, in name order.

Each file is plain DuckDB SQL (several statements allowed) documented in the
README. The thresholds of the status rules come from settings, bound as
variables so the SQL stays free of Python formatting.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

import settings

MODELS_DIR = Path(__file__).resolve().parent / "models"


def build_models(con: duckdb.DuckDBPyConnection) -> list[str]:
    con.execute(f"SET VARIABLE on_track_share = {float(settings.ON_TRACK_SHARE)}")
    con.execute(f"SET VARIABLE at_risk_share = {float(settings.AT_RISK_SHARE)}")
    con.execute(f"SET VARIABLE minmax_margin = {float(settings.MINMAX_AT_RISK_MARGIN)}")
    built = []
    for path in sorted(MODELS_DIR.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
        built.append(path.stem)
    return built
