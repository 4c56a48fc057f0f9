"""Load test: `nianbao serve` started for real on 127.0.0.1, C clients at once.

Run: .venv/bin/python benchmarks/load_datasette.py DB [--clients 8] [--requests 400] [--seconds 60]

Sends at most --requests requests, stops after --seconds whatever happens, and only
to 127.0.0.1; then stops the server it started. The baseline, measured in the same run
with the same clients, is Datasette's cheapest page (/-/versions.json: no query); each
page's median is printed against it, with p95, errors and requests per second.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "/-/versions.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pages(db: Path) -> list[str]:
    name = db.stem
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rid, agency = conn.execute("select id, agency from reports order by rowid limit 1").fetchone()
    conn.close()
    return [
        "/", f"/{name}/reports", f"/{name}/reports?_facet=year&_facet=template",
        f"/{name}/reports?_search={quote('行政复议')}", f"/{name}/table3_totals",
        f"/{name}/cells?key=applications.total_processed.total", f"/-/report/{rid}",
        f"/-/agency/{quote(agency)}", f"/{name}/applications_by_outcome",
    ]


async def hammer(base: str, paths: list[str], clients: int, budget: int, deadline: float,
                 ) -> dict[str, list[float]]:
    """Each path in turn by `clients` clients at once; `budget` requests in all."""
    times: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    per_path = max(clients, budget // len(paths))
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for path in paths:
            todo = per_path

            async def worker(path: str = path) -> None:
                nonlocal todo
                while todo > 0 and time.monotonic() < deadline:
                    todo -= 1
                    t0 = time.perf_counter()
                    try:
                        r = await client.get(path)
                        ok = r.status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    took = time.perf_counter() - t0
                    if ok:
                        times.setdefault(path, []).append(took)
                    else:
                        errors[path] = errors.get(path, 0) + 1

            t0 = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(clients)))
            times.setdefault(path, [])
            times[path + " #wall"] = [time.perf_counter() - t0]
            times[path + " #errors"] = [errors.get(path, 0)]
    return times


def serve(db: Path, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "archive.cli", "serve", "--db", str(db), "--host", "127.0.0.1",
           "--port", str(port)]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def wait_ready(base: str, proc: subprocess.Popen, limit: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(base + BASELINE, timeout=2).status_code == 200:
                return time.monotonic() - t0
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer in time")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", type=Path)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=400, help="at most this many requests in all")
    ap.add_argument("--seconds", type=float, default=120, help="stop after this long whatever happens")
    args = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = serve(args.db.resolve(), port)
    try:
        started = wait_ready(base, proc, 300)
        deadline = time.monotonic() + args.seconds
        paths = [BASELINE, *pages(args.db)]
        times = asyncio.run(hammer(base, paths, args.clients, args.requests, deadline))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    print(f"{args.db}: server ready in {started:.1f} s; {args.clients} clients at once")
    base_median = statistics.median(times[BASELINE]) if times[BASELINE] else float("nan")
    print(f"{'page':<58}{'n':>5}{'err':>5}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'x base':>8}")
    total = 0
    for path in paths:
        got = sorted(times[path])
        total += len(got)
        wall = times[path + " #wall"][0]
        if got:
            p50, p95 = statistics.median(got), got[min(len(got) - 1, int(len(got) * 0.95))]
            print(f"{path[:57]:<58}{len(got):>5}{times[path + ' #errors'][0]:>5}{len(got) / wall:>8.1f}"
                  f"{p50 * 1000:>9.0f}{p95 * 1000:>9.0f}{p50 / base_median:>8.1f}")
        else:
            why = "every request failed" if times[path + " #errors"][0] else "deadline reached"
            print(f"{path[:57]:<58}{0:>5}{times[path + ' #errors'][0]:>5}   ({why})")
    print(f"{total} requests answered")


if __name__ == "__main__":
    main()
