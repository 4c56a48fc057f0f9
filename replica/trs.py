"""Replica of a TRS WCM district site (青岛市城阳区人民政府).

What makes TRS sites hard: the column's further pages (index_1.shtml, ...) are
only reachable through ``createPageHTML(count, index, "index", "shtml")`` in a
script, list hrefs are relative (``./202101/t20210128_3316.shtml``), and
attachments sit next to the article as ``./P0<date><digits>.pdf``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from replica.attachments import GENERATED
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
    news_block,
    news_items,
    report_body,
    robots,
)
from replica.sites import ExpectedReport, Resource, Site

AGENCY = "青岛市城阳区人民政府"
SHORT = "城阳区"
COLUMN = "/zwgk/ndbg/"
LIST_PATH = COLUMN + "index.shtml"
PAGE_SIZE = 4
NAV = (
    ("首页", "/"),
    ("新闻中心", "/xwzx/"),
    ("政务公开", "/zwgk/"),
    ("政民互动", "/hdjl/"),
    ("政务服务", "/bsfw/"),
)
COLUMNS = (
    ("政府信息公开指南", "/zwgk/xxgkzn/"),
    ("政府信息公开制度", "/zwgk/xxgkzd/"),
    ("法定主动公开内容", "/zwgk/fdzdgknr/"),
    ("政府信息公开年报", LIST_PATH),
    ("财政预决算", "/zwgk/czyjs/"),
)
PAGER_JS = """<script language="JavaScript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0){ document.write("首页&nbsp;上一页&nbsp;"); }
  else {
    document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>&nbsp;");
    var prev = nCurrIndex - 1 == 0 ? "" : "_" + (nCurrIndex - 1);
    document.write("<a href=\\"" + _sPageName + prev + "." + _sPageExt + "\\">上一页</a>&nbsp;");
  }
  if(nCurrIndex == _nPageCount - 1){ document.write("下一页&nbsp;尾页"); }
  else {
    document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt
      + "\\">下一页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt
      + "\\">尾页</a>");
  }
}
</script>"""


@dataclass(frozen=True)
class Item:
    """A list entry and what its detail page holds."""

    title: str
    date: str
    slug: str  # detail page under the column, e.g. "202101/t20210128_3316"
    kind: str  # inline | fixture | attachment | distractor
    agency: str = ""
    year: int = 0
    template: str = ""
    source: str = ""
    factor: int = 1
    file: str = ""  # a GENERATED attachment
    stored_as: str = ""  # the attachment's name on the site
    gbk: bool = False  # GBK bytes while header and meta say utf-8


ITEMS = (
    Item(
        "青岛市城阳区卫生健康局2021年政府信息公开工作年度报告",
        "2022-01-28",
        "202201/t20220128_4622",
        "inline",
        "青岛市城阳区卫生健康局",
        2021,
        "2021",
        "hanweb",
        4,
    ),
    Item(
        "青岛市城阳区人民政府2021年政府信息公开工作年度报告",
        "2022-01-25",
        "202201/t20220125_4601",
        "attachment",
        file="chengyang_2021.docx",
        stored_as="P020220125384159267314.docx",
    ),
    Item("城阳区2020年部门决算", "2021-09-10", "202109/t20210910_4390", "distractor"),
    Item("2021年城阳区政务公开工作要点", "2021-04-12", "202104/t20210412_4213", "distractor"),
    Item(
        "2020年城阳区国民经济和社会发展统计公报",
        "2021-03-20",
        "202103/t20210320_4177",
        "distractor",
    ),
    Item(
        "青岛市城阳区人民政府2020年政府信息公开工作年度报告",
        "2021-01-28",
        "202101/t20210128_3316",
        "fixture",
    ),
    Item(
        "城阳区教育和体育局2020年政府信息公开工作年度报告",
        "2021-01-27",
        "202101/t20210127_3298",
        "attachment",
        file="chengyang_jyj_2020.pdf",
        stored_as="P020210127551902345678.pdf",
    ),
    Item(
        "城阳街道办事处2020年政府信息公开工作年度报告",
        "2021-01-26",
        "202101/t20210126_3285",
        "attachment",
        file="chengyang_cyjd_2020.doc",
        stored_as="P020210126402718365190.doc",
    ),
    Item(
        "青岛市城阳区人民政府2019年政府信息公开工作年度报告",
        "2020-01-20",
        "202001/t20200120_2871",
        "inline",
        AGENCY,
        2019,
        "2019",
        "seed:001",
        2,
        gbk=True,
    ),
    Item(
        "青岛市城阳区人力资源和社会保障局2019年政府信息公开工作年度报告",
        "2020-01-17",
        "202001/t20200117_2850",
        "inline",
        "青岛市城阳区人力资源和社会保障局",
        2019,
        "2019",
        "seed:000",
        3,
    ),
    Item("城阳区人民政府政府信息公开指南", "2019-12-30", "201912/t20191230_2799", "distractor"),
)


def page(title: str, main: str, crumbs: tuple[tuple[str, str], ...] = (), meta: str = "") -> str:
    """A TRS-published page: XHTML shell, site metas, header, nav, breadcrumb, footer."""
    nav = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in NAV)
    trail = "".join(f' &gt; <a href="{href}">{esc(text)}</a>' for text, href in crumbs)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<meta name="SiteName" content="{AGENCY}" />
<meta name="SiteDomain" content="www.chengyang.gov.cn" />
<meta name="SiteIDCode" content="3702140001" />
{meta}<title>{esc(title)}</title>
<link rel="stylesheet" type="text/css" href="/images/style.css" />
</head><body>
<div class="top"><span>欢迎访问{AGENCY}门户网站</span>
<a href="javascript:void(0)">无障碍浏览</a></div>
<div class="header"><a href="/"><img src="/images/logo.png" alt="{AGENCY}" /></a></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="position">当前位置：<a href="/">首页</a>{trail}</div>
<div class="main">
{main}
</div>
<div class="footer"><p>主办单位：{AGENCY}办公室 &nbsp; 承办单位：城阳区大数据发展管理局</p>
<p>版权所有：{AGENCY} &nbsp; 网站标识码：3702140001 &nbsp; 鲁ICP备05012345号-1
 &nbsp; 鲁公网安备 37021402000123号</p></div>
</body></html>"""


CRUMBS = (("政务公开", "/zwgk/"), ("政府信息公开年报", COLUMN))


def _list_page(index: int, count: int, items: tuple[Item, ...]) -> str:
    lis = "\n".join(
        f'<li><a href="./{it.slug}.shtml" title="{esc(it.title)}" target="_blank">'
        f"{esc(it.title)}</a><span>{it.date}</span></li>"
        for it in items
    )
    side = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in COLUMNS)
    main = f"""<div class="left"><div class="lm">政务公开</div><ul class="menu">{side}</ul></div>
<div class="right"><div class="lmtitle">政府信息公开年报</div>
<ul class="list">
{lis}
</ul>
<div class="page">{PAGER_JS}
<script language="JavaScript">createPageHTML({count}, {index}, "index", "shtml");</script></div>
</div>"""
    meta = '<meta name="ColumnName" content="政府信息公开年报" />\n'
    return page(f"政府信息公开年报_{AGENCY}", main, CRUMBS, meta)


def _article(title: str, date: str, editor: str) -> str:
    meta = (
        f'<meta name="ColumnName" content="政府信息公开年报" />\n'
        f'<meta name="ArticleTitle" content="{esc(title)}" />\n'
        f'<meta name="PubDate" content="{date} 09:30" />\n'
        f'<meta name="ContentSource" content="城阳区政府办公室" />\n'
    )
    main = f"""<div class="article"><h1>{esc(title)}</h1>
<div class="info">发布时间：{date} &nbsp; 来源：城阳区政府办公室 &nbsp; 【字体：大 中 小】</div>
<div class="TRS_Editor"><div class="Custom_UnionStyle">
{editor}
</div></div>
<div class="share">【打印本页】 【关闭窗口】</div></div>"""
    return page(f"{title}_{AGENCY}", main, CRUMBS, meta)


def _detail(item: Item) -> tuple[dict[str, Resource], ExpectedReport | None]:
    """Resources for one list entry and its expected report (None for a distractor)."""
    path = f"{COLUMN}{item.slug}.shtml"
    folder = path.rsplit("/", 1)[0] + "/"
    if item.kind == "distractor":
        paras, table = distractor_text(item.title, SHORT)
        return {
            path: html_resource(_article(item.title, item.date, article_body(paras, table)))
        }, None
    if item.kind == "fixture":
        expected = json.loads((FIXTURES / "html" / "trs_2019.expected.json").read_text("utf-8"))
        res = Resource(fixture_bytes("html/trs_2019.html"), "text/html; charset=utf-8")
        report = ExpectedReport(
            path,
            expected["agency"],
            expected["year"],
            expected["template"],
            "html",
            "",
            item.title,
            item.date,
            cells=expected["cells"],
        )
        return {path: res}, report
    if item.kind == "attachment":
        a = GENERATED[item.file]
        link = f"./{item.stored_as}"
        editor = (
            f'<p style="text-indent:2em">现将{esc(item.title)}予以公开，详见附件。</p>\n'
            f'<p><a href="{link}" OLDSRC="/protect{folder}{item.stored_as}">'
            f"附件：{esc(item.title)}.{a.fmt}</a></p>"
        )
        doc = folder + item.stored_as
        res = Resource(a.data(), a.content_type)
        report = ExpectedReport(
            doc,
            a.agency,
            a.year,
            a.template,
            a.fmt,
            "",
            item.title,
            item.date,
            path,
            cells=a.cells(),
        )
        return {path: html_resource(_article(item.title, item.date, editor)), doc: res}, report
    cells = cells_for(item.source, item.factor)
    body = report_body(cells, item.template, item.agency, item.year, cn_date(item.date))
    text = _article(item.title, item.date, body)
    res = html_resource(text, "gbk", declared="utf-8") if item.gbk else html_resource(text)
    report = ExpectedReport(
        path,
        item.agency,
        item.year,
        item.template,
        "html",
        "",
        item.title,
        item.date,
        cells=cells,
    )
    return {path: res}, report


def _hub(title: str, links: list[Listed], crumbs: tuple[tuple[str, str], ...] = ()) -> Resource:
    lis = "\n".join(
        f'<li><a href="{lk.href}" target="_blank">{esc(lk.title)}</a><span>{lk.date}</span></li>'
        for lk in links
    )
    main = f'<div class="lmtitle">{esc(title)}</div><ul class="list">\n{lis}\n</ul>'
    return html_resource(page(f"{title}_{AGENCY}", main, crumbs))


def build_chengyang() -> Site:
    resources: dict[str, Resource] = {"/robots.txt": robots(), "/images/style.css": CSS}
    expected: list[ExpectedReport] = []
    distractors: list[str] = []
    pages = [ITEMS[i : i + PAGE_SIZE] for i in range(0, len(ITEMS), PAGE_SIZE)]
    list_pages = [LIST_PATH] + [f"{COLUMN}index_{i}.shtml" for i in range(1, len(pages))]
    for index, items in enumerate(pages):
        resources[list_pages[index]] = html_resource(_list_page(index, len(pages), items))
        for item in items:
            found, report = _detail(item)
            resources.update(found)
            if report is None:
                distractors.append(f"{COLUMN}{item.slug}.shtml")
            else:
                expected.append(replace(report, page_path=list_pages[index]))
    resources[COLUMN] = resources[LIST_PATH]  # the server's DirectoryIndex
    news, pages = news_items(
        NEWS_TITLES[:4], lambda i: f"/xwzx/202203/t202203{i + 1:02d}_{5001 + i}.shtml",
        "会议强调，要坚持稳中求进工作总基调，扎实做好各项工作。", _article,
    )
    resources.update(pages)
    home_main = news_block("城阳要闻", news) + (
        '<div class="zwgk"><a href="/zwgk/">政务公开</a>'
        '<a href="/zwgk/ndbg/index.shtml">政府信息公开年报</a></div>'
    )
    resources["/"] = html_resource(page(AGENCY, home_main))
    resources["/index.shtml"] = resources["/"]
    resources["/xwzx/"] = _hub("城阳要闻", news, (("新闻中心", "/xwzx/"),))
    resources["/zwgk/"] = _hub(
        "政务公开", [Listed(t, h, "") for t, h in COLUMNS], (("政务公开", "/zwgk/"),)
    )
    resources["/zwgk/index.shtml"] = resources["/zwgk/"]
    by_title = {it.title: f"{COLUMN}{it.slug}.shtml" for it in ITEMS}
    side = {
        "/zwgk/xxgkzn/": ("政府信息公开指南", ["城阳区人民政府政府信息公开指南"]),
        "/zwgk/xxgkzd/": ("政府信息公开制度", []),
        "/zwgk/fdzdgknr/": ("法定主动公开内容", ["2021年城阳区政务公开工作要点"]),
        "/zwgk/czyjs/": ("财政预决算", ["城阳区2020年部门决算"]),
    }
    for path, (title, titles) in side.items():
        resources[path] = _hub(title, [Listed(t, by_title[t], "") for t in titles])
    resources["/hdjl/"] = _hub("政民互动", [])
    resources["/bsfw/"] = _hub("政务服务", [])
    return Site(
        name="chengyang",
        cms="trs",
        agency=AGENCY,
        host_index=2,
        resources=resources,
        expected=expected,
        list_path=LIST_PATH,
        list_pages=list_pages,
        distractors=distractors,
    )
