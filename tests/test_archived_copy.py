"""The report page's "archived copy": the page as it was captured, replayed from its WARC
record (status, headers, bytes; links to archived documents pointed at their copies), in
Datasette's client and in real Chromium; on a real crawl of replica sites."""

from __future__ import annotations

import asyncio
import hashlib
import html
import re
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from archive.web.serve import datasette_instance
from tests.live_datasette import running


@pytest.fixture(scope="module")
def ds(replica_crawl):
    return datasette_instance(replica_crawl / "nianbao.db", archive_dir=replica_crawl / "nianbao.archive")


def get(ds, path: str):
    return asyncio.run(ds.client.get(path))


def rows(crawl: Path, sql: str, params=()) -> list[sqlite3.Row]:
    conn = sqlite3.connect(crawl / "nianbao.db")
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _unbannered(body: bytes) -> bytes:
    return re.sub(rb'<div style="all:initial[^>]*>.*?</div>', b"", body, count=1, flags=re.S)


def _hrefs(body: bytes) -> list[str]:
    return [m.decode("ascii", "replace") for m in re.findall(rb'href="([^"]*)"', body)]


def test_an_html_report_replays_as_captured(ds, replica_crawl):
    report = rows(replica_crawl, "select r.id, r.url, r.title, d.content_type from reports r join documents d "
                  "on d.id = r.document_id where r.format = 'html' and r.site = 'chengyang' order by r.url limit 1")[0]
    page = get(ds, f"/-/report/{report['id']}").text
    assert f'href="/-/archived/{report["id"]}"' in page and f'href="/-/original/{report["id"]}"' in page
    got = get(ds, f"/-/archived/{report['id']}")
    assert got.status_code == 200
    assert got.headers["content-type"] == report["content_type"]
    assert got.headers["link"] == f'<{report["url"]}>; rel="original"'
    assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", got.headers["memento-datetime"])
    assert got.headers["x-archive-orig-server"]  # the site's own headers, kept and marked
    assert got.headers["content-security-policy"].startswith("sandbox")
    body = got.content
    assert "存档副本 Archived copy".encode("ascii", "xmlcharrefreplace") in body
    assert f'href="/-/report/{report["id"]}"'.encode() in body  # the banner leads back
    # no link is left relative to this site: each is an archived copy, the page saying a
    # target is not archived (links the reader follows), or the live address (resources,
    # which the policy keeps from loading)
    links = [h for h in _hrefs(_unbannered(body)) if not h.startswith("javascript:")]
    assert links and all(h.startswith(("/-/archived/", "/-/not-archived?url=", "http://", "https://", "#"))
                         for h in links)
    assert any(h.startswith("/-/not-archived?url=") for h in links)


def test_a_link_to_a_page_not_captured_says_so(ds, replica_crawl):
    """The site's navigation links pages the crawl never fetched: following one from the
    archived copy does not land on today's live site unannounced."""
    report = rows(replica_crawl, "select id, url from reports where format = 'html' and site = 'chengyang' "
                  "order by url limit 1")[0]
    body = _unbannered(get(ds, f"/-/archived/{report['id']}").content)
    missing = next(h for h in _hrefs(body) if h.startswith("/-/not-archived?url="))
    target = unquote(missing.split("url=", 1)[1].replace("&amp;", "&"))
    assert target.startswith("http://") and not rows(replica_crawl, "select 1 from documents where url = ?", [target])
    got = get(ds, html.unescape(missing))
    assert got.status_code == 404 and "Not in the archive" in got.text
    assert f"href='{html.escape(target)}'" in got.text and "noreferrer" in got.text
    # an address the archive holds gets its capture; one that is no web address, no link
    held = get(ds, f"/-/not-archived?url={quote(report['url'], safe='')}")
    assert held.status_code == 200 and "/-/archived/" in held.text
    odd = get(ds, "/-/not-archived?url=" + quote("javascript:alert(1)", safe=""))
    assert odd.status_code == 404 and "href='javascript" not in odd.text and "<code>javascript:alert(1)</code>" in odd.text


def test_a_page_links_to_the_archived_copy_of_its_attachment(ds, replica_crawl):
    """The page that carries a PDF report: its link leads to the PDF's archived copy, the
    bytes the crawl received."""
    att = rows(replica_crawl, "select d.id, d.sha256, d.page_url, p.id as page_id from documents d "
               "join documents p on p.url = d.page_url where d.role = 'report' and d.content_type like '%pdf%' "
               "and p.role = 'page' order by d.url limit 1")[0]
    body = get(ds, f"/-/archived/{att['page_id']}").content
    assert f"/-/archived/{att['id']}" in _hrefs(body)
    pdf = get(ds, f"/-/archived/{att['id']}")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == att["sha256"]


def test_a_gbk_page_keeps_its_bytes_but_the_links(ds, replica_crawl):
    report = rows(replica_crawl, "select r.id, r.sha256, r.title from reports r where r.site = 'yicheng' "
                  "and r.format = 'html' order by r.url limit 1")[0]
    archive = replica_crawl / "nianbao.archive"
    captured = (archive / "blobs" / report["sha256"][:2] / report["sha256"]).read_bytes()
    got = get(ds, f"/-/archived/{report['id']}")
    assert re.search(rb"charset=(gbk|gb2312|gb18030)", captured[:2000], re.I)
    body = _unbannered(got.content)
    assert report["title"][:8] in body.decode("gbk")
    # outside the href/src values the bytes are the captured ones
    strip = re.compile(rb'(href|src|action)\s*=\s*("[^"]*"|\'[^\']*\'|[^\s>]+)', re.I)
    assert strip.sub(b"", body) == strip.sub(b"", captured)


def test_without_its_warc_the_archived_copy_says_so(replica_crawl, tmp_path):
    """A copy of the archive that has the blobs but not the WARCs: the report page offers the
    bytes, and the replay answers 404 naming the missing file."""
    partial = tmp_path / "blobs-only.archive"
    shutil.copytree(replica_crawl / "nianbao.archive" / "blobs", partial / "blobs")
    bare = datasette_instance(replica_crawl / "nianbao.db", archive_dir=partial)
    rid = rows(replica_crawl, "select id from reports order by url limit 1")[0]["id"]
    page = get(bare, f"/-/report/{rid}").text
    assert "/-/archived/" not in page and f'href="/-/original/{rid}"' in page
    got = get(bare, f"/-/archived/{rid}")
    assert got.status_code == 404 and "WARC record is not in this copy" in got.text and ".warc.gz" in got.text
    assert get(bare, "/-/archived/no-such-id").status_code == 404


def test_the_archived_copy_in_chromium(replica_crawl):
    from tests.test_browser import CHROMIUM, SCREENSHOTS, chromium_page

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    # a captured page that links its live site's stylesheet (not every laoshan page does,
    # and the rows come in crawl order, which varies from run to run)
    archive = replica_crawl / "nianbao.archive"
    candidates = rows(replica_crawl, "select id, url, sha256, title from reports where format = 'html' "
                      "and site = 'laoshan' order by url")
    report = next(r for r in candidates
                  if b"style.css" in (archive / "blobs" / r["sha256"][:2] / r["sha256"]).read_bytes())
    captured_title = report["title"]
    ds = datasette_instance(replica_crawl / "nianbao.db", archive_dir=archive)
    with running(ds) as server, chromium_page() as page:
        fetched, refused = [], []
        page.on("requestfinished", lambda r: fetched.append(r.url) if not r.url.startswith(server) else None)
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{server}/-/report/{report['id']}")
        with page.expect_navigation():
            page.click("a.archived")
        assert page.url == f"{server}/-/archived/{report['id']}"
        assert "Archived copy" in page.inner_text("body") and captured_title[:6] in page.inner_text("body")
        page.screenshot(path=str(SCREENSHOTS / "archived_copy.png"), full_page=True)
        # nothing is fetched from the live site: the policy allows this origin only
        assert fetched == [] and any("style.css" in m for m in refused), refused
        with page.expect_navigation():
            page.click("text=报告页 report page")
        assert page.url == f"{server}/-/report/{report['id']}"
