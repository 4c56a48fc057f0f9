"""PDF with a text layer -> Document (pdfplumber).

Tables are found by their ruling lines; each cell's box is placed on the grid
of the table's edges, so merged cells become rowspan/colspan like HTML. Text
outside tables is read in the bands between them, keeping reading order. A
row that a page break cut in two is joined back (parsers.pagebreak). Pages are
released as soon as they are read: a long report stays small in memory.
"""

from __future__ import annotations

import io
from contextlib import contextmanager

from parsers.document import Document, Row, box_rows
from parsers.guards import MAX_PAGES, DocumentError
from parsers.labels import clean
from parsers.pagebreak import add_page
from parsers.where import at, page_box

_SNAP = 3.0  # points: edges closer than this are one edge


def table_rows(table, page: int | None = None) -> list[Row]:
    """``page``: the page's number, to say where each cell stands (its ruled box)."""
    texts = {}
    for row, printed in zip(table.rows, table.extract(), strict=False):
        for box, text in zip(row.cells, printed, strict=False):
            if box is not None:
                texts[box] = " ".join(clean(x) for x in (text or "").split("\n") if clean(x))
    located = [at(texts.get(box, ""), page_box(page, box) if page else None) for box in table.cells]
    return box_rows(table.cells, located, _SNAP)


def _lines(page, top: float, bottom: float, boxes: list[tuple]) -> list[str]:
    """The printed lines between two tables, each with its box."""
    if bottom - top < 1:
        return []
    band = page.crop((0, top, page.width, bottom), strict=False)
    band = band.filter(lambda obj: not any(_inside(obj, b) for b in boxes))
    out = []
    for line in band.extract_text_lines(strip=True, return_chars=False):
        text = clean(line["text"])
        if text:
            box = (line["x0"], line["top"], line["x1"], line["bottom"])
            out.append(at(text, page_box(page.page_number, box)))
    return out


def _inside(obj, box, pad: float = 4.0) -> bool:
    """Glyph boxes overhang their cell (font ascent): allow a few points."""
    x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
    y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return box[0] - pad <= x <= box[2] + pad and box[1] - pad <= y <= box[3] + pad


@contextmanager
def pdf_errors():
    """Turn pdfminer's many exceptions for broken or locked files into one, with a reason."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        yield
    except DocumentError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise DocumentError("encrypted PDF (password required)") from e
    except Exception as e:  # pdfminer raises anything from KeyError to struct.error on junk
        cause = e.__cause__ or (e.args[0] if e.args and isinstance(e.args[0], Exception) else e)
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise DocumentError("encrypted PDF (password required)") from e
        raise DocumentError(f"corrupt PDF: {type(cause).__name__} {cause}".strip()[:200]) from e


def has_text_layer(data: bytes, min_chars: int = 50) -> bool:
    """Whether the text layer holds min_chars characters (a scan holds none).

    Stops at the first pages that have them: reading every page twice would
    double the time of the parse that follows.
    """
    import pdfplumber

    with pdf_errors(), pdfplumber.open(io.BytesIO(data)) as pdf:
        total = 0
        for page in pdf.pages[:MAX_PAGES]:
            total += len(page.chars)
            page.close()
            if total >= min_chars:
                return True
        return False


def read_pdf(data: bytes) -> Document:
    import pdfplumber

    doc = Document(format="pdf")
    with pdf_errors(), pdfplumber.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise DocumentError(f"{len(pdf.pages)} pages, more than {MAX_PAGES}")
        for page in pdf.pages:
            items: list[str | Row] = []
            tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
            boxes = [t.bbox for t in tables]
            top = 0.0
            for table in tables:
                items.extend(_lines(page, top, table.bbox[1], boxes))
                items.extend(table_rows(table, page.page_number))
                top = table.bbox[3]
            items.extend(_lines(page, top, page.height, boxes))
            page.close()
            add_page(doc.items, items)
    return doc
