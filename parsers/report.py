"""The Report: what every format parses to, and what the archive stores."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from parsers.values import Number

TABLE_CHECKS = ("balance", "row_total", "outcome_sum", "review_total")


@dataclass
class CellValue:
    value: Number | None
    raw: str
    ocr: bool = False  # read by OCR from a page image: check against the original
    confidence: float | None = None  # OCR: how sure the recogniser was (0..1)
    where: dict[str, Any] | None = None  # where it was printed (parsers.where)


@dataclass
class Check:
    check: str  # balance | row_total | outcome_sum | review_total | narrative
    scope: str  # the column, row or group the rule was applied to
    ok: bool | None  # None: not evaluated (cells missing)
    expected: Number | None
    actual: Number | None
    note: str = ""
    where: dict[str, Any] | None = None  # the sentence a narrative check read (parsers.where)


@dataclass
class Indicator:
    """One comparable number of the series (``data/indicators.csv``), whatever the era."""

    value: Number
    source: str  # cells | legacy_table | text
    evidence: str  # the formula over the cells, the printed row label and column, or the sentence
    where: dict[str, Any] | None = None  # where it was printed: its cells, row or sentence (parsers.where)


@dataclass
class LegacyRow:
    """One row of a pre-2019 statistics table as printed, kept whether or not an indicator
    takes it, and where its year's cell stands in the document."""

    label: str  # as printed, sub-row markers included (其中：1.当面申请数)
    unit: str  # the 计量单位 cell ("" when the table has none)
    value: Number | None  # the year's column, by the value rules
    raw: str  # the year's cell as printed
    column: str = ""  # the header of the column the value was read from (2011年度, 本年累计)
    indicator: str | None = None  # the indicator this row gave (alone or in a sum), if any
    table: int = 0  # which statistics table of the document (0: the first)
    printed: list[str] = field(default_factory=list)  # the row's cells as printed
    header: list[str] = field(default_factory=list)  # its table's header as printed
    where: dict[str, Any] | None = None  # the year's cell (else the row) as printed (parsers.where)


@dataclass
class Report:
    source: str
    format: str | None = None  # text | html | pdf | docx | doc
    kind: str | None = None  # annual_report | not_report
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    template: str | None = None  # "2019" | "2021" | None when no table was found
    published: str | None = None  # ISO date
    cells: dict[str, CellValue] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)  # [{number, heading, text}]
    text: str = ""  # the body text, for full-text search
    warnings: list[str] = field(default_factory=list)
    indicators: dict[str, Indicator] = field(default_factory=dict)  # key of data/indicators.csv
    legacy_rows: list[LegacyRow] = field(default_factory=list)  # pre-2019 statistics tables

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["cells"] = {k: asdict(v) for k, v in sorted(self.cells.items())}
        d["indicators"] = {k: asdict(v) for k, v in self.indicators.items()}  # contract order
        return d

    @property
    def failing_checks(self) -> list[str]:
        """The table checks that fail (the tables' own arithmetic, as the seeds list them)."""
        return sorted({c.check for c in self.checks if c.ok is False and c.check in TABLE_CHECKS})

    @property
    def narrative_disagreements(self) -> list[Check]:
        """Statements of the text that contradict the tables (the ``narrative`` check)."""
        return [c for c in self.checks if c.check == "narrative" and c.ok is False]
