"""Text laid out in columns (``pdftotext -layout`` and the like) -> Document.

Such text has no tabs: cells are separated by runs of spaces and keep the column they
had on the page. A line ending in a value is a table row. A label that wrapped in its
cell goes on below it in the same column (2.其他法律行政 / 法规禁止公开), and header
cells stack the same way, a few characters a line (本年新 / 制作数量); both are joined
back to the cell above them by column position. A wrapped label filled its cell, so a
line is only taken as a continuation of a label that ended close to the next column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.document import Document, Row
from parsers.labels import clean
from parsers.sections import heading
from parsers.values import is_value

_FIELD = re.compile(r"\S+(?: \S+)*")  # one space stays inside a cell; two or more separate cells
FULL_GAP = 6  # at most this many spaces between a label that filled its cell and the next cell
MIN_ROWS = 5  # lines with three or more cells ending in a value that make a text laid out


@dataclass
class _Cell:
    start: int
    end: int
    text: str


def cells(line: str) -> list[_Cell]:
    line = line.replace("\u3000", "  ").replace("\xa0", " ")
    return [_Cell(m.start(), m.end(), m.group()) for m in _FIELD.finditer(line)]


def _is_row(line_cells: list[_Cell]) -> bool:
    return len(line_cells) >= 2 and is_value(line_cells[-1].text)


def is_layout(lines: list[str]) -> bool:
    """True when the text has table rows laid out in space-separated columns."""
    n = 0
    for line in lines:
        c = cells(line)
        if len(c) >= 3 and _is_row(c) and not line.lstrip().startswith("|"):
            n += 1
            if n >= MIN_ROWS:
                return True
    return False


def _overlap(a: _Cell, b: _Cell) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _below(cell: _Cell, above: list[_Cell]) -> int | None:
    """Index of the cell of ``above`` that ``cell`` stands under."""
    best = max(range(len(above)), key=lambda i: _overlap(cell, above[i]), default=None)
    if best is not None and _overlap(cell, above[best]) > 0:
        return best
    near = [i for i, a in enumerate(above) if abs(a.start - cell.start) <= 2]
    return near[0] if near else None


class _Layout:
    def __init__(self) -> None:
        self.doc = Document()
        self.row: list[_Cell] | None = None  # the last row with values
        self.row_at = 0
        self.header: list[_Cell] | None = None  # the label-only row being stacked
        self.header_at = 0
        self.header_lines: dict[int, list[str]] = {}  # item index -> its printed lines
        self.value_rows: set[int] = set()

    def put(self, line_cells: list[_Cell], at: int | None = None) -> int:
        row = Row(c.text for c in line_cells)
        if at is None:
            self.doc.items.append(row)
            return len(self.doc.items) - 1
        self.doc.items[at] = row
        return at

    def line(self, line: str) -> None:
        c = cells(line)
        text = clean(line)
        if not c:
            self.row = self.header = None
        elif heading(text):
            self.doc.items.append(text)
            self.row = self.header = None
        elif _is_row(c):
            self.row_at = self.put(c)
            self.value_rows.add(self.row_at)
            self.row, self.header = c, None
        elif not (self.continue_row(c) or self.stack_header(c, line)):
            self.doc.items.append(text)
            self.row = self.header = None

    def continue_row(self, c: list[_Cell]) -> bool:
        """A wrapped label's next line, joined to the label above it."""
        row = self.row
        if row is None:
            return False
        first_value = next((i for i, x in enumerate(row) if is_value(x.text)), len(row))
        targets = []
        for cell in c:
            i = _below(cell, row[:first_value])
            if i is None or cell.end > (row[first_value].start if first_value < len(row) else 10**6):
                return False
            gap = row[i + 1].start - row[i].end if i + 1 < len(row) else 0
            if gap > FULL_GAP:
                return False
            targets.append(i)
        for cell, i in zip(c, targets, strict=True):
            row[i] = _Cell(row[i].start, max(row[i].end, cell.end), row[i].text + cell.text)
        self.put(row, self.row_at)
        return True

    def stack_header(self, c: list[_Cell], line: str) -> bool:
        """A label-only row, or the next line of its stacked header cells."""
        if self.header is not None:
            for cell in c:
                i = _below(cell, self.header)
                if i is None:
                    self.header.append(cell)
                    self.header.sort(key=lambda x: x.start)
                else:
                    h = self.header[i]
                    self.header[i] = _Cell(
                        min(h.start, cell.start), max(h.end, cell.end), h.text + cell.text
                    )
            self.put(self.header, self.header_at)
            self.header_lines[self.header_at].append(clean(line))
            return True
        if len(c) < 2:
            return False
        self.header = list(c)
        self.row = None
        self.header_at = self.put(self.header)
        self.header_lines[self.header_at] = [clean(line)]
        return True

    def finish(self) -> Document:
        """Label-only rows that no row with values follows were prose set in columns."""
        items: list[str | Row] = []
        for i, item in enumerate(self.doc.items):
            if i in self.header_lines and not any(
                j in self.value_rows for j in range(i + 1, i + 4)
            ):
                items.extend(self.header_lines[i])
            else:
                items.append(item)
        self.doc.items = items
        return self.doc


def read_layout(lines: list[str]) -> Document:
    layout = _Layout()
    for line in lines:
        layout.line(line)
    return layout.finish()
