"""Small replica sites for the publishers of the shared seed reports.

The seeds are the text of real published reports, with hand-checked cells; the
demo archive must hold each of them. 城阳区 (seed 000) and 峄城区 (seed 001) are
already on the TRS and generic replicas; 芝罘区, 青岛高新区 and 王哥庄街道 get a
plain site each, crawled from its 年报 column, which links the seed text directly
as an attachment.
"""

from __future__ import annotations

import json

from replica.attachments import GENERATED
from replica.cells import FIXTURES
from replica.layout import esc, html_resource, robots
from replica.sites import ExpectedReport, Resource, Site

SEEDS = (  # name, seed, agency (as the site names it), title, date
    ("zhifu", "002", "烟台市芝罘区人民政府", "烟台市芝罘区人民政府2019年政府信息公开工作年度报告", "2020-01-20"),
    ("qingdao_hitech", "003", "青岛高新技术产业开发区管理委员会",
     "青岛高新区2020年度政府信息公开年度报告", "2021-02-07"),
    ("wanggezhuang", "004", "青岛市崂山区王哥庄街道办事处",
     "青岛市崂山区王哥庄街道办事处2020年政府信息公开工作年度报告", "2021-01-29"),
)


def _page(agency: str, title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)}</title></head>'
        f'<body><div class="header">{esc(agency)}</div><ul class="nav"><li><a href="/">首页</a></li>'
        f'<li><a href="/zwgk/">政府信息公开</a></li></ul><div class="main">{body}</div>'
        f'<div class="footer">版权所有：{esc(agency)}</div></body></html>'
    )


def build_seed_site(name: str, seed: str, agency: str, title: str, date: str, host_index: int) -> Site:
    exp = json.loads(next((FIXTURES / "seeds").glob(f"{seed}_*.expected.json")).read_text("utf-8"))
    text = (FIXTURES / "seeds" / exp["source"]).read_bytes()
    year = exp["year"]
    attachment = f"/uploadfile/{year + 1}/{seed}.txt"
    column = "/zwgk/ndbg/index.html"
    resources = {
        "/robots.txt": robots(),
        "/": html_resource(_page(agency, agency, '<a href="/zwgk/">政府信息公开</a>')),
        "/zwgk/": html_resource(_page(agency, "政府信息公开",
                                      '<ul><li><a href="/zwgk/zn/">政府信息公开指南</a></li>'
                                      f'<li><a href="{column}">政府信息公开年报</a></li></ul>')),
        "/zwgk/zn/": html_resource(_page(agency, "政府信息公开指南", "<p>政府信息公开指南。</p>")),
        column: html_resource(_page(agency, "政府信息公开年报",
                                    f'<ul class="list"><li><a href="{attachment}">{esc(title)}</a>'
                                    f"<span>{date}</span></li></ul>")),
    }
    resources[attachment] = Resource(text, "text/plain; charset=utf-8")
    return Site(
        name=name, cms="generic", agency=agency, host_index=host_index, resources=resources,
        expected=[ExpectedReport(
            path=attachment, agency=exp["agency"], year=year, template=exp["template"], fmt="text",
            page_path=column, title=title, date=date, cells=exp["cells"],
        )],
        list_path=column, list_pages=[column], start_path=column,
    )


def add_scanned_report(site: Site) -> None:
    """A second, older report on the 芝罘区 site, published as a scan (the OCR path)."""
    a = GENERATED["zhifu_2020_scanned.pdf"]
    title = f"{a.agency}{a.year}年政府信息公开工作年度报告（扫描件）"
    detail = f"/zwgk/ndbg/{a.year + 1}/t{a.year + 1}0125_scan.html"
    attachment = f"/uploadfile/{a.year + 1}/{a.file}"
    column = site.list_path
    listing = site.resources[column].body.decode()
    entry = f'<li><a href="{detail}">{esc(title)}</a><span>{a.year + 1}-01-25</span></li>'
    site.resources[column] = html_resource(listing.replace('<ul class="list">', f'<ul class="list">{entry}', 1))
    site.resources[detail] = html_resource(_page(
        a.agency, title, f"<h1>{esc(title)}</h1>"
        f'<p>附件：<a href="{attachment}">{esc(title)}.pdf</a></p>'))
    site.resources[attachment] = Resource(a.data(), a.content_type)
    site.expected.append(ExpectedReport(
        path=attachment, agency=a.agency, year=a.year, template=a.template, fmt="pdf",
        page_path=column, title=title, date=f"{a.year + 1}-01-25", detail_path=detail, cells=a.cells(),
    ))


def build_seed_sites(first_host: int) -> list[Site]:
    sites = [build_seed_site(*row, first_host + i) for i, row in enumerate(SEEDS)]
    add_scanned_report(sites[0])
    return sites
