"""A PDF page's characters and ruling lines read by PDFium, as pdfplumber would give them.

pdfplumber's page objects come from pdfminer, which interprets every content
stream in Python: most of a PDF parse's time (docs/formats.md). PDFium
(pypdfium2) reads the same page in C. Each character is boxed as pdfminer boxes
it: [0, advance] x [descent, descent + size] in text space, through the
character's matrix, in pdfplumber's top-left page coordinates (MediaBox origin
and /Rotate as pdfminer applies them). Each painted path is split into
subpaths and classified as pdfminer does (line, rectangle, curve), and turned
into edges by pdfplumber's own functions. Coordinates are rounded to 0.001 pt:
PDFium computes in single precision, and equal coordinates must stay equal.

Where PDFium's text departs from the glyphs drawn, the page is Unreadable
here and the reader takes it from pdfplumber: text replaced by /ActualText,
vertical writing, Type 3 fonts.
"""

from __future__ import annotations

import ctypes
from collections.abc import Container, Iterator
from functools import cache

from parsers.guards import MAX_PAGES, DocumentError
from parsers.pdf_fonts import base_name, font_descents
from parsers.pdf_pages import Obj, Page, Unreadable


def open_pdfium(data: bytes):
    """A pypdfium2 document, or DocumentError naming why not."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise DocumentError("encrypted PDF (password required)") from e
        raise DocumentError(f"corrupt PDF: {e}"[:200]) from e


class _Frame:
    """pdfminer's page transform (MediaBox origin, /Rotate) and pdfplumber's flip to top-left."""

    def __init__(self, page) -> None:
        import pypdfium2.raw as raw

        x0, y0, x1, y1 = page.get_mediabox()
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        self.rotation = raw.FPDFPage_GetRotation(page) * 90 % 360
        # pdfminer.pdfinterp.PDFPageInterpreter.process_page
        self.ctm = {
            90: (0, -1, 1, 0, -y0, x1),
            180: (-1, 0, 0, -1, x1, y1),
            270: (0, 1, -1, 0, y1, -x0),
        }.get(self.rotation, (1, 0, 0, 1, -x0, -y0))
        # pdfplumber.page.Page: _normalize_box, _invert_box, process_object
        box = (y0, x0, y1, x1) if self.rotation in (90, 270) else (x0, y0, x1, y1)
        self.height = box[3] - box[1]
        self.width = box[2] - box[0]
        self.left = box[0]
        self.top = self.height - box[3]

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A user-space point in pdfminer's page space (y up)."""
        a, b, c, d, e, f = self.ctm
        return a * x + c * y + e, b * x + d * y + f

    def linear(self, m: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A matrix's linear part, followed by the page's rotation."""
        a, b, c, d = m
        ra, rb, rc, rd = self.ctm[:4]
        return a * ra + b * rc, a * rb + b * rd, c * ra + d * rc, c * rb + d * rd


_DIGITS = 3  # PDFium computes in single precision: 0.001 pt keeps equal coordinates equal


def _bbox_obj(kind: str, frame: _Frame, x0: float, y0: float, x1: float, y1: float) -> Obj:
    """pdfplumber's dict for a box given in pdfminer's page space."""
    top = round(frame.height - y1 + frame.top, _DIGITS)
    bottom = round(frame.height - y0 + frame.top, _DIGITS)
    left = round(x0 + frame.left, _DIGITS)
    right = round(x1 + frame.left, _DIGITS)
    return {
        "object_type": kind,
        "x0": left,
        "x1": right,
        "y0": round(y0, _DIGITS),
        "y1": round(y1, _DIGITS),
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": right - left,
        "height": bottom - top,
    }


def _proto(function, restype, *argtypes):
    """A PDFium function called with plain integers for handles: pypdfium2's typed
    wrappers check and convert every argument, a cost paid per character."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


class _Calls:
    """The per-character PDFium calls, typed once."""

    def __init__(self, raw) -> None:
        vp, i, f = ctypes.c_void_p, ctypes.c_int, ctypes.c_float
        self.count = _proto(raw.FPDFText_CountChars, i, vp)
        self.unicode = _proto(raw.FPDFText_GetUnicode, ctypes.c_uint, vp, i)
        self.generated = _proto(raw.FPDFText_IsGenerated, i, vp, i)
        self.origin = _proto(
            raw.FPDFText_GetCharOrigin,
            i,
            vp,
            i,
            ctypes.POINTER(ctypes.c_double),
            ctypes.POINTER(ctypes.c_double),
        )
        self.text_object = _proto(raw.FPDFText_GetTextObject, vp, vp, i)
        self.matrix = _proto(raw.FPDFText_GetMatrix, i, vp, i, ctypes.POINTER(raw.FS_MATRIX))
        self.loose = _proto(raw.FPDFText_GetLooseCharBox, i, vp, i, ctypes.POINTER(raw.FS_RECTF))
        self.font_size = _proto(raw.FPDFTextObj_GetFontSize, i, vp, ctypes.POINTER(f))
        self.font = _proto(raw.FPDFTextObj_GetFont, vp, vp)
        self.descent = _proto(raw.FPDFFont_GetDescent, i, vp, f, ctypes.POINTER(f))
        self.width = _proto(raw.FPDFFont_GetGlyphWidth, i, vp, ctypes.c_uint, f, ctypes.POINTER(f))
        self.font_name = _proto(
            raw.FPDFFont_GetBaseFontName, ctypes.c_size_t, vp, ctypes.c_char_p, ctypes.c_size_t
        )
        self.fs_matrix = raw.FS_MATRIX
        self.fs_rect = raw.FS_RECTF


def _font_name(api: _Calls, font: int) -> str:
    buffer = ctypes.create_string_buffer(256)
    size = api.font_name(font, buffer, 256)
    return buffer.value.decode("utf-8", "replace") if size else ""


@cache
def _calls() -> _Calls:
    import pypdfium2.raw as raw

    return _Calls(raw)


def _font_descent(api: _Calls, font: int, descents: dict[str, float | None]) -> float:
    """The font's descent per unit of size, as pdfminer takes it (parsers.pdf_fonts)."""
    name = base_name(_font_name(api, font))
    if name in descents:
        down = descents[name]
        if down is None:
            raise Unreadable(f"font {name}: pdfminer boxes its glyphs otherwise")
        return down
    value = ctypes.c_float()  # a font pdfminer's parser did not list: PDFium's descent
    api.descent(font, 1000.0, ctypes.byref(value))
    return value.value / 1000


def _chars(
    textpage, frame: _Frame, descents: dict[str, float | None]
) -> tuple[list[Obj], list[int]]:
    """The page's characters, boxed as pdfminer's LTChar: [0, advance] x [descent, descent +
    size] in text space, through the character's matrix, with the text object of each.
    PDFium's generated spaces and line breaks are left out: pdfminer sees no glyph there."""
    api = _calls()
    tp = ctypes.cast(textpage, ctypes.c_void_p).value
    x, y = ctypes.c_double(), ctypes.c_double()
    px, py = ctypes.byref(x), ctypes.byref(y)
    value = ctypes.c_float()
    pvalue = ctypes.byref(value)
    matrix = api.fs_matrix()
    pmatrix = ctypes.byref(matrix)
    fonts: dict[int, float] = {}  # font -> descent per unit size
    objects: dict[int, tuple] = {}  # text object -> its font, size and matrix
    widths: dict[tuple[int, int], float] = {}  # (font, code) -> advance per unit size, or -1
    height, top_shift, left_shift = frame.height, frame.top, frame.left
    ra, rb, rc, rd, re, rf = frame.ctm
    out: list[Obj] = []
    owners: list[int] = []  # each character's text object
    last_x = last_y = None
    for i in range(api.count(tp)):
        code = api.unicode(tp, i)
        if code in (0x20, 0x0D, 0x0A) and api.generated(tp, i):
            continue
        obj = api.text_object(tp, i)
        hit = objects.get(obj)
        if hit is None:
            if not obj:
                raise Unreadable("a character without a text object")
            api.font_size(obj, pvalue)
            size = value.value
            font = api.font(obj)
            down = fonts.get(font)
            if down is None:
                down = fonts[font] = _font_descent(api, font, descents)
            api.matrix(tp, i, pmatrix)
            a, b, c, d = frame.linear((matrix.a, matrix.b, matrix.c, matrix.d))
            # pdfminer's LTChar.upright; PDFium's matrix holds Tz, as pdfminer's advance does
            upright = a * d > 0 and b * c <= 0
            hit = objects[obj] = (font, size, down * size, a, b, c, d, upright, matrix.a)
        font, size, descent, a, b, c, d, upright, ma = hit
        api.origin(tp, i, px, py)
        ux, uy = x.value, y.value
        text = chr(code) if code < 0x110000 else "\ufffd"
        if ux == last_x and uy == last_y and out[-1]["text"] != text:
            raise Unreadable("characters replaced by /ActualText")
        last_x, last_y = ux, uy
        unit = widths.get((font, code))
        if unit is None:
            ok = api.width(font, code, 1000.0, pvalue)
            if ok and value.value < 0:
                raise Unreadable("vertical writing")  # a vertical font's advance is downwards
            unit = widths[(font, code)] = value.value / 1000 if ok and value.value > 0 else -1.0
        if unit >= 0:
            adv = unit * size
        elif b or c:
            raise Unreadable("a turned character without a width")
        else:  # no width for this code: the loose box's right edge is the advance
            box = api.fs_rect()
            api.loose(tp, i, ctypes.byref(box))
            adv = (box.right - ux) / ma if ma else 0.0
        ox = ra * ux + rc * uy + re  # pdfminer's page space: MediaBox origin, /Rotate
        oy = rb * ux + rd * uy + rf
        lo, hi = descent, descent + size  # the box's bottom and top in text space
        if b or c:  # turned: the four corners' extent
            xs = (ox + c * lo, ox + c * hi, ox + a * adv + c * lo, ox + a * adv + c * hi)
            ys = (oy + d * lo, oy + d * hi, oy + b * adv + d * lo, oy + b * adv + d * hi)
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        else:
            x0, x1 = (ox, ox + a * adv) if a >= 0 else (ox + a * adv, ox)
            y0, y1 = (oy + d * lo, oy + d * hi) if d >= 0 else (oy + d * hi, oy + d * lo)
        top = round(height - y1 + top_shift, _DIGITS)
        bottom = round(height - y0 + top_shift, _DIGITS)
        left = round(x0 + left_shift, _DIGITS)
        right = round(x1 + left_shift, _DIGITS)
        out.append(
            {
                "object_type": "char",
                "text": text,
                "x0": left,
                "x1": right,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "width": right - left,
                "height": bottom - top,
                "size": bottom - top,
                "upright": upright,
            }
        )
        owners.append(obj)
    return out, owners


def _subpaths(raw, path, matrix) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """(shape, points) of each subpath in user space, spelled as pdfminer spells them: m, l,
    c (a Bezier's end point only), h (closing, its point the subpath's start)."""
    a, b, c, d, e, f = matrix
    px = ctypes.c_float()
    py = ctypes.c_float()
    shape = ""
    pts: list[tuple[float, float]] = []
    bezier = 0
    for i in range(raw.FPDFPath_CountSegments(path)):
        seg = raw.FPDFPath_GetPathSegment(path, i)
        raw.FPDFPathSegment_GetPoint(seg, px, py)
        kind = raw.FPDFPathSegment_GetType(seg)
        point = (a * px.value + c * py.value + e, b * px.value + d * py.value + f)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if shape:
                yield shape, pts
            shape, pts, bezier = "m", [point], 0
            continue
        if not shape:  # a path not starting with a move: pdfminer paints nothing of it
            continue
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # control points
            op = "c"
        else:
            op = "l"
        if raw.FPDFPathSegment_GetClose(seg):
            if point != pts[0]:
                shape += op
                pts.append(point)
            shape += "h"
            pts.append(pts[0])
        else:
            shape += op
            pts.append(point)
    if shape:
        yield shape, pts


def _classify(shape: str, pts: list[tuple[float, float]]) -> tuple[str, list] | None:
    """pdfminer.converter.PDFLayoutAnalyzer.paint_path for one subpath: line, rect or curve."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if shape in ("mlh", "ml"):
        return "line", pts[:2]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if pts[0] == pts[4] and square:
            return "rect", [pts[0], pts[2]]
    return "curve", pts


def _shape_obj(kind: str, pts: list[tuple[float, float]], frame: _Frame) -> Obj:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    obj = _bbox_obj(kind, frame, min(xs), min(ys), max(xs), max(ys))
    if kind != "rect":
        obj["pts"] = [
            (round(px + frame.left, _DIGITS), round(frame.height - py + frame.top, _DIGITS))
            for px, py in pts
        ]
    return obj


def _paths(
    raw,
    container,
    frame: _Frame,
    outer,
    shapes: dict[str, list[Obj]],
    texts: list[int],
    depth: int = 0,
) -> None:
    """Painted paths of a page or form, into shapes["line" | "rect" | "curve"]; its text
    objects, in the order they are drawn, into texts."""
    count = (
        raw.FPDFPage_CountObjects(container)
        if depth == 0
        else raw.FPDFFormObj_CountObjects(container)
    )
    m = raw.FS_MATRIX()
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    for i in range(count):
        obj = (
            raw.FPDFPage_GetObject(container, i)
            if depth == 0
            else raw.FPDFFormObj_GetObject(container, i)
        )
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            texts.append(ctypes.cast(obj, ctypes.c_void_p).value or 0)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            continue
        raw.FPDFPageObj_GetMatrix(obj, m)
        ma, mb, mc, md, me, mf = m.a, m.b, m.c, m.d, m.e, m.f
        oa, ob, oc, od, oe, of = outer  # this object's matrix, then its form's
        matrix = (
            ma * oa + mb * oc,
            ma * ob + mb * od,
            mc * oa + md * oc,
            mc * ob + md * od,
            me * oa + mf * oc + oe,
            me * ob + mf * od + of,
        )
        if kind == raw.FPDF_PAGEOBJ_FORM:
            if depth < 8:
                _paths(raw, obj, frame, matrix, shapes, texts, depth + 1)
            continue
        raw.FPDFPath_GetDrawMode(obj, fill, stroke)
        if not fill.value and not stroke.value:
            continue
        for shape, pts in _subpaths(raw, obj, matrix):
            found = _classify(shape, [frame.point(*p) for p in pts])
            if found is not None:
                shapes[found[0]].append(_shape_obj(found[0], found[1], frame))


def _edges(shapes: dict[str, list[Obj]]) -> list[Obj]:
    """pdfplumber's Container.edges: line edges, then rectangles', then curves'."""
    from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

    edges = [line_to_edge(x) for x in shapes["line"]]
    edges += [e for x in shapes["rect"] for e in rect_to_edges(x)]
    edges += [e for x in shapes["curve"] for e in curve_to_edges(x)]
    return edges


def pdfium_page(pdf, index: int, descents: dict[str, float | None]) -> Page:
    """Page ``index`` (from 0) of a pypdfium2 document; Unreadable where PDFium's text
    departs from the glyphs drawn."""
    import pypdfium2.raw as raw

    page = pdf[index]
    textpage = page.get_textpage()
    try:
        frame = _Frame(page)
        chars, owners = _chars(textpage.raw, frame, descents)
        shapes: dict[str, list[Obj]] = {"line": [], "rect": [], "curve": []}
        texts: list[int] = []
        _paths(raw, page, frame, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), shapes, texts)
        # pdfminer's order: as drawn. PDFium's text page sorts a line's text objects by x,
        # and pdfplumber keeps the drawn order of characters at the same x.
        rank = {handle: i for i, handle in enumerate(texts)}
        order = sorted(range(len(chars)), key=lambda k: rank.get(owners[k], len(rank)))
        chars = [chars[k] for k in order]
        return Page(index + 1, frame.width, frame.height, chars, _edges(shapes))
    finally:
        textpage.close()
        page.close()


def pdfium_pages(data: bytes, skip: Container[int] = ()) -> Iterator[Page | int]:
    """Each page read by PDFium (but those, 0-based, in ``skip``), or its number where it
    must be read by pdfplumber."""
    pdf = open_pdfium(data)
    try:
        if len(pdf) > MAX_PAGES:
            raise DocumentError(f"{len(pdf)} pages, more than {MAX_PAGES}")
        descents = font_descents(data)
        for index in range(len(pdf)):
            if index in skip:
                continue
            try:
                yield pdfium_page(pdf, index, descents)
            except Unreadable:
                yield index + 1
    finally:
        pdf.close()
