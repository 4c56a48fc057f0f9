"""Crawls of the replica sites over real HTTP on loopback, counted by the server's log."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlparse

import pytest
import sqlite_utils

from replica import ReplicaServer, Resource, build_sites
from tests.crawl_helpers import crawl


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("crawl")
    with ReplicaServer(build_sites()) as srv:
        proc = crawl(srv, tmp)
        hits = {name: srv.hits(name) for name in srv.sites}
        sites = dict(srv.sites)
    db = sqlite_utils.Database(tmp / "nianbao.db")
    return proc, hits, sites, db


def _path(url: str) -> str:
    p = urlparse(url)
    return p.path + (f"?{p.query}" if p.query else "")


def _reports(db, site: str) -> dict[str, dict]:
    return {_path(r["url"]): r for r in db.query("select * from reports where site = ?", [site])}


SITES = [s.name for s in build_sites()]


@pytest.mark.parametrize("site", SITES)
def test_every_report_found_and_read(crawled, site):
    proc, _, sites, db = crawled
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    got = _reports(db, site)
    expected = {e.path: e for e in sites[site].expected}
    assert set(got) == set(expected)
    for path, exp in expected.items():
        row = got[path]
        assert (row["year"], row["template"] or "legacy") == (exp.year, exp.template)
        if exp.cells:
            cells = {c["key"]: c["value"] for c in db.query(
                "select key, value from cells where report_id = ?", [row["id"]])}
            assert cells == {k: v for k, v in exp.cells.items()}


@pytest.mark.parametrize("site", SITES)
def test_no_distractor_kept(crawled, site):
    _, _, sites, db = crawled
    assert not set(_reports(db, site)) & set(sites[site].distractors)


@pytest.mark.parametrize("site", SITES)
def test_polite_and_economical(crawled, site):
    _, hits, sites, _ = crawled
    paths = [h.path for h in hits[site]]
    assert not [p for p in paths if any(p.startswith(d) for d in sites[site].disallowed)]
    twice = [p for p, n in Counter((h.method, h.path) for h in hits[site]).items() if n > 1]
    assert not twice, f"fetched twice: {twice}"
    assert len(paths) / len(sites[site].expected) <= 3, f"{len(paths)} pages for {len(sites[site].expected)}"


def test_summary_names_failures_and_robots(crawled):
    proc, *_ = crawled
    assert "yicheng" in proc.stdout and "missing.html: HTTP 404" in proc.stdout
    assert "/private/" not in proc.stdout.split("reports in")[0].split("error")[-1]


def test_archive_keeps_bytes_and_provenance(crawled, tmp_path):
    _, _, _, db = crawled
    doc = next(db.query("select * from documents where url like '%.pdf' order by url limit 1"))
    assert doc["sha256"] and doc["warc_file"] and doc["page_url"] and doc["fetched_at"]
    assert '"ETag"' in doc["headers"] or "Etag" in doc["headers"]


def test_crawl_survives_a_hostile_server(tmp_path):
    """Timeouts, 500s, resets and a redirect loop: the crawl ends, retries, reports, keeps the rest."""
    sites = [s for s in build_sites() if s.name == "chengyang"]
    site = sites[0]
    flaky_list = site.list_pages[1]
    paths = [e.path for e in site.expected]
    by_kind = {"timeout": paths[0], "reset": paths[1], "redirect_loop": paths[2], "error500": paths[3]}
    for fault, path in by_kind.items():
        old = site.resources[path]
        site.put(path, Resource(old.body, old.content_type, fault=fault, delay=4.0))
    old = site.resources[flaky_list]
    site.put(flaky_list, Resource(old.body, old.content_type, fault="error500", fail_times=2))
    with ReplicaServer(sites) as srv:
        proc = crawl(srv, tmp_path, None, "--set", "DOWNLOAD_TIMEOUT=2", "--set", "RETRY_TIMES=2")
        hits = srv.hits("chengyang")
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    flaky_hits = [h for h in hits if h.path == flaky_list]
    assert len(flaky_hits) == 3 and flaky_hits[-1].status == 200  # retried until it answered
    db = sqlite_utils.Database(tmp_path / "nianbao.db")
    got = {_path(r["url"]) for r in db.query("select url from reports")}
    assert got == set(paths) - set(by_kind.values())  # everything else kept
    for path in by_kind.values():
        assert path.split("/")[-1] in proc.stdout  # each failure reported


def test_challenge_pages_reported_not_archived(tmp_path):
    sites = [s for s in build_sites() if s.name == "laoshan"]
    site = sites[0]
    target = next(e for e in site.expected if e.fmt == "html" and not e.detail_path)
    challenge = (b"<html><script>var x=1;document.cookie='__jsl_clearance=1577836800.123|0|abc';"
                 b"location.href=location.pathname+location.search</script></html>")
    site.put(target.path, Resource(challenge, "text/html", status=521))
    with ReplicaServer(sites) as srv:
        proc = crawl(srv, tmp_path)
    line = next(x for x in proc.stdout.splitlines() if x.startswith("laoshan"))
    assert line.split()[-1] == "1"  # one challenge counted for the site
    assert "challenge" in proc.stdout and target.path.split("/")[-1] in proc.stdout
    db = sqlite_utils.Database(tmp_path / "nianbao.db")
    assert not list(db.query("select 1 from documents where url like ?", [f"%{target.path}"]))


def test_generic_crawl_stays_on_site(crawled):
    proc, *_ = crawled
    assert "gov.cn/" not in proc.stdout and "shandong" not in proc.stdout
