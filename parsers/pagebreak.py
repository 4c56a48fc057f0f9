"""Table rows that a page break cut in two, joined back into one.

Word and LibreOffice let a table row break across pages (Word's default), so a
PDF or OFD made from a report can print the first lines of a label with the
row's numbers at the foot of one page and the rest of the label at the head of
the next ("8.属于行" / "政查询事项"), or the label on one page and the numbers on
the next. Read page by page, that is two rows, neither of which names a
template row. A fixed-layout reader calls ``join_split`` on the last table row
of a page and the first of the next, through ``add_page``.
"""

from __future__ import annotations

import re
from functools import cache

from parsers.document import Row
from parsers.labels import norm
from parsers.templates import labels
from parsers.values import is_blank, is_value
from parsers.where import at, joined, merge, where_of

# a label that starts a row of its own: 一、 （一） (1) 1. 1、 1．
_ROW_START = re.compile(r"^[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]")
_HEADER_LOOKBACK = 100  # rows back where a repeated header row is looked for
_PAGE_NUMBER = re.compile(r"^[-—–\s第]*\d+[\s页]*(/|共)?[\s\d页]*[-—–\s]*$")


def is_page_number(line: str) -> bool:
    """A running footer or header such as "- 3 -", "第3页 共5页", "3/5"."""
    return bool(_PAGE_NUMBER.match(line.strip()))


@cache
def _printed_rows() -> tuple[str, ...]:
    return tuple(
        p
        for table in ("active", "applications")
        for label in labels(table, "row")
        for p in label.printed
    )


def _names_a_row(cells: list[str]) -> bool:
    """Whether the labels end with a template row's whole printed label."""
    text = norm("".join(cells))
    return any(text.endswith(p) for p in _printed_rows() if len(p) >= 2)


def _label_end(row: Row) -> int:
    """Index of the last cell that is neither blank nor a value (-1 if none)."""
    return max((i for i, c in enumerate(row) if not is_blank(c) and not is_value(c)), default=-1)


def join_split(before: Row, after: Row) -> Row | None:
    """The one row ``before`` (last on a page) and ``after`` (first on the next) were
    printed from, or None when ``after`` is a row of its own.

    Joined when both have the same cells, labels first and value columns after
    them (a header row, all labels, is no candidate), and ``after`` starts no row
    of its own: its labels (if any) carry no row number (一、/（一）/1.) and the
    numbers stand on one side of the break only, and its labels do not end with a
    whole template label (规范性文件 under a blank 规章 row is a row). A blank
    ``after`` is a row's empty remainder.
    """
    width = len(before)
    if len(after) != width or not 0 <= _label_end(before) < width - 1:
        return None
    if all(is_blank(c) for c in after):
        return before
    cut = max(_label_end(before), _label_end(after))
    if cut >= width - 1 or any(
        not is_blank(c) and is_value(c) for row in (before, after) for c in row[: cut + 1]
    ):
        return None
    after_labels = [c for c in after[: cut + 1] if not is_blank(c)]
    if any(_ROW_START.match(norm(c)) for c in after_labels):
        return None
    before_has = any(not is_blank(c) for c in before[cut + 1 :])
    after_has = any(not is_blank(c) for c in after[cut + 1 :])
    if before_has and after_has:
        return None
    if _names_a_row(after_labels):
        return None  # a row whose label is whole, after a blank one: 规章 | | | / 规范性文件 | 11
    return tuple(_join_cell(a, b) for a, b in zip(before, after, strict=True))


def _join_cell(a: str, b: str) -> str:
    """The cell's printed parts as one, standing where they stood (both pages); a cell
    blank on both sides is blank where both its halves are."""
    printed = [x for x in (a, b) if not is_blank(x)]
    if not printed:
        return at("", merge([where_of(a), where_of(b)]))
    return joined(printed)


def add_page(items: list[str | Row], page: list[str | Row]) -> None:
    """Append a page's items, joining a row the page break cut in two.

    The last table row of the pages so far and the first of this page are
    candidates when only page numbers stand between them, and the header rows
    a table repeats at the top of each page (Word's 标题行重复), which are kept.
    """
    tail = len(items)
    while tail and isinstance(items[tail - 1], str) and is_page_number(items[tail - 1]):
        tail -= 1
    head = 0
    while head < len(page) and isinstance(page[head], str) and is_page_number(page[head]):
        head += 1
    seen = {i for i in items[max(0, tail - _HEADER_LOOKBACK) : tail] if not isinstance(i, str)}
    while head < len(page) and not isinstance(page[head], str) and page[head] in seen:
        head += 1
    if tail and head < len(page):
        before, after = items[tail - 1], page[head]
        if not isinstance(before, str) and not isinstance(after, str):
            joined = join_split(before, after)
            if joined is not None:
                items[tail - 1] = joined
                page = page[:head] + page[head + 1 :]
    items.extend(page)
