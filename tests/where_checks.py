"""Checks that a cell's ``where`` is right, by reading the document again at that place.

Each reads the original bytes with the format's own library, independently of the
reader that recorded the place: the glyphs inside a PDF box (pdfplumber), the element at
an HTML path (lxml), the grid cell of a DOCX table, the A1 cell of a sheet, the text's
lines, the glyphs of an OFD page inside the box.
"""

from __future__ import annotations

import io
import math
import re

from parsers.labels import clean

SPACE = re.compile(r"\s+")


def squeezed(text: str | None) -> str:
    return SPACE.sub("", text or "")


def every_cell_located(report, *keys: str) -> None:
    """Every cell has a where holding these keys."""
    missing = {k: c.where for k, c in report.cells.items() if not c.where or any(x not in c.where for x in keys)}
    assert not missing, f"{len(missing)} of {len(report.cells)} cells lack {keys}: {list(missing.items())[:3]}"


def _centre_in(obj: dict, box) -> bool:
    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def pdf_text_at(pdf, where: dict) -> str:
    """The text of the glyphs whose centre is inside the box on that page, on every part
    (a cell a page break cut in two), its lines joined by a space as the table prints them."""
    parts = []
    for part in [where, *where.get("also", [])]:
        page = pdf.pages[part["page"] - 1]
        box = part["box"]
        text = page.filter(lambda o, b=box: o.get("object_type") == "char" and _centre_in(o, b)).extract_text() or ""
        parts.append(" ".join(clean(x) for x in text.split("\n") if clean(x)))
    return " ".join(p for p in parts if p)


def pdf_boxes_hold_raw(report, data: bytes) -> int:
    """Every PDF cell's box holds its raw text (extracted again); the number checked."""
    import pdfplumber

    every_cell_located(report, "page", "box", "unit")
    wrong = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for key, c in report.cells.items():
            assert c.where["unit"] == "pt"
            got = pdf_text_at(pdf, c.where)
            if got != c.raw:
                wrong[key] = (c.raw, got, c.where)
    assert not wrong, f"{len(wrong)} boxes hold other text: {list(wrong.items())[:3]}"
    in_print_order(report, lambda w: (w["page"], round(w["box"][1]), w["box"][0]))
    return len(report.cells)


def html_paths_hold_raw(report, data: bytes, content_type: str | None = None) -> None:
    """The element at each cell's path, in lxml's tree of the page, is a cell of the
    where['table']-th table whose text is the raw text."""
    from parsers.html_reader import element_text, page_tree

    every_cell_located(report, "table", "row", "col", "path")
    root = page_tree(data, content_type)
    tables = list(root.iter("table"))
    wrong = {}
    for key, c in report.cells.items():
        (el,) = root.getroottree().xpath(c.where["path"])
        table = next(a for a in el.iterancestors("table"))
        if el.tag not in ("td", "th") or table is not tables[c.where["table"] - 1] or element_text(el) != c.raw:
            wrong[key] = (c.raw, element_text(el), c.where)
    assert not wrong, f"{len(wrong)} paths hold other text: {list(wrong.items())[:3]}"
    in_print_order(report, lambda w: (w["table"], w["row"], w["col"]))


def docx_cells_hold_raw(report, docx: bytes) -> None:
    from parsers.docx_reader import W, document_body, table_cells

    every_cell_located(report, "table", "row", "col")
    tables = list(document_body(docx).iter(f"{W}tbl"))
    wrong = {}
    for key, c in report.cells.items():
        w = c.where
        grid = {(r, col): cell for r, col, cell in table_cells(tables[w["table"] - 1])}
        cell = grid.get((w["row"] - 1, w["col"] - 1))
        if cell is None or str(cell.text) != c.raw:
            wrong[key] = (c.raw, cell and str(cell.text), w)
    assert not wrong, f"{len(wrong)} table cells hold other text: {list(wrong.items())[:3]}"
    in_print_order(report, lambda w: (w["table"], w["row"], w["col"]))


def sheet_cells_hold_raw(report, data: bytes, fmt: str) -> None:
    from parsers.sheet_reader import cell_text, workbook_sheets
    from parsers.where import parse_a1

    every_cell_located(report, "sheet", "cell")
    sheets = {name: grid for name, grid, _ in workbook_sheets(data, fmt)}
    wrong = {}
    for key, c in report.cells.items():
        r, col = parse_a1(c.where["cell"])
        row = sheets[c.where["sheet"]][r]
        got = cell_text(row[col] if col < len(row) else None)
        if got != c.raw:
            wrong[key] = (c.raw, got, c.where)
    assert not wrong, f"{len(wrong)} sheet cells hold other text: {list(wrong.items())[:3]}"
    in_print_order(report, lambda w: (w["sheet"], *parse_a1(w["cell"])))


def text_lines_hold_raw(report, text: str) -> None:
    """The raw text stands on the cell's lines (a cell over two lines: on them joined)."""
    every_cell_located(report, "lines")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    wrong = {}
    for key, c in report.cells.items():
        first, last = c.where["lines"]
        printed = squeezed("".join(lines[first - 1:last]))
        if squeezed(c.raw) not in printed:
            wrong[key] = (c.raw, lines[first - 1:last])
    assert not wrong, f"{len(wrong)} cells are not on their lines: {list(wrong.items())[:3]}"
    in_print_order(report, lambda w: w["lines"][0])


def in_print_order(report, position) -> None:
    """A table's cells stand in the template's printed order (rows down, columns across):
    a value on a line of zeros elsewhere in the table would break it."""
    from parsers.templates import metrics

    order = {k: i for i, k in enumerate(metrics())}
    for table in ("active", "applications", "review"):
        keys = sorted((k for k in report.cells if k.startswith(table + ".")), key=order.__getitem__)
        back = [(a, b) for a, b in zip(keys, keys[1:], strict=False)
                if position(report.cells[b].where) < position(report.cells[a].where)]
        assert not back, f"{table}: cells out of printed order: {back[:3]}"

def ofd_boxes_hold_raw(report, data: bytes) -> None:
    """The OFD glyphs whose centre is inside each cell's box spell its raw text."""
    from parsers.ofd_reader import page_objects

    every_cell_located(report, "page", "box")
    pages = {}
    wrong = {}
    for key, c in report.cells.items():
        p = c.where["page"]
        if p not in pages:
            pages[p] = page_objects(data, p)[1]
        box = c.where["box"]
        got = "".join(ch[4] for ch in sorted(pages[p], key=lambda ch: (round(ch[3]), ch[0]))
                      if box[0] <= (ch[0] + ch[2]) / 2 <= box[2] and box[1] <= (ch[1] + ch[3]) / 2 <= box[3])
        if got != squeezed(c.raw):
            wrong[key] = (c.raw, got, c.where)
    assert not wrong, f"{len(wrong)} OFD boxes hold other text: {list(wrong.items())[:3]}"


def _turned(point, angle: float, size) -> tuple[float, float]:
    """A point of the page as printed, where a scan turned by ``angle`` (PIL's rotate,
    about the centre) puts it."""
    t = -math.radians(-angle)  # the scanner's rotate(angle) maps output to source by -angle
    cx, cy = size[0] / 2, size[1] / 2
    x, y = point[0] - cx, point[1] - cy
    return math.cos(t) * x + math.sin(t) * y + cx, -math.sin(t) * x + math.cos(t) * y + cy


def scan_boxes_where_printed(scanned, printed, page_sizes: dict[int, tuple[float, float]],
                             angle: float, slack: float = 3.0) -> None:
    """Each OCR'd cell's box (points on the scanned page) holds the centre of the same cell
    as the original PDF prints it, turned as the scanner turned the page (within ``slack``
    points: the scan's own jitter of a fifth of a degree)."""
    every_cell_located(scanned, "page", "box", "unit")
    wrong = {}
    for key, c in scanned.cells.items():
        source = printed.cells[key].where
        assert c.where["page"] == source["page"], key
        b = source["box"]
        x, y = _turned(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2), angle, page_sizes[source["page"]])
        box = c.where["box"]
        if not (box[0] - slack <= x <= box[2] + slack and box[1] - slack <= y <= box[3] + slack):
            wrong[key] = ((round(x, 1), round(y, 1)), box)
    assert not wrong, f"{len(wrong)} scanned boxes miss their cell: {list(wrong.items())[:3]}"
