"""Re-crawls: cheap when nothing changed, exact about what did; resume after SIGKILL."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import time

import pytest
import sqlite_utils

from crawler.store import ArchiveStore
from layouts.render import render_html
from replica import ReplicaServer, Resource, build_sites
from tests.crawl_helpers import NIANBAO, crawl, registry_for

COUNTED = ("reports", "documents", "cells", "checks", "events")


def _counts(db_path) -> dict[str, int]:
    db = sqlite_utils.Database(db_path)
    return {t: db[t].count for t in COUNTED}


def _trs():
    return [s for s in build_sites() if s.name == "chengyang"]


def test_second_crawl_downloads_nothing_and_adds_no_row(tmp_path):
    with ReplicaServer(_trs()) as srv:
        assert crawl(srv, tmp_path).returncode == 0
        before = _counts(tmp_path / "nianbao.db")
        srv.clear_log()
        proc = crawl(srv, tmp_path)
        hits = srv.hits("chengyang")
        site = srv.site("chengyang")
    assert proc.returncode == 0, proc.stderr[-1500:]
    documents = {e.path for e in site.expected} | {e.detail_path for e in site.expected if e.detail_path}
    doc_hits = [h for h in hits if h.path in documents]
    assert doc_hits and all(h.status == 304 for h in doc_hits), [(h.path, h.status) for h in doc_hits]
    assert {h.path for h in hits if h.status == 200} <= set(site.list_pages) | {"/robots.txt"}
    assert _counts(tmp_path / "nianbao.db") == before


def test_added_changed_removed_are_exactly_three_events(tmp_path):
    sites = _trs()
    site = sites[0]
    inline = [e for e in site.expected if e.fmt == "html" and e.cells and not e.detail_path]
    changed, removed = inline[0], inline[-1]
    with ReplicaServer(sites) as srv:
        assert crawl(srv, tmp_path).returncode == 0
        # a new report on the first list page
        new_path = "/zwgk/ndbg/202203/t20220301_9999.shtml"
        title = "青岛市城阳区人民政府2022年政府信息公开工作年度报告"
        cells = {k: (v * 3 if isinstance(v, int) else v) for k, v in changed.cells.items()}
        site.put(new_path, Resource(render_html(cells, changed.template, "青岛市城阳区人民政府", 2022)
                                    .encode(), "text/html; charset=utf-8"))
        first = site.resources[site.list_path]
        entry = f'<li><a href="./202203/t20220301_9999.shtml" title="{title}">{title}</a><span>2022-03-01</span></li>'
        site.put(site.list_path, Resource(first.body.decode().replace("<li><a href=\"./", entry + "<li><a href=\"./", 1).encode(),
                                          first.content_type))
        # a revised report
        twice = {k: (v * 2 if isinstance(v, int) else v) for k, v in changed.cells.items()}
        site.put(changed.path, Resource(render_html(twice, changed.template, changed.agency, changed.year)
                                        .encode(), "text/html; charset=utf-8"))
        # a withdrawn report: gone from its list page and from the site
        page = site.resources[removed.page_path]
        slug = removed.path.rsplit("/", 2)[-2] + "/" + removed.path.rsplit("/", 1)[-1]
        body = re.sub(rf'<li><a href="\./{re.escape(slug)}".*?</li>', "", page.body.decode(), flags=re.S)
        site.put(removed.page_path, Resource(body.encode(), page.content_type))
        site.remove(removed.path)
        proc = crawl(srv, tmp_path)
    assert proc.returncode == 0, proc.stderr[-1500:]
    last = ArchiveStore(tmp_path / "nianbao.archive").crawls()[-1]["crawl_id"]
    db = sqlite_utils.Database(tmp_path / "nianbao.db")
    events = {(r["url"].split(":", 2)[-1].split("/", 1)[-1], r["event"])
              for r in db.query("select url, event from events where crawl_id = ?", [last])}
    assert events == {(new_path[1:], "added"), (changed.path[1:], "changed"), (removed.path[1:], "withdrawn")}
    states = {r["url"].split("/", 3)[-1]: r["state"] for r in db.query("select url, state from reports")}
    assert states[removed.path[1:]] == "withdrawn"  # kept, marked, never deleted
    versions = list(db.query("select version, state from reports where url like ? order by version",
                             [f"%{changed.path}"]))
    assert [(v["version"], v["state"]) for v in versions] == [(1, "replaced"), (2, "current")]


def _content(db_path) -> tuple:
    db = sqlite_utils.Database(db_path)
    reports = sorted((r["id"], r["url"].split("/", 3)[-1], r["year"], r["template"], r["state"])
                     for r in db.query("select * from reports"))
    cells = sorted(tuple(r.values()) for r in db.query("select report_id, key, value, raw from cells"))
    return reports, cells


def test_killed_crawls_resume_to_the_same_database(tmp_path):
    sites = build_sites()
    for s in sites:
        s.latency = 0.08  # long enough to be killed mid-way
    with ReplicaServer(sites) as srv:
        whole = tmp_path / "whole"
        assert crawl(srv, whole).returncode == 0
        expected = _content(whole / "nianbao.db")
        rng = random.Random(7)
        for run in range(3):
            target = tmp_path / f"killed{run}"
            target.mkdir()
            registry = registry_for(srv, target / "sites.csv")
            for _ in range(2):  # killed twice at random moments, then run to the end
                proc = subprocess.Popen(
                    [*NIANBAO, "crawl", "--all", "--registry", str(registry), "--db",
                     str(target / "nianbao.db"), "--delay", "0", "--set", "LOG_LEVEL=ERROR"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                time.sleep(rng.uniform(0.5, 3.0))
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            assert crawl(srv, target).returncode == 0
            assert _content(target / "nianbao.db") == expected


def test_two_crawls_never_overlap(tmp_path):
    sites = _trs()
    sites[0].latency = 0.2
    with ReplicaServer(sites) as srv:
        registry = registry_for(srv, tmp_path / "sites.csv")
        first = subprocess.Popen([*NIANBAO, "crawl", "--all", "--registry", str(registry), "--db",
                                  str(tmp_path / "nianbao.db"), "--delay", "0"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2.0)
        second = crawl(srv, tmp_path)
        first.wait(timeout=120)
    assert second.returncode == 75
    assert "another crawl is running" in second.stderr
    assert first.returncode == 0


@pytest.mark.parametrize("fault", ["error500"])
def test_failed_site_gives_non_zero_exit(tmp_path, fault):
    sites = _trs()
    site = sites[0]
    old = site.resources[site.list_path]
    site.put(site.list_path, Resource(old.body, old.content_type, fault=fault))
    with ReplicaServer(sites) as srv:
        proc = crawl(srv, tmp_path, None, "--set", "RETRY_TIMES=1")
    assert proc.returncode == 1
    assert "chengyang" in proc.stdout and "HTTP 500" in proc.stdout
