"""Public load: `nianbao serve` started for real on 127.0.0.1, many clients for a minute.

Run: .venv/bin/python benchmarks/load_datasette.py DB [--clients 50] [--seconds 60]
     [--workers W] [--think S]

Every client but one browses as a person would, only faster: it asks for a page, reads
the answer, and asks for the next (after --think seconds, default none): the home page,
the reports table and its facets, searches, report and agency pages, the wide tables,
cells of one key, the canned queries, chosen at random from the database's own ids.
One client sends slow arbitrary SQL (joins of the cells table with itself) the whole
time: Datasette's SQL time limit must stop each of those without the others waiting.

The baseline, measured first in the same run by the same clients, is Datasette's
cheapest page (/-/versions.json: no query). Printed: per kind of page, requests, errors,
p50 and p95; the ordinary pages together; the slow client's queries and how they ended.
Only 127.0.0.1 is contacted, and the server started here is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "/-/versions.json"
SEARCHES = ("复议", "行政复议", "依申请", "不予公开", "政府信息", "人民政府", "2021", "信息公开 复议")
SLOW_SQL = (  # each would run for minutes: the time limit must stop it
    "select count(*) from cells a join cells b on a.value = b.value",
    "select key, avg(value), count(distinct raw) from cells group by key order by 2 desc",
    "select r.agency, sum(length(t.body)) from reports r join report_texts t on t.report_id = r.id "
    "join cells c on c.report_id = r.id group by r.agency order by 2 desc",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample(db: Path, n: int = 300) -> dict[str, list]:
    """Report ids, agencies, years and cell keys to browse, drawn from the database."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        count = conn.execute("select max(rowid) from reports").fetchone()[0] or 0
        rng = random.Random(7)
        rowids = sorted({rng.randint(1, count) for _ in range(n)}) if count else []
        rows = [conn.execute("select id, agency from reports where rowid = ?", [i]).fetchone()
                for i in rowids]
        rows = [r for r in rows if r]
        return {
            "reports": [r[0] for r in rows], "agencies": sorted({r[1] for r in rows if r[1]}),
            "years": [r[0] for r in conn.execute("select distinct year from reports where year is not null")],
            "keys": [r[0] for r in conn.execute("select key from metrics")],
            "queries": ["applications_by_outcome", "litigation_by_agency", "narrative_by_year",
                        "failing_balance", "narrative_disagreements", "missing_reports",
                        "agency_names_to_review"],
        }
    finally:
        conn.close()


def next_page(rng: random.Random, name: str, s: dict[str, list]) -> tuple[str, str]:
    """(kind, path) of the next page an ordinary client asks for."""
    kind = rng.choices(
        ["home", "reports", "facet", "search", "report", "agency", "wide", "cells", "query"],
        weights=[1, 2, 2, 3, 4, 2, 2, 1, 2])[0]
    if kind == "home":
        return kind, "/"
    if kind == "reports":
        return kind, f"/{name}/reports"
    if kind == "facet":
        args = {"_facet": "template", "year": rng.choice(s["years"])} if rng.random() < 0.5 else \
            [("_facet", "year"), ("_facet", "template")]
        return kind, f"/{name}/reports?{urlencode(args)}"
    if kind == "search":
        return kind, f"/{name}/reports?{urlencode({'_search': rng.choice(SEARCHES)})}"
    if kind == "report":
        return kind, f"/-/report/{rng.choice(s['reports'])}"
    if kind == "agency":
        return kind, f"/-/agency/{quote(rng.choice(s['agencies']))}"
    if kind == "wide":
        table = rng.choice(["table3_totals", "table4_review", "table2_2019", "table2_2021"])
        return kind, f"/{name}/{table}" + (f"?year={rng.choice(s['years'])}" if rng.random() < 0.3 else "")
    if kind == "cells":
        return kind, f"/{name}/cells?{urlencode({'key': rng.choice(s['keys'])})}"
    return kind, f"/{name}/{rng.choice(s['queries'])}"


async def browse(client: httpx.AsyncClient, seed: int, pages, until: float, think: float,
                 log: dict[str, list]) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        kind, path = pages(rng)
        t0 = time.perf_counter()
        try:
            r = await client.get(path)
            ok = r.status_code == 200
            if r.headers.get("x-nianbao-cache") == "hit":
                log["#hits"].append((0.0, True, path))
        except httpx.HTTPError:
            ok = False
        log[kind].append((time.perf_counter() - t0, ok, path))
        if think:
            await asyncio.sleep(think)


async def slow_sql(client: httpx.AsyncClient, name: str, until: float, log: dict[str, list]) -> None:
    i = 0
    while time.monotonic() < until:
        sql = SLOW_SQL[i % len(SLOW_SQL)]
        i += 1
        t0 = time.perf_counter()
        try:
            r = await client.get(f"/{name}.json?{urlencode({'sql': sql})}")
            ended = "answered" if r.status_code == 200 else \
                "stopped by the time limit" if "interrupted" in r.text.lower() or "time limit" in r.text.lower() \
                else f"HTTP {r.status_code}"
        except httpx.HTTPError as e:
            ended = f"failed: {type(e).__name__}"
        log[ended].append(time.perf_counter() - t0)


async def run(base: str, name: str, s: dict[str, list], clients: int, seconds: float, think: float,
              warm: float) -> tuple[dict, dict, dict]:
    limits = httpx.Limits(max_connections=clients + 1, max_keepalive_connections=clients + 1)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        baseline: dict[str, list] = defaultdict(list)
        until = time.monotonic() + warm
        await asyncio.gather(*(browse(client, i, lambda rng: ("baseline", BASELINE), until, think, baseline)
                               for i in range(clients)))
        log: dict[str, list] = defaultdict(list)
        slow: dict[str, list] = defaultdict(list)
        until = time.monotonic() + seconds
        await asyncio.gather(
            slow_sql(client, name, until, slow),
            *(browse(client, 100 + i, lambda rng: next_page(rng, name, s), until, think, log)
              for i in range(clients - 1)))
    return baseline, log, slow


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q))] if xs else float("nan")


def serve(db: Path, port: int, workers: int, cache_mb: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "archive.cli", "serve", "--db", str(db), "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers), "--cache-mb", str(cache_mb)]
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


def report(clients: int, seconds: float, baseline: dict, log: dict, slow: dict) -> dict[str, float]:
    """Print the table; return the ordinary pages' p50, p95 and errors."""
    base = [t for t, ok, _ in baseline["baseline"] if ok]
    b50 = statistics.median(base) if base else float("nan")
    print(f"{clients} clients at once ({clients - 1} browsing, 1 sending slow SQL) for {seconds:.0f} s")
    print(f"{'page':<22}{'n':>7}{'err':>6}{'p50 ms':>9}{'p95 ms':>9}{'p50 x base':>12}")
    hits = len(log.pop("#hits", []))
    rows = [("baseline " + BASELINE, baseline["baseline"]), *sorted(log.items())]
    everything = [x for k, v in log.items() for x in v]
    rows.append(("ordinary pages", everything))
    for kind, entries in rows:
        good = [t for t, ok, _ in entries if ok]
        errors = sum(1 for _, ok, _ in entries if not ok)
        p50 = statistics.median(good) if good else float("nan")
        print(f"{kind[:21]:<22}{len(entries):>7}{errors:>6}{p50 * 1000:>9.0f}"
              f"{percentile(good, 0.95) * 1000:>9.0f}{p50 / b50:>12.1f}")
    failed = [p for t, ok, p in everything if not ok]
    for path in sorted(set(failed))[:10]:
        print(f"  failed: {path} ({failed.count(path)}x)")
    print(f"ordinary requests: {len(everything)} in {seconds:.0f} s ({len(everything) / seconds:.1f}/s), "
          f"{hits} answered from the server's cache")
    for ended, times in sorted(slow.items()):
        print(f"slow SQL client: {len(times)} {ended}, median {statistics.median(times) * 1000:.0f} ms")
    good = [t for t, ok, _ in everything if ok]
    return {"p50": statistics.median(good) if good else float("nan"), "p95": percentile(good, 0.95),
            "errors": len(failed), "requests": len(everything)}


def load(db: Path, clients: int = 50, seconds: float = 60, workers: int = 0, think: float = 0.0,
         warm: float = 10, cache_mb: int = 256) -> dict[str, float]:
    """Start the server, run the clients, stop the server; print and return the figures."""
    db = db.resolve()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = serve(db, port, workers, cache_mb)
    print(f"nianbao serve --workers {workers or 'default'} --cache-mb {cache_mb}")
    try:
        started = wait_ready(base, proc, 600)
        print(f"{db}: server ready in {started:.1f} s")
        baseline, log, slow = asyncio.run(run(base, db.stem, sample(db), clients, seconds, think, warm))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return report(clients, seconds, baseline, log, slow)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", type=Path)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=0, help="server processes (0: nianbao serve's default)")
    ap.add_argument("--think", type=float, default=0.0, help="seconds each client waits between pages")
    ap.add_argument("--cache-mb", type=int, default=256, help="the server's answer cache (0: none)")
    args = ap.parse_args()
    load(args.db, args.clients, args.seconds, args.workers, args.think, cache_mb=args.cache_mb)


if __name__ == "__main__":
    main()
