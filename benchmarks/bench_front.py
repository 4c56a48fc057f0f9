"""The front page at scale: what its precomputed tables cost the build, and what the page
costs a visitor, against the baseline of computing the same figures on every request
(measured in the same run, on the same database). Optionally, screenshots in Chromium.

Run: .venv/bin/python benchmarks/bench_front.py DB [--screenshots DIR] [--samples 5]
     .venv/bin/python benchmarks/bench_front.py --reports 20000 --keep DIR [...]
     (generates and builds DIR/nianbao.db as benchmarks/bench_scale.py does; reused if there)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlite_utils  # noqa: E402

from archive.build import front  # noqa: E402
from archive.build.coverage import as_of, last_due_year  # noqa: E402
from benchmarks.bench_archive import tuned  # noqa: E402

WIDTHS = (("desktop", 1280, 900), ("phone", 390, 844))


def median_seconds(fn, samples: int) -> float:
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def live_queries(db: sqlite_utils.Database) -> dict[str, float]:
    """Each figure computed from the base tables, as a page without front_* would have to."""
    today = as_of(db)
    year = last_due_year(today) if today else None
    queries = {"figures": (front.FIGURES, {}), "series": (front.SERIES, {}),
               "coverage": (front.COVERAGE, {"year": year}), "latest": (front.LATEST_REPORTS, {})}
    return {name: median_seconds(lambda sql=sql, p=p: db.execute(sql, p).fetchall(), 3)
            for name, (sql, p) in queries.items()}


async def page_times(ds, samples: int) -> tuple[float, float, int]:
    """(first request, median of the next ones, status) of /."""
    t0 = time.perf_counter()
    r = await ds.client.get("/")
    first = time.perf_counter() - t0
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        r = await ds.client.get("/")
        times.append(time.perf_counter() - t0)
    return first, statistics.median(times), r.status_code


def screenshots(db_path: Path, out: Path, label: str) -> list[Path]:
    """The front page served over HTTP and photographed by Debian's headless Chromium."""
    import uvicorn
    from playwright.sync_api import sync_playwright

    from archive.web.serve import datasette_instance

    ds = datasette_instance(db_path)
    srv = uvicorn.Server(uvicorn.Config(ds.app(), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    port = srv.servers[0].sockets[0].getsockname()[1]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--headless", "--no-sandbox", "--disable-gpu"])
            for name, width, height in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
                page.locator(".front-charts figure.chart svg").first.wait_for()
                path = out / f"front_{label}_{name}.png"
                page.screenshot(path=str(path), full_page=True)
                written.append(path)
                page.close()
            browser.close()
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
    return written


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", type=Path, nargs="?")
    ap.add_argument("--reports", type=int, help="generate and build an archive of this many reports")
    ap.add_argument("--keep", type=Path, help="folder of the generated archive and database")
    ap.add_argument("--samples", type=int, default=5)
    ap.add_argument("--screenshots", type=Path, help="folder for front_<N>_{desktop,phone}.png")
    args = ap.parse_args()
    if args.db is None:
        if not (args.reports and args.keep):
            ap.error("give a DB, or --reports N --keep DIR")
        from benchmarks.bench_scale import large_db

        args.keep.mkdir(parents=True, exist_ok=True)
        args.db, built = large_db(args.keep, args.reports, os.cpu_count() or 1)
        if built is not None:
            print(f"built {args.reports:,} generated text reports in {built:.0f} s")
    db = sqlite_utils.Database(args.db)
    reports = db["reports"].count
    print(f"== the front page on {reports:,} reports ({args.db.stat().st_size / 2**20:,.0f} MiB)")
    create = median_seconds(lambda: front.create(db), 1)
    sizes = {t: db[t].count for t in front.FRONT_TABLES}
    print(f"build: front.create {create:.2f} s, writing {sizes} rows")
    live = live_queries(db)
    db.close()
    ds = tuned(args.db)
    first, page, status = asyncio.run(page_times(ds, args.samples))
    baseline = sum(live.values())
    print("baseline, the figures computed per request (SQL alone, median of 3): "
          + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in live.items()) + f"; total {baseline * 1000:.0f} ms")
    print(f"/ with the precomputed tables: first {first * 1000:.0f} ms, then median {page * 1000:.0f} ms "
          f"(status {status}; goal < 200 ms)")
    print(f"ratio: the baseline's SQL alone takes {baseline / page:.1f}x the whole precomputed page")
    if args.screenshots:
        for path in screenshots(args.db, args.screenshots, f"{reports // 1000}k"):
            print(f"screenshot {path}")


if __name__ == "__main__":
    main()
