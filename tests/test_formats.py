"""PDF, DOCX, DOC and scanned-PDF fixtures of both templates parse to every cell right."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from parsers import ParseError, convert, parse_bytes, parse_file, recognise
from parsers.tesseract import tesseract
from tests.conftest import expected_files, load_expected

OFFICE = expected_files("office")
needs_soffice = pytest.mark.skipif(convert.soffice() is None, reason="LibreOffice not installed")
needs_ocr = pytest.mark.skipif(
    not recognise.available() and tesseract() is None, reason="no OCR engine installed"
)


def _marks(path: Path):
    if path.name.endswith(".doc.expected.json"):
        return [needs_soffice]
    if "_scanned" in path.name:
        return [needs_ocr]
    return []


@pytest.mark.parametrize(
    "path", [pytest.param(p, marks=_marks(p), id=p.name.split(".expected")[0]) for p in OFFICE]
)
def test_office_fixture_parses_exactly(path):
    exp = load_expected(path)
    report = parse_file(path.parent / exp["source"])
    assert {k: c.value for k, c in report.cells.items()} == exp["cells"]
    assert report.failing_checks == sorted(exp["failing_checks"])
    assert (report.year, report.template, report.kind) == (
        exp["year"],
        exp["template"],
        "annual_report",
    )
    scanned = "_scanned" in exp["source"]
    assert all(c.ocr is scanned for c in report.cells.values())
    if not scanned:  # OCR misreads rare place names (峄 as 峰): cells are checked, not names
        assert report.agency == exp["agency"]
    assert [s["number"] for s in report.sections] == [1, 2, 3, 4, 5, 6]


def test_formats_are_named(fixtures):
    office = fixtures / "office"
    assert parse_file(office / "yicheng_2019.pdf").format == "pdf"
    assert parse_file(office / "yicheng_2019.docx").format == "docx"


def test_doc_without_libreoffice_says_so(fixtures, monkeypatch):
    monkeypatch.setattr(convert, "soffice", lambda: None)
    with pytest.raises(ParseError, match="needs libreoffice"):
        parse_file(fixtures / "office" / "yicheng_2019.doc")


def test_scan_without_ocr_engine_says_so(fixtures, monkeypatch):
    import parsers.tesseract

    monkeypatch.setattr(recognise, "available", lambda: False)
    monkeypatch.setattr(parsers.tesseract, "tesseract", lambda: None)
    with pytest.raises(ParseError, match="needs an OCR engine.*rapidocr_onnxruntime.*tesseract"):
        parse_file(fixtures / "office" / "yicheng_2019_scanned.pdf")


def test_zip_bomb_docx_is_refused():
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (40 * 2**20))
    with pytest.raises(ParseError, match="zip bomb"):
        parse_bytes(buf.getvalue(), "bomb.docx")


def test_corrupt_docx_and_pdf_name_the_reason(fixtures):
    docx = (fixtures / "office" / "yicheng_2019.docx").read_bytes()
    with pytest.raises(ParseError, match="corrupt"):
        parse_bytes(docx[: len(docx) // 3], "cut.docx")
    pdf = (fixtures / "office" / "yicheng_2019.pdf").read_bytes()
    with pytest.raises(ParseError, match="corrupt|encrypted"):
        parse_bytes(pdf[:2000], "cut.pdf")


def test_encrypted_pdf_is_refused(fixtures, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(fixtures / "office" / "yicheng_2019.pdf")
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = BytesIO()
    writer.write(out)
    with pytest.raises(ParseError, match="encrypted"):
        parse_bytes(out.getvalue(), "locked.pdf")


def test_encrypted_office_file_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(ParseError, match="encrypted Office"):
        parse_bytes(ole, "locked.docx")


def test_oversized_document_is_refused(monkeypatch):
    import parsers.parse

    monkeypatch.setattr(parsers.parse, "MAX_DOCUMENT_BYTES", 1000)
    with pytest.raises(ParseError, match="larger than"):
        parse_bytes(b"x" * 2000, "big.txt")


def test_long_pdf_stays_under_500_mb(fixtures):
    """A 47-page PDF parsed in a fresh process: peak RSS below 500 MB, cells right."""
    path = fixtures / "office" / "long_2019.pdf"
    # VmHWM, not ru_maxrss: Linux carries the forking parent's peak over exec into
    # ru_maxrss, so a pytest process that ran the OCR tests would be measured instead
    code = (
        "import json, re; from parsers import parse_file; "
        f"r = parse_file({str(path)!r}); "
        "hwm = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)); "
        "print(json.dumps([len(r.cells), hwm]))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    cells, max_rss_kb = json.loads(proc.stdout)
    assert cells == 198
    assert max_rss_kb < 500 * 1024, f"peak RSS {max_rss_kb / 1024:.0f} MB"
