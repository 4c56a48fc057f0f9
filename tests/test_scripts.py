"""Pagers, attachments and lists written by script: the sandbox, the rules it replaces,
the list recognisers, and crawls of the replica sites that need them (平潭, 沭阳县)."""

from __future__ import annotations

import http.server
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlparse

import sqlite_utils

from crawler import cms, lists, scripts
from replica import ReplicaServer, build_sites
from tests.crawl_helpers import NIANBAO, crawl

REAL = Path(__file__).resolve().parents[2] / "shared" / "real" / "legacy" / "pingtan-2016.html"
PAGE = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201701/t20170118_80485.htm"


def _links(html: str, url: str = "http://example.gov.cn/col/nb/index.html") -> list[cms.Link]:
    return scripts.script_links(cms.page_tree(html), url)[0]


def _site(name: str):
    return next(s for s in build_sites() if s.name == name)


# -- the sandbox -------------------------------------------------------------------
def test_a_ternary_pager_is_followed():
    page = """<div class="fy"><script>
    var pageTotal = 3; var pageNow = 1;
    for (var i = 0; i < pageTotal; i++) {
      var href = 'index' + (i == 0 ? '' : '_' + i) + '.html';
      document.write(i + 1 == pageNow ? '<b>1</b>' : '<a href="' + href + '">' + (i + 1) + '</a>');
    }</script></div>"""
    assert [(link.url.rsplit("/", 1)[-1], link.text) for link in _links(page)] == [("index_1.html", "2"),
                                                                                  ("index_2.html", "3")]
    assert not any(u.endswith("index_2.html") for u in cms.script_pages(page, "http://example.gov.cn/col/nb/"))


def test_the_real_trs_template_names_its_original_only_in_script():
    """The real 平潭 page's 全真版 script, its apps array filled as the template fills it."""
    real = REAL.read_text(encoding="utf-8")
    filled = real.replace("var apps = [", 'var apps = [{"name":"2016年度报告（原件）.pdf",'
                          '"url":"http://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201701/P020170118.pdf"}', 1)
    assert [(link.url, link.text) for link in _links(filled, PAGE)] == [
        ("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201701/P020170118.pdf", "2016年度报告（原件）.pdf")]
    assert _links(real, PAGE) == []  # the page as published: no original, nothing invented


def test_attachments_assembled_by_script_and_opened_by_onclick():
    assembled = """<div id="fj"></div><script>
      var base = "/uploadfiles/" + "202301" + "/", files = "20230117.pdf|", names = "审计局年报.pdf|";
      var h = "", f = files.split("|"), n = names.split("|");
      for (var i = 0; i < f.length; i++) { if (f[i]) h += '<a href="' + base + f[i] + '">' + n[i] + '</a>'; }
      document.getElementById("fj").innerHTML = h;</script>"""
    opened = """<a href="javascript:void(0)" onclick="down()">原件下载</a><script>
      var id = "8a2f", ext = ".ofd"; var downUrl = "/module/download/downfile.jsp?filename=" + id + ext;
      function down() { window.open(downUrl); }</script>"""
    assert [(urlparse(x.url).path, x.text) for x in _links(assembled)] == [("/uploadfiles/202301/20230117.pdf", "审计局年报.pdf")]
    assert [x.url for x in _links(opened)] == ["http://example.gov.cn/module/download/downfile.jsp?filename=8a2f.ofd"]
    # the literal rule sees neither: the URLs exist only once the script has run
    assert cms.script_attachments(assembled + opened, "http://example.gov.cn/") == []


def test_jquery_avalon_and_require_callbacks_run():
    page = """<script>
      $(function () { $("#down").attr("href", "/upload/" + "2022" + "/nb.pdf"); });
      require(["jquery", "avalon"], function ($, av) { avalon.define({ $id: "v", file: "/upload/2021/nb.docx", fileName: "2021年报" }); });
      setTimeout(function () { document.write("<a href='list_2.html'>下一页</a>"); }, 500);
    </script>"""
    got = {(urlparse(x.url).path, x.text) for x in _links(page, "http://example.gov.cn/nb/index.html")}
    assert got == {("/upload/2022/nb.pdf", "nb.pdf"), ("/upload/2021/nb.docx", "2021年报"), ("/nb/list_2.html", "下一页")}


def test_budget_memory_and_broken_scripts_end_cleanly():
    endless = "<script>while (true) {}</script><script>document.write('<a href=\"/a/b.pdf\">b</a>')</script>"
    links, outcome = scripts.script_links(cms.page_tree(endless), "http://example.gov.cn/", budget=0.4)
    assert [x.url for x in links] == ["http://example.gov.cn/a/b.pdf"]  # the next script still ran
    assert "stopped" in outcome.error and outcome.seconds < 30  # ended by the budget, not hung
    bomb = "<script>var a = []; while (true) { a.push(new Array(100000).join('x')); }</script>"
    outcome = scripts.evaluate(scripts.inline_scripts(cms.page_tree(bomb)), "http://example.gov.cn/", budget=3)
    assert outcome.error and outcome.seconds < 30
    broken = "<script>var x = ;</script><script>undefinedLib.init({x: 1}).go();</script><script>document.write('<a href=\"/p/2.html\">2</a>')</script>"
    assert [x.url for x in _links(broken)] == ["http://example.gov.cn/p/2.html"]


def test_the_sandbox_has_no_network():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/x"
    try:
        page = (f"<script>fetch('{url}'); var r = new XMLHttpRequest(); r.open('GET', '{url}'); r.send();"
                f"new Image().src = '{url}'; $.get('{url}'); location.href = '{url}';</script>")
        outcome = scripts.evaluate(scripts.inline_scripts(cms.page_tree(page)), "http://example.gov.cn/")
        assert not outcome.error
    finally:
        server.shutdown()
    assert hits == []


# -- lists that scripts fill ---------------------------------------------------------
def test_script_filled_lists_are_recognised_and_the_trs_interface_named():
    ping, shu = _site("pingtan"), _site("shuyang")
    column = ping.resources[ping.list_path].body.decode()
    assert lists.script_filled(cms.page_tree(column), column, 10) == "16 documents stated, 10 in the page"
    assert lists.trs_search(column, "http://h/zwgk/zfxxgk/zfxxgknb/", 16) == [
        ("POST", "http://h/fjdzapp/search", {"channelid": "200210", "classsql": "chnlid=1813", "page": "1",
                                            "sortfield": "-docorderpri,-docreltime", "prepage": "100"})]
    depts = shu.resources["/xxgk/gknb/xzbm/index.shtml"].body.decode()
    assert lists.script_filled(cms.page_tree(depts), depts, 0) == "a text/html list template with no items"
    assert lists.trs_search(depts, "http://h/", 0) == []  # no known interface: the browser reads it
    static = shu.resources["/xxgk/gknb/index.shtml"].body.decode()
    assert lists.script_filled(cms.page_tree(static), static, 3) == ""
    was5 = """{"count":"2","pagenum":"1","py":'###pypy###',"docs":[
      {"title":"某局2022年政府信息公开工作年度报告","chnldocurl":"http://h/a/t1.htm","time":"2023-01-05"},
      {"title":"某局2021年政府信息公开工作年度报告","url":"http://h/a/t2.htm"}]}"""
    found, total = lists.listing(was5, "http://h/")
    assert [x.url for x in found] == ["http://h/a/t1.htm", "http://h/a/t2.htm"] and total == 2


# -- crawls ---------------------------------------------------------------------------
def _crawl_url(url: str, db: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([*NIANBAO, "crawl", url, "--db", str(db), "--delay", "0", "--set", "LOG_LEVEL=WARNING",
                           *extra], capture_output=True, text=True, timeout=600)


def _paths(db: Path) -> set[str]:
    rows = sqlite_utils.Database(db).query("select url from reports")
    return {urlparse(r["url"]).path + (f"?{urlparse(r['url']).query}" if urlparse(r["url"]).query else "")
            for r in rows}


def test_a_crawl_started_at_a_report_page_keeps_it(tmp_path):
    """An operator pastes a report's own address (its breadcrumb names 年报): the report is
    kept, and so is the original its script names."""
    shu, ping = _site("shuyang"), _site("pingtan")
    audit = next(e for e in shu.expected if "审计局" in e.title)
    inline = next(e for e in ping.expected if e.year == 2023)
    with ReplicaServer([shu, ping]) as srv:
        first = _crawl_url(srv.url("shuyang", audit.detail_path), tmp_path / "a.db")
        second = _crawl_url(srv.url("pingtan", inline.path), tmp_path / "b.db")
    assert first.returncode == 0, first.stdout + first.stderr[-2000:]
    assert _paths(tmp_path / "a.db") == {audit.path}
    assert second.returncode == 0, second.stdout + second.stderr[-2000:]
    assert _paths(tmp_path / "b.db") == {inline.path}


def test_the_trs_list_read_by_browser_when_its_interface_is_not_used(tmp_path):
    """The 平潭 column with the list interface off: Chromium renders it and clicks through
    its script-drawn pager; the page itself is not fetched twice."""
    site = _site("pingtan")
    with ReplicaServer([site]) as srv:
        proc = crawl(srv, tmp_path, None, "--set", "NIANBAO_LIST_INTERFACE=0")
        hits = srv.hits("pingtan")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    assert _paths(tmp_path / "nianbao.db") == {e.path for e in site.expected}
    fetched = [h.path for h in hits]
    assert fetched.count(site.list_path) == 1 and "/images/model.min.js" in fetched
    assert any(h.method == "POST" and h.path == "/fjdzapp/search" for h in hits)


def test_a_scripted_list_nobody_can_read_is_named(tmp_path):
    site = _site("pingtan")
    with ReplicaServer([site]) as srv:
        proc = crawl(srv, tmp_path, None, "--set", "NIANBAO_LIST_INTERFACE=0", "--set", "NIANBAO_RENDER=0")
    assert "list filled by script (16 documents stated, 10 in the page), not read: rendering is off" in proc.stdout
    assert len(_paths(tmp_path / "nianbao.db")) == 10  # the static ten, nothing lost of them


def test_the_page_budget_bounds_a_scripted_list(tmp_path):
    """The list interface's calls and the browser's requests count against the site's budget."""
    site = _site("pingtan")
    with ReplicaServer([site]) as srv:
        proc = crawl(srv, tmp_path, None, "--set", "NIANBAO_PAGE_BUDGET=6", "--set", "NIANBAO_LIST_INTERFACE=0")
        hits = srv.hits("pingtan")
    assert proc.returncode == 1 and "budget" in proc.stdout
    assert len([h for h in hits if h.path != "/robots.txt"]) <= 6
