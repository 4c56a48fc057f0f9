"""The table model every format reduces to.

A Document is the report read top to bottom: paragraphs (str) and table rows
(Row). Rows carry their cells already expanded from rowspan/colspan, with a
cell spanning several columns given once, so that a row reads as printed:
its labels, then its values.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from parsers.where import at

Row = tuple[str, ...]

MAX_SPAN = 64  # a larger rowspan/colspan is junk markup, not a table


@dataclass
class SpanCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    where: dict[str, Any] | None = None  # its table (parsers.where); place() adds row and column


@dataclass
class Document:
    items: list[str | Row] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)  # title/published from page metadata
    body: list[str] | None = None  # the article's lines, where the reader can tell them from chrome
    format: str = "text"
    ocr: bool = False  # cells were read by OCR from page images
    warnings: list[str] = field(default_factory=list)  # parts the reader could not read

    @property
    def paragraphs(self) -> list[str]:
        return [i for i in self.items if isinstance(i, str)]

    @property
    def rows(self) -> list[Row]:
        return [i for i in self.items if not isinstance(i, str)]


def expand(rows: Sequence[Sequence[SpanCell]]) -> list[Row]:
    """Lay out HTML-style rows (each cell in the first free column) on a grid."""
    return grid_rows(place(rows), len(rows))


def place(rows: Sequence[Sequence[SpanCell]]) -> list[tuple[int, int, SpanCell]]:
    """(row, column, cell) of HTML-style rows, spans clamped to the table."""
    placed: list[tuple[int, int, SpanCell]] = []
    taken: list[set[int]] = [set() for _ in rows]
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while c in taken[r]:
                c += 1
            rs = max(1, min(cell.rowspan, MAX_SPAN, len(rows) - r))
            cs = max(1, min(cell.colspan, MAX_SPAN))
            text = cell.text if cell.where is None else at(cell.text, {**cell.where, "row": r + 1, "col": c + 1})
            placed.append((r, c, SpanCell(text, rs, cs)))
            for dr in range(rs):
                taken[r + dr].update(range(c, c + cs))
            c += cs
    return placed


def grid_rows(placed: Sequence[tuple[int, int, SpanCell]], height: int | None = None) -> list[Row]:
    """Rows of a grid of cells at known (row, column) positions.

    A cell spanning rows repeats in each of them (its label applies to each);
    a cell spanning columns stands once per row, so a value is never doubled.
    """
    height = height if height is not None else max((r + c.rowspan for r, _, c in placed), default=0)
    grid: list[dict[int, int]] = [{} for _ in range(height)]
    for i, (r, c, cell) in enumerate(placed):
        for dr in range(min(cell.rowspan, MAX_SPAN)):
            if r + dr < height:
                for dc in range(min(cell.colspan, MAX_SPAN)):
                    grid[r + dr].setdefault(c + dc, i)
    out: list[Row] = []
    for line in grid:
        ids = [line[c] for c in sorted(line)]
        deduped = [i for n, i in enumerate(ids) if n == 0 or ids[n - 1] != i]
        out.append(tuple(placed[i][2].text for i in deduped))
    return out


Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def box_rows(boxes: Sequence[Box], texts: Sequence[str], snap: float) -> list[Row]:
    """Rows of a table known by its cells' boxes (PDF ruling lines, a scan's grid).

    The distinct box edges, closer than ``snap`` merged, are the grid lines; a box
    spanning several of them is a merged cell.
    """
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes], snap)
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes], snap)

    def at(edges: list[float], v: float) -> int:
        return nearest(edges, v)

    placed = []
    for (x0, top, x1, bottom), text in zip(boxes, texts, strict=True):
        r0, c0 = at(ys, top), at(xs, x0)
        placed.append((r0, c0, SpanCell(text, max(1, at(ys, bottom) - r0), max(1, at(xs, x1) - c0))))
    placed.sort(key=lambda p: (p[0], p[1]))
    return [row for row in grid_rows(placed, max(1, len(ys) - 1)) if row]


def nearest(edges: Sequence[float], v: float) -> int:
    """The index of the edge nearest v, the lower on a tie: what a scan of every edge gives,
    found by bisection in the sorted edges (a scan per cell made big tables quadratic)."""
    i = bisect_left(edges, v)
    if i == 0:
        return 0
    if i == len(edges) or abs(edges[i - 1] - v) <= abs(edges[i] - v):
        return i - 1
    return i


def _edges(values: list[float], snap: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > snap:
            out.append(v)
    return out
