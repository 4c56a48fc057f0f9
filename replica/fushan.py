"""Replica of a plain district portal (烟台市福山区人民政府), written by another hand.

What makes it hard: the reports are three navigation levels below the home page
(首页 → 政务公开 → 政府信息公开 → 政府信息公开年度报告, that last link split by a
``<br>``); the column titles its reports ``烟台市福山区人民政府2022年度报告`` (no
信息公开 in the link), cut with ``...`` (the full title only in ``a@title``) and with
the date in a ``<span>`` inside the ``<a>``; its further pages are written by a
``document.write`` loop over ``countPage``; notices about compiling the reports, a
法治政府建设年度报告 and a 工作要点 sit in the same list, the notice carrying the
blank 年报格式 as an attachment; the home page leads with news naming years.
"""

from __future__ import annotations

from replica.layout import CSS, NEWS_TITLES, esc, html_resource, news_items, robots
from replica.publish import Entry, publish
from replica.sites import ExpectedReport, Resource, Site

AGENCY = "烟台市福山区人民政府"
SHORT = "福山区"
COLUMN = "/zwgk/xxgk/ndbg/"
LIST_PATH = COLUMN + "index.html"
PER_PAGE = 4
FORMAT_FILE = "/module/download/downfile.jsp/nbgs2022.docx"

ENTRIES = (
    Entry("烟台市福山区人民政府2022年度报告", "2023-01-18", "report", AGENCY, 2022, "hanweb", 7),
    Entry("关于做好2022年政府信息公开年度报告编制发布工作的通知", "2022-12-20", "other",
          attached=(FORMAT_FILE,)),
    Entry("福山区召开2022年度政务公开工作推进会", "2022-11-02", "other"),
    Entry("烟台市福山区人民政府2021年度报告", "2022-01-25", "file", file="fushan_2021.pdf"),
    Entry("福山区2021年法治政府建设年度报告", "2022-03-30", "other"),
    Entry("烟台市福山区人民政府2020年度报告", "2021-01-29", "report", AGENCY, 2020, "seed:002", 4),
    Entry("2022年福山区政务公开工作要点", "2022-04-12", "other"),
    Entry("烟台市福山区人民政府2019年度报告", "2020-01-21", "file", file="fushan_2019.docx"),
    Entry("烟台市福山区人民政府2018年度报告", "2019-01-30", "legacy", AGENCY, 2018),
    # the tables pasted into the page as a screenshot
    Entry("烟台市福山区教育和体育局2021年政府信息公开工作年度报告", "2022-01-26", "pictures",
          "烟台市福山区教育和体育局", 2021, file="laoshan_2021_tables.png"),
    Entry("烟台市福山区人民政府2017年度报告", "2018-03-28", "legacy", AGENCY, 2017),
)


def page(title: str, main: str, crumbs: tuple[tuple[str, str], ...] = ()) -> str:
    trail = "".join(f' &gt; <a href="{h}">{esc(t)}</a>' for t, h in crumbs)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{esc(title)}_烟台市福山区人民政府</title><link rel="stylesheet" href="/css/style.css"></head>
<body><div class="top"><div class="w1200"><span class="logo">烟台市福山区人民政府</span>
<span class="tools"><a href="/">无障碍浏览</a> <a href="/">长者模式</a></span></div></div>
<div class="menu"><div class="w1200"><a href="/">首页</a><a href="/xwdt/">新闻动态</a>
<a href="/zwgk/">政务公开</a><a href="/hdjl/">互动交流</a><a href="/zjfs/">走进福山</a></div></div>
<div class="w1200"><div class="breadcrumb">当前位置：<a href="/">首页</a>{trail}</div>
{main}</div>
<div class="foot"><p>主办：烟台市福山区人民政府办公室　承办：烟台市福山区大数据中心</p>
<p>网站标识码：3706110001　鲁ICP备05018924号　鲁公网安备37061102000102号</p></div>
</body></html>"""


CRUMBS = (("政务公开", "/zwgk/"), ("政府信息公开", "/zwgk/xxgk/"), ("政府信息公开年度报告", LIST_PATH))


def article(title: str, date: str, content: str) -> str:
    main = (f'<div class="article"><h1 class="art-title">{esc(title)}</h1>'
            f'<div class="art-info">发布时间：{date}　来源：区政府办公室　浏览次数：<span id="hits"></span></div>'
            f'<div class="art-con">{content}</div></div>')
    return page(title, main, CRUMBS)


PAGER = """<div class="pagination"><script type="text/javascript">
var countPage = {count}; var currentPage = {current};
for (var i = 0; i < countPage; i++) {{
  if (i == currentPage) {{ document.write("<span class='cur'>" + (i + 1) + "</span>"); }}
  else if (i == 0) {{ document.write("<a href='index.html'>" + (i + 1) + "</a>"); }}
  else {{ document.write("<a href='index_" + i + ".html'>" + (i + 1) + "</a>"); }}
}}
</script></div>"""


def _list_page(items: list[tuple[Entry, str]], current: int, count: int) -> str:
    lis = "\n".join(
        f'<li><a href="{esc(href)}" target="_blank" title="{esc(e.title)}">'
        f'{esc(e.title[:16] + "..." if len(e.title) > 16 else e.title)}<span class="date">{e.date}</span></a></li>'
        for e, href in items
    )
    main = (f'<div class="col-title">政府信息公开年度报告</div><ul class="news-list">\n{lis}\n</ul>'
            + PAGER.format(count=count, current=current))
    return page("政府信息公开年度报告", main, CRUMBS)


def build_fushan(host_index: int) -> Site:
    resources: dict[str, Resource] = {"/robots.txt": robots(["/admin/"]), "/css/style.css": CSS}
    expected: list[ExpectedReport] = []
    distractors: list[str] = [FORMAT_FILE]
    listed: list[tuple[Entry, str]] = []
    for i, e in enumerate(ENTRIES):
        y, m, d = e.date.split("-")
        detail = f"{COLUMN}{y}{m}/t{y}{m}{d}_{3801 + i}.html"
        file_path = (f"/uploadfile/{y}{m}/{d}{i}.png" if e.kind == "pictures"
                     else f"/module/download/downfile.jsp/{e.file or f'f{i}.bin'}")
        found, report, linked = publish(e, LIST_PATH, detail, file_path, article, SHORT)
        resources.update(found)
        listed.append((e, linked))
        if report is not None:
            expected.append(report)
        else:
            distractors.append(linked)
    from replica.attachments import GENERATED

    resources[FORMAT_FILE] = Resource(GENERATED["fushan_nbgs.docx"].data(),
                                      GENERATED["fushan_nbgs.docx"].content_type)
    count = -(-len(listed) // PER_PAGE)
    list_pages = []
    for p in range(count):
        path = LIST_PATH if p == 0 else f"{COLUMN}index_{p}.html"
        resources[path] = html_resource(_list_page(listed[p * PER_PAGE:(p + 1) * PER_PAGE], p, count))
        list_pages.append(path)
    news, pages = news_items(NEWS_TITLES[:8], lambda i: f"/xwdt/202303/t202303{i + 1:02d}_{5101 + i}.html",
                             "会议要求，各部门要扎实推进各项工作。", article)
    resources.update(pages)
    special = (("2023年全国两会专题", "/ztzl/2023lh/"), ("2022年政府工作报告", "/zwgk/zfgzbg/2022.html"))
    home = ('<div class="home-news"><div class="col-title">福山要闻</div><ul>'
            + "".join(f'<li><a href="{n.href}">{esc(n.title)}</a><span>{n.date}</span></li>' for n in news)
            + '</ul></div><div class="zt">'
            + "".join(f'<a href="{h}">{esc(t)}</a>' for t, h in special) + "</div>")
    resources["/"] = html_resource(page("首页", home))
    resources["/ztzl/2023lh/"] = html_resource(page("2023年全国两会专题", "<p>专题建设中。</p>"))
    resources["/zwgk/zfgzbg/2022.html"] = html_resource(article("2022年政府工作报告", "2022-01-10",
                                                                "<p>各位代表：现在，我代表区人民政府向大会报告工作，请予审议。</p>"))
    portal = ('<div class="zwgk"><a href="/zwgk/xxgk/">政府信息公开</a><a href="/zwgk/zcwj/">政策文件</a>'
              '<a href="/zwgk/zcjd/">政策解读</a><a href="/zwgk/zdly/">重点领域信息公开</a></div>')
    resources["/zwgk/"] = html_resource(page("政务公开", portal, (("政务公开", "/zwgk/"),)))
    side = ('<div class="side">'
            '<a href="/zwgk/xxgk/zn/">政府信息<br>公开指南</a><br>'
            '<a href="/zwgk/xxgk/zd/">政府信息<br>公开制度</a><br>'
            '<a href="/zwgk/xxgk/fdzdgk/">法定主动<br>公开内容</a><br>'
            f'<a href="{LIST_PATH}">政府信息公开<br>年度报告</a></div>')
    resources["/zwgk/xxgk/"] = html_resource(page("政府信息公开", side, CRUMBS[:2]))
    for path, title in (("/zwgk/xxgk/zn/", "政府信息公开指南"), ("/zwgk/xxgk/zd/", "政府信息公开制度"),
                        ("/zwgk/xxgk/fdzdgk/", "法定主动公开内容"), ("/zwgk/zcwj/", "政策文件"),
                        ("/zwgk/zcjd/", "政策解读"), ("/zwgk/zdly/", "重点领域信息公开")):
        resources[path] = html_resource(page(title, f'<div class="col-title">{title}</div>', CRUMBS[:2]))
    return Site(
        name="fushan", cms="generic", agency=AGENCY, host_index=host_index, resources=resources,
        expected=expected, list_path=LIST_PATH, list_pages=list_pages, distractors=distractors,
        disallowed=["/admin/"],
    )
