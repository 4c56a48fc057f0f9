"""The two national templates as data.

``data/metrics.csv`` (the shared contract) says which cell keys each template
has; ``data/labels.csv`` says how rows, columns and header rows are recognised:
a regular expression searched in the normalised label (parsers.labels.norm).
A ``requires`` pattern must also be found in the row's other labels or in the
key of the row matched just before (for rows labelled only "3.其他"). ``printed``
is the label as the template prints it: OCR'd labels are matched to it by
similarity when no pattern matches.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from parsers.labels import norm

TEMPLATES = ("2019", "2021")
APPLICANT_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)
REVIEW_GROUPS = ("reconsideration", "litigation_direct", "litigation_after_review")
REVIEW_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


@dataclass(frozen=True)
class Metric:
    key: str
    templates: frozenset[str]
    table: str
    row_label: str
    column_label: str
    unit: str


@dataclass(frozen=True)
class Label:
    table: str
    axis: str  # row | column | header
    key: str
    pattern: re.Pattern[str]
    requires: re.Pattern[str] | None
    printed: tuple[str, ...]  # the label as the template prints it (normalised), for OCR text


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("parsers").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def metrics() -> dict[str, Metric]:
    out = {}
    for r in _rows("metrics.csv"):
        out[r["key"]] = Metric(
            key=r["key"],
            templates=frozenset(t.strip() for t in r["templates"].split(",")),
            table=r["table"],
            row_label=r["row_label"],
            column_label=r["column_label"],
            unit=r["unit"],
        )
    return out


@cache
def keys(template: str) -> tuple[str, ...]:
    """Every cell key of a template, in the order of metrics.csv."""
    return tuple(k for k, m in metrics().items() if template in m.templates)


@cache
def labels(table: str, axis: str) -> tuple[Label, ...]:
    return tuple(
        Label(
            table=r["table"],
            axis=r["axis"],
            key=r["key"],
            pattern=re.compile(r["pattern"]),
            requires=re.compile(r["requires"]) if r["requires"] else None,
            printed=tuple(norm(p) for p in r["printed"].split("|") if p),
        )
        for r in _rows("labels.csv")
        if r["table"] == table and r["axis"] == axis
    )


def row_columns(template: str, table: str, row: str) -> tuple[str, ...]:
    """Columns a template prints for one row, in printed order."""
    prefix = f"{table}.{row}."
    return tuple(k[len(prefix) :] for k in keys(template) if k.startswith(prefix))


@dataclass(frozen=True)
class RowForm:
    """A row a template prints either whole or split into parts (data/row_forms.csv)."""

    table: str
    row: str
    parts: tuple[str, ...]


@cache
def row_forms(template: str) -> tuple[RowForm, ...]:
    return tuple(
        RowForm(r["table"], r["row"], tuple(r["parts"].split("|")))
        for r in _rows("row_forms.csv")
        if r["template"] == template
    )


def _printed(present: Iterable[str], table: str, row: str) -> bool:
    prefix = f"{table}.{row}."
    return any(k.startswith(prefix) for k in present)


def unprinted_rows(template: str, present: Iterable[str]) -> set[str]:
    """``table.row`` of the template's rows in a form the document did not print, to leave
    out of sums: the parts when it printed the whole row (never both), else the whole row."""
    present = set(present)
    out: set[str] = set()
    for form in row_forms(template):
        if _printed(present, form.table, form.row):
            out |= {f"{form.table}.{p}" for p in form.parts}
        else:
            out.add(f"{form.table}.{form.row}")
    return out


def printed_keys(template: str, whole: bool = False) -> tuple[str, ...]:
    """The keys a report of the template prints: its split rows in its own form, or
    (``whole``) printed whole as the older template did."""
    present = [f"{f.table}.{f.row}." for f in row_forms(template)] if whole else []
    skip = unprinted_rows(template, present)
    return tuple(k for k in keys(template) if k.rsplit(".", 1)[0] not in skip)


def unit(key: str) -> str:
    m = metrics().get(key)
    return m.unit if m else "count"
