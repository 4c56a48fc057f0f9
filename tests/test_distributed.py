"""Workers sharing one Redis frontier find every report exactly once."""

from __future__ import annotations

import re
import subprocess
from collections import Counter

import pytest
import sqlite_utils

from replica import ReplicaServer, build_sites
from tests.crawl_helpers import NIANBAO, crawl, registry_for
from tests.redis_server import redis_server


def _reports(db_path) -> set[tuple]:
    db = sqlite_utils.Database(db_path)
    return {(r["url"].split("/", 3)[-1], r["id"]) for r in db.query("select url, id from reports")}


def _workers(srv, tmp, n: int, redis_url: str) -> list[subprocess.CompletedProcess]:
    registry = registry_for(srv, tmp / "sites.csv")
    cmd = [*NIANBAO, "crawl", "--all", "--registry", str(registry), "--db", str(tmp / "nianbao.db"),
           "--delay", "0", "--no-build", "--redis", redis_url, "--run-id", f"test-{n}",
           "--set", "LOG_LEVEL=ERROR", "--set", "NIANBAO_REDIS_IDLE_GRACE=3"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(n)]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=300), *p.communicate()) for p in procs]


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("single")
    with ReplicaServer(build_sites()) as srv:
        assert crawl(srv, tmp).returncode == 0
    return _reports(tmp / "nianbao.db")


@pytest.mark.parametrize("workers", [2, 4])
def test_workers_find_every_report_exactly_once(tmp_path, single, workers):
    sites = build_sites()
    for s in sites:
        s.latency = 0.4  # long enough for idle workers (5 s heartbeat) to join in
    with redis_server() as url, ReplicaServer(sites) as srv:
        done = _workers(srv, tmp_path, workers, url)
        hits = srv.hits()
    assert all(p.returncode == 0 for p in done), [p.stderr[-800:] for p in done]
    # every page and document once for the whole fleet; robots.txt once per worker at most
    counts = Counter((h.site, h.method, h.path) for h in hits)
    twice = [k for k, n in counts.items() if n > 1 and k[2] != "/robots.txt"]
    assert not twice, f"fetched more than once: {twice}"
    assert all(n <= workers for k, n in counts.items() if k[2] == "/robots.txt")
    build = subprocess.run([*NIANBAO, "build", "--db", str(tmp_path / "nianbao.db"),
                            "--registry", str(tmp_path / "sites.csv")], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    assert _reports(tmp_path / "nianbao.db") == single
    busy = [p for p in done if _pages(p.stderr) > 0]
    assert len(busy) >= 2, "the work was not shared"


def _pages(progress: str) -> int:
    """Pages a worker fetched: the last progress line of each of its sites."""
    last = dict(re.findall(r"^\[(\w+)\] pages fetched (\d+)", progress, flags=re.M))
    return sum(int(n) for n in last.values())
