"""The sub-row structure of a statistics table, from its labels' markers.

Legacy forms nest rows by their printed markers: 一、 > （一） > 1. > （1）, and 其中：
opens a list of parts under the row above it (其中：1.当面申请数 is part of 受理…总数, never
the total). A row's parent is found the way a reader finds it: a marker style seen before
closes the rows opened since (a sibling); a new style opens a level; a row with no marker
is a sibling of the last unmarked row (其中：涉及国家秘密 / 涉及商业秘密 …), or top level.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from parsers.labels import norm

# marker styles, each a pattern over the normalised label (NFKC: （一） is (一), ： is :)
_STYLES = (
    ("h1", re.compile(r"^[一二三四五六七八九十]+[、.．]")),
    ("h2", re.compile(r"^\([一二三四五六七八九十]+\)")),
    ("h4", re.compile(r"^\(\d{1,2}\)")),
    ("h3", re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))")),
    ("h5", re.compile(r"^[①-⑳]")),
)
_QIZHONG = re.compile(r"^其中[:，,]?")
_REMARK = re.compile(r"\([^()]*\)$|\([^()]*(?:计|含|包括|不同渠道)[^()]*\)")


@lru_cache(maxsize=8192)  # the same labels in every report of a form
def marker(label: str) -> tuple[bool, str, str]:
    """(opens with 其中, marker style or "", the label without its markers)."""
    s = norm(label)
    m = _QIZHONG.match(s)
    qizhong = bool(m)
    if m:
        s = s[m.end():]
    for style, pattern in _STYLES:
        m = pattern.match(s)
        if m:
            return qizhong, style, s[m.end():]
    return qizhong, "", s


@lru_cache(maxsize=8192)
def bare(label: str) -> str:
    """The label to match: markers and a trailing remark （不同渠道…计1条） removed."""
    return _REMARK.sub("", marker(label)[2]) or marker(label)[2]


def parents(labels: Sequence[str]) -> list[int | None]:
    """For each row, the index of the row it is part of (None: top level)."""
    out: list[int | None] = []
    stack: list[tuple[str, bool, int]] = []  # (style, opened by 其中, row) of the rows open above
    for i, label in enumerate(labels):
        qizhong, style, _ = marker(label)
        if qizhong and stack:
            top_style, top_qizhong, _ = stack[-1]
            if top_qizhong and top_style == style:  # 其中 repeated on each sub-row (a rowspan)
                stack.pop()
            parent: int | None = stack[-1][2] if stack else None
            stack.append((style, True, i))
            out.append(parent)
            continue
        at = next((n for n in range(len(stack) - 1, -1, -1) if stack[n][0] == style), None)
        if at is not None:
            del stack[at:]
        elif not style:
            stack.clear()
        out.append(stack[-1][2] if stack else None)
        stack.append((style, False, i))
    return out


def ancestors(parent_of: Sequence[int | None], i: int) -> list[int]:
    """The rows row ``i`` is part of, nearest first."""
    out: list[int] = []
    p = parent_of[i]
    while p is not None and p not in out:
        out.append(p)
        p = parent_of[p]
    return out
