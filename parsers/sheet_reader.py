"""XLSX / XLS workbooks -> Document (openpyxl / xlrd).

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
import re

from parsers.document import Document, SpanCell, grid_rows
from parsers.guards import DocumentError, open_zip, read_member
from parsers.labels import clean
from parsers.sections import heading
from parsers.where import a1, at

MAX_SHEET_CELLS = 500_000  # a report's sheet has a few hundred; more is not a report
MAX_SHEET_XML_BYTES = 30 * 2**20  # a report's sheet XML is some 100 KB

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


def sheet_items(grid: list[list[object]], merges: list[Merge],
                sheet: str | None = None) -> list[str | tuple[str, ...]]:
    """Paragraphs and rows of one sheet's cell grid (rows of values; None or "" when empty;
    ``sheet``: its name, for where each cell stands)."""
    texts = [[cell_text(v) if sheet is None else at(cell_text(v), {"sheet": sheet, "cell": a1(r, c)})
              for c, v in enumerate(row)] for r, row in enumerate(grid)]
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


Sheet = tuple[str, list[list[object]], list[Merge]]  # name, cell values, merged ranges


def _xls_sheets(data: bytes) -> list[Sheet]:
    """xlrd (BIFF5/8): cell values, dates as dates, merged ranges (formatting_info)."""
    import xlrd

    book = xlrd.open_workbook(
        file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()
    )  # xlrd writes its warnings to stdout unless given a log
    out: list[Sheet] = []
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        if sheet.visibility:  # 1 hidden, 2 very hidden
            continue
        _check_size(sheet.name, sheet.nrows, sheet.ncols)
        grid: list[list[object]] = []
        for r in range(sheet.nrows):
            row: list[object] = []
            for cell in sheet.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).date())
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    row.append(None)
                else:
                    row.append(cell.value)
            grid.append(row)
        merges = [((r0, c0), (r1 - 1, c1 - 1)) for r0, r1, c0, c1 in sheet.merged_cells]
        out.append((sheet.name, grid, merges))
    return out


def _xlsx_sheets(data: bytes) -> list[Sheet]:
    """openpyxl: cached values (not formulas), merged ranges."""
    archive = open_zip(data)  # refuses zip bombs and encrypted containers first
    sheet_xml = sum(i.file_size for i in archive.infolist() if i.filename.startswith("xl/worksheets/"))
    if sheet_xml > MAX_SHEET_XML_BYTES:
        raise DocumentError(f"XLSX sheets unpack to {sheet_xml // 2**20} MiB: not a report")
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            _check_merges(info.filename, read_member(archive, info.filename))
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    out: list[Sheet] = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        _check_size(sheet.title, sheet.max_row, sheet.max_column)
        grid = [list(row) for row in sheet.iter_rows(values_only=True)]
        merges = [
            ((m.min_row - 1, m.min_col - 1), (m.max_row - 1, m.max_col - 1))
            for m in sheet.merged_cells.ranges
        ]
        out.append((sheet.title, grid, merges))
    return out


def workbook_sheets(data: bytes, fmt: str) -> list[Sheet]:
    """(name, cell values, merged ranges) of every visible sheet (``fmt``: xlsx or xls)."""
    return _xlsx_sheets(data) if fmt == "xlsx" else _xls_sheets(data)


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=[\"']\$?([A-Za-z]{1,3})\$?(\d{1,7})"
                    rb"(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?")


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _check_merges(member: str, xml: bytes) -> None:
    """openpyxl makes an object for every cell a merged range covers: a range over the
    whole sheet (A1:XFD1048576, 17 billion cells) would never finish. Counted first."""
    total = 0
    for m in _MERGE.finditer(xml):
        c0, r0, c1, r1 = m.group(1), int(m.group(2)), m.group(3) or m.group(1), int(m.group(4) or m.group(2))
        area = (abs(r1 - r0) + 1) * (abs(_column(c1) - _column(c0)) + 1)
        total += area
        if total > MAX_SHEET_CELLS:
            ref = m.group(0).split(b"ref=")[1][1:].decode("ascii", "replace")
            raise DocumentError(f"{member.rsplit('/', 1)[-1]}: merged range {ref} covers {area:,} cells, "
                                "not a report")


def _check_size(name: str, rows: int, cols: int) -> None:
    if rows * cols > MAX_SHEET_CELLS:
        raise DocumentError(f"sheet {name!r}: {rows}x{cols} cells, not a report")


def read_sheets(data: bytes, fmt: str) -> Document:
    """Every visible sheet of an XLSX or XLS workbook, in order.

    Pure-Python readers on purpose: python-calamine (Rust) panics on corrupt XLS and,
    on some, aborts the whole process on a huge allocation (docs/formats.md).
    """
    name = fmt.upper()
    try:
        sheets = _xlsx_sheets(data) if fmt == "xlsx" else _xls_sheets(data)
    except DocumentError as e:
        raise DocumentError(f"{name}: {e}") from e
    except Exception as e:  # xlrd and openpyxl raise anything from IndexError to zlib.error on junk
        raise DocumentError(f"corrupt {name} workbook: {type(e).__name__} {e}"[:200]) from e
    doc = Document(format=fmt)
    for name, grid, merges in sheets:
        doc.items.extend(sheet_items(grid, merges, name))
    if not doc.items:
        raise DocumentError(f"{name}: no sheet holds any text")
    return doc
