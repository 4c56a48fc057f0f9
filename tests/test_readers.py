"""The table model: rowspan/colspan expansion, text layouts, encodings."""

from parsers.document import SpanCell, expand
from parsers.encoding import decode
from parsers.html_reader import read_html
from parsers.text_reader import read_text


def test_expand_repeats_rowspan_and_gives_colspan_once():
    rows = [
        [
            SpanCell("三、本年度办理结果", rowspan=2),
            SpanCell("（一）予以公开", colspan=2),
            SpanCell("5"),
        ],
        [SpanCell("（三）不予公开"), SpanCell("1.属于国家秘密"), SpanCell("0")],
    ]
    assert expand(rows) == [
        ("三、本年度办理结果", "（一）予以公开", "5"),
        ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "0"),
    ]


def test_expand_survives_absurd_spans():
    rows = [[SpanCell("a", rowspan=10**9, colspan=10**9)], [SpanCell("b")]]
    out = expand(rows)
    assert out[0] == ("a",) and out[1][0] == "a"


def test_text_one_cell_per_line_with_continuation():
    doc = read_text("\t规章\n（市政府令）\n\t0\n\t1\n\n正文\n")
    assert doc.items == [("规章\n（市政府令）", "0", "1"), "正文"]


def test_text_tab_rows_keep_empty_cells():
    doc = read_text("\t\t3\t\t5\n")
    assert doc.items == [("", "", "3", "", "5")]


def test_gbk_declared_utf8_is_decoded():
    page = '<meta charset="utf-8"><p>自然人</p>'.encode("gbk")
    text, enc = decode(page)
    assert "自然人" in text and enc == "gb18030"


def test_utf8_declared_gbk_is_decoded():
    page = '<meta charset="gbk"><p>法人或其他组织</p>'.encode()
    text, enc = decode(page)
    assert "法人或其他组织" in text and enc == "utf-8"


def test_html_layout_table_and_word_markup():
    page = (
        "<html><body><table><tr><td><p>二、主动公开政府信息情况</p>"
        "<table><tr><td><p class=MsoNormal><span>规</span><span>章</span><o:p></o:p></p></td>"
        "<td>1</td></tr></table></td></tr></table></body></html>"
    ).encode()
    doc = read_html(page)
    assert "二、主动公开政府信息情况" in doc.paragraphs
    assert ("规章", "1") in doc.rows
