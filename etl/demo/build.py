"""`python -m etl demo`: realistic demo submissions, loaded like any other file.

The demo writes files in the standard submission format into `<data_dir>/demo/`
(one per reporter, regime and period, from January 2019 to `until`) and loads
them with `etl.run.load_files` in three batches: the main submissions, later
corrections of some figures (revisions 2 and 3), and one deliberately bad file
that is rejected (so the data-status page has something to show).

Same seed and same `until`, same files byte for byte. The only other input is
the clock, and only to never pretend a file was submitted in the future: files
are submitted up to `as_of` = min(now, end of `until` + 15 days).

The other modules of etl.demo make the numbers and the files (see its
docstring).
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import settings
from data.store import Layout
from etl.demo.clock import Clock
from etl.demo.files import DemoFile, period_end, plan_files, schedule
from etl.demo.geo import load_geo
from etl.demo.series import Builder
from etl.demo.targets import build_targets, plans_for_stocks
from etl.demo.values import finalize
from etl.demo.write import corrections, relative_path, write_bad, write_file
from etl.progress import say, track
from etl.run import RunResult, Submission, load_files

FIRST_MONTH = "2019-01"
SUBMISSION_LAG = timedelta(days=15)


@dataclass
class DemoBatches:
    main: list[Submission] = field(default_factory=list)
    revisions: list[Submission] = field(default_factory=list)
    bad: list[Submission] = field(default_factory=list)
    as_of: datetime | None = None


def last_complete_month(today: date) -> str:
    first = today.replace(day=1) - timedelta(days=1)
    return f"{first.year}-{first.month:02d}"


def resolve_until(until: str | None, now: datetime) -> str:
    latest = last_complete_month(now.date())
    if until is None:
        return latest
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", until):
        raise ValueError(f"--until must be YYYY-MM, got {until!r}")
    if until < FIRST_MONTH:
        raise ValueError(f"--until must be {FIRST_MONTH} or later, got {until}")
    if until > latest:
        say(f"--until {until} has not ended yet; using {latest}")
        return latest
    return until


def read_catalog() -> dict[str, dict]:
    """The catalog the demo generates: every indicator but the daily ones
    (their figures come from the portals' links, not from monthly files)."""
    with (settings.REFERENCE_DIR / "indicators.csv").open(encoding="utf-8") as fh:
        return {
            row["code"]: row for row in csv.DictReader(fh) if row["frequency"] != "day"
        }


@dataclass
class DemoPlan:
    """The demo files with their rows and submission times, not yet written."""

    until: str
    as_of: datetime
    sent: list[DemoFile]
    corrections: list[DemoFile]
    names: dict[tuple[str, str], str]  # (unit code, era) -> official name
    n_planned: int


def plan_demo(
    seed: int = 7, until: str | None = None, now: datetime | None = None
) -> DemoPlan:
    """Generate the series and decide every file, writing nothing."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    until = resolve_until(until, now)
    as_of = min(
        now, datetime.combine(period_end(until), datetime.min.time()) + SUBMISSION_LAG
    )
    say(f"Generating demo series 2019-01 .. {until} (seed {seed}) ...")
    catalog, geo = read_catalog(), load_geo()
    clock = Clock(int(until[:4]))
    builder = Builder(geo, catalog, seed, clock)
    builder.build()
    targets = build_targets(builder, seed)
    builder.fill_plans(plans_for_stocks(builder, targets))
    values = finalize(builder, seed)
    files = plan_files(catalog, values, targets, clock, geo, until, as_of)
    sent = schedule(files, seed, as_of)
    names = {(u.code, "old"): u.name for u in geo.old}
    names |= {(u.code, "new"): u.name for u in geo.new}
    return DemoPlan(
        until, as_of, sent, corrections(sent, catalog, seed, as_of), names, len(files)
    )


def write_demo(
    data_dir: Path, seed: int = 7, until: str | None = None, now: datetime | None = None
) -> DemoBatches:
    """Generate and write the demo files into <data_dir>/demo (loading nothing)."""
    plan = plan_demo(seed, until, now)
    root = Layout(data_dir).demo
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    batches = DemoBatches(as_of=plan.as_of)
    ordered = sorted(plan.sent, key=lambda f: (f.submitted_at, relative_path(f)))
    for f in track(ordered, "Writing files"):
        path = write_file(root, f, plan.names, plan.until)
        batches.main.append(Submission(path, f.reporter, f.submitted_at))
    for f in sorted(plan.corrections, key=lambda f: (f.submitted_at, relative_path(f))):
        path = write_file(root, f, plan.names, plan.until)
        batches.revisions.append(Submission(path, f.reporter, f.submitted_at))
    bad = write_bad(root, plan.until)
    batches.bad.append(Submission(bad, "UBND-79", plan.as_of - timedelta(hours=2)))
    rows = sum(len(f.rows) for f in plan.sent)
    say(
        f"Wrote {len(plan.sent)} files ({rows} rows), {len(plan.corrections)} "
        f"corrections and 1 bad file into {root}; {plan.n_planned - len(plan.sent)} "
        f"files missing or still due as of {plan.as_of:%Y-%m-%d}"
    )
    return batches


def run_demo(data_dir: Path, seed: int = 7, until: str | None = None) -> RunResult:
    """Write the demo files and load them; the bad file's rejection is expected."""
    data_dir = Path(data_dir)
    batches = write_demo(data_dir, seed=seed, until=until)
    say(f"Loading {len(batches.main)} submissions ...")
    result = load_files(batches.main, data_dir)
    say(f"Loading {len(batches.revisions)} corrections ...")
    revised = RunResult()
    if batches.revisions:
        revised = load_files(batches.revisions, data_dir)
    say("Loading one deliberately bad file (it will be rejected) ...")
    bad = load_files(batches.bad, data_dir)
    for later in (revised, bad):
        result.outcomes.extend(later.outcomes)
        if later.published:
            result.snapshot_id, result.published = later.snapshot_id, True
    return result
