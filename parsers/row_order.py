"""Rows of table 三 whose label OCR could not read, placed by the template's row order.

The template fixes the order of table 三's rows, and the rows read around an unreadable
one say where it stands: between 1.属于国家秘密 and 3.危及“三安全一稳定” there is only
2.其他法律行政法规禁止公开. A run of unread rows is placed when the gap between the rows
read before and after it holds exactly as many rows the document has not given (a 2021
report's （六）其他处理 gap holds the three rows, or the single 2019 row: the form decides), and
only when the table's arithmetic then holds: each placed row's 总计 its columns' sum, and
(七)总计 the sum of the outcome rows (``outcome_sum``) or the balance of 一+二 = 三+四, in
every column. A placement that breaks a check, or that no check can confirm, is not made;
the report says what was left unread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from parsers.checks import outcome_rows, run_checks
from parsers.extract import Unread
from parsers.templates import APPLICANT_COLUMNS, printed_keys, row_forms
from parsers.values import NotAValue, is_blank, parse_value

BALANCE_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")
N = len(APPLICANT_COLUMNS)


@dataclass
class Placed:
    row: str
    raw: list[str]  # the 7 cells, in column order
    confidence: list[float | None]
    between: tuple[str | None, str | None]  # the rows read before and after it


def _number(raw: str | None) -> float:
    try:
        return float(parse_value(raw or "") or 0)
    except NotAValue:
        return float("nan")


def _sums(cells: list[str]) -> bool:
    return abs(sum(_number(v) for v in cells[:-1]) - _number(cells[-1])) < 1e-6


def reading(row: Unread) -> tuple[list[str], list[float | None]] | None:
    """The row's 7 cells: a window of its values whose dropped cells are blank, else one
    whose cells add up (总计 = the six columns: noise read as a digit beside them)."""
    values = row.values
    scores = row.confidence if len(row.confidence) == len(values) else [None] * len(values)
    windows = range(len(values) - N, -1, -1)  # rightmost first: the numbers end the row
    clean = [s for s in windows if all(is_blank(v) for v in values[:s] + values[s + N:])]
    summing = [s for s in windows if _sums(values[s:s + N])]
    start = next((s for s in clean if s in summing), None)
    if start is None:
        start = clean[0] if clean and not summing else (summing[0] if summing else None)
    if start is None:
        return None
    return values[start:start + N], scores[start:start + N]


def _orders(template: str, read: set[str]) -> list[list[str]]:
    """Table 三's rows in printed order, in each form the document may use."""
    forms = row_forms(template)
    wholes = {f.row for f in forms if f.table == "applications"}
    parts = {p for f in forms if f.table == "applications" for p in f.parts}
    options = [False, True] if forms else [False]
    if read & wholes:
        options = [True]
    elif read & parts:
        options = [False]
    out = []
    for whole in options:
        rows: list[str] = []
        for k in printed_keys(template, whole=whole):
            table, row, _ = k.split(".")
            if table == "applications" and row not in rows:
                rows.append(row)
        out.append(rows)
    return out


def _runs(sequence: list[str | Unread]) -> list[tuple[str | None, str | None, list[Unread]]]:
    """(row read before, row read after, the unread rows between them)."""
    out = []
    before: str | None = None
    pending: list[Unread] = []
    for item in sequence:
        if isinstance(item, Unread):
            pending.append(item)
            continue
        if pending:
            out.append((before, item, pending))
            pending = []
        before = item
    if pending:
        out.append((before, None, pending))
    return out


def candidates(sequence: list[str | Unread], template: str, read: set[str]) -> tuple[list[Placed], list[str]]:
    """Placements by row order alone, and what could not be placed (for the warnings)."""
    placed: list[Placed] = []
    unplaced: list[str] = []
    for before, after, rows in _runs(sequence):
        readings = []
        for r in rows:
            got = reading(r)
            if got and (not readings or readings[-1][0] != got[0]):  # a cell spanning rows
                readings.append(got)
        if not readings:
            continue
        fits: list[list[str]] = []
        sizes: set[int] = set()
        for order in _orders(template, read):
            lo = order.index(before) + 1 if before in order else 0
            hi = order.index(after) if after in order else len(order)
            slots = [r for r in order[lo:hi] if r not in read]
            sizes.add(len(slots) if lo <= hi else 0)
            if lo <= hi and len(slots) == len(readings) and slots not in fits:
                fits.append(slots)
        if len(fits) != 1:
            unplaced.append(f"{len(readings)} row(s) between {before or 'the header'} and "
                            f"{after or 'the end of the table'}: "
                            + (f"the template has {' or '.join(map(str, sorted(sizes)))} missing there"
                               if not fits else "the template's forms fit them more than one way"))
            continue
        placed += [Placed(slot, raw, conf, (before, after))
                   for slot, (raw, conf) in zip(fits[0], readings, strict=True)]
    return placed, unplaced


def _holds(values: Mapping[str, float | None], template: str, placed: list[Placed]) -> bool:
    """Every check a placed row enters holds, evaluated, in every column."""
    checks = run_checks(values, template)
    rows = {p.row for p in placed}
    need = {("row_total", r) for r in rows}
    if rows & set(outcome_rows(template, values)) or "total_processed" in rows:
        need |= {("outcome_sum", c) for c in APPLICANT_COLUMNS}
    if rows & set(BALANCE_ROWS):
        need |= {("balance", c) for c in APPLICANT_COLUMNS}
    found = {(c.check, c.scope): c.ok for c in checks}
    return all(found.get(n) is True for n in need)


def place(sequence: list[str | Unread], raw: Mapping[str, str], template: str,
          ) -> tuple[list[Placed], list[str]]:
    """The unread rows placed (those the arithmetic confirms), and warnings."""
    read = {k.split(".")[1] for k in raw if k.startswith("applications.")}
    placed, unplaced = candidates(sequence, template, read)
    warnings = [f"table 三: {u}, left unread" for u in unplaced]
    if not placed:
        return [], warnings

    def values(extra: list[Placed]) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for k, v in raw.items():
            try:
                out[k] = parse_value(v)
            except NotAValue:
                out[k] = None
        for p in extra:
            for col, v in zip(APPLICANT_COLUMNS, p.raw, strict=True):
                out[f"applications.{p.row}.{col}"] = parse_value(v) if not is_blank(v) else None
        return out

    outcomes = [p for p in placed if p.row not in BALANCE_ROWS]
    balance = [p for p in placed if p.row in BALANCE_ROWS]
    for chosen in (placed, outcomes, balance):
        if chosen and _holds(values(chosen), template, chosen):
            rejected = [p for p in placed if p not in chosen]
            warnings += [f"table 三: the row between {p.between[0] or 'the header'} and "
                         f"{p.between[1] or 'the end'} ({' '.join(p.raw)}) fits no check, left unread"
                         for p in rejected]
            return chosen, warnings
    warnings += [f"table 三: the row between {p.between[0] or 'the header'} and "
                 f"{p.between[1] or 'the end'} ({' '.join(p.raw)}) fits no check, left unread"
                 for p in placed]
    return [], warnings
