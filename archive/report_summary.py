"""A readable, terminal-sized account of one parsed Report."""

from __future__ import annotations

from parsers import Report
from parsers.templates import APPLICANT_COLUMNS, REVIEW_GROUPS, REVIEW_OUTCOMES


def _fmt(report: Report, key: str) -> str:
    cell = report.cells.get(key)
    if cell is None:
        return "·"
    return "-" if cell.value is None else f"{cell.value:g}"


def summary(report: Report) -> str:
    lines = [
        f"{report.source}",
        f"  title     {report.title or '?'}",
        f"  agency    {report.agency or '?'}",
        f"  year      {report.year or '?'}   template {report.template or 'none found'}"
        f"   published {report.published or '?'}",
        f"  cells     {len(report.cells)}",
    ]
    lines += _indicator_lines(report)
    if not report.cells:
        lines += [f"  warning   {w}" for w in report.warnings]
        return "\n".join(lines)
    rows: list[str] = []
    for key in report.cells:
        table, row, _ = key.split(".")
        if table == "applications" and row not in rows:
            rows.append(row)
    lines.append("  三 " + "".join(f"{c[:8]:>9}" for c in APPLICANT_COLUMNS))
    for row in rows:
        vals = "".join(f"{_fmt(report, f'applications.{row}.{c}'):>9}" for c in APPLICANT_COLUMNS)
        lines.append(f"  {row[:24]:<24}{vals}")
    lines.append(
        "  四 "
        + "  ".join(
            f"{g}: " + "/".join(_fmt(report, f"review.{g}.{o}") for o in REVIEW_OUTCOMES)
            for g in REVIEW_GROUPS
        )
    )
    evaluated = [c for c in report.checks if c.ok is not None]
    failing = [c for c in report.checks if c.ok is False]
    lines.append(f"  checks    {len(evaluated) - len(failing)}/{len(evaluated)} pass")
    for c in failing:
        if c.check == "narrative":  # the text against the table: say which is which
            lines.append(f"    FAIL narrative [{c.scope}] table {c.expected:g} text {c.actual:g}: {c.note}")
        else:
            lines.append(f"    FAIL {c.check} [{c.scope}] expected {c.expected:g} actual {c.actual:g}")
    for w in report.warnings:
        lines.append(f"  warning   {w}")
    return "\n".join(lines)


def _indicator_lines(report: Report) -> list[str]:
    """The series' indicators, each with its source; a legacy table's size."""
    out = []
    if report.legacy_rows:
        tables = len({r.table for r in report.legacy_rows})
        out.append(f"  legacy    {len(report.legacy_rows)} rows of {tables} statistics table(s)")
    for key, ind in report.indicators.items():
        out.append(f"  {key:<27}{ind.value:>9g}  {ind.source:<12} {ind.evidence[:60]}")
    return out
