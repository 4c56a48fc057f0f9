"""The crawler's decisions from a link or a page alone (no HTTP)."""

import pytest

from crawler import cms
from crawler.links import column_rank, is_attachment, is_next_page, is_report_link
from crawler.middlewares import is_challenge
from crawler.url_policy import is_private_host


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

    from crawler.middlewares import UrlPolicyMiddleware

    spider = SimpleNamespace(start_urls=["http://8.8.8.8/zwgk/"], refused={})
    crawler = SimpleNamespace(spider=spider, stats=MemoryStatsCollector(SimpleNamespace(settings=Settings())))
    mw = UrlPolicyMiddleware(crawler)
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("http://127.0.0.1/admin"))
    assert mw.process_request(Request("http://8.8.8.8/zwgk/2021.html")) is None
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("http://8.8.4.4/zwgk/"))  # another host
    assert spider.refused == {"private address": {"http://127.0.0.1/admin"}, "other host": {"http://8.8.4.4/zwgk/"}}
    local = SimpleNamespace(start_urls=["http://127.0.0.2:8080/"], refused={})  # a loopback crawl (tests, the demo)
    mw = UrlPolicyMiddleware(SimpleNamespace(spider=local, stats=crawler.stats))
    assert mw.process_request(Request("http://127.0.0.2:8080/ndbg/")) is None
    for url in ("http://127.0.0.2:6379/", "http://127.0.0.3:8080/", "file://127.0.0.2/etc/passwd"):
        with pytest.raises(IgnoreRequest):
            mw.process_request(Request(url))  # only the start URL's own host and port


@pytest.mark.parametrize("url,reason", [
    ("https://www.qingdao.gov.cn/zwgk/2021.html", None),
    ("http://zwgk.qingdao.gov.cn:8080/ndbg/", None),  # a subdomain, another port: still the site
    ("file:///etc/passwd", "scheme file"), ("FILE://www.qingdao.gov.cn/etc/passwd", "scheme file"),
    ("ftp://www.qingdao.gov.cn/pub/2021.pdf", "scheme ftp"), ("data:text/html,x", "scheme data"),
    ("s3://bucket/key", "scheme s3"), ("gopher://www.qingdao.gov.cn/", "scheme gopher"),
    ("http://10.1.2.3/", "private address"), ("http://169.254.169.254/latest/", "private address"),
    ("http://[::1]/", "private address"), ("http://[::ffff:192.168.0.1]/", "private address"),
    ("http://2130706433/", "private address"), ("http://0x7f.1/", "private address"),
    ("http://0.0.0.0:8001/", "private address"), ("http://www.gov.cn/", "other host"),
    ("http://qingdao.gov.cn.evil.example/", "other host"), ("http:///nohost", "no host"),
])
def test_url_policy(url, reason):
    from crawler.url_policy import policy_for, refusal

    policy = policy_for(["https://www.qingdao.gov.cn/zwgk/"], ["qingdao.gov.cn"])
    assert refusal(url, policy, resolver=lambda host: False) == reason


def test_a_site_name_resolving_to_a_private_address_is_refused():
    from crawler.url_policy import policy_for, refusal

    policy = policy_for(["https://www.qingdao.gov.cn/zwgk/"], ["qingdao.gov.cn"])
    assert refusal("http://intranet.qingdao.gov.cn/", policy, resolver=lambda host: host.startswith("intranet"))
    local = policy_for(["http://localhost:8001/"])
    assert refusal("http://localhost:8001/ndbg/", local, resolver=lambda host: True) is None
    assert refusal("http://localhost/", local, resolver=lambda host: True) == "private address"  # port 80


def test_the_connection_checks_the_address_again():
    from twisted.internet.error import DNSLookupError

    from crawler.resolver import check, grant

    assert check("www.qingdao.gov.cn", "8.8.8.8") == "8.8.8.8"
    with pytest.raises(DNSLookupError):
        check("rebinding.example", "127.0.0.1")  # resolved public when the policy looked
    grant({"replica.test"})
    assert check("replica.test", "127.0.0.9") == "127.0.0.9"


# -- inside the column: candidates, sub-columns, pagination -------------------
@pytest.mark.parametrize(
    "text",
    [
        "烟台市福山区人民政府2022年度报告",  # no 信息公开 in the title
        "2014奋发镇政府信息公开年度报告",  # the year without 年
        "2009上海市长宁区政府信息公开年度报告",
        "莱州市政府信息公开年报2018",
        "烟台市芝罘區2021年政府信息公開工作年度報告",  # traditional characters
        "东昌府区2019年政府信息公开工作年度报告.doc",  # a file name
        "烟台市住房和城乡建设局2021年政府信息公开工...",  # cut off
        "关于招远市2020年政府信息公开工作情况的报告",
        "莱阳市2022年度报告",
    ],
)
def test_candidates_in_the_column(text):
    from crawler.links import is_candidate

    assert is_candidate(text)


@pytest.mark.parametrize(
    "text",
    [
        "关于做好2022年政府信息公开年度报告编制发布工作的通知",
        "关于报送2021年度政府信息公开工作年度报告的通知",
        "中华人民共和国政府信息公开工作年度报告格式",
        "烟台市2021年政府信息公开工作年度报告展示平台",
        "烟台市2021年法治政府建设年度报告",
        "2022年烟台市政务公开工作要点",
        "烟台市2020年市级部门决算",
        "2020年烟台市国民经济和社会发展统计公报",
        "烟台市人民政府信息公开指南",
        "2022年烟台市政府工作报告",
        "图解：烟台市2021年政府信息公开工作年度报告",
        "烟台市人民政府网站2021年工作年度报表",
        "烟台市召开2022年度政府信息公开工作年度报告编制工作培训会",
        "关于2021年度政府信息公开工作年度报告的更正说明",
        "2",  # a pager's number
        "下一页",
    ],
)
def test_not_candidates(text):
    from crawler.links import is_candidate

    assert not is_candidate(text)


@pytest.mark.parametrize(
    "text,ok",
    [("2022", True), ("2021年", True), ("2019year", True), ("nb_2022n", True), ("2022年度报告", True),
     ("乡镇", True), ("镇街", True), ("街道", True), ("部门", True), ("区直部门", True), ("开发区", True),
     ("乡镇（街道）", True), ("部门年报", True),
     ("部门动态", False), ("街道新闻", False), ("烟台市福山区人民政府2022年度报告", False)],
)
def test_subcolumns(text, ok):
    from crawler.links import is_subcolumn

    assert is_subcolumn(text) is ok


def test_link_labels_lose_dates_suffixes_and_cuts():
    from crawler.links import label, year_of

    assert label("峄城区2021年度报告 2022-01-20") == "峄城区2021年度报告"
    assert label("东昌府区2019年度报告.doc") == "东昌府区2019年度报告"
    assert label("烟台市住房和城乡建设局2021年政府信息公开工...") == "烟台市住房和城乡建设局2021年政府信息公开工"
    assert year_of("政务公开动态 [2022-01-20]") is None  # a date is not the year a title names
    assert year_of("2014奋发镇政府信息公开年度报告") == 2014


def test_script_loop_pages():
    script = """<script>var countPage = 3; var currentPage = 0;
    for (var i = 0; i < countPage; i++) { if (i == 0) document.write("<a href='index.html'>1</a>");
    else document.write("<a href='index_" + i + ".html'>" + (i + 1) + "</a>"); }</script>"""
    assert cms.script_pages(script, "http://x/ndbg/index.html") == [
        "http://x/ndbg/index_1.html", "http://x/ndbg/index_2.html"]


def test_numbered_pages_completed_from_the_page_count():
    shown = ["http://x/l.jsp?cur_page=2", "http://x/l.jsp?cur_page=3"]
    assert cms.numbered_pages(shown, "共 5 页", "http://x/l.jsp") == [
        "http://x/l.jsp?cur_page=4", "http://x/l.jsp?cur_page=5"]
    trs_style = ["http://x/a/index_1.html", "http://x/a/index_9.html"]  # index_9 is page 10
    assert cms.numbered_pages(trs_style, "共10页", "http://x/a/")[-1] == "http://x/a/index_8.html"


def test_pages_decide_column_and_article():
    from crawler import pages

    column = cms.page_tree('<html><head><title>首页_某区</title></head><body><div class="breadcrumb">'
                           '当前位置：首页 &gt; 政府信息公开年度报告</div><ul><li><a href="a.html">x</a></li>'
                           "</ul></body></html>")
    assert pages.says_column(column) and not pages.is_article(column)
    article = cms.page_tree("<html><body><h1>某区2022年政府信息公开工作年度报告</h1><p>" + "本机关认真贯彻落实条例，"
                            * 10 + "。</p></body></html>")
    assert pages.is_article(article)
    assert pages.title(article) == "某区2022年政府信息公开工作年度报告"


def test_the_columns_own_name_is_neither_candidate_nor_subcolumn():
    from crawler.links import is_candidate, is_subcolumn

    for text in ("政府信息公开年报", "政府信息公开年度报告", "政府信息公开工作年度报告"):
        assert not is_candidate(text) and not is_subcolumn(text)
    assert is_subcolumn("区政府") and is_subcolumn("市直部门")


def test_content_pictures_not_chrome():
    from crawler import pages

    tree = cms.page_tree(
        '<html><body><div class="header"><img src="/images/logo.png"></div>'
        '<div class="article"><h1>某区2021年政府信息公开工作年度报告</h1><p><img src="/upload/a1.png"></p>'
        '<p><img src="/upload/a2.jpg?x=1"><img src="/upload/ewm.png"></p></div>'
        '<div id="footer"><img src="/images/dzjg.png"></div></body></html>')
    assert pages.pictures(tree, "http://x/art/1.html") == ["http://x/upload/a1.png", "http://x/upload/a2.jpg?x=1"]
    assert not pages.has_tables(tree)
    assert pages.has_tables(cms.page_tree("<html><body><table><tr><td>本年新收政府信息公开申请数量</td></tr>"
                                          "</table></body></html>"))
