"""Replica of a county portal whose pagers, attachments and one list are written by script
(沭阳县人民政府), by a hand unlike the other replicas.

What makes it hard: the 年报 column's second page is named only by a ``document.write`` loop
with a ternary (``'index' + (i == 0 ? '' : '_' + i) + '.shtml'``); the 乡镇（街道） sub-column's
pager is drawn by a function (``pageUrl(n)``) and names no page count; the 县直部门
sub-column prints an empty list and a ``<script type="text/html">`` template that its own
script fills from a JSON interface no CMS rule knows (``/api/gknb/list``), pager included;
two report pages name their original only in script — one assembled from a base, a
``|``-joined file list and ``innerHTML``, one a ``downUrl`` variable opened by an
``onclick``. The column page title and breadcrumb name 年报; sub-column pages name their
category only.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from replica.attachments import GENERATED
from replica.layout import CSS, NEWS_TITLES, esc, html_resource, news_items, robots
from replica.publish import Entry, publish
from replica.sites import ExpectedReport, Resource, Site

AGENCY = "沭阳县人民政府"
SHORT = "沭阳县"
COLUMN = "/xxgk/gknb/"
LIST_PATH = COLUMN + "index.shtml"
API = "/api/gknb/list"


@dataclass(frozen=True)
class Item:
    title: str
    date: str
    kind: str  # report | legacy | other | assembled | opened (the original named in script)
    agency: str = AGENCY
    year: int = 0
    source: str = ""
    factor: int = 0
    file: str = ""


OWN = (  # the county government's reports, three a page
    Item("沭阳县人民政府2023年政府信息公开工作年度报告", "2024-01-19", "report", year=2023, source="hanweb", factor=26),
    Item("沭阳县人民政府2022年政府信息公开工作年度报告", "2023-01-17", "report", year=2022, source="hanweb", factor=27),
    Item("关于做好2022年度政府信息公开工作年度报告编制工作的通知", "2022-12-21", "other"),
    Item("沭阳县人民政府2021年政府信息公开工作年度报告", "2022-01-25", "report", year=2021, source="hanweb", factor=28),
    Item("沭阳县人民政府2018年政府信息公开工作年度报告", "2019-03-18", "legacy", year=2018),
)
DEPARTMENTS = (  # 县直部门: the list a script loads from /api/gknb/list, four a page
    Item("沭阳县审计局2022年度政府信息公开工作年度报告", "2023-01-29", "assembled", "沭阳县审计局",
         file="shuyang_sjj_2022.pdf"),
    Item("沭阳县教育局2022年政府信息公开工作年度报告", "2023-01-20", "report", "沭阳县教育局", 2022, "hanweb", 29),
    Item("沭阳县卫生健康委员会2022年政府信息公开工作年度报告", "2023-01-18", "report", "沭阳县卫生健康委员会",
         2022, "hanweb", 30),
    Item("沭阳县2022年政务公开工作要点", "2022-05-10", "other"),
    Item("沭阳县住房和城乡建设局2021年政府信息公开工作年度报告", "2022-01-28", "opened", "沭阳县住房和城乡建设局",
         file="shuyang_zjj_2021.docx"),
    Item("沭阳县财政局2018年政府信息公开工作年度报告", "2019-03-20", "legacy", "沭阳县财政局", 2018),
)
TOWNS = (  # 乡镇（街道）: two a page, the pager drawn by pageUrl(n)
    Item("沭城街道办事处2022年政府信息公开工作年度报告", "2023-01-16", "report", "沭阳县沭城街道办事处", 2022,
         "seed:003", 6),
    Item("南湖街道办事处2021年政府信息公开工作年度报告", "2022-01-21", "report", "沭阳县南湖街道办事处", 2021,
         "hanweb", 31),
    Item("章集街道办事处2020年政府信息公开工作年度报告", "2021-01-27", "report", "沭阳县章集街道办事处", 2020,
         "seed:000", 7),
)
SUBS = (("县直部门", "xzbm"), ("乡镇（街道）", "xzjd"))


def page(title: str, main: str, crumbs: tuple[tuple[str, str], ...]) -> str:
    trail = " &gt; ".join(f'<a href="{h}">{esc(t)}</a>' for t, h in crumbs)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(title)}-沭阳县人民政府</title><link type="text/css" rel="stylesheet" href="/css/style.css" /></head>
<body><div id="top"><div class="w1000"><img src="/images/top_logo.png" alt="沭阳县人民政府" /></div></div>
<div id="nav"><div class="w1000"><a href="/">网站首页</a> | <a href="/syxw/">沭阳新闻</a> | <a href="/xxgk/">政府信息公开</a> | <a href="/zwfw/">政务服务</a> | <a href="/gzhd/">公众互动</a></div></div>
<div class="w1000 bt-position">当前位置：<a href="/">首页</a> &gt; {trail}</div>
<div class="w1000 main">{main}</div>
<div id="foot">沭阳县人民政府办公室主办　沭阳县大数据管理局承办　苏ICP备05012345号</div>
</body></html>"""


CRUMBS = (("政府信息公开", "/xxgk/"), ("政府信息公开年报", LIST_PATH))


def article(title: str, date: str, content: str) -> str:
    main = (f'<div class="xl-tit">{esc(title)}</div><div class="xl-info">发布日期：{date}　信息来源：沭阳县人民政府办公室</div>'
            f'<div class="xl-nr">{content}</div>')
    return page(title, main, CRUMBS)


def _assembled(item: Item, detail: str) -> tuple[dict, ExpectedReport]:
    """The original named only by a script that joins a base, a ``|`` list and innerHTML."""
    a = GENERATED[item.file]
    y, m, d = item.date.split("-")
    stamp = f"{y}{m}{d}104512633"
    path = f"/uploadfiles/{y}{m}/{stamp}.pdf"
    script = f"""<div class="fj" id="fjList"></div>
<script type="text/javascript">
  var fjBase = "/uploadfiles/" + "{y}{m}" + "/";
  var fjFiles = "{stamp}.pdf|";
  var fjNames = "{item.title}.pdf|";
  var html = "", fs = fjFiles.split("|"), ns = fjNames.split("|");
  for (var i = 0; i < fs.length; i++) {{
    if (!fs[i]) continue;
    html += '<p>附件' + (i + 1) + '：<a href="' + fjBase + fs[i] + '" target="_blank">' + ns[i] + '</a></p>';
  }}
  document.getElementById("fjList").innerHTML = html;
</script>"""
    body = f'<p style="text-indent:2em">{esc(item.title)}全文请见附件。</p>{script}'
    res = {detail: html_resource(article(item.title, item.date, body)), path: Resource(a.data(), a.content_type)}
    return res, ExpectedReport(path, a.agency, a.year, a.template, a.fmt, f"{COLUMN}xzbm/index.shtml", item.title,
                               item.date, detail_path=detail, cells=a.cells())


def _opened(item: Item, detail: str) -> tuple[dict, ExpectedReport]:
    """The original behind an onclick that opens a URL held in a variable."""
    a = GENERATED[item.file]
    file_id = f"8a2f0b7c{len(item.title):02d}e4d"
    path = f"/module/download/downfile.jsp?classid=0&filename={file_id}.docx"
    script = f"""<p><a href="javascript:void(0);" onclick="downLoad()">原件下载</a></p>
<script>
var fileId = "{file_id}", fileExt = ".docx";
var downUrl = "/module/download/downfile.jsp?classid=0&filename=" + fileId + fileExt;
function downLoad() {{ window.open(downUrl); }}
</script>"""
    body = f'<p style="text-indent:2em">现将{esc(item.title)}予以公布，详见原件。</p>{script}'
    res = {detail: html_resource(article(item.title, item.date, body)), path: Resource(a.data(), a.content_type)}
    return res, ExpectedReport(path, a.agency, a.year, a.template, a.fmt, f"{COLUMN}xzbm/index.shtml", item.title,
                               item.date, detail_path=detail, cells=a.cells())


def _publish(item: Item, list_path: str, n: int, site: dict) -> str:
    y, m, _ = item.date.split("-")
    detail = f"{COLUMN}{y}{m}/{n:08x}{'5e0d' * 4}.shtml"
    if item.kind == "assembled":
        found, report = _assembled(item, detail)
    elif item.kind == "opened":
        found, report = _opened(item, detail)
    else:
        e = Entry(item.title, item.date, item.kind, item.agency, item.year, item.source, item.factor)
        found, report, _ = publish(e, list_path, detail, "", article, SHORT)
    site["resources"].update(found)
    (site["expected"].append(report) if report else site["distractors"].append(detail))
    return detail


def _rows(items: list[tuple[Item, str]]) -> str:
    return "".join(f'<li><span class="rq">{i.date}</span><a href="{h}" target="_blank" title="{esc(i.title)}">'
                   f'{esc(i.title)}</a></li>' for i, h in items)


TERNARY_PAGER = """<div class="fy"><script type="text/javascript">
var pageTotal = %(total)d; var pageNow = %(now)d;
for (var i = 0; i < pageTotal; i++) {
  var href = 'index' + (i == 0 ? '' : '_' + i) + '.shtml';
  document.write(i + 1 == pageNow ? '<b>' + (i + 1) + '</b> ' : '<a href="' + href + '">' + (i + 1) + '</a> ');
}
</script></div>"""

FUNCTION_PAGER = """<div class="page"><script>
function pageUrl(n) { return n > 1 ? 'index_' + (n - 1) + '.shtml' : 'index.shtml'; }
(function () {
  var last = %(total)d, cur = %(now)d, out = [];
  for (var n = 1; n <= last; n++) out.push(n === cur ? '<em>' + n + '</em>' : "<a href='" + pageUrl(n) + "'>" + n + "</a>");
  document.write(out.join(''));
})();
</script></div>"""

SCRIPTED_LIST = """<div class="lm-tit">县直部门</div><ul class="list" id="doc-list"></ul><div class="page" id="pager"></div>
<script type="text/html" id="tpl-item"><li><span class="rq">{{pubDate}}</span><a href="{{link}}" title="{{title}}" target="_blank">{{title}}</a></li></script>
<script type="text/javascript">
(function () {
  var COLUMN_CODE = "xzbm", PAGE_SIZE = 4;
  var m = /[?&]pageNo=(\\d+)/.exec(location.search), pageNo = m ? parseInt(m[1], 10) : 1;
  var tpl = document.getElementById("tpl-item").innerHTML;
  fetch("/api/gknb/list?column=" + COLUMN_CODE + "&pageNo=" + pageNo + "&pageSize=" + PAGE_SIZE)
    .then(function (r) { return r.json(); })
    .then(function (res) {
      document.getElementById("doc-list").innerHTML = res.rows.map(function (row) {
        return tpl.replace(/\\{\\{(\\w+)\\}\\}/g, function (_, k) { return row[k]; });
      }).join("");
      var pages = Math.ceil(res.total / PAGE_SIZE), html = "共" + res.total + "条 ";
      for (var p = 1; p <= pages; p++) html += p === pageNo ? "<b>" + p + "</b> " : '<a href="index.shtml?pageNo=' + p + '">' + p + "</a> ";
      document.getElementById("pager").innerHTML = html;
    });
})();
</script>"""


def _api(rows: list[tuple[Item, str]]):
    def handle(params: dict[str, str]) -> Resource:
        if params.get("column") != "xzbm":
            return Resource(b'{"code":404,"msg":"no such column"}', "application/json", status=404)
        size = max(1, min(int(params.get("pageSize") or 4), 50))
        no = max(1, int(params.get("pageNo") or 1))
        chunk = rows[(no - 1) * size:no * size]
        body = {"code": 0, "total": len(rows),
                "rows": [{"title": i.title, "link": h, "pubDate": i.date} for i, h in chunk]}
        return Resource(json.dumps(body, ensure_ascii=False).encode(), "application/json;charset=utf-8")

    return handle


def build_shuyang(host_index: int) -> Site:
    site: dict = {"resources": {"/robots.txt": robots(["/api/admin/"]), "/css/style.css": CSS},
                  "expected": [], "distractors": [], "list_pages": []}
    res = site["resources"]
    n = 0x4a3f21
    own = [(i, _publish(i, LIST_PATH, n + k, site)) for k, i in enumerate(OWN)]
    subs = "".join(f'<a href="{slug}/index.shtml">{esc(t)}</a>' for t, slug in SUBS)
    for p in range(math.ceil(len(own) / 3)):
        path = LIST_PATH if p == 0 else f"{COLUMN}index_{p}.shtml"
        main = (f'<div class="lm-tit">政府信息公开年报</div><div class="zlm">{subs}</div>'
                f'<ul class="list">{_rows(own[p * 3:(p + 1) * 3])}</ul>'
                + TERNARY_PAGER % {"total": math.ceil(len(own) / 3), "now": p + 1})
        res[path] = html_resource(page("政府信息公开年报", main, CRUMBS))
        site["list_pages"].append(path)
    towns_path = f"{COLUMN}xzjd/index.shtml"
    towns = [(i, _publish(i, towns_path, n + 100 + k, site)) for k, i in enumerate(TOWNS)]
    for p in range(math.ceil(len(towns) / 2)):
        path = towns_path if p == 0 else f"{COLUMN}xzjd/index_{p}.shtml"
        main = (f'<div class="lm-tit">乡镇（街道）</div><ul class="list">{_rows(towns[p * 2:(p + 1) * 2])}</ul>'
                + FUNCTION_PAGER % {"total": math.ceil(len(towns) / 2), "now": p + 1})
        res[path] = html_resource(page("乡镇（街道）", main, (("政府信息公开", "/xxgk/"), ("乡镇（街道）", towns_path))))
        site["list_pages"].append(path)
    depts_path = f"{COLUMN}xzbm/index.shtml"
    depts = [(i, _publish(i, depts_path, n + 200 + k, site)) for k, i in enumerate(DEPARTMENTS)]
    res[depts_path] = html_resource(page("县直部门", SCRIPTED_LIST, (("政府信息公开", "/xxgk/"), ("县直部门", depts_path))))
    site["list_pages"].append(depts_path)
    # the portal around the column, as a county portal has it: news, services, other columns
    def news_article(title: str, date: str, content: str) -> str:
        return page(title, f'<div class="xl-tit">{esc(title)}</div><div class="xl-nr">{content}</div>',
                    (("沭阳新闻", "/syxw/"),))

    news, pages = news_items(NEWS_TITLES, lambda i: f"/syxw/202303/{0x7b1 + i:08x}.shtml",
                             "会议强调，要坚持问题导向，扎实推进各项重点工作。", news_article)
    res.update(pages)
    items = "".join(f'<li><a href="{x.href}">{esc(x.title)}</a> {x.date}</li>' for x in news)
    res["/syxw/"] = html_resource(page("沭阳新闻", f'<ul class="list">{items}</ul>', (("沭阳新闻", "/syxw/"),)))
    res["/"] = html_resource(page("首页", '<div class="news"><h3>沭阳要闻</h3><ul>' + "".join(
        f'<li><a href="{x.href}">{esc(x.title)}</a> {x.date}</li>' for x in news[2:8])
        + '</ul><a href="/syxw/">更多</a></div><div class="rk"><a href="/xxgk/">政府信息公开</a>'
        '<a href="/zwfw/">政务服务</a><a href="/gzhd/">公众互动</a></div>', ()))
    columns = (("政府信息公开指南", "/xxgk/zn/"), ("政府信息公开制度", "/xxgk/zd/"), ("法定主动公开内容", "/xxgk/fdzdgknr/"),
               ("政策文件", "/xxgk/zcwj/"), ("人事信息", "/xxgk/rsxx/"), ("政府信息公开年报", LIST_PATH))
    menu = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in columns)
    res["/xxgk/"] = html_resource(page("政府信息公开", f'<ul class="xxgk-menu">{menu}</ul>', (("政府信息公开", "/xxgk/"),)))
    policies = ("沭阳县人民政府关于印发2023年政府工作任务分解的通知", "沭阳县优化营商环境若干措施",
                "沭阳县2023年为民办实事项目实施方案")
    for k, title in enumerate(policies):
        body = f'<p style="text-indent:2em">{esc(title)}，现印发给你们，请认真贯彻执行。</p>'
        res[f"/xxgk/zcwj/2023{k + 1:02d}.shtml"] = html_resource(page(title, body, (("政策文件", "/xxgk/zcwj/"),)))
    for path, title in columns[:-1]:
        links = "".join(f'<li><a href="/xxgk/zcwj/2023{k + 1:02d}.shtml">{esc(t)}</a></li>'
                        for k, t in enumerate(policies)) if path == "/xxgk/zcwj/" else ""
        res[path] = html_resource(page(title, f'<div class="lm-tit">{title}</div><ul>{links}</ul>',
                                       (("政府信息公开", "/xxgk/"),)))
    for path, title in (("/zwfw/", "政务服务"), ("/gzhd/", "公众互动")):
        res[path] = html_resource(page(title, f'<div class="lm-tit">{title}</div><p>栏目建设中。</p>', ((title, path),)))
    return Site(
        name="shuyang", cms="generic", agency=AGENCY, host_index=host_index, resources=res,
        expected=site["expected"], list_path=LIST_PATH, list_pages=site["list_pages"],
        distractors=site["distractors"], disallowed=["/api/admin/"], handlers={API: _api(depts)},
        server_header="Apache",
    )
