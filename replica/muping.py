"""Replica of a county portal whose report column branches (烟台市牟平区人民政府).

What makes it hard: the column (two levels below the home page) lists the
government's own reports and, beside them, year sub-columns written four ways
(``2022年度报告`` — a year, not a report —, ``2021年``, ``2020``, ``2019year``, at
``nb_2022n/`` and the like); a year branches into category sub-columns (镇街, 区直部门,
开发区); a category's further pages are ``?cur_page=N``; one report is linked by its
file name; titles name their year without 年 (``2019牟平区…``); year pages print no
breadcrumb. An old JSP site: table layout, GBK pages that declare gb2312.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from replica.layout import CSS, NEWS_TITLES, esc, html_resource, news_items, robots
from replica.publish import Entry, publish
from replica.sites import Resource, Site

AGENCY = "烟台市牟平区人民政府"
SHORT = "牟平区"
CHARSET = "gbk"
COLUMN = "/xxgk/nb/"
LIST_PATH = COLUMN + "index.jsp"
PER_PAGE = 3


def _r(agency: str, year: int, factor: int, source: str = "hanweb", title: str = "", date: str = "") -> Entry:
    title = title or f"{agency}{year}年政府信息公开工作年度报告"
    full = AGENCY if agency == "牟平区人民政府" else agency if agency.startswith("牟平") else f"烟台市牟平区{agency}"
    return Entry(title, date or f"{year + 1}-01-{10 + factor % 18:02d}", "report", full, year, source, factor)


@dataclass
class Column:
    """A list page of the column tree: its entries and its sub-columns (link text, slug)."""

    title: str
    entries: list[Entry] = field(default_factory=list)
    subs: list[tuple[str, str, Column]] = field(default_factory=list)


TREE = Column("政府信息公开年报", [
    _r("牟平区人民政府", 2022, 8), _r("牟平区人民政府", 2021, 9),
], [
    ("2022年度报告", "nb_2022n", Column("2022", [], [
        ("镇街", "zj", Column("镇街", [
            _r("宁海街道办事处", 2022, 2, "seed:003"),
            Entry("牟平区文化街道2022年度政府信息公开工作年度报告.pdf", "2023-01-16", "file",
                  file="muping_whjd_2022.pdf", direct=True),
        ])),
        ("区直部门", "qzbm", Column("区直部门", [
            _r("商务局", 2022, 10), _r("教育和体育局", 2022, 11),
            Entry("关于报送2022年度政府信息公开工作年度报告的通知", "2022-12-26", "other"),
            _r("卫生健康局", 2022, 12), _r("财政局", 2022, 13), _r("住房和城乡建设局", 2022, 14),
        ])),
        ("开发区", "kfq", Column("开发区", [
            _r("牟平经济开发区管理委员会", 2022, 15,
               title="牟平经济开发区管理委员会2022年度政府信息公开年报"),
        ])),
    ])),
    ("2021年", "nb_2021n", Column("2021年", [], [
        ("镇街", "zj", Column("镇街", [_r("大窑街道办事处", 2021, 16)])),
        ("区直部门", "qzbm", Column("区直部门", [_r("民政局", 2021, 17)])),
    ])),
    ("2020", "nb_2020n", Column("2020", [
        _r("姜格庄街道办事处", 2020, 3, "seed:000"),
        _r("发展和改革局", 2020, 4, "seed:001"),
        Entry("牟平区人民政府网站2020年工作年度报表", "2021-01-15", "other"),
    ])),
    ("2019year", "2019year", Column("2019", [
        _r("牟平区人民政府", 2019, 5, "seed:002", title="2019牟平区人民政府信息公开年度报告"),
    ])),
])


def page(title: str, main: str, crumbs: tuple[tuple[str, str], ...] | None = ()) -> str:
    trail = ("" if crumbs is None else '<tr><td class="dqwz">您现在的位置：<a href="/">首页</a>'
             + "".join(f' &gt;&gt; <a href="{h}">{esc(t)}</a>' for t, h in crumbs) + "</td></tr>")
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{esc(title)}-烟台市牟平区人民政府</title><link href="/css/style.css" rel="stylesheet"></head>
<body topmargin="0"><table width="980" align="center" cellpadding="0" cellspacing="0">
<tr><td class="banner">烟台市牟平区人民政府 www.muping.gov.cn</td></tr>
<tr><td class="dh"><a href="/">首页</a>｜<a href="/col/col101/index.jsp">牟平新闻</a>｜<a href="/xxgk/index.jsp">信息公开</a>｜<a href="/col/col103/index.jsp">政务服务</a>｜<a href="/col/col104/index.jsp">互动交流</a></td></tr>
{trail}
<tr><td>{main}</td></tr>
<tr><td class="bottom">版权所有：烟台市牟平区人民政府办公室 技术支持：大汉网络 网站标识码：3706120001</td></tr>
</table></body></html>"""


def _resource(text: str) -> Resource:
    return html_resource(text, CHARSET, "gb2312")


def article(title: str, date: str, content: str) -> str:
    main = (f'<table width="100%"><tr><td class="bt" align="center"><b>{esc(title)}</b></td></tr>'
            f'<tr><td class="sj" align="center">发布日期：{date}</td></tr>'
            f'<tr><td class="zw">{content}</td></tr></table>')
    return page(title, main, (("信息公开", "/xxgk/index.jsp"), ("政府信息公开年报", LIST_PATH)))


def _list_html(col: Column, items: list[tuple[Entry, str]], path: str, crumbs, pager: str) -> str:
    subs = "".join(f'<td class="lm"><a href="{slug}/index.jsp">{esc(text)}</a></td>'
                   for text, slug, _ in col.subs)
    rows = "".join(f'<tr><td>·<a href="{esc(href)}" target="_blank">{esc(e.title)}</a></td>'
                   f'<td width="90">{e.date}</td></tr>' for e, href in items)
    main = (f'<table width="100%"><tr><td class="lmmc">{esc(col.title)}</td></tr></table>'
            + (f'<table class="zlm"><tr>{subs}</tr></table>' if subs else "")
            + f'<table width="100%" class="list">{rows}</table>{pager}')
    return page(col.title, main, crumbs)


def _pager(path: str, page: int, count: int) -> str:
    if count <= 1:
        return ""
    base = path.rsplit("/", 1)[-1]
    nxt = f'<a href="{base}?cur_page={page + 1}">下一页</a>' if page < count else "下一页"
    prev = f'<a href="{base}?cur_page={page - 1}">上一页</a>' if page > 1 else "上一页"
    return (f'<div class="fy">共{count}页 第{page}页 <a href="{base}">首页</a> {prev} {nxt} '
            f'<a href="{base}?cur_page={count}">尾页</a></div>')


def _publish_column(col: Column, path: str, crumbs, site: dict) -> None:
    folder = path.rsplit("/", 1)[0] + "/"
    items = []
    for i, e in enumerate(col.entries):
        n = 4000 + len(site["expected"]) + len(site["distractors"])
        y, m, d = e.date.split("-")
        detail = f"/art/{y}/{int(m)}/{int(d)}/art_{n}_{n * 7 % 100000}.html"
        found, report, linked = publish(e, path, detail, f"/module/download/{n}_{i}.{e.file.rsplit('.', 1)[-1]}"
                                        if e.file else "", article, SHORT)
        site["resources"].update({k: (_resource(v.body.decode()) if v.content_type.startswith("text/html")
                                      else v) for k, v in found.items()})
        items.append((e, linked))
        (site["expected"] if report else site["distractors"]).append(report or linked)
    count = max(1, -(-len(items) // PER_PAGE))
    for p in range(1, count + 1):
        at = path if p == 1 else f"{path}?cur_page={p}"
        chunk = items[(p - 1) * PER_PAGE:p * PER_PAGE]
        site["resources"][at] = _resource(_list_html(col, chunk, path, crumbs, _pager(path, p, count)))
        site["list_pages"].append(at)
    for _text, slug, sub in col.subs:
        _publish_column(sub, f"{folder}{slug}/index.jsp", None, site)  # year pages: no breadcrumb


def build_muping(host_index: int) -> Site:
    site: dict = {"resources": {"/robots.txt": robots(), "/css/style.css": CSS},
                  "expected": [], "distractors": [], "list_pages": []}
    _publish_column(TREE, LIST_PATH, (("信息公开", "/xxgk/index.jsp"), ("政府信息公开年报", LIST_PATH)), site)
    resources = site["resources"]
    news, pages = news_items(NEWS_TITLES[4:12], lambda i: f"/art/2023/3/{i + 1}/art_101_{7001 + i}.html",
                             "会议要求，全区上下要统一思想，狠抓落实。", article)
    resources.update({k: _resource(v.body.decode()) for k, v in pages.items()})
    home = ('<table width="100%"><tr><td valign="top"><b>牟平要闻</b><br>'
            + "<br>".join(f'<a href="{n.href}">{esc(n.title)}</a> {n.date}' for n in news)
            + '</td><td width="280" valign="top"><a href="/xxgk/index.jsp"><img src="/images/xxgk.jpg" alt="信息公开"></a>'
            '</td></tr></table>')
    resources["/"] = _resource(page("首页", home, None))
    menu = "".join(f'<tr><td class="zlm"><a href="{h}">{esc(t)}</a></td></tr>' for t, h in (
        ("政府信息公开指南", "/xxgk/zn/index.jsp"), ("政府信息公开制度", "/xxgk/zd/index.jsp"),
        ("法定主动公开内容", "/xxgk/fdzdgknr/index.jsp"), ("政府信息公开年报", LIST_PATH),
        ("依申请公开", "/xxgk/ysqgk/index.jsp")))
    resources["/xxgk/index.jsp"] = _resource(page("信息公开", f'<table width="220">{menu}</table>',
                                                 (("信息公开", "/xxgk/index.jsp"),)))
    for path, title in (("/col/col101/index.jsp", "牟平新闻"), ("/col/col103/index.jsp", "政务服务"),
                        ("/col/col104/index.jsp", "互动交流"), ("/xxgk/zn/index.jsp", "政府信息公开指南"),
                        ("/xxgk/zd/index.jsp", "政府信息公开制度"), ("/xxgk/fdzdgknr/index.jsp", "法定主动公开内容"),
                        ("/xxgk/ysqgk/index.jsp", "依申请公开")):
        resources[path] = _resource(page(title, f'<div class="lmmc">{esc(title)}</div>'))
    return Site(
        name="muping", cms="generic", agency=AGENCY, host_index=host_index, resources=resources,
        expected=site["expected"], list_path=LIST_PATH, list_pages=site["list_pages"],
        distractors=site["distractors"], charset=CHARSET, server_header="Apache-Coyote/1.1",
    )
