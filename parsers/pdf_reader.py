"""PDF with a text layer -> Document: each page's characters and ruling lines, placed.

A page's characters, boxes and ruling lines come from PDFium (parsers.pdfium_pages;
an order of magnitude faster than pdfminer) or from pdfplumber, in the same form;
pdfplumber's own functions then find the tables by their ruling lines and read the
text. Each cell's box is placed on the grid of the table's edges, so merged cells
become rowspan/colspan like HTML. Text outside tables is read in the bands between
them, keeping reading order. A row that a page break cut in two is joined back
(parsers.pagebreak). Pages are released as soon as they are read: a long report
stays small in memory.
"""

from __future__ import annotations

import os
from collections.abc import Container, Iterator
from contextlib import ExitStack

from parsers.document import Document, Row, box_rows
from parsers.guards import MAX_PAGES, DocumentError
from parsers.labels import clean
from parsers.pagebreak import add_page
from parsers.pdf_pages import Page, plumber_errors, plumber_open, plumber_page, plumber_pages
from parsers.pdf_text import cell_text, text_lines
from parsers.pdfium_pages import open_pdfium, pdfium_pages
from parsers.where import at, page_box

_SNAP = 3.0  # points: edges closer than this are one edge
ENGINES = ("pdfium", "pdfplumber")
ENGINE_VARIABLE = "NIANBAO_PDF_ENGINE"  # pdfplumber: every page through pdfminer, as before


def engine() -> str:
    """The source of page objects: ``NIANBAO_PDF_ENGINE`` (pdfium by default)."""
    name = os.environ.get(ENGINE_VARIABLE, "").strip().lower() or ENGINES[0]
    if name not in ENGINES:
        raise DocumentError(f"{ENGINE_VARIABLE}={name!r}: not one of {', '.join(ENGINES)}")
    return name


def intersections_to_cells(intersections: dict) -> list[tuple]:
    """pdfplumber.table.intersections_to_cells, the same cells in the same order: for each
    crossing, the smallest cell it opens to the lower right whose sides are ruled. pdfplumber
    rebuilds two sets of edges and scans every later crossing for each pair it tries; here
    each crossing's edges are a set once and its crossings below and to the right looked up."""
    from pdfplumber.utils import obj_to_bbox

    v = {p: {obj_to_bbox(e) for e in found["v"]} for p, found in intersections.items()}
    h = {p: {obj_to_bbox(e) for e in found["h"]} for p, found in intersections.items()}

    def connects(p1: tuple, p2: tuple) -> bool:
        if p1[0] == p2[0] and not v[p1].isdisjoint(v[p2]):
            return True
        return p1[1] == p2[1] and not h[p1].isdisjoint(h[p2])

    points = sorted(intersections)
    below: dict[float, list] = {}  # x -> crossings on it, top to bottom
    right: dict[float, list] = {}  # top -> crossings on it, left to right
    for p in points:
        below.setdefault(p[0], []).append(p)
        right.setdefault(p[1], []).append(p)
    cells = []
    for pt in points[:-1]:
        column, line = below[pt[0]], right[pt[1]]
        found = None
        for down in column[column.index(pt) + 1 :]:
            if not connects(pt, down):
                continue
            for across in line[line.index(pt) + 1 :]:
                if not connects(pt, across):
                    continue
                corner = (across[0], down[1])
                if corner in intersections and connects(corner, across) and connects(corner, down):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def find_tables(page: Page) -> list:
    """pdfplumber's tables of the page (TableFinder with its default settings: ruling lines
    both ways), each given only the characters within its box: Table.extract scans its page's
    characters once a row, and a cell takes a character by its centre, which lies within it."""
    from pdfplumber.table import (
        Table,
        TableSettings,
        cells_to_tables,
        edges_to_intersections,
        merge_edges,
    )
    from pdfplumber.utils import filter_edges

    s = TableSettings()
    edges = filter_edges(page.edges, "v", min_length=s.edge_min_length_prefilter)
    edges += filter_edges(page.edges, "h", min_length=s.edge_min_length_prefilter)
    edges = merge_edges(
        edges, s.snap_x_tolerance, s.snap_y_tolerance, s.join_x_tolerance, s.join_y_tolerance
    )
    edges = filter_edges(edges, min_length=s.edge_min_length)
    crossings = edges_to_intersections(
        edges, s.intersection_x_tolerance, s.intersection_y_tolerance
    )
    tables = []
    for group in cells_to_tables(intersections_to_cells(crossings)):
        found = Table(page, group)
        x0, top, x1, bottom = found.bbox
        chars = [
            c
            for c in page.chars
            if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
        ]
        tables.append(Table(Page(page.number, page.width, page.height, chars), found.cells))
    return sorted(tables, key=lambda t: t.bbox[1])


def cell_texts(table) -> dict[tuple, str]:
    """What pdfplumber's Table.extract prints in each cell of table.rows (a cell takes the
    characters whose centre lies in it, half-open, in drawn order), without scanning every
    character once a row: the characters sorted by centre height, each cell's found by bisection."""
    from bisect import bisect_left

    chars = table.page.chars
    across = [(c["x0"] + c["x1"]) / 2 for c in chars]
    down = [(c["top"] + c["bottom"]) / 2 for c in chars]
    order = sorted(range(len(chars)), key=down.__getitem__)
    heights = [down[i] for i in order]
    out: dict[tuple, str] = {}
    for row in table.rows:
        for cell in row.cells:
            if cell is None or cell in out:
                continue
            x0, top, x1, bottom = cell
            span = order[bisect_left(heights, top) : bisect_left(heights, bottom)]
            picked = sorted(i for i in span if x0 <= across[i] < x1)
            out[cell] = cell_text([chars[i] for i in picked])
    return out


def table_rows(table, page: int | None = None) -> list[Row]:
    """``page``: the page's number, to say where each cell stands (its ruled box)."""
    texts = {
        box: " ".join(clean(x) for x in text.split("\n") if clean(x))
        for box, text in cell_texts(table).items()
    }
    located = [at(texts.get(box, ""), page_box(page, box) if page else None) for box in table.cells]
    return box_rows(table.cells, located, _SNAP)


def _lines(page: Page, top: float, bottom: float, boxes: list[tuple]) -> list[str]:
    """The printed lines between two tables, each with the box of its characters:
    pdfplumber's crop, filter and extract_text_lines."""
    if bottom - top < 1:
        return []
    bbox = (0, top, page.width, bottom)
    chars = [c for c in _crop(page.chars, bbox) if not any(_inside(c, b) for b in boxes)]
    out = []
    for line, box in text_lines(chars, bbox):
        text = clean(line)
        if text:
            out.append(at(text, page_box(page.number, box)))
    return out


def _crop(chars: list[dict], bbox: tuple) -> list[dict]:
    """pdfplumber's crop_to_bbox, which copies every character it keeps: a character wholly
    inside is kept as it is (its clipped copy would hold the same box)."""
    from pdfplumber.utils import crop_to_bbox

    x0, top, x1, bottom = bbox
    out = []
    for c in chars:
        if c["top"] > bottom or c["bottom"] < top:
            continue
        if (
            c["x0"] >= x0
            and c["x1"] <= x1
            and c["top"] >= top
            and c["bottom"] <= bottom
            and (c["x1"] > c["x0"] or c["bottom"] > c["top"])
        ):
            out.append(c)
        else:
            out.extend(crop_to_bbox([c], bbox))
    return out


def _inside(obj, box, pad: float = 4.0) -> bool:
    """Glyph boxes overhang their cell (font ascent): allow a few points."""
    x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
    y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return box[0] - pad <= x <= box[2] + pad and box[1] - pad <= y <= box[3] + pad


def page_items(page: Page) -> list[str | Row]:
    """One page's paragraphs and table rows, top to bottom."""
    items: list[str | Row] = []
    tables = find_tables(page)
    boxes = [t.bbox for t in tables]
    top = 0.0
    for table in tables:
        items.extend(_lines(page, top, table.bbox[1], boxes))
        items.extend(table_rows(table, page.number))
        top = table.bbox[3]
    items.extend(_lines(page, top, page.height, boxes))
    return items


def pages(data: bytes, source: str | None = None, skip: Container[int] = ()) -> Iterator[Page]:
    """The document's pages from ``source`` (``engine()`` by default). With PDFium, a page
    it cannot give as pdfminer draws it, and a file it cannot open, are read by pdfplumber."""
    if (source or engine()) == "pdfplumber":
        yield from plumber_pages(data, skip)
        return
    try:
        open_pdfium(data).close()
    except DocumentError:  # pdfminer may read what PDFium refuses; else it says why not
        yield from plumber_pages(data, skip)
        return
    with ExitStack() as stack:
        plumber = None
        for page in pdfium_pages(data, skip):
            if isinstance(page, Page):
                yield page
                continue
            if plumber is None:
                plumber = stack.enter_context(plumber_open(data))
            with plumber_errors():
                read = plumber_page(plumber.pages[page - 1])
            yield read


def has_text_layer(data: bytes, min_chars: int = 50, source: str | None = None,
                   skip: Container[int] = ()) -> bool:
    return text_layer(data, min_chars, source, skip)[0]


def _no_character(code: int) -> bool:
    """What PDFium gives for a glyph no font maps to a character: its own code, a control
    character (pdfminer says ``(cid:N)``), or a replacement character."""
    return code < 0x20 or code in (0xFFFD, 0xFFFE)


def text_layer(data: bytes, min_chars: int = 50, source: str | None = None,
               skip: Container[int] = ()) -> tuple[bool, int, int]:
    """(has a text layer, characters read, glyphs seen) over the pages read to decide.

    A text layer holds min_chars characters (a scan holds none), and they are most of its
    glyphs (a PDF whose Chinese font maps no glyph to a character, ``(cid:N)`` to
    pdfminer: read as a scan too). Stops at the first pages that have them: reading every
    page twice would double the time of the parse that follows.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if (source or engine()) == "pdfplumber":
        return _plumber_text_layer(data, min_chars, skip)
    try:
        pdf = open_pdfium(data)
    except DocumentError:
        return _plumber_text_layer(data, min_chars, skip)
    try:
        total = glyphs = 0
        for index in range(min(len(pdf), MAX_PAGES)):
            if index in skip:
                continue
            try:
                textpage = pdf[index].get_textpage()
            except pdfium.PdfiumError:  # a page PDFium cannot load: the reader says why
                continue
            count = raw.FPDFText_CountChars(textpage)
            drawn = [i for i in range(count) if not raw.FPDFText_IsGenerated(textpage, i)]
            mapped = sum(not _no_character(raw.FPDFText_GetUnicode(textpage, i)) for i in drawn)
            textpage.close()
            if mapped < len(drawn):  # glyphs by their codes: a font with no usable ToUnicode
                # map, whose other codes look like text; pdfminer names each (cid:N)
                return _plumber_text_layer(data, min_chars, skip)
            glyphs += len(drawn)
            total += mapped
            if total >= min_chars and total * 2 >= glyphs:
                return True, total, glyphs
        return False, total, glyphs
    finally:
        pdf.close()


def _plumber_text_layer(data: bytes, min_chars: int, skip: Container[int] = ()) -> tuple[bool, int, int]:
    total = glyphs = 0
    for page in plumber_pages(data, skip):
        # a glyph no font maps to a character reads "(cid:12)": no text, as in a scan
        glyphs += len(page.chars)
        total += sum(1 for c in page.chars if not str(c.get("text", "")).startswith("(cid:"))
        if total >= min_chars and total * 2 >= glyphs:
            return True, total, glyphs
    return False, total, glyphs


MAX_PAGE_CHARS = 60_000  # a dense page of a report holds some 3 000; pdfminer takes minutes on 300 000


def crowded_pages(data: bytes) -> tuple[int, dict[int, int]]:
    """(pages, {page: characters}) of the pages (0-based) holding more than MAX_PAGE_CHARS
    characters, counted by PDFium (C, a second for 300 000) before a page is read
    character by character; (0, {}) when PDFium cannot open the file (pdfminer then says why)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return 0, {}
    out = {}
    pages = len(pdf)
    try:
        for i in range(min(pages, MAX_PAGES)):
            try:
                page = pdf[i]
                text = page.get_textpage()
            except pdfium.PdfiumError:  # a page PDFium cannot load: the reader says why
                continue
            count = text.count_chars()
            text.close()
            page.close()
            if count > MAX_PAGE_CHARS:
                out[i] = count
    finally:
        pdf.close()
    return pages, out


def crowded_warning(page: int, count: int) -> str:
    return f"page {page + 1} not read: {count:,} characters, more than {MAX_PAGE_CHARS:,} on one page"


def read_pdf(data: bytes, source: str | None = None, skip: Container[int] = ()) -> Document:
    """``skip``: pages (0-based) not to read (crowded_pages), named in the warnings by the caller."""
    doc = Document(format="pdf")
    for page in pages(data, source, skip):
        add_page(doc.items, page_items(page))
    return doc
