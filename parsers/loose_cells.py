"""Tables that lost their markup: one cell per paragraph or line, back into rows.

CMS editors that drop a pasted table's markup print every cell as a paragraph of its own
(an empty cell as an empty paragraph), in the order the table printed them; text copies of
such pages put each cell on its own line, blank lines between (an empty cell one more blank
line), with or without ``|`` around it. The template is not needed to rebuild the rows: a
row is its label cells, then its value cells (numbers, blanks, dashes), and a label after a
value starts the next row, as the template prints a row's label before its numbers. A run of
short lines only counts as a table when it holds several values; prose never does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from parsers.document import Row
from parsers.labels import clean
from parsers.sections import heading
from parsers.values import is_value
from parsers.where import at, confidence_of, where_of

MAX_CELL = 60  # longer paragraphs are prose: no label of the templates is this long
MIN_VALUES = 3  # fewer value cells in a run of short paragraphs: a list, not a table
_SENTENCE_END = ("。", "；", ";", "！", "？", "!", "?", "：", ":")
_PIPES = "|｜"


class Blank:
    """An empty cell: an empty paragraph, or a blank line beyond the one between cells
    (``where``: that paragraph or line, parsers.where)."""

    def __init__(self, where: dict | None = None) -> None:
        self.where = where

    def __repr__(self) -> str:
        return "BLANK"


BLANK = Blank()
Item = str | Row | Blank


def _cell(item: Item) -> str | None:
    """The text of an item that may be one cell ('' for an empty one), else None."""
    if isinstance(item, Blank):
        return at("", item.where)
    if isinstance(item, tuple):  # a row of one cell (a text line with | around it)
        cells = [c for c in item if c.strip()]
        if not cells:
            return (at("", where_of(item[0])) if item else "") if len(item) <= 1 else None
        return _cell(cells[0]) if len(cells) == 1 and len(item) <= 2 else None
    text = clean(item.strip(_PIPES + " \t")) if item.strip() else ""
    if not text:
        return ""
    if len(text) > MAX_CELL or text.endswith(_SENTENCE_END) or heading(text):
        return None
    return at(text, where_of(item), confidence_of(item))  # the cell keeps where it was read


def _loose_value(text: str) -> bool:
    return not text or is_value(text)  # an empty cell stands where a value would


def rows_of(cells: Sequence[str], value_cell: Callable[[str], bool] = _loose_value) -> list[Row]:
    """Cells one after another, grouped into rows: each row its labels, then its values (a
    label after a value starts the next row)."""
    rows: list[list[str]] = []
    seen_value = False
    for text in cells:
        value = value_cell(text)
        if not rows or (seen_value and not value):
            rows.append([])
            seen_value = False
        rows[-1].append(text)
        seen_value = seen_value or value
    return [Row(r) for r in rows]


def _convert(run: list[str]) -> list[Item]:
    while run and not run[0]:
        run = run[1:]
    values = sum(1 for x in run if x and is_value(x))
    labels = sum(1 for x in run if x and not is_value(x))
    if values < MIN_VALUES or not labels:
        return [x for x in run if x]
    return rows_of(run)


def join_cells(items: Sequence[Item]) -> list[str | Row]:
    """``items`` with each run of one-cell paragraphs that holds values turned into rows;
    every Blank dropped."""
    out: list[str | Row] = []
    run: list[str] = []
    originals: list[Item] = []

    def flush() -> None:
        converted = _convert(run)
        if converted and all(isinstance(x, str) for x in converted):
            out.extend(x for x in originals if not isinstance(x, Blank))  # untouched
        else:
            out.extend(x for x in converted if not isinstance(x, Blank))
        run.clear()
        originals.clear()

    for item in items:
        text = _cell(item)
        if text is None:
            flush()
            if not isinstance(item, Blank):
                out.append(item)  # type: ignore[arg-type]
            continue
        run.append(text)
        originals.append(item)
    flush()
    return out
