"""The rows one archived version writes: its document, and its report, cells and checks.

Shared by the full and the incremental build, so both write a version the same way.
Rows are written in a stable order with ids derived from content, never from the clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from archive.build import agency_tables
from archive.build.plan import Step
from archive.schema import cjk
from archive.schema.where import COLUMNS as WHERE_COLUMNS
from archive.schema.where import MORE as WHERE_MORE
from archive.schema.where import where_columns
from crawler.store import Fetch
from parsers import Report


@dataclass
class BuildResult:
    path: Path
    documents: int = 0
    reports: int = 0
    errors: list[str] = field(default_factory=list)
    parsed: int = 0  # documents parsed in this build
    cached: int = 0  # documents whose parse came from the cache
    incremental: str = ""  # why the database was rebuilt in full, or "updated"
    corrections: list[str] = field(default_factory=list)  # lines of the corrections file not applied as written
    carryover_breaks: int = 0  # carryover checks that fail (archive.build.carryover)


def _report_rows(report: Report, rid: str, fetch: Fetch, doc_id: str, agency: str | None) -> dict:
    failing = report.failing_checks
    return {
        "id": rid, "agency": agency, "agency_titled": report.agency, "year": report.year, "template": report.template,
        "kind": report.kind, "format": report.format, "title": report.title, "url": fetch.url,
        "page_url": fetch.page_url, "published": report.published, "fetched_at": fetch.fetched_at,
        "sha256": fetch.sha256, "document_id": doc_id, "site": fetch.site,
        "checks_failed": len(failing), "checks_failing": ",".join(failing),
        "warnings": "\n".join(report.warnings),
    }


def document_row(step: Step, error: str | None) -> dict:
    v, fetch = step.version, step.version.first
    return {
        "id": step.doc_id, "url": fetch.url, "sha256": v.sha256, "content_type": fetch.content_type,
        "size": fetch.size, "status": fetch.status, "fetched_at": fetch.fetched_at,
        "first_seen": v.first_seen, "last_seen": v.last_seen, "fetches": v.fetches,
        "version": v.number, "state": step.status, "page_url": fetch.page_url,
        "link_text": fetch.link_text, "site": fetch.site, "warc_file": fetch.warc_file,
        "warc_offset": fetch.warc_offset,
        "headers": json.dumps(fetch.headers, ensure_ascii=False, sort_keys=True),
        "role": fetch.role, "parse_error": error,
    }


def report_state(step: Step) -> dict:
    """The columns of a report that later crawls change."""
    v = step.version
    return {"version": v.number, "state": step.status, "current": int(step.status == "current"),
            "first_seen": v.first_seen, "last_seen": v.last_seen, "replaced_at": v.replaced_at,
            "withdrawn_at": step.gone[0] if step.gone else None}


def add_version(db, step: Step, outcome, entries, result: BuildResult,
                seen_reports: set[str]) -> str | None:
    """One version of one URL: its document row, and its report when it is one."""
    v, fetch = step.version, step.version.first
    result.documents += 1
    error = outcome.error if outcome is not None else None
    report = outcome.report() if outcome is not None else None
    if error:
        result.errors.append(f"{fetch.url}: {error}")
    db["documents"].insert(document_row(step, error))
    rid = v.sha256[:16]
    if report is None or report.kind != "annual_report" or rid in seen_reports:
        return None  # not a report, or the same bytes already stand at another URL
    seen_reports.add(rid)
    result.reports += 1
    _insert_report(db, report, rid, fetch, step.doc_id, entries, step.figures)
    db["reports"].update(rid, report_state(step))
    return rid


def _with_picture(where: dict | None, figures: tuple[str, ...]) -> dict | None:
    """A cell read from a picture of the page names the picture's bytes (its sha256)."""
    figure = (where or {}).get("figure")
    if isinstance(figure, int) and 1 <= figure <= len(figures):
        return {**where, "sha256": figures[figure - 1]}
    return where


def _insert_report(db, report: Report, rid: str, fetch: Fetch, doc_id: str, entries,
                   figures: tuple[str, ...] = ()) -> None:
    agency = agency_tables.record(db, report, fetch.site, entries)  # matched, printed name kept
    db["reports"].insert(_report_rows(report, rid, fetch, doc_id, agency))
    db["report_texts"].insert({"report_id": rid, "body": report.text,
                               "sections": json.dumps(report.sections, ensure_ascii=False)})
    rowid = db.execute("select rowid from reports where id = ?", [rid]).fetchone()[0]
    db.execute("insert into reports_fts(rowid, title, body) values (?, ?, ?)",
               [rowid, cjk.spaced(report.title or ""), cjk.spaced(report.text)])
    cells = [{"report_id": rid, "key": k, "value": c.value, "raw": c.raw, "ocr": int(c.ocr),
              "confidence": c.confidence, **where_columns(_with_picture(c.where, figures))}
             for k, c in sorted(report.cells.items())]
    if cells:
        names = list(cells[0])
        db.conn.executemany(f"insert into cells ({', '.join(names)}) values ({', '.join('?' * len(names))})",
                            [[c[n] for n in names] for c in cells])
    _insert_series(db, report, rid, figures)
    db["checks"].insert_all(check_rows(rid, report.checks))


def _insert_series(db, report: Report, rid: str, figures: tuple[str, ...] = ()) -> None:
    """Its indicators, and its legacy statistics table's rows as printed, each where it
    was read."""
    place = [*WHERE_COLUMNS, WHERE_MORE]
    marks = ", ".join("?" * len(place))

    def where(w):
        cols = where_columns(_with_picture(w, figures))
        return tuple(cols[c] for c in place)

    db.conn.executemany(
        f"insert into indicators (report_id, indicator, value, source, evidence, {', '.join(place)})"
        f" values (?, ?, ?, ?, ?, {marks})",
        [(rid, k, i.value, i.source, i.evidence, *where(i.where)) for k, i in report.indicators.items()])
    db.conn.executemany(
        "insert into legacy_rows (report_id, row_no, table_no, label, unit, value, raw, column_header,"
        f" indicator, printed, header, {', '.join(place)}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {marks})",
        [(rid, n, r.table, r.label, r.unit, r.value, r.raw, r.column, r.indicator,
          json.dumps(r.printed, ensure_ascii=False), json.dumps(r.header, ensure_ascii=False), *where(r.where))
         for n, r in enumerate(report.legacy_rows)])


def check_rows(rid: str, checks) -> list[dict]:
    """The ``checks`` rows of a report's checks (a narrative check's sentence located)."""
    return [
        {"report_id": rid, "check_name": c.check, "scope": c.scope,
         "ok": None if c.ok is None else int(c.ok), "expected": c.expected, "actual": c.actual,
         "note": c.note, "other_report": None,
         "where_json": json.dumps(c.where, ensure_ascii=False, separators=(",", ":")) if c.where else None}
        for c in checks
    ]
