"""The crawler's decisions from a link or a page alone (no HTTP)."""

import pytest

from crawler import cms
from crawler.links import column_rank, is_attachment, is_next_page, is_report_link
from crawler.middlewares import is_challenge, is_private_host


@pytest.mark.parametrize(
    "text,ok",
    [
        ("青岛市城阳区人民政府2020年政府信息公开工作年度报告", True),
        ("崂山区2021年度政府信息公开工作报告", True),
        ("2019年政府信息公开年报", True),
        ("城阳区人民政府政府信息公开指南", False),
        ("2021年城阳区政务公开工作要点", False),
        ("城阳区2020年部门决算", False),
        ("2020年城阳区国民经济和社会发展统计公报", False),
        ("政府信息公开年报", False),  # a column, not a report
    ],
)
def test_report_links(text, ok):
    assert is_report_link(text) is ok


def test_columns_ranked():
    assert column_rank("政府信息公开年报") == 2
    assert column_rank("政府信息公开") == 1
    assert column_rank("政府信息公开指南") == 0
    assert column_rank("财政预决算") == 0
    assert column_rank("新闻中心") == 0


def test_attachments_and_next():
    assert is_attachment("http://x.gov.cn/zwgk/202101/P020210125.pdf")
    assert is_attachment("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=abc.docx")
    assert not is_attachment("http://x.gov.cn/art/2021/1/20/art_1_2.html")
    assert is_next_page("下一页") and not is_next_page("上一页")


def test_trs_hidden_pages():
    page = 'x <script>createPageHTML(3, 0, "index", "shtml");</script>'
    assert cms.trs_pages(page, "http://x/zwgk/ndbg/index.shtml") == [
        "http://x/zwgk/ndbg/index_1.shtml",
        "http://x/zwgk/ndbg/index_2.shtml",
    ]


def test_hanweb_records_and_proxy():
    page = """<script type="text/xml"><datastore>
    <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&columnid=12&unitid=34"></a>]]></nextgroup>
    <recordset><record><![CDATA[<li><a href="/art/2021/1/20/art_12_1.html" title="崂山区2020年政府信息公开工作年度报告">崂山区2020年…</a></li>]]></record>
    </recordset></datastore></script><script>var totalRecord = 5; var perpage = 1;</script>"""
    records = cms.hanweb_records(page, "http://x/col/col12/index.html")
    assert records == [cms.Link("http://x/art/2021/1/20/art_12_1.html", "崂山区2020年政府信息公开工作年度报告")]
    pages = cms.hanweb_proxy_pages(page, "http://x/col/col12/index.html")
    assert pages and all("startrecord=" in p and "columnid=12" in p for p in pages)
    assert "startrecord=2" in pages[0]


def test_challenge_pages():
    assert is_challenge(521, b"<html><script>document.cookie='__jsl_clearance=1';location.reload()</script>")
    assert is_challenge(200, b"<html><script>document.cookie='acw_sc__v2=1';location.reload()</script></html>")
    assert not is_challenge(200, b"<html><body>" + "年度报告".encode() * 5000 + b"</body></html>")


def test_private_hosts():
    assert is_private_host("127.0.0.1") and is_private_host("10.1.2.3") and is_private_host("192.168.0.1")
    assert not is_private_host("8.8.8.8")


def test_private_redirect_refused_for_a_public_crawl():
    from types import SimpleNamespace

    from scrapy import Request
    from scrapy.exceptions import IgnoreRequest
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from crawler.middlewares import PrivateAddressMiddleware

    spider = SimpleNamespace(start_urls=["http://8.8.8.8/zwgk/"])
    crawler = SimpleNamespace(spider=spider, stats=MemoryStatsCollector(SimpleNamespace(settings=Settings())))
    mw = PrivateAddressMiddleware(crawler)
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("http://127.0.0.1/admin"))
    assert mw.process_request(Request("http://8.8.4.4/zwgk/")) is None
    spider.start_urls = ["http://127.0.0.2:8080/"]  # a loopback crawl (tests, the demo) may
    assert mw.process_request(Request("http://127.0.0.3/")) is None
