"""Every cell says where it was read, and reading the document again there gives its raw text.

On every fixture format and on the real documents of ../shared/real/ (a WPS-exported PDF
whose tables run across pages, a Word-pasted HTML page). The places are checked by
reading the original again with the format's own library (tests/where_checks.py), never
by asking the reader that recorded them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers import convert, parse_bytes, parse_file, recognise
from parsers.encoding import decode
from parsers.where import Located, a1, joined, locate_text, merge, parse_a1
from tests import where_checks as wc

FIXTURES = Path(__file__).parent / "fixtures"
REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
needs_real = pytest.mark.skipif(not REAL.exists(), reason="shared/real/ not beside the checkout")
needs_soffice = pytest.mark.skipif(convert.soffice() is None, reason="LibreOffice not installed")
needs_paddle = pytest.mark.skipif(not recognise.available(), reason="rapidocr_onnxruntime missing")

PDFS = sorted(p for p in (FIXTURES / "office").glob("*.pdf") if "_scanned" not in p.name)


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_pdf_box_holds_the_raw_text(path):
    report = parse_file(path)
    assert wc.pdf_boxes_hold_raw(report, path.read_bytes()) >= 180  # 186: a 2021 report with the 2019 （六） row


def test_pdf_cell_cut_by_a_page_break_stands_on_both_pages():
    report = parse_file(FIXTURES / "office" / "yicheng_2019_rowsplit.pdf")
    data = (FIXTURES / "office" / "yicheng_2019_rowsplit.pdf").read_bytes()
    wc.pdf_boxes_hold_raw(report, data)
    # the row a page break cut: its label's two halves, one box on each page
    exp = json.loads((FIXTURES / "office" / "yicheng_2019_rowsplit.pdf.expected.json").read_text("utf-8"))
    assert {k: c.value for k, c in report.cells.items()} == exp["cells"]
    pages = {c.where["page"] for c in report.cells.values()}
    assert len(pages) >= 2


@needs_real
def test_real_wps_pdf_across_pages():
    """淮安市 2024: WPS 文字 re-saved by 极速PDF编辑器, table 二 from page 3 to 4, 三 from 4 to 5."""
    path = REAL / "huaian-2024.pdf"
    report = parse_file(path)
    exp = json.loads((REAL / "huaian-2024.expected.json").read_text("utf-8"))
    assert wc.pdf_boxes_hold_raw(report, path.read_bytes()) == len(exp["cells"])
    assert {c.where["page"] for c in report.cells.values()} >= {3, 4, 5}
    # a number the journalist quotes: new requests received, where the PDF prints it
    cell = report.cells["applications.new_received.total"]
    assert cell.where["page"] == 4 and cell.raw == str(exp["cells"]["applications.new_received.total"])


@needs_real
def test_real_word_pasted_html_page():
    """沭阳县发改局 2023: a Word-pasted <table> in a CMS page, labels split over <span>s."""
    path = REAL / "shuyang-fgj-2023.html"
    report = parse_file(path)
    wc.html_paths_hold_raw(report, path.read_bytes())
    blank = report.cells["applications.new_received.commercial"]  # an empty <o:p> cell: located all the same
    assert blank.value is None and blank.where["path"].endswith("]")


@pytest.mark.parametrize("name", ["trs_2019.html", "hanweb_2021.html", "gbk_mislabelled_2019.html"])
def test_html_path_holds_the_raw_text(name):
    data = (FIXTURES / "html" / name).read_bytes()
    report = parse_bytes(data, name)
    wc.html_paths_hold_raw(report, data)


def test_html_table_split_over_two_tables_names_both():
    data = (FIXTURES / "html" / "hanweb_2021.html").read_bytes()
    report = parse_bytes(data, "hanweb_2021.html")
    tables = {c.where["table"] for k, c in report.cells.items() if k.startswith("applications.")}
    assert len(tables) == 2  # table 三 closed at a page break and opened again


@pytest.mark.parametrize("name", ["laoshan_2021.docx", "yicheng_2019.docx"])
def test_docx_grid_cell_holds_the_raw_text(name):
    data = (FIXTURES / "office" / name).read_bytes()
    wc.docx_cells_hold_raw(parse_bytes(data, name), data)


@needs_soffice
def test_doc_places_are_those_of_its_docx():
    data = (FIXTURES / "office" / "yicheng_2019.doc").read_bytes()
    report = parse_bytes(data, "yicheng_2019.doc")
    wc.docx_cells_hold_raw(report, convert.to_docx(data, ".doc"))


@pytest.mark.parametrize("name", ["laoshan_2021.xlsx", "yicheng_2019.xlsx", "laoshan_2021.xls", "yicheng_2019.xls"])
def test_sheet_a1_cell_holds_the_raw_text(name):
    data = (FIXTURES / "office" / name).read_bytes()
    wc.sheet_cells_hold_raw(parse_bytes(data, name), data, name.rsplit(".", 1)[1])


@pytest.mark.parametrize("name", ["yicheng_2019.ofd", "laoshan_2021_rowsplit.ofd"])
def test_ofd_box_holds_the_raw_text(name):
    data = (FIXTURES / "office" / name).read_bytes()
    wc.ofd_boxes_hold_raw(parse_bytes(data, name), data)


TEXTS = sorted((FIXTURES / "seeds").glob("*.txt")) + sorted(
    p for p in (FIXTURES / "variants").glob("*.txt") if "scanned" not in p.name)  # a text of picture tables has no cell


@pytest.mark.parametrize("path", TEXTS, ids=[p.name for p in TEXTS])
def test_text_lines_hold_the_raw_text(path):
    report = parse_file(path)
    assert report.cells
    wc.text_lines_hold_raw(report, decode(path.read_bytes())[0])


def test_narrative_sentence_is_located():
    """The seed 城阳区 2020 states 360 against its table's 365: the sentence's lines are known."""
    path = next((FIXTURES / "seeds").glob("000_*.txt"))
    report = parse_file(path)
    lines = path.read_text("utf-8").splitlines()
    checks = [c for c in report.checks if c.check == "narrative"]
    assert checks and all(c.where for c in checks)
    for c in checks:
        first, last = c.where["lines"]
        quoted = c.note.split("«", 1)[1].rstrip("»")
        assert wc.squeezed(quoted)[:20] in wc.squeezed("".join(lines[first - 1:last]))


def test_parse_json_prints_where(fixtures):
    from click.testing import CliRunner

    from archive.cli import cli

    out = json.loads(CliRunner().invoke(cli, ["parse", str(fixtures / "office" / "yicheng_2019.pdf"), "--json"]).output)
    assert all(set(c["where"]) >= {"page", "box", "unit"} for c in out["cells"].values())


@needs_paddle
@pytest.mark.parametrize("name", ["laoshan_2021_scanned.pdf"])
def test_scanned_pdf_box_is_where_the_printed_pdf_has_the_cell(name):
    """A scan of the LibreOffice PDF, straight: each OCR'd box holds the printed cell."""
    import pypdfium2 as pdfium

    scanned = parse_file(FIXTURES / "office" / name)
    printed = parse_file(FIXTURES / "office" / name.replace("_scanned", ""))
    pdf = pdfium.PdfDocument(str(FIXTURES / "office" / name))
    sizes = {i + 1: pdf[i].get_size() for i in range(len(pdf))}
    wc.scan_boxes_where_printed(scanned, printed, sizes, 0.0)
    assert all(0 < c.confidence <= 1 for c in scanned.cells.values() if c.raw)


def test_non_ocr_cells_have_no_confidence():
    report = parse_file(FIXTURES / "office" / "laoshan_2021.docx")
    assert all(c.confidence is None for c in report.cells.values())


# -- the where helpers ------------------------------------------------------------------


def test_a1_names():
    assert [a1(0, 0), a1(4, 3), a1(0, 25), a1(9, 26), a1(0, 701), a1(0, 702)] == ["A1", "D5", "Z1", "AA10", "ZZ1", "AAA1"]
    assert all(parse_a1(a1(r, c)) == (r, c) for r in (0, 7, 99) for c in (0, 3, 25, 26, 700, 703))


def test_merge_joins_boxes_per_page_and_lines():
    a = {"page": 3, "box": [10, 700, 50, 720], "unit": "pt"}
    b = {"page": 4, "box": [10, 40, 50, 60], "unit": "pt"}
    c = {"page": 3, "box": [50, 700, 90, 724], "unit": "pt"}
    assert merge([a, b, c]) == {"page": 3, "box": [10, 700, 90, 724], "unit": "pt",
                                "also": [{"page": 4, "box": [10, 40, 50, 60]}]}
    assert merge([{"lines": [3, 3]}, {"lines": [5, 6]}]) == {"lines": [3, 6]}
    assert merge([None, {"lines": [2, 2]}]) == {"lines": [2, 2]}


def test_located_text_is_text_that_keeps_its_place():
    cell = Located("365", {"lines": [7, 7]}, 0.91)
    assert cell == "365" and cell.strip() == "365" and isinstance(cell.strip(), str)
    both = joined([Located("8.属于行", {"page": 1, "box": [0, 0, 1, 1]}), Located("政查询事项", {"page": 2, "box": [0, 0, 1, 1]})])
    assert both == "8.属于行 政查询事项" and both.where["also"] == [{"page": 2, "box": [0, 0, 1, 1]}]
    import pickle

    again = pickle.loads(pickle.dumps(cell))
    assert (again, again.where, again.confidence) == ("365", {"lines": [7, 7]}, 0.91)


def test_locate_text_finds_a_sentence_across_wrapped_lines():
    lines = [Located("本年度共收到政府信息", {"lines": [4, 4]}), Located("公开申请360件，", {"lines": [5, 5]}),
             Located("其他。", {"lines": [6, 6]})]
    assert locate_text(lines, "共收到政府信息 公开申请360件") == {"lines": [4, 5]}
    assert locate_text(lines, "不在文中") is None


# -- the legacy statistics rows and the indicators ---------------------------------------

LEGACY = FIXTURES / "legacy"
REAL_LEGACY = REAL / "legacy"


def _legacy_as_cells(report):
    """The legacy rows as a report of cells (one key per row), for the same checks: the
    year's cell is what the row's where points at. Rows whose year's cell is blank hold
    no text to find again."""
    from types import SimpleNamespace

    from parsers.report import CellValue

    rows = {f"legacy.{n}": CellValue(r.value, r.raw, where=r.where) for n, r in enumerate(report.legacy_rows)}
    assert rows and all(c.where for c in rows.values()), "a legacy row without a place"
    return SimpleNamespace(cells={k: c for k, c in rows.items() if c.raw}, template="legacy")


@pytest.mark.parametrize("name", ["fujian_2015", "gansu_2012", "jiangsu_2016", "national_2017"])
def test_legacy_rows_stand_where_printed(name):
    """Every row of a pre-2019 statistics table, in PDF, HTML and DOCX: its year's cell is
    found again at its place with the format's own library."""
    pdf = parse_file(LEGACY / f"{name}.pdf")
    assert wc.pdf_boxes_hold_raw(_legacy_as_cells(pdf), (LEGACY / f"{name}.pdf").read_bytes())
    html = parse_file(LEGACY / f"{name}.html")
    wc.html_paths_hold_raw(_legacy_as_cells(html), (LEGACY / f"{name}.html").read_bytes())
    docx = parse_file(LEGACY / f"{name}.docx")
    wc.docx_cells_hold_raw(_legacy_as_cells(docx), (LEGACY / f"{name}.docx").read_bytes())


@needs_real
@pytest.mark.parametrize("name", ["pingtan-2011.html", "pingtan-2016.html"])
def test_real_legacy_rows_stand_where_printed(name):
    path = REAL_LEGACY / name
    report = parse_file(path)
    wc.html_paths_hold_raw(_legacy_as_cells(report), path.read_bytes())


@pytest.mark.parametrize("name", ["fujian_2015.pdf", "national_2017.html", "gansu_2012.docx"])
def test_table_indicators_stand_on_their_rows(name):
    """An indicator a legacy table gives stands where its row's year's cell does (a sum of
    rows: where they all do)."""
    report = parse_file(LEGACY / name)
    by_where = [r.where for r in report.legacy_rows]
    table = {k: i for k, i in report.indicators.items() if i.source == "legacy_table"}
    assert table
    for key, ind in table.items():
        assert ind.where, key
        if "box" in ind.where:  # a union of the rows' boxes on their pages
            assert any(w["page"] == ind.where["page"] and w["box"][0] >= ind.where["box"][0] - 0.01
                       and w["box"][3] <= ind.where["box"][3] + 0.01 for w in by_where), key
        else:
            assert ind.where in by_where, key


def test_text_indicators_stand_on_their_sentence():
    """A text-only legacy report: each indicator's sentence is on the lines its where names."""
    path = LEGACY / "textonly_2013.txt"
    report = parse_file(path)
    lines = decode(path.read_bytes())[0].splitlines()
    assert report.indicators and all(i.source == "text" for i in report.indicators.values())
    for key, ind in report.indicators.items():
        first, last = ind.where["lines"]
        assert wc.squeezed(ind.evidence)[:20] in wc.squeezed("".join(lines[first - 1:last])), key


def test_cell_indicators_stand_on_their_cells():
    """A 2019/2021 report's indicator stands on the cells of its formula (their boxes united)."""
    path = FIXTURES / "office" / "laoshan_2021.pdf"
    report = parse_file(path)
    one = [i for i in report.indicators.values() if i.source == "cells" and "+" not in i.evidence]
    assert one
    for ind in one:
        cell = report.cells[ind.evidence] if ind.evidence in report.cells else None
        if cell is not None:
            assert ind.where == cell.where
    assert all(i.where for i in report.indicators.values())


def test_parse_json_prints_where_of_legacy_rows_and_indicators(fixtures):
    from click.testing import CliRunner

    from archive.cli import cli

    out = json.loads(CliRunner().invoke(cli, ["parse", str(fixtures / "legacy" / "fujian_2015.pdf"), "--json"]).output)
    assert out["legacy_rows"] and all(set(r["where"]) >= {"page", "box"} for r in out["legacy_rows"])
    assert out["indicators"] and all(set(i["where"]) >= {"page", "box"} for i in out["indicators"].values())
