"""What every benchmark shares: the machine, timers, percentiles, the report.

A figure is measured side by side with its baseline in the same run, so that
their ratio means something on a noisy machine; each figure has a goal and
says whether it was met.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("CC_BENCH_DATA") or "/tmp/cc-bench/national")


@dataclass
class Figure:
    """One measured figure against its baseline and its goal."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    goal: str = ""
    met: bool | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline


def machine() -> dict:
    import duckdb

    info = {
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "ram_gb": round(
            os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1
        ),
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    for package in ("dash", "flask", "gunicorn", "redis", "pandas", "pyarrow"):
        try:
            from importlib.metadata import version

            info[package] = version(package)
        except Exception:
            pass
    try:
        info["chromium"] = subprocess.run(
            ["/usr/bin/chromium", "--version"],
            capture_output=True,
            text=True,
            timeout=20,
        ).stdout.strip()
    except Exception:
        pass
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call takes (monotonic, perf_counter)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def peak_rss_mb(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if value != value:
        return "n/a"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip()


def table(figures: list[Figure]) -> str:
    """A Markdown table: figure, value, baseline, ratio, goal, met."""
    lines = [
        "| figure | value | baseline | ratio | goal | met |",
        "|---|---:|---|---:|---|:-:|",
    ]
    for f in figures:
        base = (
            f"{_fmt(f.baseline, f.unit)} ({f.baseline_name})"
            if f.baseline is not None
            else "-"
        )
        met = "-" if f.met is None else ("yes" if f.met else "**no**")
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}×"
        lines.append(
            f"| {f.name} | {_fmt(f.value, f.unit)} | {base} | {ratio} | "
            f"{f.goal or '-'} | {met} |"
        )
    return "\n".join(lines)


def report(figures: list[Figure], info: dict, out: Path | None = None) -> str:
    """Print JSON (stdout) and the table (stderr); write both to `out`."""
    document = {
        "machine": info,
        "figures": [asdict(f) | {"ratio": f.ratio} for f in figures],
    }
    text = json.dumps(document, indent=1, default=str)
    print(text)
    rendered = table(figures)
    say("\n" + rendered + "\n")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
        out.with_suffix(".md").write_text(rendered + "\n", encoding="utf-8")
    return rendered
