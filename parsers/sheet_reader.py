"""XLSX / XLS workbooks -> Document (python-calamine).

Agencies attach the three tables as spreadsheets, typed into Excel, WPS or
Calc: merged cells for the template's spanning labels, numbers as numeric cells,
the title and headings as lines merged across the sheet. Each visible sheet is
read in order. A row holding one cell as wide as the rows around it (a title or
prose line, often merged across the table) or a part heading is a paragraph.
The rows between paragraphs are a table as wide as its widest row, so it keeps
its blank value cells but not the unused columns of a wider table elsewhere on
the sheet; merged cells are expanded as in HTML.
"""

from __future__ import annotations

import datetime as dt
import io

from parsers.document import Document, SpanCell, grid_rows
from parsers.guards import DocumentError, open_zip
from parsers.labels import clean
from parsers.sections import heading

MAX_SHEET_CELLS = 500_000  # a report's sheet has a few hundred; more is not a report

Merge = tuple[tuple[int, int], tuple[int, int]]


def cell_text(value: object) -> str:
    """A cell as printed: 12.0 -> "12", 1253.47 -> "1253.47", lines joined by a space."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).upper()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return value.isoformat() if not isinstance(value, dt.timedelta) else str(value)
    return " ".join(clean(x) for x in str(value).split("\n") if clean(x))


def sheet_items(grid: list[list[object]], merges: list[Merge]) -> list[str | tuple[str, ...]]:
    """Paragraphs and rows of one sheet's cell grid (as python-calamine gives it)."""
    texts = [[cell_text(v) for v in row] for row in grid]
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()  # inside a merged cell, not its first position
    continued: set[int] = set()  # rows that a merged cell from a row above reaches into
    extent = [max((c + 1 for c, t in enumerate(row) if t), default=0) for row in texts]
    width = max((len(row) for row in texts), default=0)
    for (r0, c0), (r1, c1) in merges:
        if r0 >= len(texts) or c0 >= width or r1 < r0 or c1 < c0:
            continue
        r1, c1 = min(r1, len(texts) - 1), min(c1, width - 1)  # a range past the cells: clamp
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        for r in range(r0, r1 + 1):
            extent[r] = max(extent[r], c1 + 1)
            covered.update((r, c) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
            if r > r0:
                continued.add(r)

    def paragraph(r: int) -> bool:
        """One cell, as wide as the rows around it (a title or prose line), or a part heading."""
        filled = [c for c, t in enumerate(texts[r]) if t]
        if len(filled) != 1 or r in continued:
            return False
        c = filled[0]
        around = max(extent[r - 1] if r else 0, extent[r + 1] if r + 1 < len(texts) else 0)
        return bool(heading(texts[r][c])) or c + spans.get((r, c), (1, 1))[1] >= around

    items: list[str | tuple[str, ...]] = []
    table: list[int] = []
    for r in range(len(texts) + 1):
        para = r < len(texts) and extent[r] and paragraph(r)
        if r < len(texts) and extent[r] and not para:
            table.append(r)
            continue
        if table:
            items.extend(_table(texts, spans, covered, table, max(extent[t] for t in table)))
            table = []
        if para:
            items.append(next(t for t in texts[r] if t))
    return items


def _table(texts, spans, covered, rows: list[int], width: int) -> list[tuple[str, ...]]:
    """Consecutive sheet rows as table rows, merged cells placed as in HTML."""
    placed: list[tuple[int, int, SpanCell]] = []
    last = rows[-1]
    for i, r in enumerate(rows):
        for c in range(width):
            if (r, c) in covered:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            text = texts[r][c] if c < len(texts[r]) else ""
            placed.append((i, c, SpanCell(text, max(1, min(rs, last - r + 1)), cs)))
    return [row for row in grid_rows(placed, len(rows)) if any(row)]


def read_sheets(data: bytes, fmt: str) -> Document:
    """Every visible sheet of an XLSX or XLS workbook, in order."""
    from python_calamine import CalamineError, CalamineWorkbook

    name = fmt.upper()
    if fmt == "xlsx":
        open_zip(data)  # refuses zip bombs and encrypted containers before calamine unpacks
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as e:
        raise DocumentError(f"corrupt {name} workbook: {e}"[:200]) from e
    doc = Document(format=fmt)
    for meta in book.sheets_metadata:
        if str(meta.visible).rsplit(".", 1)[-1].lower() != "visible":
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            if sheet.height * sheet.width > MAX_SHEET_CELLS:
                raise DocumentError(
                    f"{name} sheet {meta.name!r}: {sheet.height}x{sheet.width} cells"
                )
            grid = sheet.to_python(skip_empty_area=False)
            merges = list(sheet.merged_cell_ranges or [])
        except (CalamineError, ValueError) as e:
            doc.warnings.append(f"{name} sheet {meta.name!r} not read: {e}"[:200])
            continue
        doc.items.extend(sheet_items(grid, merges))
    if not doc.items:
        raise DocumentError(f"{name}: no sheet holds any text")
    return doc
