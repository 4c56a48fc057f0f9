"""Plain text -> Document.

Text comes out of extraction tools and copy-paste in several layouts, all read here:

- a table row per line, cells tab-separated;
- one cell per line, each line starting with a tab, a blank line ending the row, an
  untabbed line continuing the cell above it;
- rows with ``|`` between cells (Markdown tables, with or without ``|---|`` lines and
  leading/trailing pipes);
- one cell per line with no tabs (a copied web table): a row is its label lines then
  its value lines, rows with or without blank lines between them;
- one cell per line with a blank line between cells (an empty cell one blank line more),
  with or without ``|`` around each: a text copy of a page whose table lost its markup
  (parsers.loose_cells);
- columns separated by runs of spaces (``pdftotext -layout``): parsers.layout_text.

Lines an online flipbook prefixes with ``Page8-`` lose the prefix first.
"""

from __future__ import annotations

import re

from parsers.document import Document, Row
from parsers.labels import clean, strip_page_mark
from parsers.layout_text import is_layout, read_layout
from parsers.loose_cells import Blank, Item, join_cells, rows_of
from parsers.sections import heading
from parsers.values import is_blank, is_value
from parsers.where import at, merge, where_of

_PIPE = re.compile(r"[|｜]")
_RULE = re.compile(r"^\s*[|｜]?\s*:?-{2,}:?\s*([|｜]\s*:?-{2,}:?\s*)*[|｜]?\s*$")
MIN_PIPE_ROWS = 3  # lines with two or more pipes that make a text's pipes cell separators
MAX_LABEL = 60  # longer lines are prose, never a cell of a one-cell-per-line row
_SENTENCE_END = ("。", "；", ";", "！", "？", "!", "?")


def _is_blank(line: str) -> bool:
    return "\t" not in line and not line.strip(" \u3000\r\f\v\xa0")


def _on(line: int) -> dict:
    return {"lines": [line, line]}


def _pipe_cells(line: str, number: int | None = None) -> list[str]:
    s = line.strip()
    s = s[1:] if s[:1] in "|｜" else s
    s = s[:-1] if s[-1:] in "|｜" else s
    return [at(clean(c), _on(number) if number else None) for c in _PIPE.split(s)]


def _is_label_line(line: str) -> bool:
    """Short and not ending a sentence: a label, not prose."""
    return len(line) <= MAX_LABEL and not line.endswith(_SENTENCE_END)


def _is_value_line(line: str) -> bool:
    return not is_blank(line) and is_value(line)


def _resolve(segments: list[Item | list[str]]) -> list[Item]:
    """Blocks of untabbed lines become rows when they hold values (or head a block that
    does), else paragraphs."""
    items: list[Item] = []
    for i, seg in enumerate(segments):
        if not isinstance(seg, list):
            items.append(seg)
            continue
        nxt = segments[i + 1] if i + 1 < len(segments) else None
        short = len(seg) >= 2 and all(_is_label_line(x) for x in seg if not _is_value_line(x))
        if short and any(_is_value_line(x) for x in seg):
            items.extend(rows_of(seg, _is_value_line))  # one cell per line
        elif short and isinstance(nxt, list) and any(_is_value_line(x) for x in nxt):
            items.append(Row(seg))  # a header row above value rows
        else:
            items.extend(seg)
    return items


def read_text(text: str) -> Document:
    lines = [strip_page_mark(x) for x in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    tabbed = any("\t" in x for x in lines)
    pipes = sum(len(_PIPE.findall(x)) >= 2 for x in lines) >= MIN_PIPE_ROWS
    if not tabbed and not pipes and is_layout(lines):
        return read_layout(lines)
    # each line's text says which line of the document it is (parsers.where)
    segments: list[Item | list[str]] = []
    pending: list[str] = []  # cells of a tabbed one-cell-per-line row
    block: list[str] = []  # untabbed lines: cells or paragraphs, decided by _resolve
    last = "blank"

    def flush() -> None:
        if pending:
            segments.append(Row(pending))
            pending.clear()
        if block:
            segments.append(list(block))
            block.clear()

    spaced = _spaced(lines)
    blank_lines = 0
    for number, line in enumerate(lines, 1):
        here = _on(number)
        blank_lines = blank_lines + 1 if _is_blank(line) else 0
        if _is_blank(line):
            flush()
            if spaced and blank_lines >= 2:  # beyond the one between cells: an empty cell
                segments.append(Blank(here))
            last = "blank"
        elif pipes and _PIPE.search(line):
            flush()
            if not _RULE.match(line):
                segments.append(Row(_pipe_cells(line, number)))
            last = "row"
        elif line.startswith("\t") and "\t" not in line[1:]:
            if block:
                flush()
            pending.append(at(clean(line[1:]), here))
            last = "cell"
        elif "\t" in line:
            flush()
            segments.append(Row(at(clean(c), here) for c in line.split("\t")))
            last = "row"
        elif last == "cell":
            pending[-1] = at(f"{pending[-1]}\n{clean(line)}".strip(), merge([where_of(pending[-1]), here]))
        elif heading(line):
            flush()
            segments.append(at(clean(line), here))
            last = "para"
        else:
            if pending:
                flush()
            block.append(at(clean(line), here))
            last = "para"
    flush()
    return Document(items=join_cells(_resolve(segments)))


def _spaced(lines: list[str]) -> bool:
    """Cells one per line with a blank line between each (a text copy of a page whose
    table lost its markup): most short lines are one blank line from the next."""
    gaps = {0: 0, 1: 0}
    previous, blanks = None, 0
    for line in lines:
        if _is_blank(line):
            blanks += 1
            continue
        short = len(line.strip()) <= MAX_LABEL
        if previous and short and blanks in gaps:
            gaps[blanks] += 1
        previous, blanks = short, 0
    return gaps[1] > 2 * gaps[0] and gaps[1] >= 10
