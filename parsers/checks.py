"""The four consistency checks of the spec, over a report's cells.

Blank cells count as 0; a check whose cells are absent is reported as not
evaluated (ok None), never as passed.
"""

from __future__ import annotations

from collections.abc import Mapping

from parsers.report import Check
from parsers.templates import APPLICANT_COLUMNS, REVIEW_GROUPS, keys
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


def application_rows(template: str) -> list[str]:
    rows = []
    for k in keys(template):
        table, row, _ = k.split(".")
        if table == "applications" and row not in rows:
            rows.append(row)
    return rows


def outcome_rows(template: str) -> list[str]:
    return [r for r in application_rows(template) if r.startswith(_OUTCOME_PREFIXES)]


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
    for row in application_rows(template):
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
                [f"{a}.{r}.{col}" for r in outcome_rows(template)],
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
