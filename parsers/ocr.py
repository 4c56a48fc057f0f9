"""Page images (a scanned PDF's pages, a picture of a table) -> Document, by OCR.

Each page is first made fit to read (``scan.prepare``: red seal dropped,
denoised, straightened). Table grids come from the image itself: ruling lines
are found by morphology, the regions they enclose are the cells (merged cells
included), and their edges give each cell's row and column span. Each cell is
read by the engine; the text outside the tables is read page-wide. The Document
is marked ``ocr`` so every cell read this way says so.

Engines (measured in ``benchmarks/compare_ocr_engines.py``, docs/formats.md):
``paddle`` (PP-OCRv4 on ONNX Runtime, from the rapidocr_onnxruntime wheel) is
the default; ``tesseract`` (Debian's chi_sim) is used when the former is not
installed. ``NIANBAO_OCR=tesseract`` forces it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Protocol

from parsers import recognise, scan_pages, tesseract
from parsers.cells import line_images, text_lines
from parsers.document import Document, box_rows
from parsers.guards import MAX_PAGES, DocumentError
from parsers.labels import clean
from parsers.scan import straighten, unstraightened
from parsers.scan_pages import page_jobs, read_pages_in_parallel
from parsers.sections import heading
from parsers.values import is_value
from parsers.where import at, confidence_of, page_box

DPI = 300
MAX_PAGE_PIXELS = 100_000_000  # an A3 page at 300 dpi is 17 million; a bigger page is no scan
_SNAP = 12  # pixels at 300 dpi
GRID_INK = 160


class Engine(Protocol):
    name: str

    def cells(self, page, boxes: list) -> list[str]: ...

    def text(self, page) -> list[tuple[float, str]]: ...


class PaddleEngine:
    """PP-OCRv4 recognition, line by line: the cells' lines, then the lines of text
    around the tables (found by their rows of ink: no detector model)."""

    name = "paddle"

    def __init__(self, threads: int = 0):
        self.rec = recognise.ppocr_v4(threads)

    def cells(self, page, boxes: list) -> list[str]:
        """Each cell's text, saying how sure the recogniser was (parsers.where.Located)."""
        lines = [line_images(page, b) for b in boxes]
        flat = [img for ls in lines for img in ls]
        probs = iter(self.rec.probabilities(flat))
        out = []
        for ls in lines:
            ps = [next(probs) for _ in ls]
            text = _fix("".join(self.rec.decode(p) for p in ps))
            numbers_only = False
            if text and not is_value(text) and tesseract.numeric_looking(text):
                digits = clean("".join(self.rec.decode(p, numbers_only=True) for p in ps))
                if digits and is_value(digits):
                    text, numbers_only = digits, True
            out.append(at(_trim_number(text), None, self.confidence(ps, numbers_only)))
        return out

    def confidence(self, line_probs: list, numbers_only: bool = False) -> float | None:
        """A cell's: its least sure line's (recognise.score), rounded; None when blank."""
        scores = [s for p in line_probs if (s := self.rec.score(p, numbers_only)) is not None]
        return round(min(scores), 3) if scores else None

    def text(self, page) -> list[tuple[float, str]]:
        found = text_lines(page)
        texts = self.rec.read([img for _, img in found])
        return [(y, _heading(t)) for (y, _), raw in zip(found, texts, strict=True) if (t := _fix(raw))]


def _trim_number(text: str) -> str:
    """0. or .0 or 0- as a number: a speck of noise beside the digits read as a mark.
    A trailing point or dash, or a leading point, is never part of a printed number."""
    if not text or is_value(text):
        return text
    trimmed = text.rstrip(".-·。").lstrip(".·。")
    return trimmed if trimmed and is_value(trimmed) else text


def _heading(line: str) -> str:
    """一、总体情况 as PP-OCR reads it (一总体情况: it drops the 、 after a numeral)
    given its 、 back, where that makes it one of the six part headings."""
    if line[:1] in "一二三四五六" and line[1:2] != "、" and heading(line) is None:
        fixed = f"{line[0]}、{line[1:]}"
        if heading(fixed) is not None:
            return fixed
    return line


_OCR_FIXES = str.maketrans({"丶": "、"})  # PP-OCR reads the enumeration comma as the radical
_WORD_FIXES = {"甲请": "申请"}  # 申 printed small reads as 甲; 甲请 is no word


def _fix(text: str) -> str:
    text = text.translate(_OCR_FIXES)
    for wrong, right in _WORD_FIXES.items():
        text = text.replace(wrong, right)
    return clean(text)


class TesseractEngine:
    """Debian's tesseract chi_sim, cells whole with digit passes (the project's first engine)."""

    name = "tesseract"

    def __init__(self, exe: str):
        self.exe = exe

    def cells(self, page, boxes: list) -> list[str]:
        return tesseract.read_cells(self.exe, [tesseract.crop(page, b) for b in boxes])

    def text(self, page) -> list[tuple[float, str]]:
        return tesseract.paragraphs(tesseract.page_words(self.exe, page))


def _chosen(name: str | None) -> tuple[str, str | None]:
    """(engine, tesseract's path) for ``name``, else $NIANBAO_OCR, else the best installed."""
    name = name or os.environ.get("NIANBAO_OCR") or ""
    if name not in ("", "paddle", "tesseract"):
        raise DocumentError(f"unknown OCR engine {name!r} (paddle or tesseract)")
    if name in ("", "paddle") and recognise.available():
        return "paddle", None
    exe = tesseract.tesseract() if name in ("", "tesseract") else None
    if exe is not None:
        return "tesseract", exe
    raise DocumentError(
        "scanned document: needs an OCR engine (pip install rapidocr_onnxruntime, or "
        "apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
    )


def engine_name(name: str | None = None) -> str:
    """The OCR engine ``engine`` would make, found without loading it, so a scan with
    no engine installed is refused before any page process starts."""
    return _chosen(name)[0]


def engine(name: str | None = None, threads: int = 0) -> Engine:
    """The OCR engine to use: ``name``, else $NIANBAO_OCR, else the best installed
    (``threads``: ONNX Runtime's threads, 0 = its default, every core)."""
    chosen, exe = _chosen(name)
    return PaddleEngine(threads) if chosen == "paddle" else TesseractEngine(exe)


def find_tables(dark):
    """[(table bbox, [cell bboxes])] from the ruling lines of a binarised page."""
    import numpy as np
    from scipy import ndimage

    h = ndimage.binary_opening(dark, structure=np.ones((1, 60)))
    v = ndimage.binary_opening(dark, structure=np.ones((60, 1)))
    lines = ndimage.binary_dilation(h | v, iterations=2)
    labels, n = ndimage.label(lines)
    tables = []
    for i, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        (y0, y1), (x0, x1) = (sl[0].start, sl[0].stop), (sl[1].start, sl[1].stop)
        if y1 - y0 < 40 or x1 - x0 < 200:
            continue
        region = labels[y0:y1, x0:x1] == i
        holes, _ = ndimage.label(~region)
        cells = []
        for csl in ndimage.find_objects(holes):
            if csl is None:
                continue
            cy0, cy1, cx0, cx1 = csl[0].start, csl[0].stop, csl[1].start, csl[1].stop
            touches = cy0 == 0 or cx0 == 0 or cy1 == y1 - y0 or cx1 == x1 - x0
            if touches or cy1 - cy0 < 8 or cx1 - cx0 < 8:
                continue
            cells.append((x0 + cx0, y0 + cy0, x0 + cx1, y0 + cy1))
        if len(cells) >= 2:
            tables.append(((x0, y0, x1, y1), cells))
    return sorted(tables, key=lambda t: t[0][1])


Place = Callable[[tuple[float, float, float, float]], dict]  # a prepared page's box -> where


def page_place(page: int, size: tuple[int, int], angle: float, scale: float, unit: str) -> Place:
    """Where a box of a prepared page image stands on the document's page: taken back
    through the straightening (``angle``, the image ``size``), then ``scale`` document
    units (``unit``) per pixel."""
    def place(box):
        x0, y0, x1, y1 = unstraightened(box, angle, size)
        return page_box(page, (x0 * scale, y0 * scale, x1 * scale, y1 * scale), unit)

    return place


LINE_BAND = 30  # px: half the height of the band a text line is said to stand in


def read_page(page, ocr: Engine, doc: Document, place: Place | None = None) -> None:
    """One prepared greyscale page's paragraphs and table rows, appended to ``doc``
    (``place``: where its boxes stand in the document, page_place)."""
    import numpy as np
    from PIL import Image

    def located(text: str, box) -> str:
        return at(text, place(box) if place else None, confidence_of(text))

    pixels = np.asarray(page)
    tables = find_tables(pixels < GRID_INK)
    blank = pixels.copy()
    for (x0, y0, x1, y1), _ in tables:
        blank[y0:y1, x0:x1] = 255  # tables are read cell by cell below
    lines = [(y, located(t, (0, max(0, y - LINE_BAND), page.width, min(page.height, y + LINE_BAND))))
             for y, t in ocr.text(Image.fromarray(blank))]
    texts = iter(ocr.cells(page, [c for _, cells in tables for c in cells]))
    top = 0
    for (_, y0, _, y1), cells in tables:
        doc.items.extend(t for y, t in lines if top <= y < y0)
        doc.items.extend(box_rows(cells, [located(next(texts), c) for c in cells], _SNAP))
        top = y1
    doc.items.extend(t for y, t in lines if y >= top)


def read_pages(pages, fmt: str, ocr: Engine | None = None, scales: Sequence[float] | None = None,
               unit: str = "px") -> Document:
    """Page images (any Pillow mode, ~300 dpi) -> Document marked ``ocr``; each cell says
    where it stands on its page: ``scales[i]`` ``unit`` per pixel of page i (1 px default)."""
    ocr = ocr or engine()
    doc = Document(format=fmt, ocr=True)
    count = 0
    for page in pages:
        prepared, angle = straighten(page)
        scale = scales[count] if scales else 1.0
        read_page(prepared, ocr, doc, page_place(count + 1, prepared.size, angle, scale, unit))
        count += 1
    if not any(doc.items):
        raise DocumentError(f"no text could be read on {count} page image(s)")
    return doc


def _scanned_page(index: int) -> list:
    """In a page process (parsers.scan_pages): one page's paragraphs and table rows, read
    with one ONNX thread (the other cores are the other page processes')."""
    doc = Document(format="pdf", ocr=True)
    prepared, angle = straighten(scan_pages.page(index).render(scale=DPI / 72).to_pil())
    read_page(prepared, engine(threads=1), doc, page_place(index + 1, prepared.size, angle, 72 / DPI, "pt"))
    return doc.items


def read_scanned_pdf(data: bytes, ocr: Engine | None = None) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise DocumentError(f"corrupt or encrypted PDF: {e}") from e
    if len(pdf) > MAX_PAGES:
        raise DocumentError(f"{len(pdf)} pages, more than {MAX_PAGES}")
    for i in range(len(pdf)):
        try:
            w, h = pdf[i].get_size()
        except pdfium.PdfiumError as e:  # a page tree that loops, a page object that is none
            raise DocumentError(f"corrupt PDF: page {i + 1} cannot be loaded ({e})") from e
        if w * h * (DPI / 72) ** 2 > MAX_PAGE_PIXELS:
            raise DocumentError(f"page {i + 1} is {w / 72:.0f} × {h / 72:.0f} inches: too large to "
                                f"render at {DPI} dpi")
    jobs = page_jobs(len(pdf)) if ocr is None else 1  # an engine given is this process's
    if jobs > 1:
        engine_name()  # refused here, not once per page process
    if jobs > 1:  # the pages side by side (parsers.scan_pages); each process makes its own engine
        count = len(pdf)
        pdf.close()
        doc = Document(format="pdf", ocr=True)  # joined in page order
        for items in read_pages_in_parallel(data, count, jobs, _scanned_page):
            doc.items.extend(items)
        if not any(doc.items):
            raise DocumentError(f"no text could be read on {count} page image(s)")
        return doc
    ocr = ocr or engine()
    pages = (pdf[i].render(scale=DPI / 72).to_pil() for i in range(len(pdf)))
    return read_pages(pages, "pdf", ocr, [72 / DPI] * len(pdf), "pt")
