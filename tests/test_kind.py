"""What a document is: an annual report of a template, a legacy report, or no report."""

import pytest

from parsers import parse_bytes
from parsers.sections import split_sections


def _page(title: str, body: str = "<p>一、总体情况</p><p>2017年，本局推进政务公开。</p>") -> bytes:
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>".encode()


@pytest.mark.parametrize(
    "title,kind,template",
    [
        ("青岛市城阳区人民政府2017年政府信息公开工作年度报告", "annual_report", "legacy"),
        ("崂山区2012年度政府信息公开工作报告", "annual_report", "legacy"),
        ("城阳区人民政府政府信息公开指南", "not_report", None),
        ("2021年城阳区政务公开工作要点", "not_report", None),
        ("青岛市城阳区教育体育局2020年部门决算", "not_report", None),
        ("2020年城阳区国民经济和社会发展统计公报", "not_report", None),
    ],
)
def test_kind_from_title(title, kind, template):
    report = parse_bytes(_page(title), "page.html")
    assert (report.kind, report.template) == (kind, template)
    assert report.cells == {}


def test_report_without_tables_after_2019_warns():
    report = parse_bytes(_page("城阳区2021年政府信息公开工作年度报告"), "page.html")
    assert report.kind == "annual_report" and report.template is None
    assert "no standard tables found" in report.warnings


def test_sections_split_in_order():
    lines = [
        "标题",
        "一、总体情况",
        "正文一",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "问题",
        "改进",
        "六、其他需要报告的事项",
        "无。",
    ]
    parts = split_sections(lines)
    assert [p["number"] for p in parts] == [1, 2, 3, 4, 5, 6]
    assert parts[0]["text"] == "正文一" and parts[4]["text"] == "问题\n改进"


def test_html_body_drops_site_chrome(fixtures):
    from parsers import parse_file

    report = parse_file(fixtures / "html" / "hanweb_2021.html")
    assert "网站支持IPv6" not in report.text
    assert "2021年，崂山区深入推进政务公开。" in report.sections[0]["text"]
