"""Read-only views of the warehouse for the command line (status, history)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from data.store import Layout, list_rejected, read_current


def _connect(root: Path) -> tuple[duckdb.DuckDBPyConnection | None, dict]:
    current = read_current(root)
    if current is None:
        return None, {"snapshot_id": None, "snapshot_path": None}
    con = duckdb.connect(str(current.path), read_only=True)
    return con, {
        "snapshot_id": current.snapshot_id,
        "snapshot_path": str(current.path),
        "published_at": current.published_at,
    }


def status(root: Path) -> dict:
    con, info = _connect(root)
    info["data_dir"] = str(root)
    info["rejected_files"] = [
        {k: r.get(k) for k in ("file", "sha256", "kept_at", "n_errors", "report_path")}
        for r in list_rejected(Layout(root))[:20]
    ]
    if con is None:
        return info
    with con:
        count = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
        info["counts"] = {
            "observations": count("SELECT count(*) FROM observations"),
            "observation_history": count("SELECT count(*) FROM observation_history"),
            "revised_figures": count(
                "SELECT count(*) FROM observations WHERE revision > 1"
            ),
            "indicators": count("SELECT count(*) FROM indicators"),
            "indicators_supplied": count(
                "SELECT count(DISTINCT indicator_code) FROM observations WHERE kind = 'actual'"
            ),
            "units": count("SELECT count(*) FROM units"),
            "loads": count("SELECT count(*) FROM loads"),
        }
        cols = [
            "load_id",
            "source_file",
            "reporter",
            "operator",
            "loaded_at",
            "rows_new",
            "rows_revised",
            "rows_unchanged",
            "rows_rejected",
        ]
        info["last_loads"] = [
            dict(zip(cols, row, strict=True))
            for row in con.execute(
                f"SELECT {', '.join(cols)} FROM loads ORDER BY load_id DESC LIMIT 10"
            ).fetchall()
        ]
    return info


def format_status(info: dict) -> str:
    if not info["snapshot_id"]:
        return (
            f"No snapshot published yet in {info['data_dir']}. Run: python -m etl demo"
        )
    lines = [
        f"snapshot     {info['snapshot_id']}",
        f"path         {info['snapshot_path']}",
        f"published    {info['published_at']}",
    ]
    lines += [f"{k:<21}{v:>12,}" for k, v in info["counts"].items()]
    lines.append("last loads:")
    lines += [
        f"  #{r['load_id']} {r['loaded_at']:%Y-%m-%d %H:%M} {r['source_file']} "
        f"({r['rows_new']} new, {r['rows_revised']} revised, "
        f"{r['rows_unchanged']} unchanged) by {r['operator']}"
        for r in info["last_loads"]
    ]
    lines.append(f"rejected files: {len(info['rejected_files'])}")
    lines += [
        f"  {r['kept_at']} {r['file']}: {r['n_errors']} problem(s)"
        for r in info["rejected_files"]
    ]
    return "\n".join(lines)


def history(root: Path, indicator: str, unit: str, period: str) -> list[dict]:
    con, _ = _connect(root)
    if con is None:
        return []
    cols = [
        "kind",
        "revision",
        "value",
        "loaded_at",
        "submitted_at",
        "source_file",
        "source_sha256",
        "source_row",
        "reporter",
        "operator",
        "note",
        "basis",
    ]
    with con:
        rows = con.execute(
            f"SELECT {', '.join(cols)} FROM observation_history "
            "WHERE indicator_code = ? AND unit_code = ? AND period = ? "
            "ORDER BY kind, revision",
            [indicator.strip().upper(), unit.strip(), period.strip().upper()],
        ).fetchall()
    return [dict(zip(cols, r, strict=True)) for r in rows]


def format_history(rows: list[dict]) -> str:
    if not rows:
        return "no such figure"
    return "\n".join(
        f"{r['kind']:<6} rev {r['revision']:>2}  {r['value']:>16,.10g}  "
        f"loaded {r['loaded_at']:%Y-%m-%d %H:%M:%S}  {r['source_file']} "
        f"row {r['source_row']} sha256 {r['source_sha256'][:12]}  by {r['operator']}"
        for r in rows
    )
