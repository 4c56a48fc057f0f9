"""XLSX/XLS workbooks (parsers.sheet_reader) and telling the zip and OLE formats apart.

The fixtures' cells are checked exactly by test_formats (every office expected file);
these tests cover the sniffing, the sheet layout rules and the errors.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from parsers import ParseError, parse_bytes, parse_file
from parsers.parse import sniff
from parsers.sheet_reader import cell_text, sheet_items


@pytest.mark.parametrize(
    "name, kind",
    [
        ("yicheng_2019.xlsx", "xlsx"),
        ("laoshan_2021.xlsx", "xlsx"),
        ("yicheng_2019.docx", "docx"),
        ("yicheng_2019.xls", "xls"),
        ("laoshan_2021.xls", "xls"),
        ("yicheng_2019.doc", "ole"),
        ("laoshan_2021.doc", "ole"),
    ],
)
def test_sniff_tells_workbooks_from_word_files(fixtures, name, kind):
    data = (fixtures / "office" / name).read_bytes()
    assert sniff(data, "attachment.bin") == kind  # by content, whatever the name says


def test_sniff_tells_ofd_from_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>')
        z.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    assert sniff(buf.getvalue()) == "ofd"


def test_word_text_mentioning_workbook_is_still_word():
    """Only an OLE directory entry named Workbook makes an XLS, not the word in a text."""
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook Book".encode("utf-16-le")
    assert sniff(ole) == "ole"


def test_workbook_formats_are_named(fixtures):
    assert parse_file(fixtures / "office" / "laoshan_2021.xlsx").format == "xlsx"
    assert parse_file(fixtures / "office" / "laoshan_2021.xls").format == "xls"


def test_corrupt_workbooks_name_the_reason(fixtures):
    for name in ("yicheng_2019.xlsx", "yicheng_2019.xls"):
        data = (fixtures / "office" / name).read_bytes()
        with pytest.raises(ParseError, match="corrupt"):
            parse_bytes(data[: len(data) // 2], name)


def test_cell_text_prints_numbers_as_typed():
    assert [cell_text(v) for v in (12.0, 1253.47, 0, "对外公开\n总数量", None)] == [
        "12",
        "1253.47",
        "0",
        "对外公开 总数量",
        "",
    ]


def test_sheet_layout_paragraphs_tables_and_blank_cells():
    """Title merged across the sheet -> paragraph; a label with blank values stays a row
    with its blank cells (null, not absent); a table is as wide as its own rows."""
    grid = [
        ["某区2021年政府信息公开工作年度报告", "", "", "", ""],
        ["二、主动公开政府信息情况", "", "", "", ""],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数", ""],
        ["规章", "", "", "", ""],
        ["行政规范性文件", 7.0, 2.0, 41.0, ""],
        ["", "", "", "", ""],
        ["行政复议", "", "行政诉讼", "", ""],
        ["结果维持", "总计", "结果维持", "总计", "复议后"],
        [1.0, 1.0, 0.0, 0.0, 0.0],
    ]
    merges = [((0, 0), (0, 4)), ((6, 0), (6, 1)), ((6, 2), (6, 4))]
    assert sheet_items(grid, merges) == [
        "某区2021年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", "", "", ""),
        ("行政规范性文件", "7", "2", "41"),
        ("行政复议", "行政诉讼"),
        ("结果维持", "总计", "结果维持", "总计", "复议后"),
        ("1", "1", "0", "0", "0"),
    ]


def test_rowspan_labels_repeat_down_their_rows():
    grid = [["三、本年度办理结果", "（一）予以公开", 3.0], ["", "（二）部分公开", 1.0]]
    assert sheet_items(grid, [((0, 0), (1, 0))]) == [
        ("三、本年度办理结果", "（一）予以公开", "3"),
        ("三、本年度办理结果", "（二）部分公开", "1"),
    ]


@pytest.mark.parametrize(
    "content_type",
    [
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/ofd",
    ],
)
def test_workbooks_and_ofd_are_built_into_the_archive(content_type):
    from archive.build.plan import is_document
    from crawler.store import Fetch

    assert is_document(Fetch("http://x/a", "0" * 64, 1, 200, content_type, "2021-01-01"))


def test_merged_range_past_the_cells_is_clamped():
    """A merge reaching XFD1048576 covers the cells there are, not sixteen billion."""
    grid = [["标题", "", ""], ["规章", 1.0, 2.0]]
    assert sheet_items(grid, [((0, 0), (1048575, 16383))]) == ["标题"]  # cells under it hidden


@pytest.mark.parametrize(
    "name",
    ["yicheng_2019.xls", "laoshan_2021.xlsx", "yicheng_2019.ofd", "laoshan_2021_rowsplit.ofd"],
)
def test_damaged_workbooks_and_ofd_give_an_error_never_a_crash(fixtures, name, capsys):
    """Truncated and byte-flipped copies: parsed or refused with a ParseError; no other
    exception, nothing printed (xlrd logs to stdout unless told otherwise)."""
    import random

    data = (fixtures / "office" / name).read_bytes()
    rng = random.Random(name)
    for i in range(60):
        damaged = bytearray(data[: rng.randint(8, len(data))] if i % 3 == 0 else data)
        for _ in range(0 if i % 3 == 0 else rng.randint(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            parse_bytes(bytes(damaged), name)
        except ParseError:
            pass
    assert capsys.readouterr().out == ""


def _rezip(data: bytes, member: str, body: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, body if info.filename == member else src.read(info.filename))
    return out.getvalue()


def test_xlsx_reader_errors_are_one_line_naming_the_file(fixtures, tmp_path):
    """Through nianbao parse: the file, then the reason, on one line (openpyxl's and lxml's
    messages included)."""
    from click.testing import CliRunner

    from archive.cli import cli

    good = (fixtures / "office" / "yicheng_2019.xlsx").read_bytes()
    broken = {
        "sheet_xml_cut.xlsx": _rezip(good, "xl/worksheets/sheet1.xml", b"<worksheet>\n<sheetData><row"),
        "merge_whole_sheet.xlsx": _rezip(good, "xl/worksheets/sheet1.xml", zipfile.ZipFile(
            io.BytesIO(good)).read("xl/worksheets/sheet1.xml").replace(
            b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>', 1)),
        "styles_junk.xlsx": _rezip(good, "xl/styles.xml", b"\x00\xff junk\n\nmore"),
    }
    for name, data in broken.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = CliRunner().invoke(cli, ["parse", str(path)])
        assert result.exit_code == 1, (name, result.output)
        line = result.stderr
        assert line.count("\n") == 1 and line.startswith(f"nianbao: cannot parse {path}: XLSX") or \
            line.startswith(f"nianbao: cannot parse {path}: corrupt XLSX"), (name, line)
