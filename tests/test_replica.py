"""The replica sites answer over real HTTP as the crawler's tests rely on."""

from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.utils import formatdate
from urllib.parse import urlencode

import lxml.html
import pytest

from replica import ExpectedReport, ReplicaServer, Resource, Site, build_sites
from replica.cells import fixture_bytes
from replica.generic import MISSING, MOVED_FROM, MOVED_TO, PRIVATE
from replica.hanweb import RECORDS

CONTENT_TYPES = {
    "html": "text/html",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, data: bytes | None = None, headers: dict | None = None, redirects=True):
    """(status, headers, body) for any status, following redirects only if asked."""
    handlers = [] if redirects else [NoRedirect()]
    opener = urllib.request.build_opener(*handlers)
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(req, timeout=5) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


@pytest.fixture(scope="module")
def srv() -> Iterator[ReplicaServer]:
    with ReplicaServer(build_sites()) as server:
        yield server


def test_each_site_on_its_own_loopback_address(srv: ReplicaServer) -> None:
    hosts = [srv.base_url(name).split(":")[1] for name in srv.sites]
    assert len(set(hosts)) == len(hosts) == 11  # 城阳 … 芝罘, 福山, 牟平, the titles column, 平潭, 沭阳
    assert {"//127.0.0.2", "//127.0.0.3", "//127.0.0.4"} <= set(hosts)


@pytest.mark.parametrize("name", ["chengyang", "laoshan", "yicheng"])
def test_list_pages_and_reports_answer_with_their_bytes(srv: ReplicaServer, name: str) -> None:
    site = srv.site(name)
    for path in site.list_pages:
        status, headers, body = fetch(srv.url(name, path))
        assert status == 200 and headers["Content-Type"].startswith("text/html"), path
        assert "版权所有" in body.decode(site.charset) and "网站标识码" in body.decode(site.charset)
    assert site.expected
    for report in site.expected:
        status, headers, body = fetch(srv.url(name, report.path))
        assert status == 200, report.path
        assert body == site.resources[report.path].body
        if "downfile.jsp" not in report.path:  # Hanweb's download servlet says octet-stream
            assert headers["Content-Type"].startswith(CONTENT_TYPES[report.fmt]), report.path
        assert report.page_path in site.list_pages
        if report.detail_path:
            status, _, page = fetch(srv.url(name, report.detail_path))
            assert status == 200
            assert report.path.rsplit("/", 1)[1].encode() in page.replace(b"&amp;", b"&")


def test_expected_reports_cover_the_brief() -> None:
    sites = {s.name: s for s in build_sites()}
    cy = sites["chengyang"]
    assert len(cy.expected) >= 6 and {r.year for r in cy.expected} == {2019, 2020, 2021}
    assert {r.page_path for r in cy.expected} == set(cy.list_pages)
    assert {r.fmt for r in cy.expected} == {"html", "pdf", "doc", "docx"}
    ls = sites["laoshan"]
    assert len(ls.expected) >= 5
    assert any(r.year == 2017 and r.template == "legacy" for r in ls.expected)
    yc = sites["yicheng"]
    assert {r.year for r in yc.expected} == {2018, 2019, 2020, 2021}
    for site in sites.values():
        for r in site.expected:
            assert r.path in site.resources
            assert r.cells or r.template == "legacy"
    html = fixture_bytes("html/trs_2019.html")
    assert any(cy.resources[r.path].body == html for r in cy.expected)
    html = fixture_bytes("html/hanweb_2021.html")
    assert any(ls.resources[r.path].body == html for r in ls.expected)


def test_inline_html_reports_parse_to_their_expected_cells() -> None:
    from parsers import parse_bytes

    for site in build_sites():
        for r in site.expected:
            if r.fmt != "html":
                continue
            res = site.resources[r.path]
            # a page whose tables are a picture is parsed with it, as the build does
            shown = re.findall(r'<img src="([^"]+)"', res.body.decode(site.charset, "replace"))
            figures = [site.resources[p].body for p in shown if p in site.resources]
            report = parse_bytes(res.body, r.path, res.content_type, figures)
            assert report.year == r.year, r.path
            assert (report.template or "legacy") == r.template, r.path
            assert {k: v.value for k, v in report.cells.items()} == r.cells, r.path


def test_trs_pages_reachable_only_through_create_page_html(srv: ReplicaServer) -> None:
    _, _, body = fetch(srv.url("chengyang", "/zwgk/ndbg/index.shtml"))
    text = body.decode("utf-8")
    assert 'createPageHTML(3, 0, "index", "shtml");' in text
    links = [href for _, _, href, _ in lxml.html.fromstring(text).iterlinks()]
    assert not any("index_" in href for href in links)
    assert re.search(r'<li><a href="\./\d{6}/t\d{8}_\d+\.shtml" title="[^"]+"', text)
    for i in (1, 2):
        status, _, page = fetch(srv.url("chengyang", f"/zwgk/ndbg/index_{i}.shtml"))
        assert status == 200 and f'createPageHTML(3, {i}, "index", "shtml");' in page.decode()
    assert fetch(srv.url("chengyang", "/zwgk/ndbg/index_3.shtml"))[0] == 404


def test_trs_root_leads_to_the_report_column(srv: ReplicaServer) -> None:
    assert b'href="/zwgk/"' in fetch(srv.url("chengyang", "/"))[2]
    page = fetch(srv.url("chengyang", "/zwgk/"))[2].decode()
    assert re.search(r'href="/zwgk/ndbg/index\.shtml"[^>]*>政府信息公开年报<', page)


def test_trs_distractors_are_plain_articles(srv: ReplicaServer) -> None:
    site = srv.site("chengyang")
    titles = ["政府信息公开指南", "政务公开工作要点", "部门决算", "统计公报"]
    pages = "".join(fetch(srv.url("chengyang", p))[2].decode() for p in site.list_pages)
    for title in titles:
        assert title in pages
    assert len(site.distractors) == 4
    for path in site.distractors:
        status, _, body = fetch(srv.url("chengyang", path))
        text = body.decode()
        title = re.search(r'name="ArticleTitle" content="([^"]+)"', text)[1]
        assert status == 200 and "TRS_Editor" in text and "年度报告" not in title


def test_gbk_page_mislabelled_as_utf8(srv: ReplicaServer) -> None:
    path = "/zwgk/ndbg/202001/t20200120_2871.shtml"
    status, headers, body = fetch(srv.url("chengyang", path))
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("gbk")
    assert 'charset=utf-8"' in text and "2019年政府信息公开工作年度报告" in text


def test_hanweb_column_keeps_its_list_in_a_script(srv: ReplicaServer) -> None:
    _, _, body = fetch(srv.url("laoshan", "/col/col1234/index.html"))
    text = body.decode("utf-8")
    assert '<script type="text/xml"><datastore>' in text
    assert '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1' in text
    inline = re.findall(r"<record><!\[CDATA\[\s*(.*?)\s*\]\]></record>", text, re.S)
    assert len(inline) == 4 and "<totalrecord>7</totalrecord>" in text and "totalRecord:7" in text
    links = [href for _, _, href, _ in lxml.html.fromstring(text).iterlinks()]
    assert not any("/art/" in href for href in links)


def _records(xml: bytes) -> tuple[list[str], int]:
    root = ET.fromstring(xml)
    hrefs = [re.search(r'href="([^"]+)"', r.text or "")[1] for r in root.iter("record")]
    return hrefs, int(root.findtext("totalrecord") or -1)


def test_hanweb_dataproxy_serves_the_remaining_records(srv: ReplicaServer) -> None:
    params = {"columnid": "1234", "unitid": "5678", "webid": "1", "path": "/", "col": "1"}
    query = "startrecord=5&endrecord=8&perpage=2"
    url = srv.url("laoshan", f"/module/web/jpage/dataproxy.jsp?{query}")
    status, headers, body = fetch(f"{url}&{urlencode(params)}")
    assert status == 200 and headers["Content-Type"].startswith("text/xml")
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    hrefs, total = _records(body)
    assert total == 7 and hrefs == [r.path for r in RECORDS[4:]]
    status, _, posted = fetch(url, data=urlencode(params).encode())  # jpage POSTs the form
    assert status == 200 and _records(posted)[0] == hrefs
    _, _, none = fetch(url, data=urlencode({**params, "columnid": "9"}).encode())
    assert _records(none) == ([], 0)


def test_hanweb_attachments(srv: ReplicaServer) -> None:
    path = "/module/download/downfile.jsp?classid=0&filename=2101221530123456.pdf"
    status, headers, body = fetch(srv.url("laoshan", path))
    assert status == 200 and body.startswith(b"%PDF")
    assert "attachment" in headers["Content-Disposition"]
    status, headers, body = fetch(srv.url("laoshan", "/attach/0/7f3c2a9e5b1d4c08a1e2.docx"))
    assert status == 200 and body.startswith(b"PK\x03\x04")


def test_robots_txt(srv: ReplicaServer) -> None:
    for name in ("chengyang", "laoshan"):
        status, _, body = fetch(srv.url(name, "/robots.txt"))
        assert status == 200 and body.startswith(b"User-agent: *")
        assert b"Disallow: /" not in body
    status, headers, body = fetch(srv.url("yicheng", "/robots.txt"))
    assert body == b"User-agent: *\nDisallow: /private/\n"
    rules = urllib.robotparser.RobotFileParser()
    rules.parse(body.decode().splitlines())
    assert not rules.can_fetch("*", srv.url("yicheng", PRIVATE))
    assert rules.can_fetch("*", srv.url("yicheng", "/zwgk/xxgknb/index.html"))
    listing = fetch(srv.url("yicheng", "/zwgk/xxgknb/index.html"))[2].decode("gbk")
    assert f'href="{PRIVATE}"' in listing and PRIVATE in srv.site("yicheng").disallowed


def test_generic_site_redirect_404_and_gbk(srv: ReplicaServer) -> None:
    status, headers, _ = fetch(srv.url("yicheng", MOVED_FROM), redirects=False)
    assert status == 301 and headers["Location"] == MOVED_TO
    status, _, body = fetch(srv.url("yicheng", MOVED_FROM))
    assert status == 200 and "2019年政府信息公开工作年度报告" in body.decode("gbk")
    status, headers, body = fetch(srv.url("yicheng", MISSING))
    assert status == 404 and "页面不存在" in body.decode("gbk")
    status, headers, body = fetch(srv.url("yicheng", "/zwgk/xxgknb/index.html"))
    text = body.decode("gbk")
    assert headers["Content-Type"] == "text/html; charset=gbk" and "charset=gbk" in text
    for href in ("missing.html", "old_2019.html", ".pdf", "统计公报"):
        assert href in text
    home = fetch(srv.url("yicheng", "/"))[2].decode("gbk")
    assert len(set(re.findall(r'href="(/xwzx/[^"]+\.html)"', home))) >= 10
    assert 'href="/zwgk/index.html"' in home
    legacy = "/zwgk/xxgknb/201901/t20190125_1789.html"
    assert fetch(srv.url("yicheng", legacy))[1]["Content-Type"] == "text/html"


# -- server behaviour, on a small site of its own --------------------------------------------


@pytest.fixture
def lab() -> Iterator[tuple[ReplicaServer, Site]]:
    page = Resource(b"<html><body>ok</body></html>", "text/html; charset=utf-8")
    site = Site("lab", "generic", "测试", 9, {"/": page}, [])
    with ReplicaServer([site]) as server:
        yield server, site


def test_error500_then_success(lab: tuple[ReplicaServer, Site]) -> None:
    srv, site = lab
    site.put("/flaky", Resource(b"fine", "text/plain", fault="error500", fail_times=2))
    statuses = [fetch(srv.url("lab", "/flaky"))[0] for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert [h.status for h in srv.hits("lab")] == [500, 500, 200]


def test_reset_closes_without_a_response(lab: tuple[ReplicaServer, Site]) -> None:
    srv, site = lab
    site.put("/reset", Resource(b"never", "text/plain", fault="reset"))
    host, port = srv.base_url("lab").removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", "/reset")
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        conn.getresponse()
    conn.close()
    assert srv.hits("lab")[-1].status == 0


def test_timeout_stalls_past_the_client_timeout(lab: tuple[ReplicaServer, Site]) -> None:
    srv, site = lab
    site.put("/slow", Resource(b"late", "text/plain", fault="timeout", delay=2.0, fail_times=1))
    start = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        urllib.request.urlopen(srv.url("lab", "/slow"), timeout=0.3)
    assert time.monotonic() - start < 1.5
    assert fetch(srv.url("lab", "/slow"))[2] == b"late"  # the fault was used up


def test_redirect_loop(lab: tuple[ReplicaServer, Site]) -> None:
    srv, site = lab
    site.put("/loop", Resource(b"x", "text/html", fault="redirect_loop"))
    status, headers, _ = fetch(srv.url("lab", "/loop"), redirects=False)
    assert status == 302 and headers["Location"] == "/loop?loop=1"
    status, headers, _ = fetch(srv.url("lab", "/loop?loop=1"), redirects=False)
    assert status == 302 and headers["Location"] == "/loop"
    with pytest.raises(urllib.error.HTTPError, match="redirect"):
        urllib.request.urlopen(srv.url("lab", "/loop"), timeout=5)


def test_conditional_requests_and_changes_between_crawls(lab: tuple[ReplicaServer, Site]) -> None:
    srv, site = lab
    site.put("/r.html", Resource(b"v1", "text/html"))
    status, headers, _ = fetch(srv.url("lab", "/r.html"))
    tag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and tag.startswith('"') and modified
    assert fetch(srv.url("lab", "/r.html"), headers={"If-None-Match": tag})[0] == 304
    assert fetch(srv.url("lab", "/r.html"), headers={"If-Modified-Since": modified})[0] == 304
    old = formatdate(0, usegmt=True)
    assert fetch(srv.url("lab", "/r.html"), headers={"If-Modified-Since": old})[0] == 200
    site.put("/r.html", Resource(b"v2", "text/html"))  # the report is revised
    status, headers, body = fetch(srv.url("lab", "/r.html"), headers={"If-None-Match": tag})
    assert status == 200 and body == b"v2" and headers["ETag"] != tag
    status, _, _ = fetch(srv.url("lab", "/r.html"), headers={"If-Modified-Since": modified})
    assert status == 200
    site.remove("/r.html")  # and withdrawn
    assert fetch(srv.url("lab", "/r.html"))[0] == 404


def test_head_latency_and_log(lab: tuple[ReplicaServer, Site]) -> None:
    srv, site = lab
    req = urllib.request.Request(srv.url("lab", "/?a=1"), method="HEAD")
    with urllib.request.urlopen(req, timeout=5) as r:
        assert r.status == 200 and r.headers["Content-Length"] == "28" and r.read() == b""
    site.latency = 0.2
    start = time.monotonic()
    fetch(srv.url("lab", "/nothing"))
    assert time.monotonic() - start >= 0.2
    hits = srv.hits("lab")
    assert [(h.method, h.path, h.status) for h in hits] == [
        ("HEAD", "/?a=1", 200),
        ("GET", "/nothing", 404),
    ]
    assert all(h.site == "lab" and h.time > 0 for h in hits) and srv.hits("other") == []
    srv.clear_log()
    assert srv.hits() == []


def test_expected_report_is_a_plain_value() -> None:
    r = ExpectedReport("/a.pdf", "某区人民政府", 2020, "2019", "pdf", "/list.html")
    assert r.detail_path == "" and r.cells == {}
