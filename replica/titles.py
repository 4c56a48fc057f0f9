"""Replica of a city's collecting column: link titles as many agencies write them.

A 政府信息公开年报 column of 烟台市 gathering the reports of its districts, towns and
departments, with the titles' whole variety (years without 年, the year at the end,
traditional characters, a file name as the link text, a title cut with ``...``,
``2022年度报告`` alone, 关于…情况的报告) beside what such columns also hold: notices about
compiling the reports, the 年报格式, a 展示平台, a 法治政府建设年度报告, 要点, 决算,
统计公报, 指南, the 政府工作报告, 解读, the website's own 年度报表, an assessment, a
training meeting, audit and asset reports. ``?page=N`` pages, five numbers at a time.
"""

from __future__ import annotations

from replica.layout import CSS, esc, html_resource, robots
from replica.publish import Entry, publish
from replica.sites import Resource, Site

AGENCY = "烟台市人民政府办公室"
COLUMN = "/col/col5021/"
LIST_PATH = COLUMN + "index.html"
PER_PAGE = 15
WINDOW = 5


def _report(title: str, agency: str, year: int, factor: int, source: str = "hanweb", **kw) -> Entry:
    return Entry(title, f"{year + 1}-01-{5 + factor % 23:02d}", "report", agency, year, source, factor, **kw)


def _legacy(title: str, agency: str, year: int) -> Entry:
    return Entry(title, f"{year + 1}-03-{10 + year % 15:02d}", "legacy", agency, year)


def _other(title: str, date: str) -> Entry:
    return Entry(title, date, "other")


ENTRIES = (
    _report("烟台市生态环境局2022年政府信息公开年报", "烟台市生态环境局", 2022, 23),
    _other("关于做好2022年政府信息公开年度报告编制发布工作的通知", "2022-12-20"),
    _legacy("2014奋发镇政府信息公开年度报告", "奋发镇人民政府", 2014),
    _report("烟台市芝罘區2021年政府信息公開工作年度報告", "烟台市芝罘區人民政府", 2021, 21, traditional=True),
    _other("烟台市2021年政府信息公开工作年度报告展示平台", "2022-02-10"),
    _report("莱山区人民政府办公室2021年度政府信息公开工作年度报告", "烟台市莱山区人民政府办公室", 2021, 22),
    _legacy("2009上海市长宁区政府信息公开年度报告", "上海市长宁区人民政府", 2009),
    _other("中华人民共和国政府信息公开工作年度报告格式", "2021-09-26"),
    _report("蓬莱区大辛店镇人民政府2021年政务公开工作年度报告", "烟台市蓬莱区大辛店镇人民政府", 2021, 24),
    _report("2020年度龙口市卫生健康局政府信息公开工作报告", "龙口市卫生健康局", 2020, 5, "seed:000"),
    _other("烟台市2021年法治政府建设年度报告", "2022-03-28"),
    Entry("东昌府区2019年政府信息公开工作年度报告.doc", "2020-01-20", "file", file="titles_dcf_2019.doc",
          direct=True),
    _report("海阳市凤城街道办事处政府信息公开工作年度报告（2021年）", "海阳市凤城街道办事处", 2021, 25),
    _other("2022年烟台市政务公开工作要点", "2022-04-06"),
    _report("栖霞市教育和体育局2022年度信息公开工作报告", "栖霞市教育和体育局", 2022, 26),
    _report("关于招远市2020年政府信息公开工作情况的报告", "招远市人民政府", 2020, 6, "seed:001"),
    _other("烟台市2020年市级部门决算", "2021-08-30"),
    _report("莱阳市2022年度报告", "莱阳市人民政府", 2022, 27),
    _legacy("莱州市政府信息公开年报2018", "莱州市人民政府", 2018),
    _other("2020年烟台市国民经济和社会发展统计公报", "2021-03-20"),
    _report("2021年烟台市医疗保障局政府信息公开年度报告", "烟台市医疗保障局", 2021, 28),
    _report("烟台市住房和城乡建设局2021年政府信息公开工作年度报告", "烟台市住房和城乡建设局", 2021, 29),
    _other("烟台市人民政府信息公开指南", "2021-06-01"),
    _report("烟台市人民政府2020年政府信息公开工作年度报告", "烟台市人民政府", 2020, 7, "seed:002"),
    _other("2022年烟台市政府工作报告", "2022-01-12"),
    _report("烟台经济技术开发区2022年政府信息公开工作年度报告", "烟台经济技术开发区管理委员会", 2022, 30),
    _other("图解：烟台市2021年政府信息公开工作年度报告", "2022-01-30"),
    _report("烟台高新技术产业开发区管委2021年政府信息公开工作年度报告", "烟台高新技术产业开发区管理委员会", 2021, 31),
    _other("烟台市人民政府网站2021年工作年度报表", "2022-01-18"),
    _report("长岛综合试验区2020年度政府信息公开工作年度报告", "长岛海洋生态文明综合试验区管理委员会", 2020, 4, "seed:003"),
    _other("烟台市2021年度政务公开第三方评估报告", "2022-05-16"),
    _report("烟台市公安局2019年政府信息公开工作年度报告", "烟台市公安局", 2019, 8, "seed:002"),
    _other("国务院办公厅政府信息公开与政务公开办公室关于印发中华人民共和国政府信息公开工作年度报告格式的通知",
           "2021-09-26"),
    _report("烟台市统计局2022年政府信息公开工作年度报告", "烟台市统计局", 2022, 32),
    _other("烟台市召开2022年度政府信息公开工作年度报告编制工作培训会", "2022-12-08"),
    _report("烟台市财政局2021年政府信息公开工作年度报告", "烟台市财政局", 2021, 33),
    _other("2022年烟台市国有资产管理情况的报告", "2022-10-25"),
    _report("烟台市审计局2022年政府信息公开工作年度报告", "烟台市审计局", 2022, 34),
    _other("烟台市2021年度审计工作报告", "2022-08-29"),
    _report("烟台市司法局2021年政府信息公开年度报告", "烟台市司法局", 2021, 35),
    _other("2021年度政府信息公开工作情况", "2022-02-15"),
    _legacy("烟台市信访局2017年政府信息公开工作年度报告", "烟台市信访局", 2017),
    _other("关于2021年度政府信息公开工作年度报告的更正说明", "2022-02-20"),
    _legacy("福山区门楼镇2016年政府信息公开年度报告", "烟台市福山区门楼镇人民政府", 2016),
    _other("烟台市2022年政府信息公开工作年度报告解读", "2023-01-31"),
    _report("烟台市自然资源和规划局2022年政府信息公开工作年度报告", "烟台市自然资源和规划局", 2022, 36),
    _other("一图读懂烟台市2022年政府信息公开工作年度报告", "2023-02-01"),
    _report("烟台市交通运输局2020年度政府信息公开工作报告", "烟台市交通运输局", 2020, 6, "seed:000"),
    _other("烟台市2022年度政府信息公开工作年度报告发布会", "2023-01-28"),
    _report("烟台市市场监督管理局2022年政府信息公开工作年度报告", "烟台市市场监督管理局", 2022, 37),
    _other("政府信息公开工作年度报告模板", "2021-12-01"),
    _legacy("牟平区人民政府2010年政府信息公开工作年度报告", "烟台市牟平区人民政府", 2010),
    _other("2021年度政务公开考核结果通报", "2022-03-15"),
    _report("烟台市应急管理局2021年政府信息公开工作年度报告", "烟台市应急管理局", 2021, 38),
    _other("烟台市2022年政务公开工作实施方案", "2022-04-20"),
    _legacy("蓬莱市2015年政府信息公开工作年度报告", "蓬莱市人民政府", 2015),
    _other("关于征集2023年政务公开工作意见建议的公告", "2022-11-30"),
    _report("烟台市民政局2022年政府信息公开工作年度报告", "烟台市民政局", 2022, 39),
    _other("烟台市2021年度依申请公开办理情况统计", "2022-01-10"),
    _report("烟台市退役军人事务局2021年政府信息公开工作年度报告", "烟台市退役军人事务局", 2021, 40),
    _other("2020年12月政府信息公开申请受理情况", "2021-01-05"),
)
CUT = 20  # the list prints this many characters, the rest only in a@title


def page(title: str, main: str) -> str:
    side = "<br>".join(f'<a href="{h}">{t}</a>' for t, h in (
        ("政府信息<br>公开指南", "/col/col5018/index.html"), ("政府信息<br>公开制度", "/col/col5019/index.html"),
        ("法定主动<br>公开内容", "/col/col5020/index.html"), ("政府信息<br>公开年报", LIST_PATH)))
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{esc(title)} 烟台市人民政府</title>
<link rel="stylesheet" href="/css/style.css"></head><body>
<div id="header">烟台市人民政府</div><div id="nav"><a href="/">首页</a> <a href="/col/col5000/index.html">政务公开</a></div>
<div id="main"><div id="left">{side}</div><div id="right"><div class="position">首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
{main}</div></div><div id="footer">烟台市人民政府办公室主办 网站标识码3706000001</div></body></html>"""


def article(title: str, date: str, content: str) -> str:
    return page(title, f'<div class="art"><h1>{esc(title)}</h1><div class="info">{date}</div>{content}</div>')


def _pager(current: int, count: int) -> str:
    low = max(1, min(current - WINDOW // 2, count - WINDOW + 1))
    def href(n: int) -> str:
        return "index.html" if n == 1 else f"index.html?page={n}"

    numbers = " ".join(f"<b>{n}</b>" if n == current else f'<a href="{href(n)}">{n}</a>'
                       for n in range(low, min(count, low + WINDOW - 1) + 1))
    nxt = f'<a href="index.html?page={current + 1}">下一页</a>' if current < count else ""
    return f'<div class="pages">共{count}页 {numbers} {nxt} <a href="index.html?page={count}">尾页</a></div>'


def build_titles(host_index: int) -> Site:
    resources: dict[str, Resource] = {"/robots.txt": robots(), "/css/style.css": CSS}
    expected, distractors, listed = [], [], []
    for i, e in enumerate(ENTRIES):
        y, m, d = e.date.split("-")
        detail = f"/art/{y}/{int(m)}/{int(d)}/art_5021_{60000 + i}.html"
        file_path = f"/module/download/downfile.jsp?classid=0&filename={6000 + i}.{e.file.rsplit('.', 1)[-1]}" \
            if e.file else ""
        found, report, linked = publish(e, LIST_PATH, detail, file_path, article, "烟台市")
        resources.update(found)
        listed.append((e, linked))
        (expected if report else distractors).append(report or linked)
    count = -(-len(listed) // PER_PAGE)
    list_pages = []
    for p in range(1, count + 1):
        rows = "".join(
            f'<li><a href="{esc(href)}" title="{esc(e.title)}" target="_blank">'
            f'{esc(e.title if len(e.title) <= CUT else e.title[:CUT] + "...")}</a><span>{e.date}</span></li>'
            for e, href in listed[(p - 1) * PER_PAGE:p * PER_PAGE])
        at = LIST_PATH if p == 1 else f"{LIST_PATH}?page={p}"
        resources[at] = html_resource(page("政府信息公开年报", f'<ul class="list">{rows}</ul>{_pager(p, count)}'))
        list_pages.append(at)
    for col, title in (("5018", "政府信息公开指南"), ("5019", "政府信息公开制度"), ("5020", "法定主动公开内容"),
                       ("5000", "政务公开")):
        resources[f"/col/col{col}/index.html"] = html_resource(page(title, f"<h2>{title}</h2>"))
    resources["/"] = html_resource(page("烟台市人民政府", '<a href="/col/col5000/index.html">政务公开</a>'))
    return Site(
        name="titles", cms="generic", agency=AGENCY, host_index=host_index, resources=resources,
        expected=expected, list_path=LIST_PATH, start_path=LIST_PATH, list_pages=list_pages,
        distractors=distractors,
    )
