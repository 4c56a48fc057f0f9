"""The four consistency checks of the spec, over a report's cells.

Blank cells count as 0; a check whose cells are absent is reported as not
evaluated (ok None), never as passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from parsers.report import Check
from parsers.templates import APPLICANT_COLUMNS, REVIEW_GROUPS, keys, unprinted_rows
from parsers.values import Number

Cells = Mapping[str, Number | None]

_OUTCOME_PREFIXES = (
    "granted",
    "partially_granted",
    "denied_",
    "unavailable_",
    "unprocessed_",
    "other_",
)


def _sum(cells: Cells, names: list[str]) -> Number | None:
    if any(k not in cells for k in names):
        return None
    return round(sum(cells[k] or 0 for k in names), 6)


def _check(name: str, scope: str, cells: Cells, expected: list[str], actual: list[str]) -> Check:
    e, a = _sum(cells, expected), _sum(cells, actual)
    if e is None or a is None:
        missing = [k for k in expected + actual if k not in cells]
        return Check(name, scope, None, e, a, "not evaluated: missing " + ", ".join(missing[:3]))
    return Check(name, scope, abs(e - a) < 1e-6, e, a)


def application_rows(template: str, present: Iterable[str] | None = None) -> list[str]:
    """Rows of table 三; given the keys a document printed, those of the form it used
    (the 2019 single （六）其他处理 row of a 2021 report, or the three rows)."""
    rows = []
    for k in keys(template):
        table, row, _ = k.split(".")
        if table == "applications" and row not in rows:
            rows.append(row)
    if present is None:
        return rows
    present = set(present)
    skip = {r.removeprefix("applications.") for r in unprinted_rows(template, present)}
    return [r for r in rows if r not in skip
            or any(k.startswith(f"applications.{r}.") for k in present)]


def outcome_rows(template: str, present: Iterable[str] = ()) -> list[str]:
    """The rows （一）…（六） that add up to （七）总计: one form of a split row, never both
    (the one the document printed, ``present`` its keys; by default the template's own)."""
    rows = [r for r in application_rows(template) if r.startswith(_OUTCOME_PREFIXES)]
    skip = {r.removeprefix("applications.") for r in unprinted_rows(template, present)}
    return [r for r in rows if r not in skip]


def run_checks(cells: Cells, template: str) -> list[Check]:
    out: list[Check] = []
    a = "applications"
    for col in APPLICANT_COLUMNS:
        out.append(
            _check(
                "balance",
                col,
                cells,
                [f"{a}.new_received.{col}", f"{a}.carried_over.{col}"],
                [f"{a}.total_processed.{col}", f"{a}.carried_forward.{col}"],
            )
        )
    for row in application_rows(template, cells):
        out.append(
            _check(
                "row_total",
                row,
                cells,
                [f"{a}.{row}.total"],
                [f"{a}.{row}.{c}" for c in APPLICANT_COLUMNS[:-1]],
            )
        )
    for col in APPLICANT_COLUMNS:
        out.append(
            _check(
                "outcome_sum",
                col,
                cells,
                [f"{a}.total_processed.{col}"],
                [f"{a}.{r}.{col}" for r in outcome_rows(template, cells)],
            )
        )
    for group in REVIEW_GROUPS:
        out.append(
            _check(
                "review_total",
                group,
                cells,
                [f"review.{group}.total"],
                [f"review.{group}.{o}" for o in ("upheld", "corrected", "other", "pending")],
            )
        )
    return out
