"""Scale, in one run: builds at 10 000 reports, pages at 10 000 and 100 000, public load,
and what a million reports would need.

Run: .venv/bin/python benchmarks/bench_scale.py [--small 10000] [--large 100000]
     [--keep DIR] [--clients 50] [--seconds 60]

1. An archive of --small generated HTML reports built as bench_build.py builds it: cold with
   one process (the baseline), cold with every core, from the parse cache; then a re-crawl
   adds 10 reports and the database is built incrementally and in full.
2. Datasette's main pages (median of 5) on that database and on --large generated text
   reports (text parses 2.5x faster than HTML; the database is the same shape). With
   --keep DIR the large archive and database are kept there and reused by the next run.
3. The public load test (benchmarks/load_datasette.py) on the large database.
4. Bytes per report, and a million reports projected from the growth measured between the
   two sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlite_utils  # noqa: E402

from archive.build.run import build  # noqa: E402
from benchmarks.bench_archive import make_archive, time_pages, tuned  # noqa: E402
from benchmarks.bench_build import build_series  # noqa: E402
from benchmarks.load_datasette import load  # noqa: E402

MILLION = 1_000_000


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def pages(db_path: Path) -> dict:
    """{"reports": n, "bytes": size, page: (median seconds, status)} with the report and
    agency of each page named generically, so two databases compare page by page."""
    db = sqlite_utils.Database(db_path)
    first = next(db.query("select id, agency from reports order by rowid limit 1"))
    reports = db["reports"].count
    db.close()
    timings = asyncio.run(time_pages(tuned(db_path), first["id"], first["agency"]))
    named = {path.replace(first["id"], "ID").replace(first["agency"], "AGENCY"): (seconds, status)
             for path, seconds, status in timings}
    return {"reports": reports, "bytes": db_path.stat().st_size, "pages": named}


def large_db(root: Path, n: int, cores: int) -> tuple[Path, float | None]:
    db_path = root / "nianbao.db"
    if db_path.exists():
        return db_path, None
    archive = make_archive(root, n, "text")
    seconds, _ = timed(lambda: build(archive, db_path, jobs=cores))
    return db_path, seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--large", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, help="folder keeping the large archive and database")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        small_root = Path(scratch) / "small"
        small_root.mkdir()
        built = build_series(small_root, args.small, cores, added=10)
        small = pages(small_root / "nianbao.db")
        large_root = args.keep or Path(scratch) / "large"
        large_root.mkdir(parents=True, exist_ok=True)
        large_path, large_build = large_db(large_root, args.large, cores)
        large = pages(large_path)
        print(f"\n== Datasette pages, median ms (status) at {small['reports']} and {large['reports']} reports")
        print(f"{'page':<58}{'small':>12}{'large':>12}{'growth':>8}")
        worst = 0.0
        for path, (s, s_status) in small["pages"].items():
            lg, l_status = large["pages"][path]
            worst = max(worst, lg)
            print(f"{path[:57]:<58}{s * 1000:>7.0f} {s_status:>4}{lg * 1000:>7.0f} {l_status:>4}{lg / s:>8.1f}")
        print(f"slowest main page at {large['reports']}: {worst * 1000:.0f} ms (goal: every one < 200 ms)")
        per_small = small["bytes"] / small["reports"]
        per_large = large["bytes"] / large["reports"]
        print(f"\n== size: {per_small:,.0f} bytes per report at {small['reports']}, {per_large:,.0f} at "
              f"{large['reports']} ({large['bytes'] / 2**20:,.0f} MiB)")
        print(f"\n== public load on {large['reports']} reports")
        figures = load(large_path, args.clients, args.seconds)
        print(f"load: p50 {figures['p50'] * 1000:.0f} ms, p95 {figures['p95'] * 1000:.0f} ms, "
              f"{figures['errors']} errors of {figures['requests']} ordinary requests (goal: p95 < 1 s, 0 errors)")
        project(small, large, built, large_build, args.large, cores)


def project(small: dict, large: dict, built: dict, large_build: float | None, n_large: int, cores: int) -> None:
    """A million reports, from the growth between the two sizes (per decade of reports)."""
    decade = math.log10(MILLION / large["reports"]) / math.log10(large["reports"] / small["reports"])
    size = large["bytes"] / large["reports"] * MILLION
    print(f"\n== {MILLION:,} reports, projected")
    print(f"  database: {size / 2**30:,.0f} GiB ({large['bytes'] / large['reports']:,.0f} bytes per report)")
    per_report = built["one"] / small["reports"]
    print(f"  cold build: {per_report * MILLION / 3600:,.1f} h on one core at the {small['reports']}-report HTML rate, "
          f"{per_report * MILLION / cores / 3600:,.1f} h on {cores} cores; from the parse cache "
          f"{built['cache'] / small['reports'] * MILLION / 60:,.0f} min")
    if large_build is not None:
        print(f"  (the {n_large:,} text reports built cold in {large_build:.0f} s on {cores} cores)")
    print(f"  {'page':<56}{'at ' + str(large['reports']):>12}{'1 000 000':>12}")
    for path, (lg, _) in large["pages"].items():
        growth = max(lg / small["pages"][path][0], 1.0) ** decade
        print(f"  {path[:55]:<56}{lg * 1000:>9.0f} ms{lg * growth * 1000:>9.0f} ms")


if __name__ == "__main__":
    main()
