"""One list entry of a replica column, published: its page, its file, what it holds.

The portal replicas (福山区, 牟平区, the column of copied titles) list reports beside
notices, plans and news that name the same years; each entry is rendered into the
site's own article page, and the reports into ``ExpectedReport``s a crawl is judged
against. The site module decides the URLs and the page shell (its own "hand").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from parsers.hanzi import simplified
from replica.attachments import GENERATED
from replica.cells import FIXTURES, cells_for
from replica.layout import (
    article_body,
    cn_date,
    distractor_text,
    esc,
    html_resource,
    legacy_body,
    report_body,
)
from replica.sites import ExpectedReport, Resource

Article = Callable[[str, str, str], str]  # (title, iso date, content html) -> page


@dataclass(frozen=True)
class Entry:
    """A list entry. ``kind``: report (inline HTML), legacy (pre-2019 prose), file (an
    office attachment, from ``GENERATED``), seed (a seed report's text), pictures (a page
    whose tables are a picture, ``file`` under tests/fixtures/scans), or other."""

    title: str
    date: str
    kind: str
    agency: str = ""
    year: int = 0
    source: str = ""  # cells of a report: seed:NNN or hanweb (see cells.py)
    factor: int = 1
    file: str = ""  # GENERATED attachment (kind file) or seed number (kind seed)
    direct: bool = False  # the list links the file itself, not an article page
    traditional: bool = False  # the article is printed in traditional characters
    attached: tuple[str, ...] = ()  # files hanging from an "other" page (never reports)

    @property
    def is_report(self) -> bool:
        return self.kind != "other"


def _template(source: str) -> str:
    return "2021" if source == "hanweb" else "2019"


def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def other_paragraphs(title: str, short: str) -> tuple[list[str], list[list[str]] | None]:
    """The body of a page listed beside the reports: a notice, a plan, news."""
    if "通知" in title or "函" in title:
        return [
            "各镇街、区直各部门：",
            f"根据《中华人民共和国政府信息公开条例》规定，现就{title.removeprefix('关于').removesuffix('的通知')}"
            "有关事项通知如下。",
            "一、按照国务院办公厅印发的年度报告格式，认真做好统计和编制工作，确保数据准确。",
            "二、年度报告经本机关主要负责同志审定后，于1月31日前在政府网站公开。",
            "附件：政府信息公开工作年度报告格式",
        ], None
    if "法治政府" in title:
        return [
            f"{short}深入学习贯彻习近平法治思想，全面推进法治政府建设，现将有关情况报告如下。",
            "一、加强党对法治政府建设的领导，健全依法决策机制。",
            "二、深化行政执法体制改革，严格规范公正文明执法。",
        ], None
    if title.endswith(("会", "会召开")) or "召开" in title or "举办" in title:
        return [
            f"近日，{title}。会议传达学习了上级有关文件精神，部署了下一阶段重点任务。",
            "会议强调，要进一步提高思想认识，压实工作责任，确保各项工作落到实处。",
        ], None
    if "情况的报告" in title or "审计" in title or "国有资产" in title:
        return [
            f"受区人民政府委托，现将{title.removesuffix('的报告')}报告如下，请予审议。",
            "一、总体情况。全区各项工作稳步推进，主要指标完成良好。",
            "二、存在的问题和下一步工作打算。",
        ], None
    return distractor_text(title, short)


def publish(entry: Entry, list_path: str, detail: str, file_path: str, article: Article,
            short: str) -> tuple[dict[str, Resource], ExpectedReport | None, str]:
    """Resources of one entry, its ExpectedReport (None for other kinds), and the path
    the list links (the article page, or the file itself for ``direct`` entries)."""
    if entry.kind == "other":
        paras, table = other_paragraphs(entry.title, short)
        content = article_body(paras, table) + "".join(
            f'<p>附件：<a href="{esc(path)}">{esc(path.rsplit("/", 1)[-1])}</a></p>'
            for path in entry.attached
        )
        return {detail: html_resource(article(entry.title, entry.date, content))}, None, detail
    if entry.kind in ("file", "seed"):
        return _publish_file(entry, list_path, detail, file_path, article)
    if entry.kind == "pictures":
        return _publish_pictures(entry, list_path, detail, file_path, article, short)
    if entry.kind == "legacy":
        content = legacy_body(entry.agency, entry.year, short)
        expected = ExpectedReport(detail, entry.agency, entry.year, "legacy", "html", list_path,
                                  entry.title, entry.date)
    else:
        cells = cells_for(entry.source, entry.factor)
        content = report_body(cells, _template(entry.source), entry.agency, entry.year,
                              cn_date(entry.date))
        expected = ExpectedReport(detail, entry.agency, entry.year, _template(entry.source), "html",
                                  list_path, entry.title, entry.date, cells=cells)
    page = article(entry.title, entry.date, content)
    if entry.traditional:
        page = _traditional(page)
        expected = ExpectedReport(**{**expected.__dict__, "agency": simplified(expected.agency)})
    return {detail: html_resource(page)}, expected, detail


def _publish_file(entry: Entry, list_path: str, detail: str, file_path: str,
                  article: Article) -> tuple[dict[str, Resource], ExpectedReport, str]:
    if entry.kind == "seed":
        exp = json.loads(next((FIXTURES / "seeds").glob(f"{entry.file}_*.expected.json")).read_text("utf-8"))
        data, content_type = (FIXTURES / "seeds" / exp["source"]).read_bytes(), "text/plain; charset=utf-8"
        agency, year, template, fmt, cells = exp["agency"], exp["year"], exp["template"], "text", exp["cells"]
    else:
        a = GENERATED[entry.file]
        data, content_type = a.data(), a.content_type
        agency, year, template, fmt, cells = a.agency, a.year, a.template, a.fmt, a.cells()
    resources = {file_path: Resource(data, content_type)}
    linked = file_path
    if not entry.direct:
        name = file_path.rsplit("/", 1)[-1]
        resources[detail] = html_resource(article(
            entry.title, entry.date,
            f'<p style="text-indent:2em">{esc(entry.title)}全文见附件。</p>'
            f'<p>附件：<a href="{esc(file_path)}">{esc(name)}</a></p>'))
        linked = detail
    expected = ExpectedReport(file_path, agency, year, template, fmt, list_path, entry.title,
                              entry.date, detail_path="" if entry.direct else detail, cells=cells)
    return resources, expected, linked


def _publish_pictures(entry: Entry, list_path: str, detail: str, file_path: str, article: Article,
                      short: str) -> tuple[dict[str, Resource], ExpectedReport, str]:
    """The report's text on the page, its tables as one picture in it (as agencies paste a
    screenshot of the Word tables): the cells are the picture's."""
    exp = json.loads((FIXTURES / "scans" / f"{entry.file}.expected.json").read_text("utf-8"))
    kind = "image/png" if entry.file.endswith(".png") else "image/jpeg"
    paras = [
        f"本报告根据《中华人民共和国政府信息公开条例》编制，统计期限自{exp['year']}年1月1日起至"
        f"{exp['year']}年12月31日止。",
        "一、总体情况", f"{exp['year']}年，{short}坚持以公开为常态、不公开为例外，持续推进政务公开。",
        "二、主动公开政府信息情况",
    ]
    content = (article_body(paras) + f'<p style="text-align:center"><img src="{esc(file_path)}" '
               f'width="900" alt="{esc(entry.title)}"></p>'
               + article_body(["五、存在的主要问题及改进情况", "公开内容的全面性和及时性有待提高。",
                               "六、其他需要报告的事项", "无。"]))
    resources = {detail: html_resource(article(entry.title, entry.date, content)),
                 file_path: Resource((FIXTURES / "scans" / entry.file).read_bytes(), kind)}
    expected = ExpectedReport(detail, entry.agency, exp["year"], exp["template"], "html", list_path,
                              entry.title, entry.date, cells=exp["cells"])
    return resources, expected, detail
