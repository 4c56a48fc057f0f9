"""Rows a page break cut in two are joined back (parsers.pagebreak)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import parsers.pagebreak
from layouts.render import span_tables
from parsers import parse_file
from parsers.document import expand
from parsers.pagebreak import add_page, is_page_number, join_split
from tests.conftest import load_expected
from tests.test_properties import filled_template

ZEROS = ("0",) * 7
BLANKS = ("",) * 7


def test_label_continuing_on_the_next_page_is_joined():
    before = ("三、本年度办理结果", "（三）", "1.属于", "1", *ZEROS[:6])
    after = ("", "不予公开", "国家秘密", *BLANKS)
    assert join_split(before, after) == (
        "三、本年度办理结果",
        "（三） 不予公开",
        "1.属于 国家秘密",
        "1",
        *ZEROS[:6],
    )


def test_label_on_one_page_numbers_on_the_next_is_joined():
    before = ("", "（二）部分公开（区分", *BLANKS)
    after = ("", "处理的，只计这一情形，不计其他情形）", "1", *ZEROS[:6])
    assert join_split(before, after) == (
        "",
        "（二）部分公开（区分 处理的，只计这一情形，不计其他情形）",
        "1",
        *ZEROS[:6],
    )


def test_empty_remainder_of_a_row_is_dropped():
    before = ("四、结转下年度继续办理", *ZEROS)
    assert join_split(before, ("",) * 8) == before


@pytest.mark.parametrize(
    "before, after",
    [
        # the next row starts with its own number
        (("", "8.属于行政查询事项", *ZEROS), ("", "（四）无法提供", *BLANKS)),
        (("", "7.属于行政执法案卷", *BLANKS), ("", "8.属于行政查询事项", *ZEROS)),
        # both rows hold numbers: two rows, whatever their labels
        (("规章", "0", "0", "0"), ("规范性文件", "11", "11", "22")),
        # a header row (labels only) then the first data row
        (
            ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
            ("行政许可", "616", "减少338", "14403"),
        ),
        # different tables
        (("行政事业性收费", "31", "减少2"), ("行政复议", "行政诉讼")),
    ],
)
def test_rows_of_their_own_are_kept_apart(before, after):
    assert join_split(before, after) is None


def test_page_numbers_between_the_halves_do_not_stop_the_join():
    items: list = [("", "5.要求行政机", *ZEROS), "- 2 -"]
    add_page(items, ["第3页", ("", "关确认或重新出具已获取信息", *BLANKS), "（六）其他处理"])
    assert items == [
        ("", "5.要求行政机 关确认或重新出具已获取信息", *ZEROS),
        "- 2 -",
        "第3页",
        "（六）其他处理",
    ]
    assert is_page_number("第 3 页 共 5 页") and is_page_number("3/5")
    assert not is_page_number("（六）其他处理")


def test_text_between_the_halves_stops_the_join():
    items: list = [("", "5.要求行政机", *ZEROS)]
    add_page(items, ["四、政府信息公开行政复议、行政诉讼情况", ("", "关确认", *BLANKS)])
    assert len(items) == 3


@pytest.mark.parametrize(
    "name",
    ["yicheng_2019_rowsplit.pdf", "laoshan_2021_rowsplit.pdf", "yicheng_2019_rowsplit_headers.pdf"],
)
def test_rowsplit_fixture_needs_the_join(fixtures, monkeypatch, name):
    """The fixture really has rows across pages: read page by page, rows are lost."""
    exp = load_expected(fixtures / "office" / f"{name}.expected.json")["cells"]

    def right() -> int:
        got = {k: c.value for k, c in parse_file(fixtures / "office" / name).cells.items()}
        return sum(1 for k, v in exp.items() if k in got and got[k] == v)

    assert right() == len(exp)
    monkeypatch.setattr(parsers.pagebreak, "join_split", lambda before, after: None)
    # without the join cells are lost (near-miss label matching saves some of the halves)
    assert right() < len(exp)


def test_header_rows_repeated_on_the_new_page_are_looked_past():
    header = ("（本列数据的勾稽关系为…）", "自然人", "商业企业", "总计")
    items: list = [header, ("三、本年度办理结果", "（三）", "1.属于", "1", "0")]
    add_page(items, [header, ("", "不予公开", "国家秘密", "", ""), ("", "", "2.其他", "0", "0")])
    assert items == [
        header,
        ("三、本年度办理结果", "（三） 不予公开", "1.属于 国家秘密", "1", "0"),
        header,
        ("", "", "2.其他", "0", "0"),
    ]


@settings(max_examples=60, deadline=None)
@given(filled_template())
def test_two_printed_rows_are_never_joined(case):
    """Any two rows of the published layouts, blank cells and all, stay two rows."""
    template, cells, _, _ = case
    for _, rows in span_tables(cells, template):
        grid = expand(rows)
        for before, after in zip(grid, grid[1:], strict=False):
            assert join_split(before, after) is None, (before, after)


@settings(max_examples=60, deadline=None)
@given(filled_template(), st.data())
def test_a_table_row_cut_in_its_label_is_joined_back(case, data):
    """A row of table 三 cut after any line of its label (2+ characters: a page break
    falls between printed lines), numbers before the break, the rest after it."""
    template, cells, _, _ = case
    apps = expand(span_tables(cells, template)[1][1])[3:]  # below the three header rows
    row = data.draw(st.sampled_from([r for r in apps if len(r[-8]) > 3]))
    label = row[-8]
    cut = data.draw(st.integers(2, len(label) - 1))
    blank = ("",) * (len(row) - 8)
    before = (*row[:-8], label[:cut], *row[-7:])
    after = (*blank, label[cut:], *("",) * 7)
    assert join_split(before, after) == (*row[:-8], f"{label[:cut]} {label[cut:]}", *row[-7:])
