"""Where a cell or a line was read, in the document's own terms.

Readers hand their text on as ``Located`` strings: ordinary ``str`` to everything that
reads it (labels, values, alignment), with the place it was printed attached, so the
place reaches the Report's cells without a second bookkeeping beside the rows. A
``where`` is a plain dict (JSON as it is):

- PDF (text layer or scan), OFD: ``page`` (1-based) and ``box`` [x0, top, x1, bottom]
  in ``unit`` "pt" (points from the page's top-left corner, as pdfplumber and pypdfium2
  crop); a scan's pixels are taken back through the straightening to the page's points.
- pictures: ``page`` (the frame) and ``box`` in "px" of the picture as archived;
  ``figure`` (1-based) when the picture is one an HTML page shows.
- ``also``: further parts on other pages, each ``{"page", "box"}`` (a row a page break
  cut in two).
- HTML: ``table`` (1-based among the page's ``<table>`` elements), ``row`` and ``col``
  (1-based on the table's grid, spans expanded), ``path`` (the cell's XPath in lxml's
  tree of the page); a paragraph only ``path``.
- DOCX (and DOC, through its DOCX): ``table``, ``row``, ``col``; a paragraph ``paragraph``.
- spreadsheets: ``sheet`` and ``cell`` (A1).
- text: ``lines`` [first, last] (1-based).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

Where = dict[str, Any]


class Located(str):
    """Printed text that says where it stands and, when OCR read it, how sure it was."""

    where: Where | None
    confidence: float | None

    def __new__(cls, text: str, where: Where | None = None, confidence: float | None = None):
        s = super().__new__(cls, text)
        s.where = where
        s.confidence = confidence
        return s

    def __reduce__(self):  # pickled into and out of page and parse processes
        return (Located, (str(self), self.where, self.confidence))


def at(text: str, where: Where | None, confidence: float | None = None) -> str:
    """``text`` located at ``where`` (plain text stays plain when there is no place)."""
    if where is None and confidence is None:
        return text
    return Located(text, where, confidence)


def where_of(text: object) -> Where | None:
    return getattr(text, "where", None)


def confidence_of(text: object) -> float | None:
    return getattr(text, "confidence", None)


def joined(parts: Sequence[str], sep: str = " ") -> str:
    """Texts joined as one, standing where all of them stood (the least sure confidence)."""
    text = sep.join(parts)
    sure = [c for c in (confidence_of(p) for p in parts) if c is not None]
    return at(text, merge(where_of(p) for p in parts), min(sure) if sure else None)


def relocated(text: str, **extra: Any) -> str:
    """``text`` with keys added to its where (a figure's number)."""
    where = where_of(text)
    return at(text, {**where, **extra} if where else None, confidence_of(text))


def merge(wheres: Iterable[Where | None]) -> Where | None:
    """One place for several: boxes on one page united, other pages in ``also``, line
    ranges united; table cells keep the first."""
    found = [w for w in wheres if w]
    if len(found) <= 1:
        return found[0] if found else None
    first = found[0]
    if "box" in first:
        boxes: dict[int, list[float]] = {}
        for w in found:
            for part in [w, *w.get("also", [])]:
                page, box = part.get("page"), part.get("box")
                if page is None or not box:
                    continue
                old = boxes.get(page)
                boxes[page] = list(box) if old is None else _union(old, box)
        pages = list(boxes)
        out = {k: v for k, v in first.items() if k != "also"}
        out["page"], out["box"] = pages[0], boxes[pages[0]]
        if len(pages) > 1:
            out["also"] = [{"page": p, "box": boxes[p]} for p in pages[1:]]
        return out
    if "lines" in first:
        lines = [w["lines"] for w in found if "lines" in w]
        return {**first, "lines": [min(a for a, _ in lines), max(b for _, b in lines)]}
    return first


def _union(a: Sequence[float], b: Sequence[float]) -> list[float]:
    return [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]


def page_box(page: int, box: Sequence[float], unit: str = "pt") -> Where:
    digits = 2 if unit == "pt" else 0
    rounded = [round(float(v), digits) for v in box]
    return {"page": page, "box": [int(v) for v in rounded] if unit == "px" else rounded, "unit": unit}


def column_letters(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def a1(row: int, col: int) -> str:
    """The A1 name of a 0-based (row, column)."""
    return f"{column_letters(col)}{row + 1}"


def parse_a1(name: str) -> tuple[int, int]:
    """0-based (row, column) of an A1 name."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", name.upper())
    if not m:
        raise ValueError(f"not an A1 cell name: {name!r}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


_SPACE = re.compile(r"\s+")


def locate_text(paragraphs: Sequence[str], sentence: str) -> Where | None:
    """Where a sentence of the text stands: the paragraphs (lines) it runs over, found by
    their characters with whitespace ignored (layout wraps lines anywhere)."""
    wanted = _SPACE.sub("", sentence)
    if not wanted:
        return None
    spans: list[tuple[int, int]] = []
    pieces: list[str] = []
    at_ = 0
    for p in paragraphs:
        squeezed = _SPACE.sub("", p)
        spans.append((at_, at_ + len(squeezed)))
        pieces.append(squeezed)
        at_ += len(squeezed)
    start = "".join(pieces).find(wanted)
    if start < 0:
        return None
    end = start + len(wanted)
    hit = [p for p, (a, b) in zip(paragraphs, spans, strict=True) if a < end and b > start]
    return merge(where_of(p) for p in hit)
