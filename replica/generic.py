"""Replica of a home-grown GBK district site (枣庄市峄城区人民政府).

What makes it hard: GBK pages, a home page full of news and off-site links a
focused crawler should skip, a report column mixing detail pages with a direct
PDF link, a moved report (301), a dead link (404), and a report-looking page
under a path robots.txt forbids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from replica.cells import FIXTURES, cells_for, fixture_bytes
from replica.layout import (
    CSS,
    NEWS_TITLES,
    Listed,
    article_body,
    cn_date,
    distractor_text,
    esc,
    html_resource,
    legacy_body,
    redirect,
    report_body,
    robots,
)
from replica.sites import ExpectedReport, Resource, Site

AGENCY = "枣庄市峄城区人民政府"
SHORT = "峄城区"
CHARSET = "gbk"
COLUMN = "/zwgk/xxgknb/"
LIST_PATH = COLUMN + "index.html"
NAV = (
    ("首页", "/"),
    ("新闻中心", "/xwzx/index.html"),
    ("政务公开", "/zwgk/index.html"),
    ("互动交流", "/hdjl/index.html"),
    ("办事服务", "/bsfw/index.html"),
    ("走进峄城", "/zjyc/index.html"),
)
COLUMNS = (
    ("政府信息公开指南", "/zwgk/xxgkzn/index.html"),
    ("政府信息公开制度", "/zwgk/xxgkzd/index.html"),
    ("法定主动公开内容", "/zwgk/fdzdgknr/index.html"),
    ("政府信息公开年报", LIST_PATH),
    ("财政预决算", "/zwgk/czyjs/index.html"),
)
OFFSITE = (("中国政府网", "http://www.gov.cn/"), ("山东省人民政府", "http://www.shandong.gov.cn/"))
PDF_PATH = "/uploadfile/2021/0128/20210128093015123.pdf"
MOVED_FROM = COLUMN + "old_2019.html"
MOVED_TO = COLUMN + "202001/t20200115_2931.html"
MISSING = COLUMN + "missing.html"
PRIVATE = "/private/xxgknb/2016nb.html"


@dataclass(frozen=True)
class Item:
    title: str
    date: str
    href: str  # as written in the list page (relative or absolute)
    path: str  # where the document finally is ("" when it does not exist)
    kind: str  # inline | pdf | legacy | distractor | missing | private
    agency: str = ""
    year: int = 0
    template: str = ""
    source: str = ""
    factor: int = 1


ITEMS = (
    Item(
        "峄城区2021年政府信息公开工作年度报告",
        "2022-01-20",
        "202201/t20220120_3812.html",
        COLUMN + "202201/t20220120_3812.html",
        "inline",
        AGENCY,
        2021,
        "2021",
        "hanweb",
        5,
    ),
    Item(
        "2020年峄城区国民经济和社会发展统计公报",
        "2021-03-15",
        "202103/t20210315_3001.html",
        COLUMN + "202103/t20210315_3001.html",
        "distractor",
    ),
    Item("峄城区2020年政府信息公开工作年度报告（PDF）", "2021-01-28", PDF_PATH, PDF_PATH, "pdf"),
    Item(
        "峄城区2019年政府信息公开工作年度报告",
        "2020-01-15",
        "old_2019.html",
        MOVED_TO,
        "inline",
        AGENCY,
        2019,
        "2019",
        "seed:001",
        2,
    ),
    Item(
        "峄城区2018年政府信息公开工作年度报告",
        "2019-01-25",
        "201901/t20190125_1789.html",
        COLUMN + "201901/t20190125_1789.html",
        "legacy",
        AGENCY,
        2018,
        "legacy",
    ),
    Item("峄城区2017年政府信息公开工作年度报告", "2018-01-30", "missing.html", "", "missing"),
    Item("峄城区2016年政府信息公开工作年度报告", "2017-03-20", PRIVATE, PRIVATE, "private"),
)


def page(
    title: str, main: str, crumbs: tuple[tuple[str, str], ...] = (), meta_charset: str = CHARSET
) -> str:
    """An old table-layout page, as many county-level sites still are."""
    nav = " | ".join(f'<a href="{href}">{esc(text)}</a>' for text, href in NAV)
    trail = "".join(f' &gt;&gt; <a href="{href}">{esc(text)}</a>' for text, href in crumbs)
    links = " ".join(f'<a href="{href}" target="_blank">{esc(t)}</a>' for t, href in OFFSITE)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset={meta_charset}">
<title>{esc(title)}</title><link href="/css/style.css" rel="stylesheet" type="text/css">
</head><body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="banner" height="120">{AGENCY}</td></tr>
<tr><td class="nav">{nav}</td></tr>
<tr><td class="position">您现在的位置：<a href="/">首页</a>{trail}</td></tr>
<tr><td class="content">
{main}
</td></tr>
<tr><td class="links">友情链接：{links}</td></tr>
<tr><td class="footer">主办单位：{AGENCY}办公室 &nbsp; 版权所有：{AGENCY}<br>
网站标识码：3704040003 &nbsp; 鲁ICP备10203040号 &nbsp; 建议使用1024×768分辨率浏览</td></tr>
</table></body></html>"""


def _gbk(text: str, declared: str | None = None) -> Resource:
    return html_resource(text, CHARSET, declared)


CRUMBS = (("政务公开", "/zwgk/index.html"), ("政府信息公开年报", LIST_PATH))


def _article(title: str, date: str, content: str, meta_charset: str = CHARSET) -> str:
    main = f"""<table width="100%" class="article"><tr><td align="center" class="title">\
<h2>{esc(title)}</h2></td></tr>
<tr><td align="center" class="info">发布日期：{date} &nbsp; 来源：区政府办公室</td></tr>
<tr><td class="text"><div id="content">
{content}
</div></td></tr></table>"""
    return page(f"{title}-{AGENCY}", main, CRUMBS, meta_charset)


def _list_page() -> str:
    rows = "\n".join(
        f'<tr><td class="dot">·</td><td><a href="{esc(it.href)}" target="_blank" '
        f'title="{esc(it.title)}">{esc(it.title)}</a></td><td class="date">[{it.date}]</td></tr>'
        for it in ITEMS
    )
    side = "<br>".join(f'<a href="{href}">{esc(text)}</a>' for text, href in COLUMNS)
    main = f"""<table width="100%"><tr><td width="220" valign="top" class="side">{side}</td>
<td valign="top"><div class="lmtitle">政府信息公开年报</div>
<table width="100%" class="list">
{rows}
</table><div class="page">共{len(ITEMS)}条 第1页/共1页</div></td></tr></table>"""
    return page(f"政府信息公开年报-{AGENCY}", main, CRUMBS)


def _detail(it: Item) -> tuple[dict[str, Resource], ExpectedReport | None]:
    if it.kind == "missing":
        return {}, None
    if it.kind == "distractor":
        paras, table = distractor_text(it.title, SHORT)
        return {it.path: _gbk(_article(it.title, it.date, article_body(paras, table)))}, None
    if it.kind == "pdf":
        exp = json.loads(
            (FIXTURES / "office" / "yicheng_2019.pdf.expected.json").read_text("utf-8")
        )
        res = Resource(fixture_bytes("office/yicheng_2019.pdf"), "application/pdf")
        report = ExpectedReport(
            it.path,
            exp["agency"],
            exp["year"],
            exp["template"],
            "pdf",
            LIST_PATH,
            it.title,
            it.date,
            cells=exp["cells"],
        )
        return {it.path: res}, report
    if it.kind == "private":
        body = legacy_body(AGENCY, 2016, SHORT)
        return {it.path: _gbk(_article(it.title, it.date, body))}, None
    if it.kind == "legacy":
        # an old page: meta says gb2312, the HTTP header names no charset
        text = _article(it.title, it.date, legacy_body(it.agency, it.year, SHORT), "gb2312")
        report = ExpectedReport(
            it.path, it.agency, it.year, "legacy", "html", LIST_PATH, it.title, it.date
        )
        return {it.path: _gbk(text, declared="")}, report
    cells = cells_for(it.source, it.factor)
    body = report_body(cells, it.template, it.agency, it.year, cn_date(it.date))
    report = ExpectedReport(
        it.path,
        it.agency,
        it.year,
        it.template,
        "html",
        LIST_PATH,
        it.title,
        it.date,
        cells=cells,
    )
    return {it.path: _gbk(_article(it.title, it.date, body))}, report


def _hub(title: str, links: list[Listed], crumbs: tuple[tuple[str, str], ...] = ()) -> Resource:
    rows = "\n".join(
        f'<tr><td>·<a href="{lk.href}" target="_blank">{esc(lk.title)}</a></td>'
        f'<td class="date">{lk.date}</td></tr>'
        for lk in links
    )
    main = f'<div class="lmtitle">{esc(title)}</div><table width="100%" class="list">{rows}</table>'
    return _gbk(page(f"{title}-{AGENCY}", main, crumbs))


def build_yicheng() -> Site:
    resources: dict[str, Resource] = {
        "/robots.txt": robots(["/private/"]),
        "/css/style.css": CSS,
        LIST_PATH: _gbk(_list_page()),
        MOVED_FROM: redirect(MOVED_TO),
    }
    expected: list[ExpectedReport] = []
    distractors: list[str] = []
    for it in ITEMS:
        found, report = _detail(it)
        resources.update(found)
        if report is not None:
            expected.append(report)
        elif it.kind == "distractor":
            distractors.append(it.path)
    news = [
        Listed(t, f"/xwzx/202203/t202203{i + 1:02d}_{4101 + i}.html", f"2022-03-{i + 1:02d}")
        for i, t in enumerate(NEWS_TITLES)
    ]
    for n in news:
        paras = [f"{n.title}。", "会议指出，要进一步统一思想、提高认识，扎实推动各项工作落地见效。"]
        resources[n.href] = _gbk(
            page(f"{n.title}-{AGENCY}", article_body(paras), (("新闻中心", "/xwzx/index.html"),))
        )
    home = (
        '<table width="100%"><tr><td valign="top"><div class="lmtitle">峄城要闻</div>'
        + "".join(f'<p>·<a href="{n.href}">{esc(n.title)}</a> {n.date}</p>' for n in news)
        + '</td><td width="300" valign="top"><div class="lmtitle">政务公开</div>'
        + "".join(f'<p><a href="{h}">{esc(t)}</a></p>' for t, h in COLUMNS[:3])
        + "</td></tr></table>"
    )
    resources["/"] = _gbk(page(AGENCY, home))
    resources["/index.html"] = resources["/"]
    resources["/xwzx/index.html"] = _hub("新闻中心", news)
    resources["/zwgk/index.html"] = _hub(
        "政务公开", [Listed(t, h, "") for t, h in COLUMNS], (("政务公开", "/zwgk/index.html"),)
    )
    guide = Listed(
        "峄城区人民政府信息公开指南", "/zwgk/xxgkzn/201912/t20191230_2001.html", "2019-12-30"
    )
    budget = Listed("峄城区2020年部门决算", "/zwgk/czyjs/202109/t20210910_3301.html", "2021-09-10")
    for lk in (guide, budget):
        paras, table = distractor_text(lk.title, SHORT)
        resources[lk.href] = _gbk(_article(lk.title, lk.date, article_body(paras, table)))
    resources["/zwgk/xxgkzn/index.html"] = _hub("政府信息公开指南", [guide])
    resources["/zwgk/xxgkzd/index.html"] = _hub("政府信息公开制度", [])
    resources["/zwgk/fdzdgknr/index.html"] = _hub("法定主动公开内容", [])
    resources["/zwgk/czyjs/index.html"] = _hub("财政预决算", [budget])
    for path, title in (
        ("/hdjl/index.html", "互动交流"),
        ("/bsfw/index.html", "办事服务"),
        ("/zjyc/index.html", "走进峄城"),
    ):
        resources[path] = _gbk(page(f"{title}-{AGENCY}", f'<div class="lmtitle">{title}</div>'))
    return Site(
        name="yicheng",
        cms="generic",
        agency=AGENCY,
        host_index=4,
        resources=resources,
        expected=expected,
        list_path=LIST_PATH,
        list_pages=[LIST_PATH],
        distractors=distractors,
        disallowed=[PRIVATE],
        charset=CHARSET,
        server_header="Microsoft-IIS/7.5",
    )
