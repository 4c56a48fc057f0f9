"""Whether a document states the standard tables, so that reading none of their cells is
said in a warning rather than left as a silent empty result.

A document states them when its text has a label only the tables print (第二十条第（一）项,
申请人情况, 尚未审结 …), or, in a report on 2019 or later, the heading of part 二, 三 or 四
(reports on 2008–2018 used the same part headings with no tables).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from parsers.labels import norm
from parsers.sections import heading

_TABLE_LABELS = re.compile(
    r"第二十条第\(一\)项|申请人情况|本年新收政府信息公开申请|结转下年度继续办理|"
    r"尚未审结|未经复议直接起诉|本年制发件数|本年新制作数量"
)
MAX_SHOWN = 3


def stated_tables(texts: Iterable[str], year: int | None) -> list[str]:
    """The words by which the document states its tables (empty when it does not)."""
    found: list[str] = []
    for text in texts:
        n = norm(text)
        m = _TABLE_LABELS.search(n)
        mark = m.group() if m else None
        if mark is None and heading(text) in (2, 3, 4) and (year is None or year >= 2019):
            mark = n
        if mark and mark not in found:
            found.append(mark)
            if len(found) == MAX_SHOWN:
                break
    return found


def unread_tables_warning(marks: list[str]) -> str:
    return (
        "no cell of the standard tables could be read, although the document states them ("
        + "; ".join(marks)
        + "): their layout was not recognised (tables as images, or an unknown text layout)"
    )
