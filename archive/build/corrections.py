"""The corrections file, applied by every build on top of the parse.

A reader who finds a misread number (an OCR'd 8 that was a 3) proposes a line in
``<archive>/corrections.csv``, kept in version control beside the archive: the
document's sha256, the cell key, the corrected value, why, who, when and a link to the
evidence. Every build (full or incremental) first undoes what the last build corrected,
then applies the file: the cell's ``value`` becomes the corrected one, ``parser_value``
keeps the parser's, ``corrected`` marks it, and the report's checks are run again on
the corrected cells, its formula indicators recomputed from them. A line's key may also
be an indicator (``requests_received``) of a report whose statistics table or text gave
it (a 2019/2021 report's formula indicators are corrected through their cells); the
text is checked again against the corrected table. A line that matches nothing (its document is not in the archive,
was replaced, or has no such cell) is applied nowhere and said so, in the build's
output and in the ``corrections`` table; nothing is ever applied to another document.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from archive.build.rows import check_rows
from archive.schema.corrections import FIELDS, FILE
from parsers.checks import run_checks
from parsers.indicators import definitions, from_cells
from parsers.narrative import narrative_checks
from parsers.report import TABLE_CHECKS, CellValue, Indicator
from parsers.templates import keys, metrics, unit
from parsers.text_indicators import legacy_checks
from parsers.values import NotAValue, parse_value

REQUIRED = ("sha256", "key", "reason", "who", "date")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Correction:
    line: int  # its line in the file (the header is line 1)
    sha256: str
    key: str
    value: str  # as written; empty: the cell is blank
    reason: str
    who: str
    date: str
    evidence: str = ""


@dataclass
class Applied:
    """What applying the file did: the lines' messages and the reports whose cells moved."""

    messages: list[str] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    applied: int = 0


def default_path(archive_dir: str | Path) -> Path:
    return Path(archive_dir) / FILE


def read_file(path: str | Path | None) -> tuple[list[Correction], list[str]]:
    """The file's lines, and what is wrong with the file as a whole (no file: none)."""
    if path is None or not Path(path).exists():
        return [], []
    text = Path(path).read_text(encoding="utf-8-sig")
    return parse_text(text, str(path))


def parse_text(text: str, name: str = FILE) -> tuple[list[Correction], list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [f for f in FIELDS if f not in (reader.fieldnames or [])]
    if missing:
        return [], [f"{name}: the header lacks {', '.join(missing)} (it must be {','.join(FIELDS)})"]
    out = []
    for row in reader:
        line = reader.line_num
        values = {f: (row.get(f) or "").strip() for f in FIELDS}
        if not any(values.values()):
            continue
        out.append(Correction(line, **values))
    return out, []


def problem(c: Correction, template: str | None = None) -> str | None:
    """Why a line cannot be applied, from the line alone (and the report's template)."""
    if not _SHA256.fullmatch(c.sha256):
        return f"sha256 {c.sha256!r} is not the 64 hex digits of a document's sha256"
    if c.key not in metrics() and c.key not in definitions():
        return (f"{c.key!r} is no cell key of the templates (table.row.column, parsers/data/metrics.csv) "
                "nor an indicator (parsers/data/indicators.csv)")
    if is_indicator(c.key) and template in ("2019", "2021") and definitions()[c.key].from_cells:
        return (f"in a {template} report {c.key} is {definitions()[c.key].from_cells} over its cells: "
                "correct the cells")
    if not is_indicator(c.key) and template is not None and c.key not in keys(template):
        return f"the {template} template has no cell {c.key}"
    empty = [f for f in REQUIRED if not getattr(c, f)]
    if empty:
        return f"{', '.join(empty)} empty: every correction says why, who and when"
    if not _DATE.fullmatch(c.date):
        return f"date {c.date!r} is not YYYY-MM-DD"
    try:
        value_of(c)
    except NotAValue:
        return f"value {c.value!r} is not a number of {c.key} ({key_unit(c.key)})"
    return None


def is_indicator(key: str) -> bool:
    return key in definitions()


def key_unit(key: str) -> str:
    return definitions()[key].unit if is_indicator(key) else unit(key)


def value_of(c: Correction):
    """The corrected value, by the parser's value rules (blank -> None; 减少3 -> -3)."""
    if c.value in ("", "—", "-"):
        if is_indicator(c.key):  # an indicator is given or absent, never blank
            raise NotAValue(c.value)
        return None
    return parse_value(c.value, key_unit(c.key))


def undo(db: sqlite_utils.Database) -> set[str]:
    """Cells back to the parser's values (cells a correction added removed); the reports
    they belong to."""
    touched = {r[0] for r in db.execute("select distinct report_id from cells where corrected = 1")}
    if touched:
        db.execute("delete from cells where corrected = 1 and raw is null")
        db.execute("update cells set value = parser_value, parser_value = null, corrected = null "
                   "where corrected = 1")
    db.execute("update cells set corrected = null where corrected = 0")  # confirmed readings
    touched |= {r[0] for r in db.execute("select distinct report_id from indicators where corrected > 0")}
    db.execute("delete from indicators where corrected > 0 and parser_value is null")
    db.execute("update indicators set value = parser_value, parser_value = null, corrected = null "
               "where corrected > 0")
    db.execute("update indicators set corrected = null where corrected = 0")
    db.execute("delete from corrections")
    return touched


def apply(db: sqlite_utils.Database, corrections: Iterable[Correction], file_problems: Iterable[str] = ()) -> Applied:
    """Undo the last build's corrections, apply these, and run the touched reports' checks again."""
    out = Applied(messages=list(file_problems))
    out.touched = undo(db)
    seen: dict[tuple[str, str], int] = {}
    rows = []
    for c in corrections:
        status, message, rid, parser_value = _apply_one(db, c, seen)
        if status == "applied":
            out.applied += 1
        if rid is not None and status == "applied":
            out.touched.add(rid)
        if message:
            out.messages.append(f"{FILE} line {c.line}: {message}")
        number = None
        try:
            number = value_of(c) if status in ("applied", "unchanged") else None
        except NotAValue:
            pass
        rows.append({"line": c.line, "sha256": c.sha256, "key": c.key, "value": number,
                     "value_text": c.value, "reason": c.reason, "who": c.who, "date": c.date,
                     "evidence": c.evidence, "report_id": rid, "parser_value": parser_value,
                     "status": status, "message": message})
    if rows:
        db["corrections"].insert_all(rows)
    for rid in sorted(out.touched):
        recheck(db, rid)
    return out


def _apply_one(db, c: Correction, seen: dict) -> tuple[str, str, str | None, float | None]:
    """(status, message, report id, the parser's value) of one line."""
    wrong = problem(c)
    if wrong:
        return "invalid", f"not applied: {wrong}", None, None
    if (c.sha256, c.key) in seen:
        return "invalid", f"not applied: repeats line {seen[(c.sha256, c.key)]} (one correction a cell)", None, None
    seen[(c.sha256, c.key)] = c.line
    # a report's id is its sha256's first 16 digits (archive.build.rows): found by its key
    report = db.execute("select id, template, state, url from reports where id = ? and sha256 = ?",
                        [c.sha256[:16], c.sha256]).fetchone()
    if report is None:
        doc = db.execute("select url from documents where sha256 = ? limit 1", [c.sha256]).fetchone()
        why = (f"the document {doc[0]} is not an annual report" if doc else
               f"no document {c.sha256[:16]}… in the archive (replaced or removed?)")
        return "unmatched", f"matches nothing, not applied: {why}", None, None
    rid, template, state, url = report
    wrong = problem(c, template)
    if wrong:
        return "unmatched", f"matches nothing in report {rid}, not applied: {wrong}", rid, None
    if is_indicator(c.key):
        return _apply_indicator(db, c, rid)
    cell = db.execute("select value, raw from cells where report_id = ? and key = ?", [rid, c.key]).fetchone()
    value = value_of(c)
    note = f" (report {rid} is a {state} version of {url})" if state not in (None, "current") else ""
    if cell is not None and _same(cell[0], value):  # a reviewer confirms the reading
        db.execute("update cells set corrected = 0 where report_id = ? and key = ?", [rid, c.key])
        return "unchanged", "", rid, cell[0]
    if cell is None:
        db.execute("insert into cells (report_id, key, value, raw, ocr, corrected) values (?, ?, ?, null, 0, 1)",
                   [rid, c.key, value])
        return "applied", f"{c.key} of {rid} added: {value}{note}" if note else "", rid, None
    db.execute("update cells set parser_value = value, value = ?, corrected = 1 where report_id = ? and key = ?",
               [value, rid, c.key])
    return "applied", f"applied{note}" if note else "", rid, cell[0]


def _apply_indicator(db, c: Correction, rid: str) -> tuple[str, str, str | None, float | None]:
    """An indicator of a legacy report (its table's or its text's) set to the line's value."""
    value = value_of(c)
    got = db.execute("select value from indicators where report_id = ? and indicator = ?", [rid, c.key]).fetchone()
    if got is not None and _same(got[0], value):
        db.execute("update indicators set corrected = 0 where report_id = ? and indicator = ?", [rid, c.key])
        return "unchanged", "", rid, got[0]
    if got is None:
        db.execute("insert into indicators (report_id, indicator, value, source, evidence, corrected) "
                   "values (?, ?, ?, 'correction', ?, 1)", [rid, c.key, value, c.reason])
        return "applied", "", rid, None
    db.execute("update indicators set parser_value = value, value = ?, corrected = 1 "
               "where report_id = ? and indicator = ?", [value, rid, c.key])
    return "applied", "", rid, got[0]


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-9


def recheck(db: sqlite_utils.Database, rid: str) -> None:
    """A report's table and narrative checks from its cells as they now stand (a narrative
    sentence keeps the place the parse found for it)."""
    report = db.execute(
        "select r.template, r.year, t.body, t.sections from reports r "
        "left join report_texts t on t.report_id = r.id where r.id = ?", [rid]).fetchone()
    if report is None or not report[0]:
        return
    template, year, body, sections = report
    places = dict(db.execute("select scope, where_json from checks where report_id = ? and check_name = 'narrative'",
                             [rid]).fetchall())
    if template in ("2019", "2021"):
        cells = {k: _number(v) for k, v in db.execute(
            "select key, value from cells where report_id = ?", [rid])}
        checks = run_checks(cells, template)
        checks += narrative_checks(json.loads(sections or "[]"), body or "", year, cells, template)
        _recompute_indicators(db, rid, cells, template)
        db.execute("delete from checks where report_id = ? and check_name != 'carryover'", [rid])
    else:  # a legacy report: its text against its statistics table as it now stands
        table = {k: Indicator(_number(v), s, "") for k, v, s in db.execute(
            "select indicator, value, source from indicators where report_id = ? "
            "and source in ('legacy_table', 'correction')", [rid])}
        checks = legacy_checks(body or "", year, table) if table else []
        db.execute("delete from checks where report_id = ? and check_name = 'narrative'", [rid])
    rows = check_rows(rid, checks)
    for row in rows:
        if row["check_name"] == "narrative":
            row["where_json"] = places.get(row["scope"])
    if rows:  # one statement, no commit per report (sqlite-utils' insert_all commits)
        names = list(rows[0])
        db.conn.executemany(f"insert into checks ({', '.join(names)}) values ({', '.join('?' * len(names))})",
                            [[r[n] for n in names] for r in rows])
    failing = sorted({c.check for c in checks if c.ok is False and c.check in TABLE_CHECKS})
    db.execute("update reports set checks_failed = ?, checks_failing = ? where id = ?",
               [len(failing), ",".join(failing), rid])


def _recompute_indicators(db, rid: str, cells: dict, template: str) -> None:
    """A template report's formula indicators from its cells as they now stand: a changed
    one keeps the parse's value beside it (``corrected`` 2), undone with the cells."""
    now = from_cells({k: CellValue(v, "") for k, v in cells.items()}, template)
    parsed = {k: (v, p, c) for k, v, p, c in db.execute(
        "select indicator, value, parser_value, corrected from indicators where report_id = ? and source = 'cells'",
        [rid])}
    for key, ind in now.items():
        if key not in parsed:
            db.execute("insert into indicators (report_id, indicator, value, source, evidence, corrected) "
                       "values (?, ?, ?, 'cells', ?, 2)", [rid, key, ind.value, ind.evidence])
        elif not _same(parsed[key][0], ind.value):
            db.execute("update indicators set parser_value = coalesce(parser_value, value), value = ?, "
                       "corrected = 2 where report_id = ? and indicator = ?", [ind.value, rid, key])
    for key in set(parsed) - set(now):  # a formula whose cells a correction blanked
        db.execute("update indicators set parser_value = coalesce(parser_value, value), value = null, "
                   "corrected = 2 where report_id = ? and indicator = ?", [rid, key])


def _number(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
