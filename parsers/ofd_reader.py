"""OFD (GB/T 33190) -> Document: the glyphs and ruling lines of each page, placed.

An OFD is a zip of XML: OFD.xml names the document (DocBody/DocRoot), whose
Document.xml lists the pages (Pages/Page@BaseLoc), each a Content.xml of layers
holding TextObjects (a Boundary, a Size, TextCodes with X/Y and DeltaX/DeltaY
advances) and PathObjects (a Boundary and AbbreviatedData: M/L/B/Q/A/C). No
library from the package lists reads the ruling lines (see docs/formats.md), so
this one does, on lxml: each glyph gets a box in page coordinates (Boundary + CTM),
each straight stroke an edge; pdfplumber's own grid functions turn the edges
into table cells, as for a PDF; the text outside tables is read by line. Rows a
page break cut in two are joined (parsers.pagebreak). Units are converted to
points so that the PDF reader's tolerances apply unchanged.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from parsers.document import Box, Document, Row, box_rows
from parsers.guards import MAX_PAGES, ZIP_READ_ERRORS, DocumentError, open_zip
from parsers.labels import clean
from parsers.pagebreak import add_page
from parsers.where import at, joined, page_box

PT = 72 / 25.4  # OFD millimetres -> points
MAX_PAGE_GLYPHS = 100_000  # a dense page holds a few thousand
MAX_PAGE_EDGES = 20_000  # a ruled table a few hundred
_SNAP = 3.0
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_NUMBER = re.compile(r"-?\d*\.?\d+(?:[eE]-?\d+)?")

Char = tuple[float, float, float, float, str]  # x0, top, x1, bottom (points), text
Edge = dict


def _local(el: etree._Element) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _child(el: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in el.iter() if _local(c) == name), None)


def _floats(text: str | None) -> list[float]:
    return [float(x) for x in _NUMBER.findall(text or "")]


class _Package:
    """The zip's members found as producers write their paths: relative, absolute, any case."""

    def __init__(self, data: bytes) -> None:
        self.zip = open_zip(data)
        self.names = {n.lower(): n for n in self.zip.namelist()}

    def resolve(self, base: str, location: str) -> str | None:
        location = (location or "").strip().replace("\\", "/")
        if not location:
            return None
        here = posixpath.dirname(base)
        for path in (location.lstrip("/"), posixpath.join(here, location)):
            found = self.names.get(posixpath.normpath(path).lower())
            if found:
                return found
        return None

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self.zip.read(name), _PARSER)
        except (etree.XMLSyntaxError, *ZIP_READ_ERRORS) as e:
            raise DocumentError(f"OFD: corrupt {name}: {e}"[:200]) from e


def _ctm(el: etree._Element) -> tuple[float, ...]:
    m = _floats(el.get("CTM"))
    return tuple(m) if len(m) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _deltas(text: str | None, limit: int = 100_000) -> list[float]:
    """DeltaX/DeltaY with the "g count delta" shorthand expanded, at most ``limit``
    (a TextCode needs one per glyph; "g 99999999 1" must not fill the memory)."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens) and len(out) < limit:
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                out += [float(tokens[i + 2])] * max(0, min(int(tokens[i + 1]), limit - len(out)))
            except ValueError:
                pass
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return out


def _text_chars(obj: etree._Element) -> list[Char]:
    box = _floats(obj.get("Boundary"))
    if len(box) != 4:
        return []
    a, b, c, d, e, f = _ctm(obj)
    size = float((_floats(obj.get("Size")) or [3.5])[0])
    scale = abs(a * d - b * c) ** 0.5 or 1.0
    out: list[Char] = []
    x = y = 0.0
    for code in (n for n in obj if _local(n) == "TextCode"):
        text = code.text or ""
        x = float((_floats(code.get("X")) or [x])[0])
        y = float((_floats(code.get("Y")) or [y])[0])
        dx, dy = _deltas(code.get("DeltaX"), len(text)), _deltas(code.get("DeltaY"), len(text))
        for i, ch in enumerate(text):
            px, py = a * x + c * y + e + box[0], b * x + d * y + f + box[1]
            advance = (dx[i] if i < len(dx) else size) * scale
            h = size * scale
            if ch.strip():
                out.append(
                    (px * PT, (py - 0.88 * h) * PT, (px + advance) * PT, (py + 0.12 * h) * PT, ch)
                )
            x += dx[i] if i < len(dx) else size
            y += dy[i] if i < len(dy) else 0.0
    return out


def _path_edges(obj: etree._Element) -> list[Edge]:
    """Straight horizontal and vertical strokes (or thin filled bars) as pdfplumber edges."""
    box = _floats(obj.get("Boundary"))
    data = _child(obj, "AbbreviatedData")
    if len(box) != 4 or data is None:
        return []
    a, b, c, d, e, f = _ctm(obj)

    def page(px: float, py: float) -> tuple[float, float]:
        return (a * px + c * py + e + box[0]) * PT, (b * px + d * py + f + box[1]) * PT

    segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
    tokens = (data.text or "").split()
    args = {"M": 2, "L": 2, "B": 6, "Q": 4, "A": 7, "C": 0, "S": 2}
    here = start = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        op = tokens[i]
        n = args.get(op)
        if n is None:
            i += 1
            continue
        try:
            nums = [float(t) for t in tokens[i + 1 : i + 1 + n]]
        except ValueError:
            break
        i += 1 + n
        if op == "C":
            segments.append((here, start))
            here = start
        elif len(nums) == n:
            point = page(nums[-2], nums[-1])
            if op == "L":
                segments.append((here, point))
            if op in ("M", "S"):
                start = point
            here = point
    stroked = obj.get("Stroke", "true").lower() != "false"
    filled = obj.get("Fill", "false").lower() == "true"
    edges: list[Edge] = []
    if stroked:
        for (x0, y0), (x1, y1) in segments:
            edges += _edge(x0, y0, x1, y1)
    elif filled and segments:
        xs = [p[0] for s in segments for p in s]
        ys = [p[1] for s in segments for p in s]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if h < 2 <= w:
            edges += _edge(min(xs), (min(ys) + max(ys)) / 2, max(xs), (min(ys) + max(ys)) / 2)
        elif w < 2 <= h:
            edges += _edge((min(xs) + max(xs)) / 2, min(ys), (min(xs) + max(xs)) / 2, max(ys))
    return edges


def _edge(x0: float, y0: float, x1: float, y1: float) -> list[Edge]:
    if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= 3:
        left, right = sorted((x0, x1))
        return [
            {
                "x0": left,
                "x1": right,
                "top": y0,
                "bottom": y0,
                "width": right - left,
                "height": 0.0,
                "orientation": "h",
                "object_type": "line",
            }
        ]
    if abs(x1 - x0) < 0.5 and abs(y1 - y0) >= 3:
        top, bottom = sorted((y0, y1))
        return [
            {
                "x0": x0,
                "x1": x0,
                "top": top,
                "bottom": bottom,
                "width": 0.0,
                "height": bottom - top,
                "orientation": "v",
                "object_type": "line",
            }
        ]
    return []


def _objects(content: etree._Element) -> tuple[list[Char], list[Edge]]:
    chars: list[Char] = []
    edges: list[Edge] = []
    for el in content.iter():
        name = _local(el)
        if name == "TextObject":
            chars += _text_chars(el)
        elif name == "PathObject":
            edges += _path_edges(el)
    return chars, edges


def _tables(edges: list[Edge]) -> list[list[Box]]:
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    merged = merge_edges(edges, _SNAP, _SNAP, _SNAP, _SNAP)
    cells = intersections_to_cells(edges_to_intersections(merged, 1, 1))
    return [list(t) for t in cells_to_tables(cells) if len(t) > 1]


def _lines(chars: list[Char], page: int | None = None) -> list[tuple[float, str]]:
    """(top, text) of each printed line: glyphs by baseline, then left to right (``page``:
    its number, to say where each line stands)."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c[3], c[0])):
        if lines and abs(ch[3] - lines[-1][0][3]) < 0.5 * (ch[3] - ch[1]):
            lines[-1].append(ch)
        else:
            lines.append([ch])
    out = []
    for line in lines:
        line.sort(key=lambda c: c[0])
        text = line[0][4]
        for prev, ch in zip(line, line[1:], strict=False):
            text += (" " if ch[0] - prev[2] > 0.5 * (ch[3] - ch[1]) else "") + ch[4]
        box = (min(c[0] for c in line), min(c[1] for c in line), max(c[2] for c in line),
               max(c[3] for c in line))
        out.append((box[1], at(clean(text), page_box(page, box) if page else None)))
    return [(top, text) for top, text in out if text]


def _inside(ch: Char, box: Box) -> bool:
    x, y = (ch[0] + ch[2]) / 2, (ch[1] + ch[3]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def page_items(chars: list[Char], tables: list[list[Box]], page: int | None = None) -> list[str | Row]:
    """One page's paragraphs and table rows (tables as lists of cell boxes), top to bottom
    (``page``: its number, for where each cell and line stands)."""
    placed: list[tuple[float, list[str | Row]]] = []
    rest = chars
    for cells in tables:
        bbox = (
            min(c[0] for c in cells),
            min(c[1] for c in cells),
            max(c[2] for c in cells),
            max(c[3] for c in cells),
        )
        inside = [ch for ch in rest if _inside(ch, bbox)]
        rest = [ch for ch in rest if not _inside(ch, bbox)]
        texts = [at(joined([t for _, t in _lines([ch for ch in inside if _inside(ch, c)])]),
                    page_box(page, c) if page else None) for c in cells]
        placed.append((bbox[1], list(box_rows(cells, texts, _SNAP))))
    placed += [(top, [text]) for top, text in _lines(rest, page)]
    placed.sort(key=lambda p: p[0])
    return [item for _, items in placed for item in items]


def _pages(pkg: _Package) -> tuple[str, list[str]]:
    """The Document.xml's name and its pages' locations, in order."""
    root_name = pkg.resolve("", "OFD.xml")
    if root_name is None:
        raise DocumentError("OFD: no OFD.xml in the package")
    root = pkg.xml(root_name)
    doc_root = _child(root, "DocRoot")
    doc_name = pkg.resolve(root_name, doc_root.text if doc_root is not None else "")
    if doc_name is None:
        raise DocumentError("OFD: OFD.xml names no DocRoot that the package holds")
    document = pkg.xml(doc_name)
    pages = [
        el.get("BaseLoc", "")
        for el in document.iter()
        if _local(el) == "Page" and el.get("BaseLoc")
    ]
    if not pages:
        raise DocumentError("OFD: the document lists no pages")
    return doc_name, pages


def page_objects(data: bytes, number: int) -> tuple[tuple[float, float], list[Char], list[Edge]]:
    """One page's size, glyphs and ruling lines (points), to draw it: no OFD renderer is
    packaged, and a cell's evidence needs its page."""
    pkg = _Package(data)
    doc_name, pages = _pages(pkg)
    if not 1 <= number <= len(pages):
        raise DocumentError(f"OFD: {len(pages)} pages, not a page {number}")
    name = pkg.resolve(doc_name, pages[number - 1])
    if name is None:
        raise DocumentError(f"OFD page {number}: {pages[number - 1]} is not in the package")
    content = pkg.xml(name)
    chars, edges = _objects(content)
    box = next((_floats(el.text) for el in content.iter() if _local(el) == "PhysicalBox"), None)
    if not box or len(box) != 4:  # the page's own box, else the document's, else A4
        box = next((_floats(el.text) for el in pkg.xml(doc_name).iter() if _local(el) == "PhysicalBox"),
                   [0, 0, 210, 297])
    return (box[2] * PT, box[3] * PT), chars, edges


def read_ofd(data: bytes) -> Document:
    pkg = _Package(data)
    doc_name, pages = _pages(pkg)
    if len(pages) > MAX_PAGES:
        raise DocumentError(f"OFD: {len(pages)} pages, more than {MAX_PAGES}")
    doc = Document(format="ofd")
    glyphs = ruled = 0
    for number, location in enumerate(pages, 1):
        name = pkg.resolve(doc_name, location)
        if name is None:
            doc.warnings.append(f"OFD page {number}: {location} is not in the package")
            continue
        try:
            chars, edges = _objects(pkg.xml(name))
            if len(chars) > MAX_PAGE_GLYPHS or len(edges) > MAX_PAGE_EDGES:
                raise DocumentError(f"{len(chars)} glyphs, {len(edges)} lines: not a report page")
            tables = _tables(edges)
            items = page_items(chars, tables, number)
        except DocumentError as e:
            doc.warnings.append(f"OFD page {number} not read: {e}")
            continue
        except (ArithmeticError, ValueError, IndexError, KeyError, TypeError) as e:
            doc.warnings.append(f"OFD page {number} not read: {type(e).__name__} {e}"[:200])
            continue
        glyphs += len(chars)
        ruled += len(tables)
        add_page(doc.items, items)
    if not glyphs:
        raise DocumentError("OFD: no text objects on any page (a scan, or text only as images)")
    if not ruled:
        doc.warnings.append("OFD: no ruled table on any page; tables without ruling lines are not read")
    return doc
