"""Incremental build: copy the existing database and apply only what changed.

A periodic re-crawl adds a few documents to an archive of 100 000; rebuilding
every row, the full-text index and the wide tables for them costs minutes. Here
the old file is copied and only the new versions are parsed and inserted; what
later crawls change about old rows (last seen, state, withdrawal) is updated,
and the small derived tables (events, agencies) are written again in the plan's
order; the wide tables get the rows of the reports added or changed. The result
has the same rows as a full build.

It applies only when the old database was made by the same build code, parser
version and registry (``build_info``), when no document disappeared from the
plan or changed its first fetch, and when no new version takes a report from
a document already in the database; otherwise the caller builds in full.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from archive.build import agency_tables, coverage, fingerprint, front, series, summaries
from archive.build.full import derive_checks
from archive.build.plan import Step, events_for
from archive.build.rows import BuildResult, add_version, document_row, report_state
from archive.schema.views import create_views, view_definitions

RETRIED = ("archived bytes missing", "internal error%")  # errors not cached: parsed again
MUTABLE = ("first_seen", "last_seen", "fetches", "version", "state")


class FullBuild(Exception):
    """Why this database cannot be updated in place."""


def update(target: Path, tmp: Path, steps: list[Step], entries: dict, info: dict[str, str],
           parse: Callable, fixes: tuple[list, list] = ([], [])) -> tuple[BuildResult | None, str]:
    """(result, "updated"), or (None, why a full build is needed); ``fixes``: the
    corrections file (archive.build.corrections), undone and applied again."""
    if not target.exists():
        return None, "no database yet"
    old = fingerprint.read(target)
    if old != info:
        changed = sorted(k for k in set(old) | set(info) if old.get(k) != info.get(k))
        return None, f"{', '.join(changed)} changed" if old else "the database has no build_info"
    shutil.copyfile(target, tmp)
    db = sqlite_utils.Database(tmp)
    db.execute("pragma synchronous = off")
    try:
        result = _apply(db, steps, entries, parse, target, fixes)
        fingerprint.write(db, info)
        db.conn.commit()
    except FullBuild as e:
        db.close()
        tmp.unlink(missing_ok=True)
        return None, str(e)
    db.close()
    result.incremental = "updated"
    return result, "updated"


def _apply(db: sqlite_utils.Database, steps: list[Step], entries: dict, parse: Callable,
           target: Path, fixes: tuple[list, list] = ([], [])) -> BuildResult:
    result = BuildResult(path=target)
    retried = {r[0] for r in db.execute(
        "select id from documents where parse_error = ? or parse_error like ?", RETRIED).fetchall()}
    if retried:
        db.conn.executemany("delete from documents where id = ?", [(i,) for i in retried])
    stored = {r["id"]: r for r in db.query("select * from documents")}
    planned = {s.doc_id for s in steps}
    if set(stored) - planned:
        raise FullBuild("documents in the database are no longer in the archive")
    position = {s.doc_id: i for i, s in enumerate(steps)}
    owner = dict(db.execute("select id, document_id from reports").fetchall())  # report -> document
    states = {r.pop("id"): r for r in db.query(
        f"select id, {', '.join(report_state(steps[0]))} from reports")} if steps else {}
    wide_before = _wide_columns(db)
    fresh = [s for s in steps if s.doc_id not in stored]
    # the rows later crawls change, and a check that the rest is as the plan says
    doc_updates, report_updates = [], []
    for step in steps:
        row = stored.get(step.doc_id)
        if row is None:
            continue
        want = document_row(step, row["parse_error"])
        if any(want[k] != row[k] for k in want if k not in MUTABLE):
            raise FullBuild(f"the first fetch of {step.url} changed")
        if any(want[k] != row[k] for k in MUTABLE):
            doc_updates.append([want[k] for k in MUTABLE] + [step.doc_id])
        rid = step.version.sha256[:16]
        if owner.get(rid) == step.doc_id:
            state = report_state(step)
            if state != states[rid]:
                report_updates.append([*state.values(), rid])
    if doc_updates:
        db.conn.executemany(f"update documents set {', '.join(f'{k} = ?' for k in MUTABLE)} where id = ?",
                            doc_updates)
    if report_updates:
        cols = ", ".join(f"{k} = ?" for k in report_state(steps[0]))
        db.conn.executemany(f"update reports set {cols} where id = ?", report_updates)
    # the new versions, parsed and inserted as a full build would
    seen = set(owner)
    for step, outcome in zip(fresh, parse(fresh, result), strict=True):
        report = outcome.report() if outcome is not None else None
        rid = step.version.sha256[:16]
        if report is not None and report.kind == "annual_report" and rid in owner \
                and position[owner[rid]] > position[step.doc_id]:
            raise FullBuild(f"{step.url} comes before the document whose report it repeats")
        added = add_version(db, step, outcome, entries, result, seen)
        if added is not None:
            owner[added] = step.doc_id
    _rewrite_derived(db, steps, owner, entries)
    corrected = derive_checks(db, fixes, result)  # the cells corrections move, then carryover
    after = _wide_columns(db)
    _refresh_wide_tables(db, corrected | {rid for rid, row in after.items() if wide_before.get(rid) != row})
    summaries.create(db)
    series.create(db)
    front.create(db)
    # counts and errors as a full build reports them, in the plan's order
    errors = dict(db.execute("select id, parse_error from documents where parse_error is not null").fetchall())
    result.documents = len(steps)
    result.reports = len(owner)
    result.errors = [f"{s.version.first.url}: {errors[s.doc_id]}" for s in steps if s.doc_id in errors]
    return result


def _wide_columns(db: sqlite_utils.Database) -> dict[str, tuple]:
    """What a wide table row takes from its report (a report's cells never change)."""
    return {r[0]: r[1:] for r in db.execute(
        "select id, agency, year, template, state, checks_failing from reports").fetchall()}


def _refresh_wide_tables(db: sqlite_utils.Database, changed: set[str]) -> None:
    """The rows of the reports added or changed, in every wide table: rewriting the tables
    whole costs 80 s at 100 000 reports. (Their views end in ORDER BY, so a filter from
    outside is not pushed into them: the filter goes inside.)"""
    if not changed:
        return
    ids = json.dumps(sorted(changed))
    for name, sql in view_definitions().items():
        head = f"create view [{name}] as "
        if not sql.startswith(head) or sql.count("\ngroup by r.id") != 1 or "\nfrom reports r" not in sql \
                or " where " not in sql.split("\nfrom reports r", 1)[1]:
            create_views(db)  # a view of another shape: written whole
            return
        select = sql[len(head):].replace(
            "\ngroup by r.id", " and r.id in (select value from json_each(?))\ngroup by r.id")
        db.execute(f"delete from [{name}] where report in (select value from json_each(?))", [ids])
        db.execute(f"insert into [{name}] {select}", [ids])


def _rewrite_derived(db: sqlite_utils.Database, steps: list[Step], owner: dict[str, str],
                     entries: dict) -> None:
    """Events, agencies, the printed names (and so a report's agency) and coverage depend
    on every report's place in the plan."""
    by_doc = {d: r for r, d in owner.items()}
    reports = {r["id"]: r for r in db.query(
        "select id, agency, agency_titled, site,"
        " exists(select 1 from cells c where c.report_id = r.id and c.ocr) as ocr from reports r")}
    for table in ("events", "agencies", "agency_names"):
        db.execute(f"delete from {table}")
    for e in entries.values():
        db["agencies"].upsert({"name": e.agency, "division_code": e.division_code, "level": e.level,
                               "parent_region": e.parent_region, "site": e.name}, pk="name")
    events = []
    for step in steps:
        rid = by_doc.get(step.doc_id)
        if rid is None:
            continue
        events += events_for(step, rid)
        row = reports[rid]  # the agency matched again, as the full build matched it in this order
        agency = agency_tables.record_name(db, row["agency_titled"], bool(row["ocr"]), row["site"], entries)
        if agency != row["agency"]:
            db.execute("update reports set agency = ? where id = ?", [agency, rid])
    db.conn.executemany("insert into events (at, crawl_id, site, url, event, report_id) "
                        "values (:at, :crawl_id, :site, :url, :event, :report_id)", events)
    db.execute("drop table if exists coverage")
    coverage.create(db)
