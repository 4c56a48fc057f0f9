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
from parsers.where import at

_FIELD = re.compile(r"\S+(?: \S+)*")  # one space stays inside a cell; two or more separate cells
FULL_GAP = 6  # at most this many spaces between a label that filled its cell and the next cell
MIN_ROWS = 5  # lines with three or more cells ending in a value that make a text laid out
MAX_CELL = 30  # a longer lone cell is a line of prose
MAX_PENDING = 6  # label lines a row's values may stand below (a label centred beside them)
# a row's label begins with its number: 2. / （三） / 四、 (a wrapped label's next line does not)
_ENUMERATED = re.compile(r"^(\d+[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")


@dataclass
class _Cell:
    start: int
    end: int
    text: str
    lines: tuple[int, int] = (0, 0)  # the first and last line it was printed on (1-based)


def cells(line: str, number: int = 0) -> list[_Cell]:
    line = line.replace("\u3000", "  ").replace("\xa0", " ")
    return [_Cell(m.start(), m.end(), m.group(), (number, number)) for m in _FIELD.finditer(line)]


def _located(cell: _Cell) -> str:
    return at(cell.text, {"lines": list(cell.lines)} if cell.lines[0] else None)


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


def _join(columns: list[_Cell], line_cells: list[_Cell]) -> None:
    """Add a line's cells to the column they stand under (a new column where none)."""
    for cell in line_cells:
        i = _below(cell, columns)
        if i is None:
            columns.append(cell)
            columns.sort(key=lambda x: x.start)
        else:
            c = columns[i]
            columns[i] = _Cell(min(c.start, cell.start), max(c.end, cell.end), c.text + cell.text,
                               (min(c.lines[0], cell.lines[0]), max(c.lines[1], cell.lines[1])))


def _starts_row(line_cells: list[_Cell]) -> bool:
    return any(_ENUMERATED.match(c.text) for c in line_cells)


@dataclass
class _Row:
    labels: list[_Cell]
    values: list[_Cell]
    at: int  # its index in the document's items


class _Layout:
    def __init__(self) -> None:
        self.doc = Document()
        self.row: _Row | None = None  # the last row with values, open to continuations
        self.pending: list[tuple[list[_Cell], str]] = []  # label lines above their values
        self.header: _Row | None = None  # the label-only row being stacked
        self.header_lines: dict[int, list[str]] = {}  # item index -> its printed lines
        self.value_rows: set[int] = set()

    def emit(self, row: _Row) -> None:
        self.doc.items[row.at] = Row(_located(c) for c in row.labels + row.values)

    def new(self, labels: list[_Cell], values: list[_Cell]) -> _Row:
        self.doc.items.append(Row())
        row = _Row(list(labels), list(values), len(self.doc.items) - 1)
        self.emit(row)
        return row

    def prose(self, text: str) -> None:
        self.flush()
        self.doc.items.append(text)
        self.row = self.header = None

    def flush(self) -> None:
        """Label lines that no values followed were prose after all."""
        lines, self.pending = self.pending, []
        self.doc.items.extend(text for _, text in lines)

    def line(self, line: str, number: int = 0) -> None:
        c = cells(line, number)
        text = at(clean(line), {"lines": [number, number]} if number else None)
        if not c:
            self.flush()
            self.row = self.header = None
        elif heading(text):
            self.prose(text)
        elif _is_row(c) or (self.pending and all(is_value(x.text) for x in c)):
            self.values(c)
        elif len(c) == 1 and len(text) > MAX_CELL:
            self.prose(text)
        elif self.pending and len(self.pending) < MAX_PENDING:
            self.pending.append((c, text))
        elif self.row is not None and _starts_row(c):
            self.flush()
            self.pending = [(c, text)]  # a row's label begins above its values (centred cells)
        elif self.row is not None and self.continue_row(c):
            pass
        elif self.header is not None:
            _join(self.header.labels, c)
            self.emit(self.header)
            self.header_lines[self.header.at].append(text)
        elif _starts_row(c):
            self.flush()
            self.pending = [(c, text)]
        elif len(c) >= 2:
            self.flush()
            self.header = self.new(c, [])
            self.header_lines[self.header.at] = [text]
            self.row = None
        else:
            self.prose(text)

    def values(self, c: list[_Cell]) -> None:
        last_label = max((i for i, x in enumerate(c) if not is_value(x.text)), default=-1)
        labels: list[_Cell] = []
        for line_cells, _ in self.pending:
            _join(labels, line_cells)
        _join(labels, c[: last_label + 1])
        self.pending = []
        self.row = self.new(labels, c[last_label + 1 :])
        self.value_rows.add(self.row.at)
        self.header = None

    def continue_row(self, c: list[_Cell]) -> bool:
        """A wrapped label's next line, joined to the label above it. A wrapped label
        filled its cell: the next cell starts within FULL_GAP of its end."""
        row = self.row
        assert row is not None
        if not row.labels or not row.values:
            return False
        first_value = row.values[0].start
        for cell in c:
            i = _below(cell, row.labels)
            if i is None or cell.end > first_value:
                return False
            nxt = row.labels[i + 1].start if i + 1 < len(row.labels) else first_value
            if nxt - row.labels[i].end > FULL_GAP:
                return False
        _join(row.labels, c)
        self.emit(row)
        return True

    def finish(self) -> Document:
        """Label-only rows that no row with values follows were prose set in columns."""
        self.flush()
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
    for number, line in enumerate(lines, 1):
        layout.line(line, number)
    return layout.finish()
