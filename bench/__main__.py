"""python -m bench [all|build|demo|etl|serve|serve-redis|browser|load] [--data DIR]

Benchmarks at national scale (not tests): each figure is printed with its
baseline, their ratio and the goal, as JSON (stdout) and a table (stderr), and
saved under bench/out/. The warehouse is built once by `build` (python -m etl
demo --scale national; 8 to 15 minutes and up to 11 GB of RAM on 2 CPUs) into
--data (default env CC_BENCH_DATA, else /tmp/cc-bench/national).
See bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.common import DEFAULT_DATA, ROOT, Figure, machine, report, say

OUT = ROOT / "bench" / "out"


def build(data_dir: Path) -> list[Figure]:
    """Build the national-scale warehouse; wall time and peak memory."""
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "demo",
            "--scale",
            "national",
            "--data-dir",
            str(data_dir),
        ],
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit("the national-scale build failed")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    return [
        Figure(
            "national-scale warehouse build (generate + 2 loads)",
            elapsed / 60,
            "min",
            None,
            "",
            "-",
            None,
            extra={"peak_rss_gb": round(rss, 1)},
        ),
        Figure("national-scale build: peak memory (RSS)", rss, "GB"),
    ]


def demo_time() -> list[Figure]:
    """The normal `python -m etl demo`, into a temporary directory."""
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="cc-bench-demo-"))
    try:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "etl", "demo", "--data-dir", str(root)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        elapsed = time.perf_counter() - start
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return [
        Figure(
            "python -m etl demo (the normal demo)",
            elapsed,
            "s",
            None,
            "",
            "< 3 min",
            elapsed < 180,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "what",
        nargs="*",
        default=["all"],
        help="all (etl serve serve-redis browser load), build, demo, etl, serve, "
        "serve-redis, browser, load",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"national-scale data directory [{DEFAULT_DATA}]",
    )
    args = parser.parse_args()
    wanted = args.what
    if "all" in wanted:
        wanted = ["etl", "serve", "serve-redis", "browser", "load"]
    data = args.data.resolve()
    if "build" not in wanted and not (data / "CURRENT").exists():
        raise SystemExit(
            f"no warehouse in {data}: run `python -m bench build --data {data}` first"
        )
    info = machine() | {"data_dir": str(data)}
    figures: list[Figure] = []
    for what in wanted:
        say(f"== {what}")
        if what == "build":
            figures += build(data)
        elif what == "demo":
            figures += demo_time()
        elif what == "etl":
            from bench import etl

            figures += etl.run(data)
        elif what in ("serve", "serve-redis"):
            # each in its own process: the app reads its cache settings at import
            out = subprocess.run(
                [sys.executable, "-c", _SERVE, str(data), what],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            sys.stderr.write(out.stderr[-4000:])
            if out.returncode != 0:
                raise SystemExit(f"{what} failed")
            figures += [Figure(**f) for f in json.loads(out.stdout)]
        elif what == "browser":
            from bench import browser

            figures += browser.run(data)
        elif what == "load":
            from bench import load

            figures += load.run(data)
        else:
            raise SystemExit(f"unknown benchmark {what!r}")
    report(figures, info, OUT / f"{'-'.join(wanted)}.json")


_SERVE = """
import json, sys
from dataclasses import asdict
from pathlib import Path
from bench import serve
from bench.server import redis_server
data, what = Path(sys.argv[1]), sys.argv[2]
if what == "serve-redis":
    with redis_server() as url:
        figures = serve.run(data, redis_url=url)
else:
    figures = serve.run(data)
print(json.dumps([asdict(f) for f in figures], default=str))
"""

if __name__ == "__main__":
    main()
