"""A fleet you can watch: a health record per site after each crawl, Spidermon's verdicts in
it, and the alarm when a replica site stops listing its reports (exit status, a line in the
summary, --json, ``nianbao health``, the /-/health page in real headless Chromium)."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import sqlite_utils

from archive.build.health import judge, rows
from archive.web.serve import datasette_instance
from crawler.store import ArchiveStore
from replica import ReplicaServer, Resource, build_sites
from tests.crawl_helpers import NIANBAO, crawl
from tests.live_datasette import running
from tests.test_browser import CHROMIUM, SCREENSHOTS, chromium_page


def _unlist(site) -> None:
    """The column still there, its lists empty: what a CMS redesign or a broken template does."""
    for path in site.list_pages:
        page = site.resources[path]
        body = re.sub(r'(<ul class="list">).*?(</ul>)', r"\1\2", page.body.decode(), flags=re.S)
        site.put(path, Resource(body.encode(), page.content_type))


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """chengyang crawled twice: whole, then with its lists emptied (--json the second time)."""
    tmp = tmp_path_factory.mktemp("health")
    sites = [s for s in build_sites() if s.name == "chengyang"]
    with ReplicaServer(sites) as srv:
        first = crawl(srv, tmp)
        _unlist(srv.site("chengyang"))
        second = crawl(srv, tmp, None, "--json")
    return tmp, first, second


def test_a_good_crawl_leaves_a_health_record_and_no_alarm(crawled):
    tmp, first, _ = crawled
    assert first.returncode == 0, first.stderr[-2000:]
    assert "ALARM" not in first.stdout
    record = ArchiveStore(tmp / "nianbao.archive").crawls()[0]
    assert record["monitors"] == {}  # Spidermon ran its checks as the crawl closed; none failed
    assert record["pages"] > 0 and record["documents"] > 0 and record["errors"] == 0
    db = sqlite_utils.Database(tmp / "nianbao.db")
    runs = list(db.query("select * from site_health where site = 'chengyang' order by started"))
    assert len(runs) == 2
    assert runs[0]["status"] == "ok" and runs[0]["reports"] >= 5 and runs[0]["alarms"] is None
    assert runs[0]["seconds"] is not None and runs[0]["last_success"] == runs[0]["finished"]


def test_a_site_that_stops_listing_its_reports_fires_the_alarm(crawled):
    tmp, first, second = crawled
    assert second.returncode == 3, second.stderr[-2000:]
    out = json.loads(second.stdout)
    assert out["exit_status"] == 3
    health = out["sites"][0]["health"]
    assert health["site"] == "chengyang" and health["reports"] == 0 and health["status"] == "ok"
    [alarm] = health["alarms"]
    assert alarm["alarm"] == "no_reports" and "found no report" in alarm["en"]
    db = sqlite_utils.Database(tmp / "nianbao.db")
    before = db.execute("select reports from site_health where site = 'chengyang' order by started").fetchall()
    assert before[0][0] == health["baseline"] > 0
    # the operator's view: one line per alarm, exit status 3 for cron
    proc = subprocess.run([*NIANBAO, "health", "--db", str(tmp / "nianbao.db")], capture_output=True, text=True)
    assert proc.returncode == 3
    assert re.search(r"ALARM\s+chengyang: found no report, where its earlier crawls found \d", proc.stdout)
    as_json = json.loads(subprocess.run([*NIANBAO, "health", "--db", str(tmp / "nianbao.db"), "--json"],
                                        capture_output=True, text=True).stdout)
    assert as_json["sites"][0]["trend"] == [before[0][0], 0]


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")
def test_the_health_page_shows_the_alarm_in_chromium(crawled):
    tmp = crawled[0]
    with running(datasette_instance(tmp / "nianbao.db", archive_dir=tmp / "nianbao.archive")) as url:
        with chromium_page(height=500) as page:
            page.goto(f"{url}/")
            page.goto(f"{url}/-/health")
            row = page.locator('tr[data-site="chengyang"]')
            assert row.is_visible()
            assert row.locator("td.reports").inner_text() == "0"
            alarm = row.locator('.alarm[data-alarm="no_reports"]')
            assert "未找到年报" in alarm.inner_text() and "found no report" in alarm.inner_text()
            assert row.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(253, 236, 234)"
            assert row.locator("td.trend polyline").get_attribute("points").count(",") == 2
            assert page.locator(".alarm-count").inner_text() == "1"
            page.screenshot(path=str(SCREENSHOTS / "health.png"), full_page=True)


def _run(site: str, n: int, reports: int, complete: bool = True) -> dict:
    seen = [f"http://s/{site}/{i}" for i in range(reports)]
    return {"site": site, "crawl_id": f"c{n}", "run": f"r{n}", "started": f"2026-01-0{n}T00:00:00+00:00",
            "finished": f"2026-01-0{n}T00:01:00+00:00", "complete": complete, "finish_reason": "finished",
            "seen": seen, "pages": 5, "documents": reports, "errors": 0 if complete else 1,
            "challenges": 0, "list_failures": 0 if complete else 1, "budget_stops": {},
            "monitors": {} if complete else {"crawl/list_pages": "1 list page(s) could not be read"}}


def test_alarms_follow_the_sites_own_history():
    listed = {"a": {f"http://s/a/{i}" for i in range(10)}}
    got = rows([_run("a", 1, 10), _run("a", 2, 10), _run("a", 3, 4)], listed)
    assert [json.loads(r["alarms"])[0]["alarm"] if r["alarms"] else None for r in got] == [
        None, None, "fewer_reports"]
    assert got[-1]["baseline"] == 10 and got[-1]["latest"] == 1 and got[0]["latest"] == 0
    failing = rows([_run("a", 1, 10), *[_run("a", n, 0, complete=False) for n in (2, 3, 4)]], listed)
    assert [r["alarm_count"] for r in failing] == [0, 1, 1, 2]  # none found, then 3 failed in a row too
    assert json.loads(failing[-1]["failures"]) == {"crawl/list_pages": "1 list page(s) could not be read"}
    assert failing[-1]["last_success"] == failing[0]["finished"]
    # a site that never yielded a report raises nothing: there is no "used to" yet
    assert judge([], {"reports": 0, "status": "ok"}) == []


def test_an_alarm_stays_until_the_site_yields_again():
    listed = {"a": {f"http://s/a/{i}" for i in range(10)}}
    got = rows([_run("a", 1, 10), *[_run("a", n, 0) for n in range(2, 8)], _run("a", 8, 10)], listed)
    assert [r["alarm_count"] for r in got] == [0, 1, 1, 1, 1, 1, 1, 0]
    assert got[-1]["last_success"] == got[-1]["finished"] and got[-2]["last_success"] == got[0]["finished"]
