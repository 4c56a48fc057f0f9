"""Each font's descent as pdfminer takes it, read from the PDF's font dictionaries.

A character's box runs from the font's descent to descent + size (pdfminer's
LTChar). Where a FontDescriptor gives no Descent (LibreOffice writes 0), pdfminer
takes 0 and PDFium measures the glyphs instead, which would move every box by
up to 0.2 em; so the PDFium reader takes the descents from here.
"""

from __future__ import annotations

import io


def base_name(name: str) -> str:
    """A font's name without its subset tag (ABCDEF+): PDFium drops it for some fonts."""
    return name[7:] if len(name) > 7 and name[6] == "+" and name[:6].isalpha() else name


def font_descents(data: bytes) -> dict[str, float | None]:
    """Each font's descent as pdfminer takes it (per unit of size), by name: PDFium puts the
    glyphs' own where a FontDescriptor says 0 (LibreOffice writes 0), which would move every
    box by up to 0.2 em. None: a font pdfminer boxes another way (Type 3, vertical writing),
    or one name with two descents. Read with pdfminer's object parser, without interpreting a
    page; a file it cannot parse gives {} (PDFium's descents are used)."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import literal_name

    out: dict[str, float | None] = {}
    seen: set[int] = set()

    def num(value, default: float = 0.0) -> float:
        value = resolve1(value)
        return float(value) if isinstance(value, (int, float)) else default

    def descent(spec: dict) -> float | None:
        kind = literal_name(resolve1(spec.get("Subtype"))) if spec.get("Subtype") else ""
        if kind == "Type3":
            return None
        base = literal_name(resolve1(spec.get("BaseFont"))) if spec.get("BaseFont") else ""
        if kind == "Type0":
            encoding = resolve1(spec.get("Encoding"))
            wmode = num(resolve1(encoding).get("WMode")) if isinstance(encoding, dict) else 0
            name = literal_name(encoding) if not isinstance(encoding, (dict, type(None))) else ""
            if wmode == 1 or str(name).endswith("-V"):
                return None
            fonts = resolve1(spec.get("DescendantFonts")) or [{}]
            spec = resolve1(fonts[0]) or {}
        elif base in FONT_METRICS:  # pdfminer's PDFType1Font (and TrueType): the AFM's
            return -abs(float(FONT_METRICS[base][0].get("Descent", 0))) / 1000
        descriptor = resolve1(spec.get("FontDescriptor")) or {}
        return -abs(num(descriptor.get("Descent"))) / 1000

    def walk(resources, depth: int = 0) -> None:
        resources = resolve1(resources) or {}
        if not isinstance(resources, dict):
            return
        for ref in (resolve1(resources.get("Font")) or {}).values():
            spec = resolve1(ref)
            if not isinstance(spec, dict) or id(spec) in seen:
                continue
            seen.add(id(spec))
            base = spec.get("BaseFont")
            name = base_name(str(literal_name(resolve1(base)))) if base else ""
            value = descent(spec)
            out[name] = value if out.get(name, value) == value else None
        for ref in (resolve1(resources.get("XObject")) or {}).values():
            form = resolve1(ref)
            attrs = getattr(form, "attrs", {})
            if depth < 8 and literal_name(resolve1(attrs.get("Subtype"))) == "Form":
                walk(attrs.get("Resources"), depth + 1)

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        for page in PDFPage.create_pages(document):
            walk(page.resources)
    except Exception:  # pdfminer's parser raises anything on damaged files; PDFium read it
        return {}
    return out
