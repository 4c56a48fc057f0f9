"""Document rows -> raw cells of tables 二/三/四, keyed as in metrics.csv.

Rows are recognised by their labels (templates.labels), never by position, so
repeated headers, page breaks and tables split into pieces do not matter. A
row's values are the cells after its last label; when there are more than the
table has columns, parsers.align picks the reading the arithmetic supports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.align import Reading, choose
from parsers.document import Document, Row
from parsers.fuzzy import closest
from parsers.labels import norm
from parsers.sections import TABLE_OF_SECTION, heading
from parsers.templates import (
    APPLICANT_COLUMNS,
    REVIEW_GROUPS,
    REVIEW_OUTCOMES,
    TEMPLATES,
    labels,
    row_columns,
    row_forms,
)
from parsers.values import NotAValue, is_blank, is_value, parse_value
from parsers.where import confidence_of

_VOTES_2021 = {
    "issued",
    "repealed",
    "in_force",
    "other_no_correction",
    "other_unpaid_fee",
    "other_misc",
}
# a table 三 row read before any applicant header must carry the applicant columns itself
MIN_UNHEADED_VALUES = 6
WHOLE_ROWS = {f.row for t in TEMPLATES for f in row_forms(t) if f.table == "applications"}
_VOTES_2019 = {"made", "published", "prev_items", "items"}  # （六）其他处理: both (row_forms.csv)


@dataclass
class Unread:
    """A row of table 三 with numbers but no label that names it (OCR misread it)."""

    labels: list[str]
    values: list[str]
    confidence: list[float | None]  # the recogniser's, per value ([] when not OCR)


@dataclass
class Extraction:
    """Raw text per cell key, before the template is known for sure."""

    raw: dict[str, str] = field(default_factory=dict)
    # table 三's rows in printed order: the key a label named, or an Unread row
    sequence: list[str | Unread] = field(default_factory=list)
    active_rows: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    votes: dict[str, int] = field(default_factory=lambda: {"2019": 0, "2021": 0})

    def put(self, key: str, raw: str | None) -> None:
        if raw is not None and key not in self.raw:
            self.raw[key] = raw

    def vote(self, key: str) -> None:
        if key in _VOTES_2021:
            self.votes["2021"] += 1
        elif key in _VOTES_2019:
            self.votes["2019"] += 1

    def resolve(self, template: str) -> dict[str, str]:
        """Place table 二's rows under the columns their header named, else the template's."""
        out = dict(self.raw)
        for row, values, header in self.active_rows:
            filled = sum(not is_blank(v) for v in values)
            # a header with fewer columns than the row has values is not this row's
            columns = header if header and filled <= len(header) else []
            columns = columns or list(row_columns(template, "active", row))
            for col, raw in zip(columns, choose(values, len(columns)), strict=True):
                key = f"active.{row}.{col}"
                if raw is not None and key not in out:
                    out[key] = raw
        return out


def split_row(row: Row) -> tuple[list[str], list[str]]:
    """(labels, values): values are the cells after the last label-like cell."""
    last = -1
    for i, cell in enumerate(row):
        if not is_blank(cell) and not is_value(cell):
            last = i
    return [c for c in row[: last + 1] if not is_blank(c)], list(row[last + 1 :])


def _matches(table: str, axis: str, text: str, fuzzy: bool = True) -> str | None:
    n = norm(text)
    for label in labels(table, axis):
        if label.pattern.search(n):
            return label.key
    return closest(table, axis, text) if fuzzy and n else None


def _exact_row(table: str, text: str, context: str) -> str | None:
    n = norm(text)
    for label in labels(table, "row"):
        if label.pattern.search(n) and (label.requires is None or label.requires.search(context)):
            return label.key
    return None


def match_row(
    table: str, row_labels: list[str], previous: str | None, fuzzy: bool = True
) -> str | None:
    """The row key of a row's labels. The last label (the most specific: 1.属于国家秘密
    under （三）不予公开) by pattern, else (``fuzzy``) as a near miss (parsers.fuzzy), and
    only then the labels before it by pattern."""
    if not row_labels:
        return None
    context = "".join(norm(x) for x in row_labels) + "|" + (previous or "")
    key = _exact_row(table, row_labels[-1], context)
    if key is None and fuzzy:
        key = closest(table, "row", row_labels[-1], context)
    for text in reversed(row_labels[:-1]):
        key = key or _exact_row(table, text, context)
    return key


def _number(raw: str | None) -> float:
    try:
        return float(parse_value(raw or "") or 0)
    except NotAValue:
        return 0.0


def _row_total_holds(reading: Reading) -> bool:
    return abs(sum(_number(v) for v in reading[:-1]) - _number(reading[-1])) < 1e-6


def _review_holds(reading: Reading) -> bool:
    groups = [reading[i : i + 5] for i in range(0, 15, 5)]
    return all(abs(sum(_number(v) for v in g[:4]) - _number(g[4])) < 1e-6 for g in groups)


class _Reader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        present = {heading(p) for p in doc.paragraphs} | {
            heading(r[0]) for r in doc.rows if len([c for c in r if c.strip()]) == 1 and r[0]
        }
        self.unheaded = {t for s, t in TABLE_OF_SECTION.items() if s not in present}
        self.section: int | None = None
        self.out = Extraction()
        self.active_header: list[str] = []
        self.previous_app: str | None = None
        self.first_value_column: int | None = None
        self.applicant_header = False  # table 三's applicant columns seen (自然人, 商业企业…)
        self.review_header = False
        self.review_done = False

    def allowed(self) -> set[str]:
        table = TABLE_OF_SECTION.get(self.section or 0)
        return ({table} if table else set()) | self.unheaded

    def run(self) -> Extraction:
        for item in self.doc.items:
            if isinstance(item, str):
                self.section = heading(item) or self.section
                continue
            filled = [c for c in item if c.strip()]
            if len(filled) == 1 and heading(filled[0]):
                self.section = heading(filled[0])
                continue
            self.row(item)
        return self.out

    def row(self, row: Row) -> None:
        row_labels, values = split_row(row)
        tables = self.allowed()
        if "applications" in tables and self.applications(row, row_labels, values):
            return
        if "active" in tables and self.active(row_labels, values):
            return
        if "review" in tables:
            self.review(row_labels, values)

    def active(self, row_labels: list[str], values: list[str]) -> bool:
        """A header row sets the columns of the rows below it; a header only partly read
        (a label no column matches) sets none, so the template's columns apply."""
        columns = [_matches("active", "column", x) for x in row_labels]
        heads = [
            bool(c) or bool(_matches("active", "header", x, fuzzy=False))
            for x, c in zip(row_labels, columns, strict=True)
        ]
        last_head = max((i for i, h in enumerate(heads) if h), default=-1)
        rest = row_labels[last_head + 1 :]
        blank = all(is_blank(v) for v in values)
        key = match_row("active", rest, None) if rest else None
        if last_head >= 0 and (not rest or (blank and key is None)):
            self.set_active_header(row_labels, columns)
            return True
        if key is None or not values:
            return False
        if last_head >= 0:  # a header and the row below it read as one (cells one per line)
            self.set_active_header(row_labels[: last_head + 1], columns[: last_head + 1])
        if key == "fees" and "amount_wan" in self.active_header:
            self.out.votes["2021"] += 1
        self.out.active_rows.append((key, values, list(self.active_header)))
        return True

    def set_active_header(self, row_labels: list[str], columns: list[str | None]) -> None:
        named = [c for c in columns if c]
        unread = [
            x
            for x, c in zip(row_labels, columns, strict=True)
            if not c and not _matches("active", "header", x, fuzzy=False)
        ]
        self.active_header = [] if unread else named
        for c in named:
            self.out.vote(c)

    def applications(self, row: Row, row_labels: list[str], values: list[str]) -> bool:
        heads = [i for i, x in enumerate(row_labels) if _matches("applications", "header", x)]
        if heads:
            self.applicant_header = True
            for i, cell in enumerate(row):
                if _matches("applications", "column", cell, fuzzy=False) == "natural_person":
                    self.first_value_column = i
            if all(is_blank(v) for v in values):
                return True
        rest = row_labels[heads[-1] + 1 :] if heads else row_labels
        key = match_row("applications", rest, self.previous_app)
        if key in WHOLE_ROWS and match_row("applications", rest[-1:], self.previous_app) != key:
            key = None  # 1./2./3. under （六）其他处理 unreadable: a part, not the whole row
        if key is None or not values:
            if key is None and (self.previous_app or self.first_value_column is not None):
                self.unread(row, row_labels, values)
            return bool(heads)
        if not self.applicant_header and sum(not is_blank(v) for v in values) < MIN_UNHEADED_VALUES:
            return False  # a row of another table (同意部分公开答复数 | 条 | 0 | 0), not table 三
        self.previous_app = key
        self.out.sequence.append(key)
        self.out.vote(key)
        preferred = None
        if self.first_value_column is not None:
            preferred = self.first_value_column - (len(row) - len(values))
        reading = choose(values, len(APPLICANT_COLUMNS), _row_total_holds, preferred)
        for col, raw in zip(APPLICANT_COLUMNS, reading, strict=True):
            self.out.put(f"applications.{key}.{col}", raw)
        return True

    def unread(self, row: Row, row_labels: list[str], values: list[str]) -> None:
        """Keep a row that has table 三's shape (7 numbers, a few noise cells at most) for
        parsers.row_order to place by the template's row order."""
        filled = [v for v in values if not is_blank(v)]
        if not filled or not 7 <= len(values) <= 10 or not all(is_value(v) for v in filled):
            return
        self.out.sequence.append(Unread(row_labels, values, [confidence_of(v) for v in values]))

    def review(self, row_labels: list[str], values: list[str]) -> bool:
        if any(_matches("review", "header", x) for x in row_labels):
            self.review_header = True
            # the header alone; unless the 15 cells follow it (read as one: a cell per line)
            if sum(not is_blank(v) for v in values) < 5 and len(values) < 15:
                return True
        if not self.review_header or self.review_done or len(values) < 5:
            return False
        self.review_done = True
        reading = choose(values, 15, _review_holds)
        cells = iter(reading)
        for group in REVIEW_GROUPS:
            for outcome in REVIEW_OUTCOMES:
                self.out.put(f"review.{group}.{outcome}", next(cells))
        return True


def extract(doc: Document) -> Extraction:
    return _Reader(doc).run()


def mentioned_template(text: str) -> str | None:
    s = norm(text)
    if re.search(r"2021\D{0,3}30号", s):
        return "2021"
    if re.search(r"2019\D{0,3}60号", s):
        return "2019"
    return None
