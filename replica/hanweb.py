"""Replica of a Hanweb (大汉 jpage) district site (青岛市崂山区人民政府).

What makes Hanweb sites hard: the column page holds its list as CDATA inside
``<script type="text/xml"><datastore>``, so no <a> element exists for a link
extractor; only the first group of records is inline and the rest must be asked
of ``/module/web/jpage/dataproxy.jsp?startrecord=K&endrecord=M&perpage=P`` with
the column's ``columnid``/``unitid`` (GET query or POST form).
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
    legacy_body,
    legacy_table,
    news_block,
    news_items,
    report_body,
    robots,
)
from replica.sites import ExpectedReport, Resource, Site

AGENCY = "青岛市崂山区人民政府"
SHORT = "崂山区"
COLUMN_ID = "1234"
UNIT_ID = "5678"
LIST_PATH = f"/col/col{COLUMN_ID}/index.html"
PROXY = "/module/web/jpage/dataproxy.jsp"
PER_PAGE = 2
GROUP_PAGES = 2  # pages per group: the first group's records are printed inline
NEXTGROUP = (
    f"{PROXY}?page=1&appid=1&webid=1&path=/&columnid={COLUMN_ID}&unitid={UNIT_ID}"
    f"&webname={AGENCY}&permissiontype=0"
)
NAV = (
    ("首页", "/"),
    ("崂山要闻", "/col/col1001/index.html"),
    ("政务公开", "/col/col1000/index.html"),
    ("政民互动", "/col/col1002/index.html"),
    ("政务服务", "/col/col1003/index.html"),
)
COLUMNS = (
    ("政府信息公开指南", "/col/col1231/index.html"),
    ("政府信息公开制度", "/col/col1232/index.html"),
    ("法定主动公开内容", "/col/col1233/index.html"),
    ("政府信息公开年报", LIST_PATH),
    ("财政预决算", "/col/col1235/index.html"),
)


@dataclass(frozen=True)
class Record:
    """A record of the column and what its article page holds."""

    title: str
    date: str
    path: str  # /art/Y/M/D/art_1234_N.html
    kind: str  # fixture | inline | attachment | legacy | distractor
    agency: str = ""
    year: int = 0
    template: str = ""
    source: str = ""
    factor: int = 1
    file: str = ""  # a GENERATED attachment
    stored_at: str = ""  # where the site serves it


RECORDS = (
    Record(
        "崂山区2021年政府信息公开工作年度报告",
        "2022-01-20",
        "/art/2022/1/20/art_1234_998.html",
        "fixture",
    ),
    Record(
        "沙子口街道办事处2021年政府信息公开工作年度报告",
        "2022-01-18",
        "/art/2022/1/18/art_1234_991.html",
        "attachment",
        file="laoshan_szk_2021.docx",
        stored_at="/attach/0/7f3c2a9e5b1d4c08a1e2.docx",
    ),
    Record("崂山区2020年部门决算", "2021-08-30", "/art/2021/8/30/art_1234_901.html", "distractor"),
    Record(
        "崂山区2020年政府信息公开工作年度报告",
        "2021-01-22",
        "/art/2021/1/22/art_1234_812.html",
        "attachment",
        file="laoshan_2020.pdf",
        stored_at="/module/download/downfile.jsp?classid=0&filename=2101221530123456.pdf",
    ),
    Record(
        "青岛市崂山区人民政府2019年政府信息公开工作年度报告",
        "2020-01-21",
        "/art/2020/1/21/art_1234_705.html",
        "inline",
        AGENCY,
        2019,
        "2019",
        "seed:000",
        5,
    ),
    Record(
        "崂山区政府信息公开指南", "2019-11-28", "/art/2019/11/28/art_1234_688.html", "distractor"
    ),
    Record(
        "青岛市崂山区人民政府2017年政府信息公开工作年度报告",
        "2018-03-26",
        "/art/2018/3/26/art_1234_512.html",
        "legacy",
        AGENCY,
        2017,
        "legacy",
    ),
)


def page(title: str, main: str, column: str = "", meta: str = "") -> str:
    """A Hanweb-published page: barrier-free container, header, nav, footer."""
    nav = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in NAV)
    crumb = f' &gt; <a href="{LIST_PATH}">{esc(column)}</a>' if column else ""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta name="SiteName" content="{AGENCY}">
<meta name="SiteDomain" content="www.laoshan.gov.cn">
<meta name="SiteIDCode" content="3702120002">
{meta}<title>{esc(title)}</title>
<link rel="stylesheet" href="/images/style.css">
</head><body>
<div id="barrierfree_container">
<div class="top">{AGENCY} &nbsp; 网站支持IPv6 &nbsp; <a href="javascript:;">无障碍</a></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="position">您当前的位置：<a href="/">首页</a>{crumb}</div>
<div class="main">
{main}
</div>
<div class="footer">主办：{AGENCY}办公室 &nbsp; 版权所有：{AGENCY}<br>
网站标识码：3702120002 &nbsp; 鲁ICP备05011234号 &nbsp; 技术支持：南京大汉网络有限公司</div>
</div></body></html>"""


def _record_html(r: Record) -> str:
    return (
        f'<li><a href="{r.path}" title="{esc(r.title)}" target="_blank">{esc(r.title)}</a>'
        f"<span>{r.date}</span></li>"
    )


def _datastore(records: tuple[Record, ...], total: int) -> str:
    recs = "\n".join(f"<record><![CDATA[\n{_record_html(r)}\n]]></record>" for r in records)
    pages = -(-total // PER_PAGE)
    return (
        f'<datastore>\n<nextgroup><![CDATA[<a href="{NEXTGROUP}"></a>]]></nextgroup>\n'
        f"<recordset>\n{recs}\n</recordset>\n"
        f"<totalrecord>{total}</totalrecord>\n<totalpage>{pages}</totalpage>\n</datastore>"
    )


def _column_page() -> str:
    total = len(RECORDS)
    inline = RECORDS[: PER_PAGE * GROUP_PAGES]
    side = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in COLUMNS)
    main = f"""<div class="left"><div class="lm">政务公开</div><ul>{side}</ul></div>
<div class="right"><div class="lmtitle">政府信息公开年报</div>
<div id="{UNIT_ID}"><script type="text/xml">{_datastore(inline, total)}</script></div>
<script type="text/javascript">
var param_{UNIT_ID} = {{col:1,appid:1,webid:1,path:'/',columnid:{COLUMN_ID},sourceContentType:1,\
unitid:'{UNIT_ID}',webname:'{AGENCY}',permissiontype:0}};
$(document).ready(function(){{
  $('#{UNIT_ID}').jpage({{dataStore:'#{UNIT_ID} script', perPage:{PER_PAGE}, totalRecord:{total},
    totalPage:{-(-total // PER_PAGE)}, groupSize:{GROUP_PAGES}, proxyUrl:'{PROXY}',
    ajaxParam:param_{UNIT_ID}, barPosition:'bottom', showMode:'full'}});
}});
</script></div>"""
    meta = '<meta name="ColumnName" content="政府信息公开年报">\n'
    return page(f"政府信息公开年报 {AGENCY}", main, "政府信息公开年报", meta)


def dataproxy(params: dict[str, str]) -> Resource:
    """The jpage proxy: records startrecord..endrecord (1-based, inclusive) as XML."""
    records: tuple[Record, ...] = ()
    known = params.get("columnid") == COLUMN_ID and params.get("unitid") == UNIT_ID
    if known:
        try:
            per_page = int(params.get("perpage") or PER_PAGE)
            if "startrecord" in params:
                start = int(params["startrecord"])
                end = int(params.get("endrecord") or start + per_page * GROUP_PAGES - 1)
            else:
                start = (int(params.get("page") or 1) - 1) * per_page + 1
                end = start + per_page - 1
            records = RECORDS[max(start, 1) - 1 : max(end, 0)]
        except ValueError:
            records = ()
    total = len(RECORDS) if known else 0
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n{_datastore(records, total)}\n'
    return Resource(body.encode("utf-8"), "text/xml;charset=UTF-8")


def _article(title: str, date: str, zoom: str) -> str:
    meta = (
        f'<meta name="ColumnName" content="政府信息公开年报">\n'
        f'<meta name="ArticleTitle" content="{esc(title)}">\n'
        f'<meta name="PubDate" content="{date} 15:30">\n'
        f'<meta name="ContentSource" content="区政府办公室">\n'
    )
    main = f"""<div class="article"><div class="bt">{esc(title)}</div>
<div class="info">发布日期：{date} &nbsp; 信息来源：区政府办公室 &nbsp;
浏览次数：<span>1024</span></div>
<div id="zoom">
{zoom}
</div></div>"""
    return page(f"{title} {AGENCY}", main, "政府信息公开年报", meta)


def _detail(r: Record) -> tuple[dict[str, Resource], ExpectedReport | None]:
    if r.kind == "distractor":
        paras, table = distractor_text(r.title, SHORT)
        return {r.path: html_resource(_article(r.title, r.date, article_body(paras, table)))}, None
    if r.kind == "fixture":
        exp = json.loads((FIXTURES / "html" / "hanweb_2021.expected.json").read_text("utf-8"))
        report = ExpectedReport(
            r.path,
            exp["agency"],
            exp["year"],
            exp["template"],
            "html",
            LIST_PATH,
            r.title,
            r.date,
            cells=exp["cells"],
        )
        res = Resource(fixture_bytes("html/hanweb_2021.html"), "text/html; charset=utf-8")
        return {r.path: res}, report
    if r.kind == "attachment":
        a = GENERATED[r.file]
        zoom = (
            f'<p style="text-indent:2em">{esc(r.title)}全文见附件。</p>\n'
            f'<p>附件：<a href="{esc(r.stored_at)}" target="_blank">{esc(r.title)}.{a.fmt}</a></p>'
        )
        headers = {}
        content_type = a.content_type
        if "downfile.jsp" in r.stored_at:  # Hanweb's download servlet sends bytes as a file
            content_type = "application/octet-stream"
            headers["Content-Disposition"] = (
                f'attachment; filename="{r.stored_at.split("filename=")[1]}"'
            )
        doc = Resource(a.data(), content_type, headers=headers)
        report = ExpectedReport(
            r.stored_at,
            a.agency,
            a.year,
            a.template,
            a.fmt,
            LIST_PATH,
            r.title,
            r.date,
            r.path,
            cells=a.cells(),
        )
        return {r.path: html_resource(_article(r.title, r.date, zoom)), r.stored_at: doc}, report
    if r.kind == "legacy":
        zoom, cells = legacy_body(r.agency, r.year, SHORT) + legacy_table(r.agency, r.year), {}
    else:
        cells = cells_for(r.source, r.factor)
        zoom = report_body(cells, r.template, r.agency, r.year, cn_date(r.date))
    report = ExpectedReport(
        r.path, r.agency, r.year, r.template, "html", LIST_PATH, r.title, r.date, cells=cells
    )
    return {r.path: html_resource(_article(r.title, r.date, zoom))}, report


def _hub(title: str, links: list[Listed]) -> Resource:
    lis = "\n".join(
        f'<li><a href="{lk.href}" target="_blank">{esc(lk.title)}</a><span>{lk.date}</span></li>'
        for lk in links
    )
    main = f'<div class="lmtitle">{esc(title)}</div><ul class="list">\n{lis}\n</ul>'
    return html_resource(page(f"{title} {AGENCY}", main))


def build_laoshan() -> Site:
    resources: dict[str, Resource] = {
        "/robots.txt": robots(),
        "/images/style.css": CSS,
        LIST_PATH: html_resource(_column_page()),
    }
    expected: list[ExpectedReport] = []
    distractors: list[str] = []
    for r in RECORDS:
        found, report = _detail(r)
        resources.update(found)
        if report is None:
            distractors.append(r.path)
        else:
            expected.append(replace(report, page_path=LIST_PATH))
    news, pages = news_items(
        NEWS_TITLES[4:8], lambda i: f"/art/2022/3/{i + 1}/art_1001_{6001 + i}.html",
        "会议要求，各部门要提高站位、压实责任，确保各项任务落到实处。", _article,
    )
    resources.update(pages)
    home = news_block("崂山要闻", news) + (
        '<div class="zwgk"><a href="/col/col1000/index.html">政务公开</a></div>'
    )
    resources["/"] = html_resource(page(AGENCY, home))
    resources["/index.html"] = resources["/"]
    resources["/col/col1001/index.html"] = _hub("崂山要闻", news)
    resources["/col/col1000/index.html"] = _hub("政务公开", [Listed(t, h, "") for t, h in COLUMNS])
    by_title = {r.title: r.path for r in RECORDS}
    side = {
        "/col/col1231/index.html": ("政府信息公开指南", ["崂山区政府信息公开指南"]),
        "/col/col1232/index.html": ("政府信息公开制度", []),
        "/col/col1233/index.html": ("法定主动公开内容", []),
        "/col/col1235/index.html": ("财政预决算", ["崂山区2020年部门决算"]),
        "/col/col1002/index.html": ("政民互动", []),
        "/col/col1003/index.html": ("政务服务", []),
    }
    for path, (title, titles) in side.items():
        resources[path] = _hub(title, [Listed(t, by_title[t], "") for t in titles])
    return Site(
        name="laoshan",
        cms="hanweb",
        agency=AGENCY,
        host_index=3,
        resources=resources,
        expected=expected,
        list_path=LIST_PATH,
        list_pages=[LIST_PATH],
        distractors=distractors,
        handlers={PROXY: dataproxy},
        server_header="Apache",
    )
