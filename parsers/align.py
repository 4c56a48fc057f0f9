"""Choose which printed cells are a row's values when there are more than columns.

Text extraction and page breaks leave phantom empty cells (a label spanning two
cells, a trailing tab). Every reading keeps the cells in order and drops only
empty ones; among those, the one that satisfies the table's own arithmetic wins,
then the one at the header's column position, then the leftmost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from parsers.values import is_blank

Reading = list[str | None]


def windows(values: Sequence[str], n: int) -> list[tuple[int, Reading]]:
    """(start, reading) for every window of n cells whose dropped cells are all empty."""
    if len(values) <= n:
        return [(0, list(values) + [None] * (n - len(values)))]
    out = []
    for start in range(len(values) - n + 1):
        dropped = list(values[:start]) + list(values[start + n :])
        if all(is_blank(v) for v in dropped):
            out.append((start, list(values[start : start + n])))
    return out or [(0, list(values[:n]))]  # no clean reading: leftmost, never invented


def choose(
    values: Sequence[str],
    n: int,
    holds: Callable[[Reading], bool] | None = None,
    preferred: int | None = None,
) -> Reading:
    """``preferred``: where the header put the first value column, counted in ``values``."""
    starts = dict(windows(values, n))
    good = [s for s, r in starts.items() if holds is None or holds(r)] or list(starts)
    return starts[preferred] if preferred in good else starts[good[0]]
