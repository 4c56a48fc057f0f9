"""Focused spiders against a follow-every-link CrawlSpider on the same replica sites.

Prints pages fetched (from the replica server's log), wall time and reports found
for both, and the ratios. Each replica answers with LATENCY seconds of delay so
wall time means something. Run: .venv/bin/python benchmarks/bench_crawl.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from replica import ReplicaServer, build_sites  # noqa: E402

LATENCY = 0.05


def naive(url: str, out: Path) -> subprocess.CompletedProcess:
    settings = {"LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": True, "DOWNLOAD_DELAY": 0,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 2, "FEEDS": {str(out): {"format": "jsonlines"}}}
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); from scrapy.crawler import CrawlerProcess;"
        "from benchmarks.naive_spider import FollowEverything;"
        f"p = CrawlerProcess({settings!r}); p.crawl(FollowEverything, url={url!r}); p.start()"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def focused(url: str, cms: str, archive: Path) -> subprocess.CompletedProcess:
    settings = {"LOG_LEVEL": "ERROR", "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0,
                "NIANBAO_PROGRESS_INTERVAL": 60}
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); from crawler.run import crawl, Target;"
        f"crawl([Target(url={url!r}, cms={cms!r})], {str(archive)!r}, {settings!r})"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def main() -> None:
    sites = build_sites()
    for site in sites:
        site.latency = LATENCY
    rows = []
    with ReplicaServer(sites) as srv, tempfile.TemporaryDirectory() as tmp:
        for site in srv.sites.values():
            expected = {e.path for e in site.expected}
            runs = {}
            start = srv.url(site.name, site.start)
            jobs = {
                "focused": (focused, (start, site.cms, Path(tmp) / site.name)),
                "naive": (naive, (srv.url(site.name, "/"), Path(tmp) / f"{site.name}.jl")),
            }
            for label, (run, args) in jobs.items():
                srv.clear_log()
                t0 = time.perf_counter()
                run(*args)
                seconds = time.perf_counter() - t0
                fetched = {h.path for h in srv.hits(site.name) if h.status == 200}
                runs[label] = (len(srv.hits(site.name)), seconds, len(expected & fetched))
            rows.append((site.name, len(expected), runs["focused"], runs["naive"]))
    print(f"replica latency {LATENCY * 1000:.0f} ms per request; same concurrency for both")
    print(f"{'site':<15}{'reports':>8}{'pages':>7}{'/report':>8}{'naive':>7}{'/report':>8}{'ratio':>7}"
          f"{'time s':>8}{'naive s':>9}{'ratio':>7}{'found':>7}{'naive':>7}")
    for name, n, (fp, ft, ff), (np_, nt, nf) in rows:
        print(f"{name:<15}{n:>8}{fp:>7}{fp / n:>8.2f}{np_:>7}{np_ / n:>8.2f}{fp / np_:>7.2f}"
              f"{ft:>8.1f}{nt:>9.1f}{ft / nt:>7.2f}{ff:>7}{nf:>7}")
    worst = max(fp / np_ for _, _, (fp, _, _), (np_, _, _) in rows)
    print(f"highest pages ratio (focused / follow-every-link): {worst:.2f}")
    print("ratios are focused / follow-every-link (lower is better); time is the crawl alone "
          "(process start included for both); 'found': report documents fetched")


if __name__ == "__main__":
    main()
