"""Wall time of 1, 2 and 4 Redis-backed workers over many replica sites, against the
politeness bound (the per-domain delay, held fleet-wide, makes a site take at least
pages x delay however many workers there are).

Run: .venv/bin/python benchmarks/bench_distributed.py  (needs redis-server)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from replica import ReplicaServer, build_sites  # noqa: E402
from tests.crawl_helpers import NIANBAO, registry_for  # noqa: E402
from tests.redis_server import redis_server  # noqa: E402

COPIES = 8  # 3 replica sites each: 24 sites
LATENCY = 0.5  # seconds the server takes per answer: slow sites are the norm
DELAY = 0.5  # politeness: seconds between requests to one site, for the whole fleet


def many_sites() -> list:
    sites = []
    for copy in range(COPIES):
        for site in build_sites():
            sites.append(replace(site, name=f"{site.name}{copy}", host_index=2 + len(sites),
                                 latency=LATENCY))
    return sites


def run(workers: int, tmp: Path) -> tuple[float, dict[str, list[float]]]:
    with redis_server() as url, ReplicaServer(many_sites()) as srv:
        registry = registry_for(srv, tmp / "sites.csv")
        cmd = [*NIANBAO, "crawl", "--all", "--registry", str(registry), "--archive", str(tmp / "a"),
               "--no-build", "--delay", str(DELAY), "--redis", url, "--run-id", f"bench{workers}",
               "--set", "LOG_LEVEL=ERROR", "--set", "NIANBAO_REDIS_IDLE_GRACE=2",
               "--set", "RANDOMIZE_DOWNLOAD_DELAY=False", "--set", "AUTOTHROTTLE_ENABLED=False"]
        t0 = time.perf_counter()
        procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
                 for _ in range(workers)]
        for p in procs:
            p.wait()
        wall = time.perf_counter() - t0
        times: dict[str, list[float]] = defaultdict(list)
        robots = 0
        for h in srv.hits():
            if h.path == "/robots.txt":  # each worker reads it once: not crawl traffic
                robots += 1
            else:
                times[h.site].append(h.time)
    return wall, times, robots


def main() -> None:
    print(f"{COPIES * 3} replica sites, {LATENCY * 1000:.0f} ms per answer, "
          f"delay {DELAY} s per site for the whole fleet")
    print(f"{'workers':>8}{'pages':>7}{'robots':>7}{'wall s':>8}{'bound s':>9}{'wall/bound':>11}{'min gap s':>10}")
    base = None
    for workers in (1, 2, 4):
        with tempfile.TemporaryDirectory() as tmp:
            wall, times, robots = run(workers, Path(tmp))
        pages = sum(len(t) for t in times.values())
        bound = max((len(t) - 1) * DELAY for t in times.values())
        gaps = [b - a for t in times.values() for a, b in zip(sorted(t), sorted(t)[1:], strict=False)]
        base = base or wall
        print(f"{workers:>8}{pages:>7}{robots:>7}{wall:>8.1f}{bound:>9.1f}{wall / bound:>11.2f}{min(gaps):>10.2f}"
              f"   speed-up x{base / wall:.2f}")
    print("bound: the slowest site's pages x delay; 'min gap': smallest interval between two "
          "requests to one site, robots.txt aside (politeness holds when it is about the delay)")


if __name__ == "__main__":
    main()
