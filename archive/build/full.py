"""The full build: every row from scratch, in the plan's order."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from archive.build import agency_tables, carryover, corrections, coverage, front, series, summaries
from archive.build.indexes import create_serving_indexes
from archive.build.plan import Step, events_for
from archive.build.rows import BuildResult, add_version
from archive.schema.tables import create_schema, indicator_definition_rows, metric_rows
from archive.schema.views import create_views


def full_build(db: sqlite_utils.Database, steps: list[Step], parsed: Iterable, entries,
               result: BuildResult, fixes: tuple[list, list] = ([], [])) -> None:
    """Every row from scratch, in the plan's order (``parsed``: one Outcome per step;
    ``fixes``: the corrections file's lines and its problems, archive.build.corrections)."""
    create_schema(db)
    agency_tables.create(db)
    db["metrics"].insert_all(metric_rows())
    db["indicator_definitions"].insert_all(indicator_definition_rows())
    for e in entries.values():
        db["agencies"].upsert({"name": e.agency, "division_code": e.division_code, "level": e.level,
                               "parent_region": e.parent_region, "site": e.name}, pk="name")
    seen_reports: set[str] = set()
    for step, outcome in zip(steps, parsed, strict=True):
        rid = add_version(db, step, outcome, entries, result, seen_reports)
        if rid is not None:
            db["events"].insert_all(events_for(step, rid))
    derive_checks(db, fixes, result)
    create_views(db)
    summaries.create(db)  # what the canned queries add up, once per build
    series.create(db)  # the panel (agency × year × indicator) and the national series
    coverage.create(db)  # agency × year: which reports the archive holds, which are missing
    # one key's cells in report order (the cells page by key), its count and its values, all
    # from the index: the same bytes as (key, value), the primary key being in every entry
    db["cells"].create_index(["key", "report_id", "value"])
    db["reports"].create_index(["agency", "year"])
    db["reports"].create_index(["year", "template"])
    db["checks"].create_index(["check_name", "ok"])
    db["events"].create_index(["crawl_id"])
    create_serving_indexes(db)
    front.create(db)  # the front page's figures, once the indexes it reads by exist


def derive_checks(db: sqlite_utils.Database, fixes: tuple[list, list], result: BuildResult) -> set[str]:
    """The corrections applied on top of the parse, then the checks that need the whole
    archive (carryover); the reports whose cells moved."""
    applied = corrections.apply(db, *fixes)
    result.corrections = applied.messages
    result.carryover_breaks = carryover.create(db)
    return applied.touched
