"""Shared pieces of replica pages: encoding into Resources, report bodies, boilerplate.

Real district pages carry headers, menus and footers (版权所有, 网站标识码) around
the article; a crawler and a body extractor must cope with them, so the replica
pages carry them too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from layouts.render import render_html
from replica.cells import Cells
from replica.sites import Resource

esc = html.escape


def html_resource(text: str, charset: str = "utf-8", declared: str | None = None) -> Resource:
    """``text`` encoded as ``charset``; the HTTP header claims ``declared`` ("" = no charset)."""
    label = charset if declared is None else declared
    content_type = f"text/html; charset={label}" if label else "text/html"
    return Resource(text.encode(charset), content_type)


def robots(disallow: list[str] | tuple[str, ...] = ()) -> Resource:
    lines = ["User-agent: *"] + [f"Disallow: {p}".rstrip() for p in disallow or [""]]
    return Resource(("\n".join(lines) + "\n").encode(), "text/plain")


CSS = Resource(
    b"body{font:14px/1.6 'Microsoft YaHei',SimSun,sans-serif;margin:0}"
    b".nav li{display:inline-block;padding:0 12px}.footer{text-align:center;color:#666}\n",
    "text/css",
)


def redirect(location: str, status: int = 301) -> Resource:
    body = f'<html><body>Moved: <a href="{esc(location)}">{esc(location)}</a></body></html>'
    return Resource(body.encode(), "text/html", status=status, headers={"Location": location})


def report_body(cells: Cells, template: str, agency: str, year: int, signed: str) -> str:
    """The report as render_html writes it, its <h1> split into the usual two centred lines."""
    page = render_html(cells, template, agency, year, signed)
    inner = re.search(r"<body>(.*)</body>", page, re.S)
    assert inner is not None
    head = (
        f'<p style="text-align:center"><strong>{esc(agency)}</strong></p>'
        f'<p style="text-align:center"><strong>{year}年政府信息公开工作年度报告</strong></p>'
    )
    return re.sub(r"<h1>.*?</h1>", lambda _: head, inner.group(1), count=1)


def cn_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def legacy_body(agency: str, year: int, short: str) -> str:
    """A pre-2019 report: six sections of prose, figures in sentences, no standard tables."""
    paras = [
        f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{agency}"
        f"{year}年政府信息公开工作年度报告。本报告由概述，主动公开政府信息情况，依申请公开政府信息"
        "情况，政府信息公开的收费及减免情况，因政府信息公开申请提起行政复议、提起行政诉讼的情况，"
        "政府信息公开工作存在的主要问题及改进情况等部分组成。本报告中所列数据的统计期限自"
        f"{year}年1月1日起至{year}年12月31日止。",
        "一、概述",
        f"{year}年，{short}认真贯彻落实《条例》，进一步完善政府信息公开工作机制，"
        "不断拓宽公开渠道，政府信息公开工作稳步推进。",
        "二、主动公开政府信息情况",
        f"{year}年全区共主动公开政府信息3215条，其中政府文件86件，规划计划类信息142条，"
        "财政预决算信息318条。通过政府网站公开2876条，通过政务微博、微信公开339条。",
        "三、依申请公开政府信息情况",
        f"{year}年共受理政府信息公开申请47件，其中当面申请12件，网上申请29件，信函申请6件。"
        "已全部按期答复，其中同意公开31件，部分公开5件，不予公开3件，信息不存在8件。",
        "四、政府信息公开的收费及减免情况",
        "全年未收取任何政府信息公开相关费用。",
        "五、因政府信息公开申请提起行政复议、提起行政诉讼的情况",
        "全年因政府信息公开申请提起行政复议1件，行政诉讼0件。",
        "六、政府信息公开工作存在的主要问题及改进情况",
        "主要问题是公开内容的全面性和及时性有待提高。下一步将进一步加强培训，规范公开流程。",
    ]
    return "".join(f"<p>{esc(p)}</p>" for p in paras) + (
        f'<p style="text-align:right">{esc(agency)}</p>'
    )


# the 国办 2014–2018 statistics form (统计指标 | 单位 | 统计数), a few of its rows, with the
# numbers legacy_body's prose states: what Shandong's reports of those years append
NATIONAL_FORM = (
    ("一、主动公开情况", "——", "——"),
    ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", "3215"),
    ("其中：主动公开规范性文件数", "条", "86"),
    ("三、依申请公开情况", "——", "——"),
    ("（一）收到申请数", "件", "47"),
    ("1.当面申请数", "件", "12"),
    ("2.网络申请数", "件", "29"),
    ("3.信函申请数", "件", "6"),
    ("（二）申请办结数", "件", "47"),
    ("（三）申请答复数", "件", "47"),
    ("1.属于已主动公开范围数", "件", "0"),
    ("2.同意公开答复数", "件", "31"),
    ("3.同意部分公开答复数", "件", "5"),
    ("4.不同意公开答复数", "件", "3"),
    ("5.不属于本行政机关公开数", "件", "0"),
    ("6.申请信息不存在数", "件", "8"),
    ("四、行政复议数量", "件", "1"),
    ("五、行政诉讼数量", "件", "0"),
    ("七、依申请公开信息收取的费用", "万元", "0"),
)


def legacy_table(agency: str, year: int) -> str:
    """The statistics table a pre-2019 report appends, as Word pastes it into a CMS."""
    cell = '<td style="border:solid windowtext 1.0pt"><p class="MsoNormal">{}<o:p></o:p></p></td>'
    rows = [("统计指标", "单位", "统计数"), *NATIONAL_FORM]
    trs = "".join("<tr>" + "".join(cell.format(esc(c)) for c in row) + "</tr>" for row in rows)
    return (f"<p>附件：{esc(agency)}{year}年政府信息公开情况统计表</p>"
            f'<table class="MsoNormalTable" border="1" cellspacing="0">{trs}</table>')


def article_body(paragraphs: list[str], table: list[list[str]] | None = None) -> str:
    """A plain (non-report) article: prose, optionally one data table."""
    out = [f'<p style="text-indent:2em">{esc(p)}</p>' for p in paragraphs]
    if table:
        rows = "".join(
            "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in table
        )
        out.append(f'<table border="1" cellspacing="0">{rows}</table>')
    return "\n".join(out)


@dataclass(frozen=True)
class Listed:
    """One entry of a list page: the link text, its href, the date shown."""

    title: str
    href: str
    date: str


def distractor_text(title: str, short: str) -> tuple[list[str], list[list[str]] | None]:
    """Body of a non-report article listed next to the reports."""
    if "指南" in title:
        return [
            f"为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制{title}。",
            "一、主动公开。公开的主要内容包括机构职能、政策文件、规划计划、财政预决算等。",
            "二、依申请公开。公民、法人或者其他组织可以通过当面、信函、网络等方式提出申请。",
            "三、监督和救济。申请人认为行政机关侵犯其合法权益的，可以依法申请行政复议或提起行政诉讼。",
        ], None
    if "决算" in title:
        return [
            f"根据预算法有关规定，现将{short}2020年部门决算公开如下。",
            "一、收入支出决算总表",
        ], [
            ["项目", "决算数（万元）"],
            ["一般公共预算财政拨款收入", "152364.21"],
            ["政府性基金预算财政拨款收入", "48213.55"],
            ["本年收入合计", "200577.76"],
            ["本年支出合计", "198432.10"],
        ]
    if "统计公报" in title:
        return [
            f"2020年，面对严峻复杂的国内外环境，{short}经济运行稳中向好。",
            "全年实现地区生产总值896.3亿元，按可比价格计算，比上年增长3.8%。",
            "一般公共预算收入71.2亿元，增长2.1%。城镇新增就业2.1万人。",
        ], None
    return [
        f"为深入推进政务公开工作，现将{title}印发给你们，请结合实际认真贯彻落实。",
        "一、围绕推动高质量发展，加强政策公开。",
        "二、围绕优化营商环境，加强政务服务公开。",
        "三、围绕保障和改善民生，加强社会政策公开。",
    ], None


NEWS_TITLES = (
    "区政府召开常务会议研究部署重点工作",
    "全区安全生产工作会议召开",
    "我区举办重点项目集中开工仪式",
    "区领导调研疫情防控工作",
    "全区优化营商环境工作推进会召开",
    "我区开展“双招双引”专题培训",
    "区人大常委会召开第三十次会议",
    "我区推进乡村振兴示范片区建设",
    "全区文明城市创建工作动员大会召开",
    "我区启动2022年“春风行动”",
    "区政协召开专题协商会",
    "我区举办春季大型人才招聘会",
)


def news_items(
    titles: tuple[str, ...] | list[str], href: Callable[[int], str], remark: str,
    article: Callable[[str, str, str], str],
) -> tuple[list[Listed], dict[str, Resource]]:
    """The news a home page leads with (what a focused crawler must not follow):
    their list entries, and their article pages rendered by the site's ``article``."""
    news = [Listed(t, href(i), f"2022-03-{i + 1:02d}") for i, t in enumerate(titles)]
    pages = {
        n.href: html_resource(article(n.title, n.date, article_body([f"{n.title}。", remark])))
        for n in news
    }
    return news, pages


def news_block(heading: str, news: list[Listed]) -> str:
    items = "".join(f'<li><a href="{n.href}">{esc(n.title)}</a><span>{n.date}</span></li>' for n in news)
    return f'<div class="news"><div class="lmtitle">{esc(heading)}</div><ul class="list">{items}</ul></div>'
