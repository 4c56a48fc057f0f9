"""Attacks, as an attacker would run them: a crawl of a hostile site, and a started
``nianbao serve`` asked for poisoned pages, runaway SQL and odd methods."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
import sqlite_utils

from crawler.store import ArchiveStore
from replica import ReplicaServer
from replica.hostile import Targets, Trap, build_hostile
from replica.seeds import SEEDS, build_seed_site
from tests.crawl_helpers import crawl

HOSTILE = 60  # 127.0.0.60
SECRET = b"nianbao-secret-7f3a: this file must never leave the crawler's disk"


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    secret = tmp / "archive-secret.txt"
    secret.write_bytes(SECRET)
    for suffix in (".pdf", ".png"):
        Path(f"{secret}{suffix}").write_bytes(SECRET)
    host = f"127.0.0.{HOSTILE}"
    bystander = build_seed_site("bystander", *SEEDS[0][1:], host_index=HOSTILE + 1)
    placeholder = build_hostile(HOSTILE, Targets(host, str(secret), f"{host}:1"))
    with Trap(host) as trap, Trap("::1") as trap6, ReplicaServer([placeholder, bystander]) as srv:
        targets = Targets(host, str(secret), trap.netloc, trap6.netloc, srv.base_url("bystander"))
        for path, resource in build_hostile(HOSTILE, targets).resources.items():
            srv.site("hostile").put(path, resource)
        proc = crawl(srv, tmp, ["hostile"])
        hits = {name: srv.hits(name) for name in srv.sites}
        connections = trap.connections + trap6.connections
        base = srv.base_url("hostile")
        expected = srv.site("hostile").expected
    return proc, hits, connections, targets, tmp, (base, expected)


def test_the_real_report_is_still_archived(hostile_crawl):
    proc, hits, *_, tmp, (_, expected) = hostile_crawl
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    reports = list(sqlite_utils.Database(tmp / "nianbao.db").query("select url, year from reports"))
    expected = expected[0]
    assert [urlparse(r["url"]).path for r in reports if r["year"] == expected.year] == [expected.path]


def test_nothing_but_the_site_itself_is_fetched(hostile_crawl):
    proc, hits, connections, targets, tmp, (base, _) = hostile_crawl
    assert hits["bystander"] == []  # another host, linked and redirected to
    assert connections == []  # ftp:// and http:// on the site's own address, another port; [::1]
    store = ArchiveStore(tmp / "nianbao.archive")
    fetched = [f.url for f in store.fetches()]
    assert fetched and all(url.startswith(base + "/") for url in fetched)


def test_no_local_file_reaches_the_archive(hostile_crawl):
    *_, tmp, _ = hostile_crawl
    passwd = Path("/etc/passwd").read_bytes()[:64]
    for path in (tmp / "nianbao.archive").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET not in data and passwd not in data, path
    db = sqlite_utils.Database(tmp / "nianbao.db")
    for row in db.query("select url from documents"):
        assert row["url"].startswith("http://"), row


def test_every_hostile_link_is_counted_as_refused(hostile_crawl):
    proc, _, _, targets, tmp, _ = hostile_crawl
    record = ArchiveStore(tmp / "nianbao.archive").crawls()[-1]
    refused = {url for urls in record["refused"].values() for url in urls}
    for url in targets.entries():
        assert url in refused or url.replace("%2F", "/") in refused, url
    reasons = set(record["refused"])
    assert {"scheme file", "scheme ftp", "scheme data", "scheme s3", "private address", "other host"} <= reasons
    line = next(line for line in proc.stdout.splitlines() if line.strip().startswith("refused"))
    for reason in ("scheme file", "scheme ftp", "scheme data", "private address", "other host"):
        assert reason in line, line
    assert json.dumps(record["refused"]).count("/go/") == 0  # the redirecting pages were fetched
