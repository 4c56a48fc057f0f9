"""``nianbao correct``: one line added to the corrections file, checked before it is written.

The document must be in the archive (its bytes in the blob store) and, where the database
knows it, be a report whose template has the cell (or, for an indicator, a report whose
statistics table or text gives it: a 2019/2021 report's formula indicators are corrected
through their cells); the value must read as a number by
the parser's value rules. The line is appended (or ``replace``s the file's line for the
same cell); the next build applies it (archive.build.corrections).
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from pathlib import Path

from archive.build.corrections import Correction, default_path, problem, read_file
from archive.schema.corrections import FIELDS
from crawler.store import ArchiveStore
from layouts.render import fmt


class CorrectionError(Exception):
    """Why the correction is not written (one line, naming the document and the reason)."""


def _report(db_path: str | Path, document: str) -> tuple[str, str, str | None] | None:
    """(report id, sha256, template) of a report id or sha256 the database holds."""
    if not Path(db_path).exists():
        return None
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        column = "sha256" if len(document) == 64 else "id"
        row = conn.execute(f"select id, sha256, template from reports where {column} = ?", [document]).fetchone()
    finally:
        conn.close()
    return tuple(row) if row else None


def _parser_value(db_path: str | Path, rid: str, key: str) -> tuple[bool, float | None]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    table, column = ("cells", "key") if "." in key else ("indicators", "indicator")
    try:
        row = conn.execute(f"select coalesce(parser_value, value), corrected from {table} "
                           f"where report_id = ? and {column} = ?", [rid, key]).fetchone()
    finally:
        conn.close()
    return (row is not None, row[0] if row else None)


def add_correction(archive_dir: str | Path, db_path: str | Path, corrections_file: str | Path | None,
                   document: str, key: str, value: str, reason: str, who: str, date: str,
                   evidence: str = "", replace: bool = False) -> tuple[str, str]:
    """(the line written, what it will do); CorrectionError when it cannot be right."""
    document = document.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{16}|[0-9a-f]{64}", document):
        raise CorrectionError(f"{document!r}: give the document's sha256 (64 hex digits) or a report id (16)")
    report = _report(db_path, document)
    if report is None and len(document) == 16:
        raise CorrectionError(f"report {document} is not in {db_path}")
    sha256 = report[1] if report else document
    if not ArchiveStore(archive_dir).blob_path(sha256).is_file():
        raise CorrectionError(f"document {sha256[:16]}… is not in the archive {archive_dir}")
    path = Path(corrections_file) if corrections_file else default_path(archive_dir)
    existing, file_problems = read_file(path)
    if file_problems:
        raise CorrectionError(file_problems[0])
    line = 2 + len(existing)
    new = Correction(line, sha256, key.strip(), value.strip(), reason.strip(), who.strip(), date.strip(),
                     evidence.strip())
    wrong = problem(new, report[2] if report else None)
    if wrong:
        raise CorrectionError(f"document {sha256[:16]}…: {wrong}")
    same = [c for c in existing if (c.sha256, c.key) == (new.sha256, new.key)]
    if same and not replace:
        raise CorrectionError(f"{path} line {same[0].line} already corrects {key} of {sha256[:16]}…: "
                              "edit it, or give --replace")
    if same:
        _write(path, [c for c in existing if (c.sha256, c.key) != (new.sha256, new.key)] + [new])
    else:
        _append(path, new)
    note = f"added to {path}; the next build (nianbao build --db {db_path}) applies it"
    if report:
        present, was = _parser_value(db_path, report[0], key)
        note += (f": report {report[0]} {key}, the parser read {fmt(was, key) or 'blank'}" if present
                 else f": report {report[0]} has no cell {key}, the correction adds it")
    else:
        note += " (the document is not a report of the database yet)"
    return _row(new), note


def _row(c: Correction) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([getattr(c, f) for f in FIELDS])
    return out.getvalue()


def _append(path: Path, c: Correction) -> None:
    """One line at the end (a file under version control changes by that line only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    head = "" if path.exists() and path.stat().st_size else ",".join(FIELDS) + "\n"
    if path.exists() and path.stat().st_size and not path.read_bytes().endswith(b"\n"):
        head = "\n"
    with path.open("a", encoding="utf-8") as f:
        f.write(head + _row(c) + "\n")


def _write(path: Path, lines: list[Correction]) -> None:
    """The whole file again, header first, in its order (a replaced line takes the end)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = ",".join(FIELDS) + "\n" + "".join(_row(c) + "\n" for c in lines)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
