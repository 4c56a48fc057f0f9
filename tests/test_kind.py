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


@pytest.mark.parametrize(
    "title,kind",
    [
        ("关于做好2022年政府信息公开年度报告编制发布工作的通知", "notice"),
        ("中华人民共和国政府信息公开工作年度报告格式", "format"),
        ("烟台市2021年政府信息公开工作年度报告展示平台", "platform"),
        ("烟台市2021年法治政府建设年度报告", "rule_of_law"),
        ("图解：烟台市2021年政府信息公开工作年度报告", "interpretation"),
        ("烟台市召开2022年度政府信息公开工作年度报告编制工作培训会", "event"),
        ("烟台市统计局2022年政府信息公开工作年度报告", None),  # 统计局 is an agency
        ("青岛高新技术产业开发区管理委员会2020年政府信息公开工作年度报告", None),
    ],
)
def test_other_kinds_by_title(title, kind):
    from parsers.kind import other_kind

    assert other_kind(title) == kind


def test_a_notice_with_the_blank_template_is_no_report():
    """The 年报格式 a notice carries has the standard tables; the title settles it."""
    body = ("<p>各镇街、区直各部门：</p><p>现就做好2022年政府信息公开工作年度报告编制发布工作通知如下。</p>"
            "<table><tr><td>本年新制作数量</td><td></td></tr></table>")
    report = parse_bytes(_page("关于做好2022年政府信息公开年度报告编制发布工作的通知", body), "n.html")
    assert report.kind == "not_report"


def test_short_title_known_by_its_opening_words():
    body = ("<p>根据《中华人民共和国政府信息公开条例》规定，现公布烟台市福山区人民政府2018年政府信息公开"
            "工作年度报告。</p><p>一、概述</p><p>2018年，福山区推进政务公开。</p>")
    report = parse_bytes(_page("烟台市福山区人民政府2018年度报告", body), "r.html")
    assert (report.kind, report.template) == ("annual_report", "legacy")
    audit = parse_bytes(_page("烟台市2021年度审计工作报告", "<p>现将审计工作报告如下，请予审议。</p>"), "a.html")
    assert audit.kind == "not_report"
