"""The archived table (HTML, DOCX, DOC, spreadsheet) or text with one cell highlighted.

Read again from the archived bytes, the way the parser counted them (parsers.where): an
HTML page's n-th ``<table>`` in lxml's tree and the cell at its ``path``, a DOCX's n-th
table and its grid cell, a sheet's A1 cell, a text's lines. The table is redrawn from
its cells' text and spans only, never the page's own markup: no script, style or link of
another site reaches this origin.
"""

from __future__ import annotations

from collections.abc import Sequence

import markupsafe

CONTEXT_LINES = 8  # lines of a text shown above and below the cell's
MAX_ROWS = 120  # rows of a table shown at most (around the cell)


class NotShown(Exception):
    """The archived bytes do not hold the place (a different document, a broken file)."""


Grid = list[tuple[int, int, str, int, int]]  # (row, column, text, rowspan, colspan), 0-based


def _table_html(grid: Grid, at: tuple[int, int] | None) -> markupsafe.Markup:
    """A plain table of the grid, the cell covering ``at`` (row, column) marked."""
    rows: dict[int, list[tuple[int, str, int, int]]] = {}
    for r, c, text, rs, cs in grid:
        rows.setdefault(r, []).append((c, text, rs, cs))
    centre = at[0] if at else 0
    keep = sorted(rows, key=lambda r: abs(r - centre))[:MAX_ROWS]
    out = ['<table class="evidence-table">']
    for r in sorted(keep):
        out.append("<tr>")
        for c, text, rs, cs in sorted(rows[r]):
            hit = at is not None and r <= at[0] < r + rs and c <= at[1] < c + cs
            attrs = "".join(f' {name}="{n}"' for name, n in (("rowspan", rs), ("colspan", cs)) if n > 1)
            cls = ' class="evidence-cell" id="evidence-cell"' if hit else ""
            out.append(f"<td{attrs}{cls}>{markupsafe.escape(text)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return markupsafe.Markup("".join(out))


def html_table(data: bytes, content_type: str | None, where: dict) -> markupsafe.Markup:
    """The page's table ``where['table']`` with the cell at ``where['path']`` marked."""
    from parsers.html_reader import element_text, page_tree, table_grid

    root = page_tree(data, content_type)
    tables = list(root.iter("table")) if root is not None else []
    number = where.get("table")
    if not isinstance(number, int) or not 1 <= number <= len(tables):
        raise NotShown(f"the archived page has {len(tables)} tables, not a table {number}")
    table = tables[number - 1]
    if where.get("path_in_table"):  # as the database keeps it (archive.schema.where)
        target = table.xpath(where["path_in_table"])
    else:
        target = root.getroottree().xpath(where["path"]) if where.get("path") else []
    target = target[0] if target else None
    grid: Grid = []
    at = None
    for td, r, c, rs, cs in table_grid(table):
        grid.append((r, c, element_text(td), rs, cs))
        if td is target:
            at = (r, c)
    if at is None and where.get("row") and where.get("col"):
        at = (where["row"] - 1, where["col"] - 1)
    return _table_html(grid, at)


def docx_table(docx: bytes, where: dict) -> markupsafe.Markup:
    """The DOCX's table ``where['table']`` with grid cell (row, col) marked."""
    from parsers.docx_reader import W, document_body, table_cells

    tables = list(document_body(docx).iter(f"{W}tbl"))
    number = where.get("table")
    if not isinstance(number, int) or not 1 <= number <= len(tables):
        raise NotShown(f"the archived document has {len(tables)} tables, not a table {number}")
    grid = [(r, c, str(cell.text), cell.rowspan, cell.colspan) for r, c, cell in table_cells(tables[number - 1])]
    return _table_html(grid, (where["row"] - 1, where["col"] - 1))


def sheet_table(data: bytes, fmt: str, where: dict) -> markupsafe.Markup:
    """The sheet ``where['sheet']`` around cell ``where['cell']``, that cell marked."""
    from parsers import sheet_reader
    from parsers.where import parse_a1

    sheets = sheet_reader.workbook_sheets(data, fmt)
    found = next(((grid, merges) for name, grid, merges in sheets if name == where.get("sheet")), None)
    if found is None:
        raise NotShown(f"the archived workbook has no sheet {where.get('sheet')!r}")
    grid, merges = found
    row, col = parse_a1(where["cell"])
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for (r0, c0), (r1, c1) in merges}
    covered = {(r, c) for (r0, c0), (r1, c1) in merges for r in range(r0, r1 + 1)
               for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
    width = max((len(r) for r in grid), default=0)
    cells: Grid = []
    for r, values in enumerate(grid):
        for c in range(width):
            if (r, c) in covered:
                continue
            value = values[c] if c < len(values) else None
            rs, cs = spans.get((r, c), (1, 1))
            cells.append((r, c, sheet_reader.cell_text(value), rs, cs))
    return _table_html(cells, (row, col))


def text_lines(text: str, lines: Sequence[int]) -> markupsafe.Markup:
    """The text's lines around ``lines`` [first, last] (1-based, split as the reader splits
    them), those lines marked, each with its number."""
    all_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first, last = lines
    if not 1 <= first <= len(all_lines):
        raise NotShown(f"the archived text has {len(all_lines)} lines, not a line {first}")
    out = ['<pre class="evidence-text">']
    for n in range(max(1, first - CONTEXT_LINES), min(len(all_lines), last + CONTEXT_LINES) + 1):
        line = markupsafe.escape(all_lines[n - 1].expandtabs(8))
        mark = ' class="evidence-cell" id="evidence-cell"' if first <= n <= last else ""
        out.append(f'<span{mark}><span class="line-number">{n:>5}</span>  {line}</span>\n')
    out.append("</pre>")
    return markupsafe.Markup("".join(out))


def paragraph_text(docx: bytes, number: int) -> str:
    """A DOCX paragraph's text (a sentence's place in a Word document)."""
    from parsers.docx_reader import W, document_body
    from parsers.docx_reader import paragraph_text as text_of

    paragraphs = list(document_body(docx).iter(f"{W}p"))
    if not 1 <= number <= len(paragraphs):
        raise NotShown(f"the archived document has {len(paragraphs)} paragraphs, not {number}")
    return text_of(paragraphs[number - 1])


def html_element_text(data: bytes, content_type: str | None, path: str) -> str:
    """The text of the page's element at ``path`` (a paragraph's place in a page)."""
    from parsers.html_reader import element_text, page_tree

    root = page_tree(data, content_type)
    found = root.getroottree().xpath(path) if root is not None else []
    if not found:
        raise NotShown(f"the archived page has no element {path}")
    return element_text(found[0])
