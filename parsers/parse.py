"""Entry points: bytes or a file -> Report."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from parsers import metadata, row_order
from parsers.checks import run_checks
from parsers.convert import to_docx
from parsers.document import Document
from parsers.docx_reader import read_docx
from parsers.encoding import decode_page
from parsers.extract import Extraction, extract, mentioned_template
from parsers.guards import MAX_DOCUMENT_BYTES, MAX_PAGES, ZIP_READ_ERRORS, DocumentError, read_file
from parsers.html_reader import read_html
from parsers.image_reader import image_kind, read_image
from parsers.indicators import combine, from_cells
from parsers.kind import classify
from parsers.legacy_table import Reading
from parsers.legacy_table import read as read_legacy
from parsers.narrative import narrative_checks
from parsers.ocr import read_scanned_pdf
from parsers.ofd_reader import read_ofd
from parsers.pdf_reader import crowded_pages, crowded_warning, read_pdf, text_layer
from parsers.report import CellValue, Report
from parsers.sections import split_sections
from parsers.sheet_reader import read_sheets
from parsers.stated import stated_tables, unread_tables_warning
from parsers.templates import APPLICANT_COLUMNS, keys, row_forms, unit
from parsers.text_indicators import from_text, legacy_checks
from parsers.text_reader import read_text
from parsers.values import NotAValue, is_blank, parse_value
from parsers.where import confidence_of, locate_text, relocated, where_of

ParseError = DocumentError
MIN_TEXT_CHARS = 50  # fewer characters in the text layer: a scan
OPENING_CHARS = 400  # the words after the title that say what a document is


def sniff(data: bytes, name: str = "") -> str:
    if image_kind(data):
        return "image"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return "pdf"
    if head.startswith(b"pk\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _ole_kind(data, name)
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
_WORD = "WordDocument"


def _ole_stream(data: bytes, *names: str) -> bool:
    """Whether an OLE directory entry names one of these streams: the 64-byte UTF-16 name
    field, zero-padded, then its length in bytes. Excel writes Workbook (Excel 5: Book),
    Word WordDocument; matching the whole entry ignores the same words in a document's text.
    """
    for name in names:
        raw = name.encode("utf-16-le") + b"\0\0"
        if raw.ljust(64, b"\0") + len(raw).to_bytes(2, "little") in data:
            return True
    return False


def _ole_kind(data: bytes, name: str) -> str:
    """XLS (also WPS .et), else "ole" (DOC/WPS, read through LibreOffice)."""
    if _ole_stream(data, _WORD):
        return "ole"
    excel = _ole_stream(data, "Workbook", "Book") or Path(name).suffix.lower() in (".xls", ".et")
    return "xls" if excel else "ole"


def _zip_kind(data: bytes) -> str:
    """XLSX, OFD or (by default, so that its errors name Word) DOCX, from the member names
    of the zip's central directory."""
    import io
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except ZIP_READ_ERRORS:
        return "docx"  # read_docx names the corruption
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names or "ofd.xml" in names:
        return "ofd"
    return "docx"


def _read_pdf(data: bytes) -> Document:
    pages, crowded = crowded_pages(data)
    if crowded and len(crowded) >= min(pages, MAX_PAGES):  # nothing else to read
        first, count = next(iter(crowded.items()))
        raise DocumentError(crowded_warning(first, count).replace(" not read", ""))
    text, chars, glyphs = text_layer(data, MIN_TEXT_CHARS, skip=crowded)
    if text:
        doc = read_pdf(data, skip=crowded)
        doc.warnings += [crowded_warning(p, n) for p, n in crowded.items()]
        return doc
    doc = read_scanned_pdf(data)
    if glyphs >= MIN_TEXT_CHARS:  # a text layer after all, but its fonts name no character
        doc.warnings.append(f"the text layer maps {glyphs - chars} of {glyphs} glyphs to no character "
                            "(fonts without a usable ToUnicode map): read as a scan")
    return doc


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
        decoded = decode_page(data, content_type)
        doc = read_text(decoded.text)
        doc.warnings += [decoded.warning] if decoded.warning else []
        return doc
    if kind == "pdf":
        return _read_pdf(data)
    if kind == "docx":
        return read_docx(data)
    if kind == "ole":
        return _read_ole(data, name)
    if kind in ("xlsx", "xls"):
        return read_sheets(data, kind)
    if kind == "ofd":
        return read_ofd(data)
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


def _opening(lines: list[str], title: str | None) -> str:
    """The words after the title (menus printed above it say nothing of the document)."""
    inside = [(len(line.strip()), i) for i, line in enumerate(lines)
              if title and len(line.strip()) >= 6 and line.strip() in title]
    at = max(inside)[1] if inside else -1
    return "\n".join(lines[at + 1:])[:OPENING_CHARS]


def with_figures(doc: Document, figures: Sequence[bytes]) -> Document:
    """A page whose tables are pictures (<img> in the article): what the pictures hold, read
    by OCR (their part headings too, which place their rows), after the page's own text."""
    items = list(doc.items)
    warnings = list(doc.warnings)
    read = 0
    for i, figure in enumerate(figures, 1):
        try:
            items += [_in_figure(item, i) for item in read_image(figure).items]
            read += 1
        except DocumentError as e:
            warnings.append(f"picture {i} of the page: {e}")
    if not read:
        return replace(doc, warnings=warnings)
    return replace(doc, items=items, ocr=True, warnings=warnings)


def _without(doc: Document, items: set[int]) -> Document:
    """The document less its legacy statistics tables: their rows are never template cells
    (同意部分公开答复数 | 条 | 0 | 0 is no row of table 三, 主动公开规范性文件数 none of table 二)."""
    if not items:
        return doc
    return replace(doc, items=[it for i, it in enumerate(doc.items) if i not in items])


def _in_figure(item, figure: int):
    """A picture's line or row, its place naming which picture of the page it is in."""
    if isinstance(item, str):
        return relocated(item, figure=figure)
    return type(item)(relocated(cell, figure=figure) for cell in item)


def build(doc: Document, source: str, figures: Sequence[bytes] = ()) -> Report:
    paragraphs = doc.paragraphs  # the page's own words: title, agency, dates, sections
    report = Report(source=source)
    report.title = metadata.title(paragraphs, doc.hints.get("title"))
    report.year = metadata.year(report.title, paragraphs)
    legacy = read_legacy(doc.items, report.year)
    found = extract(_without(doc, legacy.items))
    if figures and not (found.raw or found.active_rows or legacy.rows):
        doc = with_figures(doc, figures)
        legacy = read_legacy(doc.items, report.year)
        found = extract(_without(doc, legacy.items))
    report.agency = metadata.agency(paragraphs, report.title)
    report.published = metadata.published(paragraphs, doc.hints.get("published"))
    report.format = doc.format
    report.warnings.extend(doc.warnings)
    lines = _article(doc.body, paragraphs, report.title)
    report.text = "\n".join(lines)
    report.sections = split_sections(lines)
    if found.raw or found.active_rows:
        report.template = choose_template(found.votes, "\n".join(paragraphs), report.year)
        _fill_cells(report, found, doc.ocr)
    report.kind, report.template = classify(report.title, report.template, report.year,
                                            _opening(lines, report.title), len(report.sections))
    if report.cells and report.template:  # the text's numbers against the tables'
        report.checks += narrative_checks(report.sections, report.text, report.year,
                                          {k: c.value for k, c in report.cells.items()},
                                          report.template)
    _add_indicators(report, legacy)
    _locate_sentences(report, doc.paragraphs)
    _warn_if_unread(report, doc)
    return report


def _add_indicators(report: Report, legacy: Reading) -> None:
    """The series' indicators: the cells' formulas, else the legacy table, else the text."""
    report.legacy_rows = legacy.rows
    report.warnings.extend(legacy.warnings)
    templated = report.template in ("2019", "2021") and bool(report.cells)
    text = from_text(report.sections, report.text, report.year, legacy=not templated)
    report.indicators = combine(from_cells(report.cells, report.template), legacy.indicators,
                                text, template=report.template)
    if not templated and legacy.indicators:  # the text against the table
        report.checks += legacy_checks(report.text, report.year, legacy.indicators)
    if report.kind == "annual_report" and report.template == "legacy":
        if not report.indicators:
            report.warnings.append("no statistics: neither a statistics table nor a sentence stating "
                                   "a number of the indicators (requests, replies, reviews, items "
                                   "published)")
        elif "requests_received" not in report.indicators:
            # the series' first question; a report that gives other figures but not this one
            # leaves a gap a reader should see named, not a silent blank
            report.warnings.append("no request count: the statistics read give "
                                   f"{', '.join(sorted(report.indicators))} but no number of "
                                   "requests received (neither a table row nor a sentence)")


_QUOTE = re.compile(r"«(.+)»")


def _locate_sentences(report: Report, paragraphs: list[str]) -> None:
    """Where each narrative check's sentence, and each text indicator's, stands in the
    document (the sentence, found)."""
    for check in report.checks:
        m = _QUOTE.search(check.note) if check.check == "narrative" else None
        if m:
            check.where = locate_text(paragraphs, m.group(1))
    for ind in report.indicators.values():
        if ind.source == "text" and ind.where is None:
            ind.where = locate_text(paragraphs, ind.evidence)


def _warn_if_unread(report: Report, doc: Document) -> None:
    """No cell read: say why, never a silent empty result."""
    if report.cells:
        return
    texts = doc.paragraphs + [cell for row in doc.rows for cell in row if cell]
    marks = stated_tables(texts, report.year)
    if marks:
        report.warnings.append(unread_tables_warning(marks))
    elif report.kind == "annual_report" and report.template is None:
        report.warnings.append("no standard tables found")


def _label_rows(raw: dict[str, str], template: str) -> set[str]:
    """Keys of a split row's whole-row label read with blank cells above its parts (（六）其他处理
    on a line of its own over 1./2./3.): a label, not the 2019 row printed empty."""
    out: set[str] = set()
    for form in row_forms(template):
        whole = [k for k in raw if k.startswith(f"{form.table}.{form.row}.")]
        parts = [k for k in raw if k.split(".")[0] == form.table and k.split(".")[1] in form.parts]
        if whole and parts and all(is_blank(raw[k]) for k in whole):
            out |= set(whole)
    return out


def _place_unread(report: Report, found: Extraction, raw_cells: dict[str, str]) -> None:
    """OCR'd rows of table 三 whose label was unreadable, placed by row order where the
    arithmetic confirms it (parsers.row_order): their raw cells added to ``raw_cells``,
    each still carrying where it was read and the recogniser's confidence."""
    placed, warnings = row_order.place(found.sequence, raw_cells, report.template)
    report.warnings += warnings
    for p in placed:
        for col, raw in zip(APPLICANT_COLUMNS, p.raw, strict=True):
            raw_cells[f"applications.{p.row}.{col}"] = raw
        report.warnings.append(
            f"applications.{p.row}: its label unread, placed by the template's row order "
            f"between {p.between[0] or 'the header'} and {p.between[1] or 'the end'}; "
            "the table's arithmetic holds with it")


def _fill_cells(report: Report, found: Extraction, ocr: bool) -> None:
    valid = set(keys(report.template))
    raw_cells = found.resolve(report.template)
    if ocr:
        _place_unread(report, found, raw_cells)
    valid -= _label_rows(raw_cells, report.template)
    foreign = sorted({k.rsplit(".", 1)[0] for k, raw in raw_cells.items()
                      if k not in valid and not is_blank(raw)})
    if foreign:  # printed numbers the template has no key for: say so, never drop them silently
        report.warnings.append(f"rows not in the {report.template} template, not kept: "
                               + ", ".join(foreign[:5]))
    for key, raw in raw_cells.items():
        if key not in valid:
            continue
        try:
            value = parse_value(raw, unit(key))
        except NotAValue:
            report.warnings.append(f"{key}: cannot read {raw!r} as a number")
            value = None
        report.cells[key] = CellValue(value, str(raw), ocr, confidence_of(raw), where_of(raw))
    report.checks = run_checks({k: c.value for k, c in report.cells.items()}, report.template)


def parse_bytes(data: bytes, source: str = "", content_type: str | None = None,
                figures: Sequence[bytes] = ()) -> Report:
    """``figures``: the pictures a page shows in its article (its tables, when the page's
    text has none)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"larger than {MAX_DOCUMENT_BYTES // 2**20} MiB")
    return build(read(data, source, content_type), source, figures)


def parse_file(path: str | Path) -> Report:
    return parse_bytes(read_file(path), str(path))
