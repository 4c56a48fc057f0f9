"""Real reports once judged not_report: tables one cell per paragraph (a CMS that lost the
table markup) or per line (text copies, with or without ``|``), and a 街道 report whose
title names no year (its text does)."""

from __future__ import annotations

import pytest

from parsers import parse_bytes, parse_file
from parsers.kind import classify
from parsers.loose_cells import BLANK, join_cells
from tests.conftest import expected_files, load_expected

CASES = expected_files("loose")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.split(".")[0])
def test_loose_cell_report_parses_exactly(path):
    exp = load_expected(path)
    report = parse_file(path.parent / exp["source"])
    assert report.kind == exp["kind"] == "annual_report"
    assert {k: c.value for k, c in report.cells.items()} == exp["cells"]
    assert (report.year, report.template, report.agency, report.published) == (
        exp["year"], exp["template"], exp["agency"], exp["published"])
    assert report.failing_checks == exp["failing_checks"]
    if exp["cells"]:
        assert not report.warnings
        assert all(c.ok is not False for c in report.checks)
    else:  # no tables: a report, and the report says what it lacks
        assert report.warnings == ["no standard tables found"]


def test_empty_cells_keep_their_columns(fixtures):
    """The 街道 prints only 总计 in some rows: the empty paragraphs before it hold the
    columns, so the number lands in 总计, not under 自然人."""
    for name in ("street_2020_cells_as_paragraphs.html", "street_2020_cells_as_lines.txt",
                 "street_2020_cells_piped.txt"):
        report = parse_file(fixtures / "loose" / name)
        assert report.cells["applications.carried_over.total"].value == 0
        assert report.cells["applications.carried_over.natural_person"].value is None
        assert report.cells["review.reconsideration.total"].value == 0
        assert report.cells["review.reconsideration.upheld"].value is None


def test_prose_and_short_lists_stay_paragraphs():
    items = ["（一）主动公开", "1.公开文件", "2", "（二）依申请公开", "本年度共收到申请2件。"]
    assert join_cells(items) == items  # one value: a list, not a table
    items = ["规章", "0", BLANK, "0", "本年度共收到申请2件，均已办结。", "规范性文件"]
    assert join_cells(items) == ["规章", "0", "0", "本年度共收到申请2件，均已办结。", "规范性文件"]


def test_cells_become_rows_labels_then_values():
    items = ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", "规章", "0", BLANK, "1",
             "规范性文件", "2", "3", "4", "五、存在的主要问题及改进情况"]
    assert join_cells(items) == [
        ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", "规章", "0", "", "1"),
        ("规范性文件", "2", "3", "4"),
        "五、存在的主要问题及改进情况",
    ]


def test_a_title_without_year_needs_the_year_and_the_parts():
    title = "驼峰路街道办事处政府信息公开工作年度报告"
    assert classify(title, None, 2020, "", parts=4) == ("annual_report", None)
    assert classify(title, None, 2016, "", parts=4) == ("annual_report", "legacy")
    assert classify(title, None, None, "", parts=4) == ("not_report", None)  # no year anywhere
    assert classify(title, None, 2020, "", parts=1) == ("not_report", None)  # a page naming it
    assert classify("关于报送政府信息公开工作年度报告的通知", None, 2020, "", parts=6)[0] == "not_report"


def test_the_year_is_not_a_date():
    page = ("<html><head><title>某某街道办事处政府信息公开工作年度报告</title></head><body>"
            "<h1>某某街道办事处政府信息公开工作年度报告</h1><p>发布时间：2021年01月18日</p>"
            "<p>一、总体情况</p><p>2020年度我街办未接到政府信息公开申请。</p>"
            "<p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p>"
            "</body></html>")
    report = parse_bytes(page.encode(), "x.html")
    assert (report.kind, report.year) == ("annual_report", 2020)


LOOSE = [p for p in sorted((CASES[0].parent).glob("*_cells_*")) if p.suffix in (".html", ".txt")]


@pytest.mark.parametrize("path", LOOSE, ids=lambda p: p.name)
def test_each_loose_cell_says_where_it_was_printed(path):
    """An empty cell too: its empty paragraph, or its blank line. Checked by reading the
    page again (lxml) or the text's lines, not by asking the reader."""
    from parsers.encoding import decode
    from parsers.html_reader import page_tree
    from parsers.labels import clean
    from tests import where_checks as wc

    report = parse_file(path)
    assert report.cells
    if path.suffix == ".txt":
        wc.text_lines_hold_raw(report, decode(path.read_bytes())[0])
        return
    wc.every_cell_located(report, "path")
    tree = page_tree(path.read_bytes()).getroottree()
    wrong = {k: (c.raw, c.where) for k, c in report.cells.items()
             if [clean(el.text_content()) for el in tree.xpath(c.where["path"])] != [c.raw]}
    assert not wrong, list(wrong.items())[:3]
    assert any(c.raw == "" for c in report.cells.values())  # the empty <p> cells are there
