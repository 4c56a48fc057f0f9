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
_NUMERALS = "一二三四五六七八九十"
_H1_NUMERAL = r"(十[一二三四五六七八九]?|[一二三四五六七八九])"
_PRINTED_H1 = re.compile(rf"^{_H1_NUMERAL}[、.．]")
_BARE_H1 = re.compile(rf"^{_H1_NUMERAL}(?=[\u4e00-\u9fff])")  # 四行政复议数量: its 、 lost
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


def _h1_number(numeral: str) -> int:
    if numeral.startswith("十"):
        return 10 + (_NUMERALS.index(numeral[1]) + 1 if len(numeral) > 1 else 0)
    return _NUMERALS.index(numeral) + 1


def restore_markers(labels: Sequence[str]) -> list[str]:
    """Labels with a top-level marker's 、 put back where a scan's OCR lost it (四行政复议数量,
    the 、 too small to read). Decided by the row order, not the words: a label opening with
    the numeral that follows the last top-level row (一 when none came yet), and below the
    next printed one, is that row — so 一般… or 二维码… in the middle of a section stays a label."""
    normed = [norm(x) for x in labels]
    printed = [_h1_number(m.group(1)) if (m := _PRINTED_H1.match(x)) else None for x in normed]
    out = list(labels)
    last = 0
    for i, text in enumerate(normed):
        if printed[i] is not None:
            last = printed[i]
            continue
        m = _BARE_H1.match(text)
        if not m or marker(labels[i])[1]:
            continue
        n = _h1_number(m.group(1))
        after = next((x for x in printed[i + 1:] if x is not None), None)
        if n == last + 1 and (after is None and last > 0 or after is not None and after > n):
            out[i] = f"{m.group(1)}、{text[m.end():]}"
            last = n
    return out


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
