"""Replica of a 福建 TRS portal whose 年报 list is half written by script (平潭综合实验区).

Written after the real site's pages (shared/real/legacy/pingtan-*.html and its column
page): an avalon/require.js template (``ms-controller``, ``ms-repeat``, ``ms-attr-href``),
``<meta name="ChnlId">``, a ``SiteInfo`` block naming the search channel. The column prints
its ten newest documents (“动静结合”: ``maxStaticIndex: 1``) and loads the older ones from
the search interface ``POST /fjdzapp/search`` (``channelid``, ``classsql=chnlid=N``, ``page``,
``prepage``) into the ``ms-repeat`` template when the reader clicks the pager, which is
itself a script-drawn ``ms-include`` with no links. Two reports keep their original PDF
(全真版) only in the ``apps``/``apps1`` arrays of the page's inline script, the way the
real template fills ``qzbFile``. ``/images/model.min.js`` is the site's own small library
(the page runs in a real browser); the sandbox never sees it.
"""

from __future__ import annotations

import json
import math

from replica.attachments import GENERATED
from replica.layout import CSS, esc, html_resource, robots
from replica.publish import Entry, publish
from replica.sites import ExpectedReport, Resource, Site

AGENCY = "平潭综合实验区管理委员会"
SHORT = "平潭综合实验区"
COLUMN = "/zwgk/zfxxgk/zfxxgknb/"
LIST_PATH = COLUMN
CHNL_ID = 1813
SEARCH_ID = 200210
STATIC = 10  # documents the column page prints; the rest come from the search interface
PREPAGE = 10

# newest first, as the column orders them (docreltime descending)
ENTRIES = (
    ("平潭综合实验区2023年度政府信息公开工作年度报告", "2024-01-26", "report", 2023, "hanweb", 21),
    ("平潭综合实验区2022年度政府信息公开工作年度报告", "2023-02-10", "original", 2022, "pingtan_2022.pdf", 0),
    ("平潭综合实验区2021年度政府信息公开工作年度报告", "2022-02-15", "report", 2021, "hanweb", 22),
    ("平潭综合实验区2020年度政府信息公开工作年度报告", "2021-03-05", "original", 2020, "pingtan_2020.pdf", 1),
    ("平潭综合实验区2019年度政府信息公开工作年度报告", "2020-01-20", "report", 2019, "seed:001", 4),
    ("平潭综合实验区2018年度政府信息公开工作年度报告", "2019-01-10", "legacy", 2018, "", 0),
    ("平潭综合实验区2017年度政府信息公开工作年度报告", "2018-01-23", "legacy", 2017, "", 0),
    ("平潭综合实验区2016年度政府信息公开工作年度报告", "2017-01-18", "legacy", 2016, "", 0),
    ("平潭综合实验区2015年度政府信息公开工作年度报告", "2016-01-29", "legacy", 2015, "", 0),
    ("平潭综合实验区管委会2014年度政府信息公开工作年度报告", "2015-01-30", "legacy", 2014, "", 0),
    ("关于2014年政府信息公开工作要点落实情况的函", "2014-12-19", "other", 0, "", 0),
    ("平潭综合实验区地方税务局2013年信息公开年度报告", "2014-02-25", "legacy", 2013, "", 0),
    ("平潭综合实验区2013年政府信息公开工作年度报告", "2014-03-07", "legacy", 2013, "", 0),
    ("平潭县人民政府2012年政府信息公开工作年度报告", "2013-01-31", "legacy", 2012, "", 0),
    ("平潭综合实验区2012年政府信息公开工作年度报告", "2013-02-21", "legacy", 2012, "", 0),
    ("平潭综合实验区2011年政府信息公开工作年度报告", "2012-04-20", "legacy", 2011, "", 0),
)

HEAD = """<!DOCTYPE html>
<html ms-controller="windowRoot" ms-class-1="SLB:isSlb">
<head>
<meta charset="utf-8" name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="SiteName" content="平潭综合实验区党工委管委会"/>
<meta name="ColumnName" content="政府信息公开年报"/>
{meta}<meta name="ChnlId" content="{chnl}"/>
<meta name="SiteId" content="4"/>
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="/css/style.css">
</head>
<body><div class="warp info_public_bg">
<div class="header menu_hov"><div class="row"><div class="logo trt-col-9"><a href="/">平潭综合实验区党工委管委会</a></div>
<div class="menu_base menu_right menu_hd"><ul class="clearflx" role="navigation">
<li ms-class="on:RootPath==''"><a href="/">首页</a></li>
<li class="parentNode"><a href="/zwgk/">政务公开</a></li>
<li class="parentNode"><a href="/jdhy/">解读回应</a></li>
<li class="parentNode"><a href="/bsfw/">办事服务</a></li>
<li class="parentNode"><a href="/hdjl/">互动交流</a></li></ul></div></div></div>
<div class="main"><div class="content"><div class="row content_bg_02"><div class="trt-row">
<div class="trt-col-5 trt-col-sm-24"><div class="info_menu_list" role="navigation" des="政府信息公开"><ul>
<li><h3><a href="/zwgk/zfxxgk/zfxxgkzn/"><span>政府信息<br>公开指南</span></a></h3></li>
<li><h3><a href="/zwgk/zfxxgk/zfxxgkzd/"><span>政府信息<br>公开制度</span></a></h3></li>
<li><h3><a href="/zwgk/zfxxgk/fdzdgknr/"><span>法定主动<br>公开内容</span></a></h3></li>
<li class="on"><h3><a href="{column}"><span>政府信息<br>公开年报</span></a></h3></li>
</ul></div></div>
<div class="trt-col-19 trt-col-sm-24">
"""

FOOT = """</div></div></div></div></div>
<div class="footer"><div class="row"><p><span>主办单位：福建省平潭综合实验区管理委员会办公室</span></p>
<p><span>网站标识码：3590000001</span> <span>闽ICP备09032658号</span></p></div></div>
</div>
<script>
    var SiteInfo = {
        itpSiteId: 21,    //互动站点ID
        searchId: 200210, //默认的文档检索频道的ID
        defaultPgTemp: "pgBar_pt.html",  //本站点默认的分页模板名
        siteMsgType: "govSite",
        initWindowRoot: false
    };
</script>
<script src="/images/model.min.js"></script>
"""

LIST_SCRIPT = """<script>
    require(["list2.trsapi", "tools"], function(listModel, tools) {
        listModel({
            quickMode: "动静结合",
            maxStaticIndex: 1,
            listArgs: {
                channelid: SiteInfo.searchId,
                classsql: "" || "chnlid=%(chnl)d",
                sortfield: "-docorderpri,-docreltime"
            },
            pagebar: {
                prepage: %(prepage)d,
                recordCount: '%(count)d',
                pgTemp: "pgBar_xxgk.html",
                pgCountMode: "recordCount",
                displayNum: 2
            }
        });
    });
</script>
"""

DETAIL_SCRIPT = """<script>
  require(["detailpage", "jquery", "list2.trsapi"], function (detailpage, $, listModel) {
    detailpage({ enableReldoc: true, ReldocChannelId: 100600, shareOnMobileId: "#qrcode" });
    /**增加全真版功能**/
    var qzbFile = "";
    var qzbFileName = "";
    var apps = [
      %(apps)s
    ];
    var apps1 = [
      %(apps1)s
    ];
    for (var i = 0; i < apps1.length; i++) {
      if (apps1[i].url.indexOf("pdf") > -1 || apps1[i].url.indexOf("PDF") > -1) {
        qzbFile = apps1[i].url.replace("http:", document.location.protocol);
        qzbFileName = apps1[i].name;
      }
      $("#file_ul_fj li:nth-of-type(" + (i + 1) + ") a").attr("title", apps1[i].name)
    }
    for (var i = 0; i < apps.length; i++) {
      if (apps[i].url.indexOf("pdf") > -1 && apps[i].name.indexOf("原件") > -1) {
        qzbFile = apps[i].url.replace("http:", document.location.protocol);
        qzbFileName = apps[i].name;
      }
      $("#file_ul_fj li:nth-of-type(" + (i + 1) + ") a").attr("title", apps[i].name)
    }
    var qzb = avalon.define({ $id: "QzbView", qzbFile: qzbFile, qzbFileName: qzbFileName, show: 0 });
    if ($("#file_ul_fj").children("li").length <= 0) { $("#file_xmb").hide(); }
  });
</script>
"""

# the site's library, as small as the replica needs: require(), avalon.define, a jQuery
# subset, and list2.trsapi's 动静结合 list with its script-drawn pager
MODEL_JS = r"""(function () {
  function $(sel) {
    var els = typeof sel === "string" ? Array.prototype.slice.call(document.querySelectorAll(sel)) : [sel];
    var api = {
      attr: function (k, v) { els.forEach(function (e) { if (e && e.setAttribute) e.setAttribute(k, v); }); return api; },
      hide: function () { els.forEach(function (e) { if (e && e.style) e.style.display = "none"; }); return api; },
      children: function () { return { length: els.length ? els[0].children.length : 0 }; },
      length: els.length
    };
    return api;
  }
  window.$ = window.jQuery = $;
  window.avalon = { define: function (vm) { return vm; }, vmodels: {} };
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; }); }
  function listModel(opts) {
    var box = document.querySelector(".rules_tabs_dynamic");
    var staticBox = document.querySelector(".rules_tabs_static");
    var tpl = box.querySelector("[ms-repeat]");
    var itemTpl = tpl.outerHTML;
    var bar = document.querySelector("[ms-include-src]");
    var count = parseInt(opts.pagebar.recordCount, 10), per = opts.pagebar.prepage;
    var pages = Math.ceil(count / per), current = 1;
    function draw() {
      var html = '<span class="total">共' + count + '条</span>';
      if (current > 1) html += '<a href="javascript:;" data-page="' + (current - 1) + '">上一页</a>';
      html += '<span class="cur">' + current + '/' + pages + '</span>';
      if (current < pages) html += '<a href="javascript:;" data-page="' + (current + 1) + '">下一页</a>';
      bar.innerHTML = html;
      Array.prototype.forEach.call(bar.querySelectorAll("a[data-page]"), function (a) {
        a.addEventListener("click", function () { go(parseInt(a.getAttribute("data-page"), 10)); });
      });
    }
    function go(p) {
      var body = new URLSearchParams();
      for (var k in opts.listArgs) body.append(k, opts.listArgs[k]);
      body.append("page", p); body.append("prepage", per);
      fetch("/fjdzapp/search", { method: "POST", body: body, headers: { "X-Requested-With": "XMLHttpRequest" } })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          current = p;
          staticBox.style.display = "none"; box.style.display = "";
          box.innerHTML = d.data.map(function (el) {
            return itemTpl.replace(/ms-attr-href="el.chnldocurl"/, 'href="' + esc(el.chnldocurl) + '"')
              .replace(/ms-text="el.doctitle\|html"([^>]*)>/, function (_, rest) { return rest + '>' + esc(el.doctitle); });
          }).join("");
          draw();
        });
    }
    draw();
  }
  var modules = { "list2.trsapi": listModel, "jquery": $, "tools": {}, "detailpage": function () {} };
  window.require = function (deps, fn) { fn.apply(null, deps.map(function (d) { return modules[d]; })); };
})();
"""


def _page(title: str, main: str, meta: str = "") -> str:
    return (HEAD.format(title=esc(title), meta=meta, chnl=CHNL_ID, column=LIST_PATH) + main + FOOT)


def article(title: str, date: str, content: str, apps: str = "", apps1: str = "") -> str:
    main = (f'<div class="article"><div class="article_title"><h1>{esc(title)}</h1></div>'
            f'<div class="article_time">发布时间：{date}</div>'
            '<div class="tabs tab_base_01"><div class="tabs_hd" ms-controller="QzbView" ms-visible="qzbFile!=\'\'">'
            '<ul><li><a href="javascript:;">全真版</a></li><li><a href="javascript:;">文字版</a></li></ul>'
            '<a ms-attr-href="qzbFile" title="文件下载" ms-attr-download="qzbFileName" class="download">文件下载</a></div>'
            f'<div class="article_content"><div class="TRS_Editor">{content}</div></div>'
            '<div class="article_attachment" id="file_xmb"><ul id="file_ul_fj"></ul></div></div></div>')
    page = _page(f"{title}_政府信息公开年报_平潭综合实验区党工委管委会", main,
                 f'<meta name="ArticleTitle" content="{esc(title)}"/>\n<meta name="PubDate" content="{date}"/>\n')
    return page.replace("</body>", "") + (DETAIL_SCRIPT % {"apps": apps, "apps1": apps1}) + "</body></html>"


def _detail_path(date: str, n: int) -> str:
    y, m, d = date.split("-")
    return f"{COLUMN}{y}{m}/t{y}{m}{d}_{n}.htm"


def _original(title: str, date: str, file: str, detail: str, which: int) -> tuple[dict, ExpectedReport]:
    """A report page whose 文字版 is a summary and whose original PDF (全真版) is named only
    in the script's ``apps`` (``which`` 0, the 原件 rule) or ``apps1`` (1) array."""
    a = GENERATED[file]
    pdf = detail.rsplit("/", 1)[0] + f"/P0{date.replace('-', '')}{which}3756{len(title)}.pdf"
    entry = json.dumps({"name": f"{title}（原件）.pdf", "url": pdf}, ensure_ascii=False)
    summary = (f'<p style="text-indent:2em">根据《中华人民共和国政府信息公开条例》规定，现公布{SHORT}'
               f'{a.year}年度政府信息公开工作年度报告，全文见全真版。</p>'
               '<p style="text-indent:2em">如对本报告有任何疑问，请与平潭综合实验区政府信息公开工作办公室联系。</p>')
    page = article(title, date, summary, entry if which == 0 else "", entry if which == 1 else "")
    resources = {detail: html_resource(page), pdf: Resource(a.data(), a.content_type)}
    return resources, ExpectedReport(pdf, a.agency, a.year, a.template, a.fmt, LIST_PATH, title, date,
                                     detail_path=detail, cells=a.cells())


def _row(title: str, href: str, date: str) -> str:
    return (f'<dl><dd class="trt-col-sm-24 text_align_left"><a href="{esc(href)}" target="_blank" '
            f'title="{esc(title)}">{esc(title)}</a></dd><dd class="trt-col-4 text_align_left">{date}</dd></dl>')


def _list_page(rows: list[tuple[str, str, str]], count: int) -> str:
    static = "".join(_row(t, "./" + h.removeprefix(COLUMN), d) for t, h, d in rows[:STATIC])
    main = ('<div class="title_base"><div class="title_name">政府信息公开年报</div></div>'
            '<div class="list_base" ms-controller="list">'
            f'<div class="rules_tabs_01 rules_tabs_static" ms-visible="showStatic">{static}</div>'
            '<div class="rules_tabs_01 rules_tabs_dynamic" ms-visible="!showStatic" style="display: none">'
            '<dl ms-if="list.length>0" ms-repeat="list" ms-if-loop="$index<10">'
            '<dd class="trt-col-sm-24 text_align_left"><a ms-attr-href="el.chnldocurl" ms-attr-title="el.doctitle" '
            'ms-text="el.doctitle|html" target="_blank"></a></dd>'
            '<dd class="trt-col-4 text_align_left" ms-text="el.docreltime|date(\'yyyy-MM-dd\')"></dd></dl></div>'
            '<div class="page_base mar_t_base" ms-controller="list_pagebar" ms-include-src="pgTemp" ms-if="pageCount>0"></div>'
            '</div>')
    page = _page("政府信息公开年报_政府信息公开_平潭综合实验区党工委管委会", main,
                 '<meta name="ColumnType" content="政府信息公开年报"/>\n')
    script = LIST_SCRIPT % {"chnl": CHNL_ID, "prepage": PREPAGE, "count": count}
    return page.replace("</body>", "") + script + "</body></html>"


def search_handler(rows: list[tuple[str, str, str]]):
    """POST /fjdzapp/search: the channel's documents as JSON, a page at a time."""

    def handle(params: dict[str, str]) -> Resource:
        if params.get("classsql", "").replace(" ", "") != f"chnlid={CHNL_ID}" or params.get("channelid") != str(SEARCH_ID):
            body = {"data": [], "count": 0, "pageCount": 0, "page": 1}
        else:
            per = max(1, min(int(params.get("prepage") or PREPAGE), 500))
            page = max(1, int(params.get("page") or 1))
            chunk = rows[(page - 1) * per:page * per]
            body = {"data": [{"doctitle": t, "chnldocurl": h, "docreltime": f"{d} 09:30:00", "chnlname": "政府信息公开年报"}
                             for t, h, d in chunk],
                    "count": len(rows), "pageCount": math.ceil(len(rows) / per), "page": page}
        return Resource(json.dumps(body, ensure_ascii=False).encode(), "application/json;charset=UTF-8")

    return handle


def build_pingtan(host_index: int) -> Site:
    resources: dict[str, Resource] = {"/robots.txt": robots(), "/css/style.css": CSS,
                                      "/images/model.min.js": Resource(MODEL_JS.encode(), "application/javascript")}
    expected: list[ExpectedReport] = []
    distractors: list[str] = []
    rows: list[tuple[str, str, str]] = []
    originals = 0
    for i, (title, date, kind, year, source, factor) in enumerate(ENTRIES):
        detail = _detail_path(date, 80400 + 37 * i)
        if kind == "original":
            found, report = _original(title, date, source, detail, originals % 2)
            originals += 1
        else:
            agency = ("平潭综合实验区地方税务局" if "税务" in title else "平潭县人民政府" if title.startswith("平潭县")
                      else AGENCY)
            e = Entry(title, date, kind, agency, year, source, factor)
            found, report, _ = publish(e, LIST_PATH, detail, "", article, SHORT)
        resources.update(found)
        (expected.append(report) if report else distractors.append(detail))
        rows.append((title, detail, date))
    resources[LIST_PATH] = html_resource(_list_page(rows, len(rows)))
    resources[LIST_PATH + "index.htm"] = resources[LIST_PATH]
    resources["/"] = html_resource(_page("平潭综合实验区党工委管委会", '<div class="home"><a href="/zwgk/">政务公开</a></div>'))
    resources["/zwgk/"] = html_resource(_page("政务公开", f'<a href="{LIST_PATH}">政府信息公开年报</a>'))
    for path, title in (("/zwgk/zfxxgk/zfxxgkzn/", "政府信息公开指南"), ("/zwgk/zfxxgk/zfxxgkzd/", "政府信息公开制度"),
                        ("/zwgk/zfxxgk/fdzdgknr/", "法定主动公开内容")):
        resources[path] = html_resource(_page(title, f'<div class="title_name">{title}</div>'))
    return Site(
        name="pingtan", cms="trs", agency=AGENCY, host_index=host_index, resources=resources,
        expected=expected, list_path=LIST_PATH, list_pages=[LIST_PATH], distractors=distractors,
        handlers={"/fjdzapp/search": search_handler(rows)}, server_header="TRS WCM",
    )
