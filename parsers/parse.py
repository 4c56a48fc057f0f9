"""Entry points: bytes or a file -> Report."""

from __future__ import annotations

from pathlib import Path

from parsers import metadata
from parsers.checks import run_checks
from parsers.convert import to_docx
from parsers.document import Document
from parsers.docx_reader import read_docx
from parsers.encoding import decode
from parsers.extract import Extraction, extract, mentioned_template
from parsers.guards import MAX_DOCUMENT_BYTES, DocumentError
from parsers.html_reader import read_html
from parsers.image_reader import image_kind, read_image
from parsers.kind import classify
from parsers.ocr import read_scanned_pdf
from parsers.pdf_reader import has_text_layer, read_pdf
from parsers.report import CellValue, Report
from parsers.sections import split_sections
from parsers.templates import keys, unit
from parsers.text_reader import read_text
from parsers.values import NotAValue, parse_value

ParseError = DocumentError
MIN_TEXT_CHARS = 50  # fewer characters in the text layer: a scan


def sniff(data: bytes, name: str = "") -> str:
    if image_kind(data):
        return "image"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return "pdf"
    if head.startswith(b"pk\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"):
        return "html"
    if head.startswith(_HTML_STARTS):
        return "html"
    if b"\x00" in data[:4096]:
        return "binary"
    return "text"


_HTML_STARTS = (
    b"<!doctype",
    b"<html",
    b"<?xml",
    b"<head",
    b"<body",
    b"<meta",
    b"<div",
    b"<table",
    b"<p",
)
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")


def _read_pdf(data: bytes) -> Document:
    if has_text_layer(data, MIN_TEXT_CHARS):
        return read_pdf(data)
    return read_scanned_pdf(data)


def _read_ole(data: bytes, name: str) -> Document:
    if _ENCRYPTED_OOXML in data:
        raise DocumentError("encrypted Office document (password required)")
    suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in (".doc", ".wps") else ".doc"
    doc = read_docx(to_docx(data, suffix))
    doc.format = "doc"
    return doc


def read(data: bytes, name: str = "", content_type: str | None = None) -> Document:
    if not data.strip():
        raise ParseError("empty file" if not data else "empty file (only whitespace)")
    kind = sniff(data, name)
    if kind == "image":
        return read_image(data)
    if kind == "html":
        return read_html(data, content_type)
    if kind == "text":
        return read_text(decode(data, content_type)[0])
    if kind == "pdf":
        return _read_pdf(data)
    if kind == "docx":
        return read_docx(data)
    if kind == "ole":
        return _read_ole(data, name)
    raise ParseError("binary file of unknown format")


def choose_template(votes: dict[str, int], text: str, year: int | None) -> str:
    if votes["2021"] != votes["2019"]:
        return "2021" if votes["2021"] > votes["2019"] else "2019"
    return mentioned_template(text) or ("2021" if (year or 0) >= 2021 else "2019")


def _article(body: list[str] | None, paragraphs: list[str], title: str | None) -> list[str]:
    """The extracted article when it has the report's parts, less what the page printed
    above the title (site banners trafilatura sometimes keeps)."""
    if not body or not split_sections(body):
        return paragraphs
    chrome = set(paragraphs[: paragraphs.index(title)]) if title in paragraphs else set()
    return [line for line in body if line not in chrome]


def build(doc: Document, source: str) -> Report:
    paragraphs = doc.paragraphs
    report = Report(source=source)
    report.title = metadata.title(paragraphs, doc.hints.get("title"))
    report.year = metadata.year(report.title, paragraphs)
    report.agency = metadata.agency(paragraphs, report.title)
    report.published = metadata.published(paragraphs, doc.hints.get("published"))
    report.format = doc.format
    lines = _article(doc.body, paragraphs, report.title)
    report.text = "\n".join(lines)
    report.sections = split_sections(lines)
    found = extract(doc)
    if found.raw or found.active_rows:
        report.template = choose_template(found.votes, "\n".join(paragraphs), report.year)
        _fill_cells(report, found, doc.ocr)
    report.kind, report.template = classify(report.title, report.template, report.year)
    if report.kind == "annual_report" and report.template is None:
        report.warnings.append("no standard tables found")
    return report


def _fill_cells(report: Report, found: Extraction, ocr: bool) -> None:
    valid = set(keys(report.template))
    for key, raw in found.resolve(report.template).items():
        if key not in valid:
            continue
        try:
            value = parse_value(raw, unit(key))
        except NotAValue:
            report.warnings.append(f"{key}: cannot read {raw!r} as a number")
            value = None
        report.cells[key] = CellValue(value, raw, ocr)
    report.checks = run_checks({k: c.value for k, c in report.cells.items()}, report.template)


def parse_bytes(data: bytes, source: str = "", content_type: str | None = None) -> Report:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"larger than {MAX_DOCUMENT_BYTES // 2**20} MiB")
    return build(read(data, source, content_type), source)


def parse_file(path: str | Path) -> Report:
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError as e:
        raise ParseError("is a directory") from e
    except OSError as e:
        raise ParseError(e.strerror or str(e)) from e
    return parse_bytes(data, str(p))
