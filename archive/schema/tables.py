"""The base tables of the database: their columns, keys and the full-text index.

The build creates them; the web and the release read what it wrote.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from archive.schema.where import COLUMNS as WHERE_COLUMNS
from archive.schema.where import MORE as WHERE_MORE
from archive.schema.where import TYPES as WHERE_TYPES
from parsers.indicators import definitions as indicator_definitions
from parsers.templates import metrics

_SQL_TYPES = {int: "integer", str: "text", float: "float"}


def _where_columns_sql() -> str:
    """The columns saying where a value was printed (archive.schema.where), as DDL: the same
    in cells and indicators (legacy_rows takes WHERE_TYPES through sqlite-utils)."""
    return ",\n            ".join(f"{c} {_SQL_TYPES[WHERE_TYPES[c]]}" for c in [*WHERE_COLUMNS, WHERE_MORE])


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
            "warnings": str,
        },
        pk="id",
        foreign_keys=[("agency", "agencies", "name"), ("document_id", "documents", "id")],
    )
    # the text apart: kilobytes a report, in the reports row it made every facet, count and
    # search over reports read a page per row (3x slower searches at 100 000 reports)
    db["report_texts"].create({"report_id": str, "body": str, "sections": str}, pk="report_id",
                              foreign_keys=[("report_id", "reports", "id")])
    # long form, one row per cell: stored WITHOUT ROWID (the key is the primary key, no
    # second copy in an index) and table/row/column derived from the key, not stored
    rest = "substr(key, instr(key, '.') + 1)"
    # where the cell was printed (archive.schema.where), and a correction's trace: the
    # parser's value beside the corrected one (archive.build.corrections)
    where_sql = _where_columns_sql()
    db.execute(f"""
        create table cells (
            report_id text not null references reports(id),
            key text not null references metrics(key),
            value float,
            raw text,
            ocr integer,
            confidence float,
            {where_sql},
            parser_value float,
            corrected integer,
            table_name text generated always as (substr(key, 1, instr(key, '.') - 1)) virtual,
            row text generated always as (substr({rest}, 1, instr({rest}, '.') - 1)) virtual,
            col text generated always as (substr({rest}, instr({rest}, '.') + 1)) virtual,
            primary key (report_id, key)
        ) without rowid""")
    # the corrected cells, found without reading every cell (a build undoes them first)
    db.execute("create index cells_corrected on cells(report_id) where corrected is not null")
    # the OCR'd cells by confidence, for the review queue (only OCR'd cells have one)
    db.execute("create index cells_confidence on cells(confidence) where confidence is not null")
    db["checks"].create(
        {"report_id": str, "check_name": str, "scope": str, "ok": int, "expected": float,
         "actual": float, "note": str,
         # carryover: the report it is checked against; narrative: where its sentence stands
         "other_report": str, "where_json": str},
        pk=("report_id", "check_name", "scope"),
        foreign_keys=[("report_id", "reports", "id")],
    )
    # the corrections file as the build applied it (archive.build.corrections): one row a line
    db["corrections"].create(
        {"line": int, "sha256": str, "key": str, "value": float, "value_text": str, "reason": str,
         "who": str, "date": str, "evidence": str, "report_id": str, "parser_value": float,
         "status": str, "message": str},
        pk="line",
    )
    db["events"].create(
        {"at": str, "crawl_id": str, "site": str, "url": str, "event": str, "report_id": str},
        foreign_keys=[("report_id", "reports", "id")],
    )
    create_series_schema(db)
    # contentless: the index answers MATCH with rowids; the text itself is in reports
    db.execute("create virtual table reports_fts using fts5(title, body, content='', tokenize='unicode61')")


def metric_rows() -> Iterable[dict]:
    """The ``metrics`` table: one row per cell key of the templates."""
    for m in metrics().values():
        yield {
            "key": m.key, "templates": ",".join(sorted(m.templates)), "table_name": m.table,
            "section": "", "row_label": m.row_label, "column_label": m.column_label, "unit": m.unit,
        }


def create_series_schema(db: sqlite_utils.Database) -> None:
    """The indicators of every report (parsers/data/indicators.csv) and the rows of the
    pre-2019 statistics tables as printed."""
    db["indicator_definitions"].create(
        {"key": str, "position": int, "zh": str, "en": str, "unit": str, "from_cells": str,
         "legacy_labels": str, "text_topic": str, "note": str},
        pk="key",
    )
    # where each was printed (archive.schema.where), as the cells say it
    where_sql = _where_columns_sql()
    db.execute(f"""
        create table indicators (
            report_id text not null references reports(id),
            indicator text not null references indicator_definitions(key),
            value float,
            source text,
            evidence text,
            {where_sql},
            parser_value float,
            corrected integer,
            primary key (report_id, indicator)
        ) without rowid""")
    db["legacy_rows"].create(
        {"report_id": str, "row_no": int, "table_no": int, "label": str, "unit": str,
         "value": float, "raw": str, "column_header": str, "indicator": str, "printed": str,
         "header": str, **{c: WHERE_TYPES[c] for c in [*WHERE_COLUMNS, WHERE_MORE]}},
        pk=("report_id", "row_no"),
        foreign_keys=[("report_id", "reports", "id")],
    )


def indicator_definition_rows() -> Iterable[dict]:
    """The ``indicator_definitions`` table: the contract, in its order."""
    for i, d in enumerate(indicator_definitions().values()):
        yield {"key": d.key, "position": i, "zh": d.zh, "en": d.en, "unit": d.unit,
               "from_cells": d.from_cells, "legacy_labels": "|".join(d.legacy_labels),
               "text_topic": d.text_topic, "note": d.note}
