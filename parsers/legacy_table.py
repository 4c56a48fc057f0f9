"""Pre-2019 statistics tables (政府信息公开情况统计表) -> legacy rows and indicators.

Provinces set their own forms: rows 主动公开信息数 / 受理依申请公开信息总数 / 其中：1.当面申请数 …,
columns 指标名称 | 计量单位 | 2011年度 | 历年累计 (Fujian), 指标名称 | 计量单位 | 代码 | 本期实际 |
本年累计 (Gansu), 序号 | 统计指标 | 单位 | 统计数 (国办 2014–2018). A table is found by its
header (``data/legacy_columns.csv``: what each column holds) or, without one, by rows with a
unit cell whose labels are the forms' labels. The year's column is the one naming the
report's year, else 本年/本年累计, else the one value column, else 本期 — never 历年累计,
上年 or a change. Rows go to indicators by ``data/legacy_labels.csv`` (label patterns with
exclusions, and the row group they must stand under: 被依法纠错数 under 行政复议 or 行政诉讼),
sub-rows placed under their parent by their markers (parsers.outline).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from parsers.document import Row
from parsers.labels import clean, norm
from parsers.outline import ancestors, bare, parents, restore_markers
from parsers.report import Indicator, LegacyRow
from parsers.sections import heading
from parsers.values import NotAValue, Number, is_value, parse_value
from parsers.where import merge, where_of

VALUE_KINDS = ("named_year", "year", "value", "period")  # in the order the year's column is chosen
NEVER = ("cumulative", "previous", "change")
_UNITS = re.compile(r"^(条|件|个|项|次|人次|人|宗|篇|元|万元|千元|家|期|场|台|户|%)$")
_NUMBERING = re.compile(r"^([甲乙丙丁戊己]|\d{1,2})$")  # the 甲 乙 丙 1 2 row under a header
_SENTENCE = re.compile(r"[。；;]|，.*，")
MAX_ROW_CELLS = 12  # wider rows are a grid of many agencies, not one agency's form
GROUP_REACH = 40  # rows above a row that may hold its group's name (行政复议数 … 被依法纠错数)


@dataclass(frozen=True)
class Rule:
    indicator: str
    role: str  # total | part (rows added up) | exemption (reasons under the denied total)
    pattern: re.Pattern[str]
    exclude: re.Pattern[str] | None
    under: re.Pattern[str] | None  # a row above it (its group) must match


@dataclass
class Table:
    header: list[str]
    kinds: list[str | None]  # per header column
    rows: list[Row] = field(default_factory=list)
    items: list[int] = field(default_factory=list)  # indexes of the document items it holds


@dataclass
class Reading:
    rows: list[LegacyRow] = field(default_factory=list)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    items: set[int] = field(default_factory=set)  # document items that are legacy tables


def _data(name: str) -> list[dict[str, str]]:
    text = resources.files("parsers").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def _columns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((r["kind"], re.compile(r["pattern"])) for r in _data("legacy_columns.csv"))


@cache
def rules() -> tuple[Rule, ...]:
    """The label rules of ``data/legacy_labels.csv``, in priority order."""
    def rx(s: str) -> re.Pattern[str] | None:
        return re.compile(s) if s else None

    return tuple(Rule(r["indicator"], r["role"], re.compile(r["pattern"]), rx(r["exclude"]),
                      rx(r["under"])) for r in _data("legacy_labels.csv"))


@lru_cache(maxsize=8192)
def column_kind(text: str, year: int | None) -> str | None:
    """What a header cell says its column holds; a column naming another year than the
    report's is ``previous`` (last year's, printed beside it)."""
    s = norm(text).replace("(", "").replace(")", "")
    for kind, pattern in _columns():
        m = pattern.match(s)
        if m:
            if kind == "named_year" and year is not None and int(m.group("year")) != year:
                return "previous"
            return kind
    return None


def _header(row: Row, year: int | None) -> list[str | None] | None:
    """The kinds of a header row's cells, or None when the row is no legacy header."""
    if len(row) > MAX_ROW_CELLS:
        return None
    kinds = [column_kind(c, year) if c.strip() else None for c in row]
    known = [k for k in kinds if k]
    unknown = sum(1 for c, k in zip(row, kinds, strict=True) if c.strip() and not k)
    has_values = any(k in VALUE_KINDS or k in NEVER for k in known)
    described = any(k in ("label", "unit", "code") for k in known)
    return kinds if has_values and described and unknown <= 1 else None


def _numbering(row: Row) -> bool:
    filled = [norm(c) for c in row if c.strip()]
    return len(filled) >= 3 and all(_NUMBERING.match(c) for c in filled)


def _ends_table(text: str) -> bool:
    """A paragraph that ends a table: a sentence or a part heading, not a page number."""
    s = norm(text)
    return bool(heading(text)) or len(s) > 30 or bool(_SENTENCE.search(s))


def _unit_cell(row: Row) -> int | None:
    return next((i for i, c in enumerate(row) if _UNITS.match(norm(c))), None)


def _labelled(row: Row) -> bool:
    """A row whose label is one of the forms' (any rule's pattern)."""
    texts = [c for c in row if c.strip() and not is_value(c) and not _UNITS.match(norm(c))]
    return any(r.pattern.search(bare(t)) for t in texts for r in rules())


def find_tables(items: list, year: int | None) -> list[Table]:
    """The legacy statistics tables among a document's items, by header or, where there is
    none, by a run of rows with unit cells and the forms' labels."""
    tables: list[Table] = []
    current: Table | None = None
    run: list[int] = []

    def close_run() -> None:
        rows = [items[i] for i in run]
        with_unit = [r for r in rows if _unit_cell(r) is not None]
        if len(with_unit) >= 3 and sum(_labelled(r) for r in with_unit) >= 2:
            width = max(len(r) for r in with_unit)
            tables.append(Table([], [None] * width, rows, list(run)))
        run.clear()

    for i, item in enumerate(items):
        if isinstance(item, str):
            if current is not None and _ends_table(item):
                current = None
            if current is None and run and _ends_table(item):
                close_run()
            continue
        kinds = _header(item, year)
        if kinds is not None:
            if run:
                close_run()
            if current is None or kinds != current.kinds:
                current = Table(list(item), kinds)
                tables.append(current)
            current.items.append(i)
            continue
        if current is not None:
            current.items.append(i)
            if not _numbering(item):
                current.rows.append(item)
        else:
            run.append(i)
    if run:
        close_run()
    return tables


def _positions(table: Table, row: Row) -> dict[str, int]:
    """Where each kind of column stands in this row: counted from the right, so a label
    split in two cells (其中 | 1.当面申请数) or merged over the 序号 column moves nothing."""
    out: dict[str, int] = {}
    shift = len(row) - len(table.kinds)
    for i, kind in enumerate(table.kinds):
        if kind and kind != "label" and 0 <= i + shift < len(row):
            out.setdefault(kind, i + shift)
    return out


def _year_column(table: Table) -> tuple[int | None, str]:
    """(column index, why not) of the year's value in the header."""
    for kind in VALUE_KINDS:
        at = [i for i, k in enumerate(table.kinds) if k == kind]
        if len(at) == 1:
            return at[0], ""
        if len(at) > 1:
            total = [i for i in at if re.search("合计|总计", norm(table.header[i]))]
            if len(total) == 1:
                return total[0], ""
            return None, f"{len(at)} columns could each be the year's ({', '.join(clean(table.header[i]) for i in at)})"
    never = [clean(table.header[i]) for i, k in enumerate(table.kinds) if k in NEVER]
    return None, f"no column of the year (only {', '.join(never)})" if never else "no value column"


def _headerless_value(row: Row) -> tuple[int | None, bool]:
    """(index of the value, ambiguous) in a row of a table without a header: the one value
    after the unit cell."""
    unit = _unit_cell(row)
    after = range((unit if unit is not None else 0) + 1, len(row))
    values = [i for i in after if is_value(row[i])]
    if len(values) == 1:
        return values[0], False
    return None, len(values) > 1


def _value(raw: str) -> Number | None:
    try:
        return parse_value(raw, "count")
    except NotAValue:
        try:
            return parse_value(raw, "wan_yuan")
        except NotAValue:
            return None


_WRAP = re.compile(r"(?<=[\u3400-\u9fff）)」”》、，])\s+(?=[\u3400-\u9fff（(“《\d])")


def unwrap(text: str) -> str:
    """A cell's text with the layout's line breaks inside a label joined back (政府网站公开
    数 -> 政府网站公开数)."""
    return _WRAP.sub("", clean(text))


def _rows_of(table: Table, number: int, warnings: list[str]) -> list[LegacyRow]:
    col, why = _year_column(table) if table.header else (None, "")
    column = clean(table.header[col]).replace(" ", "") if col is not None else ""
    out: list[LegacyRow] = []
    ambiguous = False
    for row in table.rows:
        if len(row) > MAX_ROW_CELLS:
            continue
        pos = _positions(table, row) if table.header else {}
        at: int | None = None
        if table.header and col is not None:
            at = col + len(row) - len(table.kinds)
        elif not table.header:
            at, amb = _headerless_value(row)
            ambiguous |= amb
        unit_at = pos.get("unit") if table.header else _unit_cell(row)
        skip = {v for k, v in pos.items()} | {unit_at, at}
        label_cells = [c for i, c in enumerate(row) if i not in skip and c.strip()
                       and (table.header or not is_value(c))]
        if not label_cells:
            continue
        label = "".join(unwrap(c) for c in label_cells)
        raw = row[at] if at is not None and 0 <= at < len(row) else ""
        unit = clean(row[unit_at]) if unit_at is not None and 0 <= unit_at < len(row) else ""
        out.append(LegacyRow(label, unit, _value(raw), clean(raw), column, None, number,
                             [clean(c) for c in row], [clean(c) for c in table.header],
                             where_of(raw) or merge(where_of(c) for c in row)))
    if table.header and col is None:
        warnings.append(f"legacy statistics table {number + 1}: {why}; its rows are kept, no indicator read")
    if ambiguous:
        warnings.append(f"legacy statistics table {number + 1} has no header and several value "
                        "columns: which is the year's cannot be told (历年累计?); no indicator read")
    return out


@lru_cache(maxsize=8192)
def _candidates(label: str) -> tuple[Rule, ...]:
    """The rules whose pattern a label matches (and whose exclusion it does not)."""
    b = bare(label)
    return tuple(r for r in rules() if r.pattern.search(b) and not (r.exclude and r.exclude.search(b)))


def _matches(rule: Rule, label: str) -> bool:
    return rule in _candidates(label)


def _assign(rows: list[LegacyRow]) -> list[str | None]:
    """Each row's indicator, by rule, group and parent; returns the role each row plays."""
    labels = restore_markers([r.label for r in rows])
    parent_of = parents(labels)
    roles: list[str | None] = [None] * len(rows)
    for i, row in enumerate(rows):
        above = [bare(labels[a]) for a in ancestors(parent_of, i)]
        taken_above = {rows[a].indicator for a in ancestors(parent_of, i)}
        for rule in _candidates(labels[i]):
            if rule.role != "exemption" and rule.indicator in taken_above:
                continue
            if rule.under is not None and not _under(rule, labels, i, above):
                continue
            row.indicator = rule.indicator
            roles[i] = rule.role
            break
    return roles


def _under(rule: Rule, labels: list[str], i: int, above: list[str]) -> bool:
    """Whether a row stands in the rule's group: a row it is part of matches, or, in a
    table without markers, the nearest row above naming any group matches it."""
    if above:
        return any(rule.under.search(a) for a in above)
    groups = [r.under for r in _candidates(labels[i]) if r.under is not None]
    for j in range(i - 1, max(-1, i - 1 - GROUP_REACH), -1):
        hit = [g for g in groups if _group_named(g, labels[j])]
        if hit:
            return rule.under in hit
    return False


@lru_cache(maxsize=8192)
def _group_named(group: re.Pattern[str], label: str) -> bool:
    return bool(group.search(bare(label)))


def _evidence(row: LegacyRow) -> str:
    unit = f" | {row.unit}" if row.unit else ""
    return f"{row.label}{unit} | {row.column or 'value'} = {row.raw or 'blank'}"


def _tidy(x: float) -> Number:
    x = round(x, 6)
    return int(x) if x == int(x) else x


def _money(row: LegacyRow) -> Number | None:
    """元 -> 万元 (the contract's money rule); a bare number is 万元."""
    if row.value is None:
        return None
    said = row.unit or (re.search(r"(万元|千元|元)", norm(row.label)) or [""])[0]
    factor = {"元": 0.0001, "千元": 0.1}.get(norm(said), 1.0)
    return _tidy(row.value * factor)


def indicators(rows: list[LegacyRow], roles: list[str | None],
               unused: str = "") -> dict[str, Indicator]:
    """The indicators one table's rows give: a total row's value; the sum of part rows
    (属于已主动公开范围 + 同意公开); for the denied total, the sum of the exemption reasons
    under it when the table gives them."""
    from parsers.indicators import definitions

    out: dict[str, Indicator] = {}
    note = f" ({unused} not used)" if unused else ""
    for key, d in definitions().items():
        mine = [(r, role) for r, role in zip(rows, roles, strict=True) if r.indicator == key]
        exemptions = [r for r, role in mine if role == "exemption" and r.value is not None]
        parts = [r for r, role in mine if role == "part" and r.value is not None]
        total = next((r for r, role in mine if role == "total"), None)
        if exemptions or parts:
            used = exemptions or parts
            value = _tidy(sum(r.value or 0 for r in used))
            ev = _evidence(used[0]) if len(used) == 1 else (
                " + ".join(f"{r.label} {r.raw}" for r in used) + f" | {used[0].column} = {value}")
            if exemptions:
                ev += " (the exemption reasons only)"
            if any("已主动公开" in norm(r.label) for r in used):
                ev += " (属于已主动公开范围 counted as granted)"
            out[key] = Indicator(value, "legacy_table", ev + note, merge(r.where for r in used))
        elif total is not None and total.value is not None:
            value = _money(total) if d.unit == "wan_yuan" else total.value
            out[key] = Indicator(value, "legacy_table", _evidence(total) + note, total.where)
    return out


def _unused(table: Table) -> str:
    """The value columns beside the year's (历年累计, 本期实际, 2015年, 增减), named in the
    evidence: never read."""
    col, _ = _year_column(table) if table.header else (None, "")
    return ", ".join(clean(table.header[i]).replace(" ", "") for i, k in enumerate(table.kinds)
                     if (k in VALUE_KINDS or k in NEVER) and i != col)


def read(items: list, year: int | None) -> Reading:
    """Every legacy statistics table of a document: its rows as printed, and the
    indicators of the first table that gives any."""
    out = Reading()
    for number, table in enumerate(find_tables(items, year)):
        rows = _rows_of(table, number, out.warnings)
        roles = _assign(rows)
        out.rows += rows
        out.items.update(table.items)
        if not out.indicators and rows:
            out.indicators = indicators(rows, roles, _unused(table))
    return out
