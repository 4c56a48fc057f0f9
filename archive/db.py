"""Build the SQLite archive from the archived documents (sqlite-utils).

Same archive in, same database out: rows are written in a stable order with
ids derived from content, never from the clock. The new file is written beside
the old one and swapped in with one rename, so Datasette never sees half a file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from archive import agency_tables, cjk, coverage
from archive.history import Version, versions, withdrawals
from archive.views import create_views
from crawler import registry
from crawler.store import ArchiveStore, Fetch
from parsers import ParseError, Report, parse_bytes
from parsers.templates import metrics

DOCUMENT_TYPES = ("html", "pdf", "msword", "officedocument", "wps", "text/plain", "octet-stream", "ofd", "ms-excel")


@dataclass
class BuildResult:
    path: Path
    documents: int = 0
    reports: int = 0
    errors: list[str] = field(default_factory=list)


def create_schema(db: sqlite_utils.Database) -> None:
    db["agencies"].create(
        {"name": str, "division_code": str, "level": str, "parent_region": str, "site": str},
        pk="name",
    )
    db["documents"].create(
        {
            "id": str, "url": str, "sha256": str, "content_type": str, "size": int,
            "status": int, "fetched_at": str, "page_url": str, "link_text": str, "site": str,
            "first_seen": str, "last_seen": str, "fetches": int, "version": int, "state": str,
            "warc_file": str, "warc_offset": int, "headers": str, "role": str, "parse_error": str,
        },
        pk="id",
    )
    db["metrics"].create(
        {"key": str, "templates": str, "table_name": str, "section": str, "row_label": str,
         "column_label": str, "unit": str},
        pk="key",
    )
    db["reports"].create(
        {
            "id": str, "agency": str, "agency_titled": str, "year": int, "template": str, "kind": str, "format": str,
            "title": str, "url": str, "page_url": str, "published": str, "fetched_at": str,
            "sha256": str, "document_id": str, "site": str, "checks_failed": int,
            "checks_failing": str, "version": int, "state": str, "current": int,
            "first_seen": str, "last_seen": str, "replaced_at": str, "withdrawn_at": str,
            "body": str, "sections": str, "warnings": str,
        },
        pk="id",
        foreign_keys=[("agency", "agencies", "name"), ("document_id", "documents", "id")],
    )
    # long form, one row per cell: stored WITHOUT ROWID (the key is the primary key, no
    # second copy in an index) and table/row/column derived from the key, not stored
    rest = "substr(key, instr(key, '.') + 1)"
    db.execute(f"""
        create table cells (
            report_id text not null references reports(id),
            key text not null references metrics(key),
            value float,
            raw text,
            ocr integer,
            table_name text generated always as (substr(key, 1, instr(key, '.') - 1)) virtual,
            row text generated always as (substr({rest}, 1, instr({rest}, '.') - 1)) virtual,
            col text generated always as (substr({rest}, instr({rest}, '.') + 1)) virtual,
            primary key (report_id, key)
        ) without rowid""")
    db["checks"].create(
        {"report_id": str, "check_name": str, "scope": str, "ok": int, "expected": float,
         "actual": float, "note": str},
        pk=("report_id", "check_name", "scope"),
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["events"].create(
        {"at": str, "crawl_id": str, "site": str, "url": str, "event": str, "report_id": str},
        foreign_keys=[("report_id", "reports", "id")],
    )
    # contentless: the index answers MATCH with rowids; the text itself is in reports
    db.execute("create virtual table reports_fts using fts5(title, body, content='', tokenize='unicode61')")


def _metric_rows() -> Iterable[dict]:
    for m in metrics().values():
        yield {
            "key": m.key, "templates": ",".join(sorted(m.templates)), "table_name": m.table,
            "section": "", "row_label": m.row_label, "column_label": m.column_label, "unit": m.unit,
        }


def is_document(fetch: Fetch) -> bool:
    return fetch.status == 200 and any(t in (fetch.content_type or "") for t in DOCUMENT_TYPES)


def _report_rows(report: Report, rid: str, fetch: Fetch, doc_id: str, agency: str | None) -> dict:
    failing = report.failing_checks
    return {
        "id": rid, "agency": agency, "agency_titled": report.agency, "year": report.year, "template": report.template,
        "kind": report.kind, "format": report.format, "title": report.title, "url": fetch.url,
        "page_url": fetch.page_url, "published": report.published, "fetched_at": fetch.fetched_at,
        "sha256": fetch.sha256, "document_id": doc_id, "site": fetch.site,
        "checks_failed": len(failing), "checks_failing": ",".join(failing),
        "body": report.text, "sections": json.dumps(report.sections, ensure_ascii=False),
        "warnings": "\n".join(report.warnings),
    }


def build(archive_dir: str | Path, db_path: str | Path, sites: str | Path | None = None) -> BuildResult:
    store = ArchiveStore(archive_dir)
    target = Path(db_path)
    tmp = target.with_name(f".{target.name}.building")
    tmp.unlink(missing_ok=True)
    result = BuildResult(path=target)
    db = sqlite_utils.Database(tmp)
    # the file is only swapped in once complete: no journal, no fsync while building
    db.execute("pragma journal_mode = off")
    db.execute("pragma synchronous = off")
    create_schema(db)
    agency_tables.create(db)
    db["metrics"].insert_all(_metric_rows())
    entries = {e.name: e for e in registry.load(sites)}
    for e in entries.values():
        db["agencies"].upsert({"name": e.agency, "division_code": e.division_code, "level": e.level,
                               "parent_region": e.parent_region, "site": e.name}, pk="name")
    fetches = [f for f in store.fetches() if is_document(f)]
    history = versions(fetches)
    gone = withdrawals(history, store.crawls())
    seen_reports: set[str] = set()
    for url in sorted(history, key=lambda u: (history[u][0].first_seen, u)):
        for v in history[url]:
            last = v is history[url][-1]
            status = ("withdrawn" if url in gone else "current") if last else "replaced"
            rid = _add_version(db, store, v, status, gone.get(url) if last else None,
                               entries, result, seen_reports)
            if rid is None:
                continue
            event = "added" if v.number == 1 else "changed"
            db["events"].insert({"at": v.first_seen, "crawl_id": v.first.crawl_id, "site": v.first.site,
                                 "url": url, "event": event, "report_id": rid})
            if last and url in gone:
                at, crawl = gone[url]
                db["events"].insert({"at": at, "crawl_id": crawl, "site": v.first.site, "url": url,
                                     "event": "withdrawn", "report_id": rid})
    create_views(db)
    coverage.create(db)  # agency × year: which reports the archive holds, which are missing
    db["cells"].create_index(["key", "value"])
    db["reports"].create_index(["agency", "year"])
    db["reports"].create_index(["year", "template"])
    db["checks"].create_index(["check_name", "ok"])
    db["events"].create_index(["crawl_id"])
    db.conn.commit()
    db.execute("vacuum")
    db.close()
    os.replace(tmp, target)
    return result


def _add_version(db, store: ArchiveStore, v: Version, status: str, gone, entries,
                 result: BuildResult, seen_reports: set[str]) -> str | None:
    """One version of one URL: its document row, and its report when it is one."""
    fetch = v.first
    doc_id = f"{v.sha256[:16]}-{_short(v.url)}"
    result.documents += 1
    error, report = None, None
    try:
        if fetch.role == "report":  # a page that only links the report is kept, not parsed
            report = parse_bytes(store.blob(v.sha256), fetch.url, fetch.content_type)
    except ParseError as e:
        error = str(e)
    except FileNotFoundError:
        error = "archived bytes missing"
    except Exception as e:  # one bad document must not stop the build
        error = f"internal error: {type(e).__name__}: {e}"
    if error:
        result.errors.append(f"{fetch.url}: {error}")
    db["documents"].insert({
        "id": doc_id, "url": fetch.url, "sha256": v.sha256, "content_type": fetch.content_type,
        "size": fetch.size, "status": fetch.status, "fetched_at": fetch.fetched_at,
        "first_seen": v.first_seen, "last_seen": v.last_seen, "fetches": v.fetches,
        "version": v.number, "state": status, "page_url": fetch.page_url,
        "link_text": fetch.link_text, "site": fetch.site, "warc_file": fetch.warc_file,
        "warc_offset": fetch.warc_offset,
        "headers": json.dumps(fetch.headers, ensure_ascii=False, sort_keys=True),
        "role": fetch.role, "parse_error": error,
    })
    rid = v.sha256[:16]
    if report is None or report.kind != "annual_report" or rid in seen_reports:
        return None  # not a report, or the same bytes already stand at another URL
    seen_reports.add(rid)
    result.reports += 1
    _insert_report(db, report, rid, fetch, doc_id, entries)
    db["reports"].update(rid, {
        "version": v.number, "state": status, "current": int(status == "current"),
        "first_seen": v.first_seen, "last_seen": v.last_seen, "replaced_at": v.replaced_at,
        "withdrawn_at": gone[0] if gone else None,
    })
    return rid


def _insert_report(db, report: Report, rid: str, fetch: Fetch, doc_id: str, entries) -> None:
    agency = agency_tables.record(db, report, fetch.site, entries)  # matched, printed name kept
    db["reports"].insert(_report_rows(report, rid, fetch, doc_id, agency))
    rowid = db.execute("select rowid from reports where id = ?", [rid]).fetchone()[0]
    db.execute("insert into reports_fts(rowid, title, body) values (?, ?, ?)",
               [rowid, cjk.spaced(report.title or ""), cjk.spaced(report.text)])
    db.conn.executemany(
        "insert into cells (report_id, key, value, raw, ocr) values (?, ?, ?, ?, ?)",
        [(rid, k, c.value, c.raw, int(c.ocr)) for k, c in sorted(report.cells.items())],
    )
    db["checks"].insert_all(
        {"report_id": rid, "check_name": c.check, "scope": c.scope,
         "ok": None if c.ok is None else int(c.ok), "expected": c.expected, "actual": c.actual,
         "note": c.note}
        for c in report.checks
    )


def _short(url: str) -> str:
    import hashlib

    return hashlib.sha256(url.encode()).hexdigest()[:8]
