"""Pages not quite in their charset: a bad byte is replaced and said, never the document lost;
a charset Python does not know is no internal error."""

from __future__ import annotations

import pytest

from layouts.render import render_html, render_text
from parsers import parse_bytes
from parsers.encoding import decode_page, text_codec
from tests.fixtures.make_html_fixtures import gbk_damaged_pages, seed_cells, trs_page

CELLS = seed_cells("000")
PAGES = gbk_damaged_pages(CELLS)


def _values(report) -> dict:
    return {k: c.value for k, c in report.cells.items()}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_gbk_page_with_a_bad_byte_keeps_every_cell_and_says_so(name):
    report = parse_bytes(PAGES[name], f"{name}.html")
    assert report.kind == "annual_report"
    assert report.agency == "青岛市城阳区人民政府" and report.year == 2020
    assert _values(report) == CELLS
    bad = [w for w in report.warnings if "not valid gb18030" in w]
    assert len(bad) == 1 and "1 byte(s)" in bad[0], report.warnings


def test_the_warning_quotes_where_the_byte_was():
    report = parse_bytes(PAGES["lost_half_character"], "x.html")
    assert "«1.属于国家秘\ufffd»" in report.warnings[0]


def test_a_clean_gbk_page_has_no_warning():
    page = trs_page(CELLS).replace("charset=utf-8", "charset=gbk").encode("gbk")
    report = parse_bytes(page, "x.html")
    assert _values(report) == CELLS and not report.warnings


@pytest.mark.parametrize("charset", ["undefined", "base64", "x-user-defined", "zh-cn", "rot13",
                                     "punycode", "utf-8", "ISO-8859-1"])
def test_any_declared_charset_on_a_gbk_page(charset):
    """Unknown names, codecs that are no text encoding, a Tomcat default (ISO-8859-1 decodes
    every byte): the GBK bytes are read as GBK."""
    page = trs_page(CELLS).replace("charset=utf-8", "charset=gbk").encode("gbk")
    for data, header in ((page.replace(b"charset=gbk", f"charset={charset}".encode()), None),
                         (page, f"text/html; charset={charset}")):
        report = parse_bytes(data, "x.html", content_type=header)
        assert _values(report) == CELLS and not report.warnings


def test_text_codec_keeps_only_charsets():
    assert text_codec("GB2312") == "gb18030" and text_codec("UTF8") == "utf-8"
    for name in ("undefined", "base64", "zlib", "hex", "punycode", "idna", "nonsense", "", None):
        assert text_codec(name) is None


def test_utf8_page_with_a_bad_byte_stays_utf8():
    page = render_html(CELLS, "2019", "青岛市城阳区人民政府", 2020).encode()
    at = page.index("一、总体情况".encode())
    report = parse_bytes(page[:at + 3] + b"\xff" + page[at + 3:], "x.html")
    assert _values(report) == CELLS
    assert any("not valid utf-8" in w for w in report.warnings)


def test_text_copy_in_gbk_with_a_bad_byte():
    text = render_text(CELLS, "2019", "青岛市城阳区人民政府", 2020).encode("gbk")
    at = text.index("本年度工作".encode("gbk"))
    report = parse_bytes(text[:at] + b"\x80" + text[at:], "x.txt")
    assert _values(report) == CELLS
    assert any("not valid gb18030" in w for w in report.warnings)


def test_a_stray_byte_realigned_where_the_page_reads_best():
    """A lead byte lost in the middle of a run of characters: GB18030 would read every pair
    after it as other characters up to the run's end; the U+FFFD goes where the run reads as
    the document's own words."""
    words = "城阳区人民政府信息公开工作年度报告".encode("gbk")
    data = words * 3 + b"<p>" + words[:9] + words[10:] + b"</p>"
    got = decode_page(data)
    assert got.text.endswith("<p>城阳区人\ufffd政府信息公开工作年度报告</p>")  # 民 lost a byte
