"""Portals nobody described to the crawler: started at the home page, through year and
category sub-columns, with an honest account of what was fetched, archived and parsed."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from urllib.parse import urlparse

import sqlite_utils

from replica import ReplicaServer, build_sites
from tests.crawl_helpers import NIANBAO, crawl


def _site(name: str):
    return next(s for s in build_sites() if s.name == name)


def _paths(db, site: str | None = None) -> set[str]:
    rows = db.query("select url from reports" + (" where site = ?" if site else ""), [site] if site else [])
    return {urlparse(r["url"]).path + (f"?{urlparse(r['url']).query}" if urlparse(r["url"]).query else "")
            for r in rows}


def _crawl_home(srv: ReplicaServer, name: str, db: str) -> subprocess.CompletedProcess:
    """nianbao crawl URL at the site's home page, as a user who knows only the portal."""
    return subprocess.run([*NIANBAO, "crawl", srv.url(name, "/"), "--db", db, "--delay", "0",
                           "--set", "LOG_LEVEL=WARNING"], capture_output=True, text=True, timeout=300)


def test_crawl_from_the_home_page_through_year_and_category_subcolumns(tmp_path):
    """nianbao crawl URL: 首页 → 信息公开 → 年报 → 2022年度报告 → 区直部门 → page 2."""
    site = _site("muping")
    with ReplicaServer([site]) as srv:
        proc = _crawl_home(srv, "muping", str(tmp_path / "m.db"))
        hits = srv.hits("muping")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    db = sqlite_utils.Database(tmp_path / "m.db")
    expected = {e.path for e in site.expected}
    assert _paths(db) == expected
    second = site.resources["/xxgk/nb/nb_2022n/qzbm/index.jsp?cur_page=2"].body.decode("gbk")
    deep = {e.path for e in site.expected if f'href="{e.detail_path or e.path}"' in second}
    assert deep and deep <= _paths(db)  # the second page of a category
    fetched = Counter(h.path for h in hits)
    assert not [p for p, n in fetched.items() if n > 1]
    for sub in ("/xxgk/nb/nb_2022n/index.jsp", "/xxgk/nb/nb_2022n/qzbm/index.jsp", "/xxgk/nb/2019year/index.jsp"):
        assert fetched[sub] == 1
    assert not set(site.distractors) & _paths(db)


def test_portal_three_levels_down_with_notices_beside_the_reports(tmp_path):
    site = _site("fushan")
    with ReplicaServer([site]) as srv:
        proc = _crawl_home(srv, "fushan", str(tmp_path / "f.db"))
        fetched = {h.path for h in srv.hits("fushan")}
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    db = sqlite_utils.Database(tmp_path / "f.db")
    assert _paths(db) == {e.path for e in site.expected}
    assert "/module/download/downfile.jsp/nbgs2022.docx" not in fetched  # the notice's 年报格式
    assert not any(p.startswith("/xwdt/") for p in fetched)  # the news the home page leads with
    assert "/ztzl/2023lh/" not in fetched  # a 专题 naming a year, outside the column
    # a report page whose tables are a picture: the picture is archived with it, read by OCR
    page = next(e for e in site.expected if "教育和体育局" in e.title)
    figure = next(db.query("select url, role, page_url from documents where role = 'figure'"))
    assert figure["page_url"].endswith(page.path) and urlparse(figure["url"]).path in fetched
    rid = next(db.query("select id from reports where url like ?", [f"%{page.path}"]))["id"]
    ocr = {c["key"]: (c["value"], c["ocr"]) for c in db.query("select key, value, ocr from cells where report_id = ?", [rid])}
    assert ocr == {k: (v, 1) for k, v in page.cells.items()}


def _summary_rows(stdout: str) -> dict[str, list[int]]:
    rows = {}
    for line in stdout.splitlines():
        m = re.match(r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", line)
        if m:
            rows[m.group(1)] = [int(x) for x in m.groups()[1:]]
    return rows


def test_progress_and_summary_count_the_same_named_things(tmp_path):
    names = ["fushan", "titles"]
    with ReplicaServer([s for s in build_sites() if s.name in names]) as srv:
        proc = crawl(srv, tmp_path, names)
    assert proc.returncode == 0, proc.stderr[-2000:]
    db = sqlite_utils.Database(tmp_path / "nianbao.db")
    rows = _summary_rows(proc.stdout)
    assert "pages: responses received; candidates: possible reports fetched; documents: archived" in proc.stdout
    for name in names:
        pages, candidates, documents, reports, errors, _ = rows[name]
        assert reports == db.execute("select count(*) from reports where site = ?", [name]).fetchone()[0]
        assert documents == db.execute("select count(*) from documents where site = ?", [name]).fetchone()[0]
        assert reports <= candidates <= pages
        progress = [line for line in proc.stderr.splitlines() if line.startswith(f"[{name}]")][-1]
        assert progress == (f"[{name}] pages fetched {pages}  candidates fetched {candidates}"
                            f"  documents archived {documents}")


def test_a_page_budget_stops_a_wrong_turn_and_says_so(tmp_path):
    with ReplicaServer([_site("titles")]) as srv:
        proc = crawl(srv, tmp_path, ["titles"], "--set", "NIANBAO_PAGE_BUDGET=12")
        requested = {h.path for h in srv.hits("titles") if h.path != "/robots.txt"}
    assert len(requested) <= 12
    assert re.search(r"budget\s+page budget reached: \d+ links not followed", proc.stdout)
    assert proc.returncode == 1  # an incomplete crawl is not a success
    store = tmp_path / "nianbao.archive"
    assert store.exists()
    db = sqlite_utils.Database(tmp_path / "nianbao.db")
    assert db.execute("select count(*) from reports").fetchone()[0] > 0  # what was fetched is kept
