"""Near-miss labels given to the template label they are most like, never to a neighbour.

Typists drop or add a character (现行有效件, 上年结转政府信息公开数量), mistype one
(本年处理绝对数量), OCR misreads one. A label goes to the key whose printed form it is
most like only when that similarity is at least FLOOR and clearly (MARGIN) above the
best similarity of every other key of the same table and axis: two rows of one table
that look alike (6.属于四类过程性信息 / 7.属于行政执法案卷) are never confused, and a
label equally like two columns (本年新 for 本年新制作数量 or 本年新公开数量) matches neither.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from parsers.labels import norm
from parsers.templates import labels

FLOOR = 0.6
MARGIN = 0.1


def scores(table: str, axis: str, text: str, context: str = "") -> dict[str, float]:
    """Best similarity of ``text`` to each key's printed forms (keys whose ``requires``
    the context does not meet are left out)."""
    n = norm(text)
    out: dict[str, float] = {}
    if not n:
        return out
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(n)
    for label in labels(table, axis):
        if label.requires is not None and not label.requires.search(context):
            continue
        for printed in label.printed:
            matcher.set_seq1(printed)
            if matcher.real_quick_ratio() <= out.get(label.key, 0.0):
                continue
            out[label.key] = max(out.get(label.key, 0.0), matcher.ratio())
    return out


def closest(table: str, axis: str, text: str, context: str = "") -> str | None:
    """The key ``text`` is a near miss of, or None when no key is clearly the one."""
    return _closest(table, axis, norm(text), context)


@lru_cache(maxsize=8192)  # reports print the same labels: each is compared once
def _closest(table: str, axis: str, text: str, context: str) -> str | None:
    ranked = sorted(scores(table, axis, text, context).items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < FLOOR:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MARGIN:
        return None
    return ranked[0][0]
