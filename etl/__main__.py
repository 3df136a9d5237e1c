"""python -m etl: load, validate, worker, demo, status, history."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

import settings
from auth.audit import record_etl_load
from etl import inspect as insp
from etl.progress import say
from etl.publish import EtlBusy
from etl.report import format_errors
from etl.run import RunResult, Submission, load_files, operator_name, validate_files
from etl.worker import OPERATOR, WorkerBusy, serve

app = typer.Typer(
    help="ETL of the national reporting command center: the only writer of the "
    "warehouse. Every load builds a new snapshot and publishes it atomically.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DataDir = Annotated[
    Path | None,
    typer.Option(help="Warehouse directory [default: env CC_DATA_DIR, else data/]"),
]
Files = Annotated[list[Path], typer.Argument(help="CSV, XLSX or JSON submission files")]
Reporter = Annotated[
    str | None,
    typer.Option(help="Agency code of the submitter, for rows without a reporter"),
]


def _data_dir(value: Path | None) -> Path:
    return (value or settings.data_dir()).resolve()


def _print_outcomes(result: RunResult) -> None:
    for outcome in result.outcomes:
        print(outcome.summary())
        if outcome.ignored_columns:
            print(f"  ignored columns: {', '.join(outcome.ignored_columns)}")
        if outcome.errors:
            print(format_errors(outcome.errors, limit=50))


def _missing(files: list[Path]) -> None:
    absent = [str(f) for f in files if not f.is_file()]
    if absent:
        say(f"error: no such file: {', '.join(absent)}")
        raise typer.Exit(2)


@app.command()
def load(
    files: Files,
    reporter: Reporter = None,
    accept_valid_rows: Annotated[
        bool, typer.Option(help="Load the valid rows of a file that has bad rows")
    ] = False,
    submitted_at: Annotated[
        datetime | None,
        typer.Option(help="When the reporter submitted the files (UTC) [default: now]"),
    ] = None,
    operator: Annotated[str | None, typer.Option(help="Who runs the load")] = None,
    data_dir: DataDir = None,
) -> None:
    """Validate and load files; a file with any bad row is rejected whole."""
    _missing(files)
    subs = [Submission(f, reporter, submitted_at) for f in files]
    root, operator = _data_dir(data_dir), operator or operator_name()
    try:
        result = load_files(subs, root, accept_valid_rows, operator)
    except EtlBusy as exc:
        say(f"error: {exc}")
        raise typer.Exit(3) from None
    # the audit log is written here, by the command: etl/ itself never imports
    # the app's side (docs/ARCHITECTURE.md)
    record_etl_load(root, result, operator)
    _print_outcomes(result)
    if result.published:
        print(f"published snapshot {result.snapshot_id}")
    else:
        print(f"no change; snapshot {result.snapshot_id} stays current")
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def validate(files: Files, reporter: Reporter = None) -> None:
    """Run the load's checks and report, loading nothing."""
    _missing(files)
    result = validate_files([Submission(f, reporter) for f in files])
    _print_outcomes(result)
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def worker(
    data_dir: DataDir = None,
    batch: Annotated[
        int, typer.Option(min=1, help="Submissions loaded into one snapshot at most")
    ] = 50,
    poll: Annotated[
        float, typer.Option(min=0.01, help="Seconds between looks at an empty inbox")
    ] = 1.0,
    once: Annotated[
        bool, typer.Option("--once", help="Drain the inbox, then exit (tests, cron)")
    ] = False,
    operator: Annotated[
        str, typer.Option(help="Operator recorded in loads")
    ] = OPERATOR,
) -> None:
    """Load the submissions inbox, in arrival order, until stopped (SIGTERM or
    SIGINT: the current batch is finished first). One worker per data directory."""
    root = _data_dir(data_dir)
    try:
        serve(
            root,
            batch=batch,
            poll=poll,
            once=once,
            operator=operator,
            # the audit record of each batch, as `load` writes it (etl/ itself
            # never imports auth)
            on_load=lambda result: record_etl_load(root, result, operator),
        )
    except WorkerBusy as exc:
        say(f"error: {exc}")
        raise typer.Exit(3) from None
    raise typer.Exit(0)


@app.command()
def demo(
    data_dir: DataDir = None,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same files)")] = 7,
    until: Annotated[
        str | None, typer.Option(help="Last month to generate, YYYY-MM [default: now]")
    ] = None,
    scale: Annotated[
        str,
        typer.Option(
            help="demo: the demo submissions (2019 on, a few communes); "
            "national: the real system's size (2015 on, every commune, "
            "~9 million figures; see bench/RESULTS.md)"
        ),
    ] = "demo",
    first_year: Annotated[
        int, typer.Option(help="--scale national: first year generated")
    ] = 2015,
    commune_share: Annotated[
        float, typer.Option(help="--scale national: share of each province's communes")
    ] = 1.0,
) -> None:
    """Write realistic demo submissions and load them like any other file."""
    if scale not in ("demo", "national"):
        say(f"error: --scale must be demo or national, not {scale!r}")
        raise typer.Exit(2)
    if scale == "national":
        from etl.demo.scale import run_scale

        result = run_scale(
            _data_dir(data_dir),
            seed=seed,
            until=until,
            first_year=first_year,
            commune_share=commune_share,
        )
        record_etl_load(_data_dir(data_dir), result, operator_name())
        _print_outcomes_brief(result)
        raise typer.Exit(0 if result.ok else 1)
    from etl.demo import run_demo

    result = run_demo(_data_dir(data_dir), seed=seed, until=until)
    record_etl_load(_data_dir(data_dir), result, operator_name())
    _print_outcomes_brief(result)
    raise typer.Exit(0 if result.published or result.ok else 1)


def _print_outcomes_brief(result: RunResult) -> None:
    counts: dict[str, int] = {}
    for outcome in result.outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    print(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    for outcome in result.outcomes:
        if outcome.status in ("rejected", "partial"):
            print(outcome.summary())
            print(format_errors(outcome.errors, limit=5))
    print(f"snapshot {result.snapshot_id}")


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """The current snapshot, counts, last loads and rejected files."""
    info = insp.status(_data_dir(data_dir))
    if as_json:
        print(json.dumps(info, ensure_ascii=False, indent=1, default=str))
    else:
        print(insp.format_status(info))
    raise typer.Exit(0 if info["snapshot_id"] else 1)


@app.command()
def history(
    indicator: str,
    unit: str,
    period: str,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """Every revision of one figure (actual and target)."""
    rows = insp.history(_data_dir(data_dir), indicator, unit, period)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
    else:
        print(insp.format_history(rows))
    raise typer.Exit(0 if rows else 1)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        say("interrupted; the published snapshot is unchanged")
        sys.exit(130)


if __name__ == "__main__":
    main()
