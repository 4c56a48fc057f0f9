"""The codebook: every table and column of the database, in Chinese and English.

Generated, never hand-copied: base tables from ``data/columns.csv`` (which also gives
Datasette its column descriptions), the wide tables' cell columns from the templates'
own wording (``parsers/data/metrics.csv``), the list of tables and columns from the
database itself, so a column nobody described shows up as a gap, not as silence.
"""

from __future__ import annotations

import csv
import sqlite3
from functools import lru_cache
from importlib import resources

from archive.schema.views import panel_columns, wide_columns
from parsers.indicators import definitions as indicator_definitions
from parsers.templates import metrics

FIELDS = ("table", "column", "type", "zh", "en", "unit", "template_wording")
_INTERNAL = ("sqlite_", "reports_fts")


@lru_cache(maxsize=1)
def descriptions() -> dict[tuple[str, str], tuple[str, str]]:
    """(table, column) -> (zh, en); column "" describes the table."""
    text = resources.files("archive.schema").joinpath("data/columns.csv").read_text(encoding="utf-8")
    return {(r["table"], r["column"]): (r["zh"], r["en"]) for r in csv.DictReader(text.splitlines())}


def _metric_row(key: str) -> tuple[str, str, str, str]:
    """(zh, en, unit, template wording) of a wide table's cell column."""
    m = metrics()[key]
    table = {"active": "表二", "applications": "表三", "review": "表四"}.get(m.table, m.table)
    wording = "：".join(x for x in (table, m.row_label, m.column_label) if x)
    unit = "万元" if m.unit == "wan_yuan" else "件/条/个"
    return wording, f"Cell {key} ({'in 万元' if m.unit == 'wan_yuan' else 'count'})", unit, wording


def describe(table: str, column: str) -> tuple[str, str, str, str]:
    """(zh, en, unit, template wording) of one column; empty strings where nothing says."""
    wide = wide_columns().get(table)
    if wide is not None and column in wide:
        return _metric_row(wide[column])
    if table == "panel" and column in panel_columns():
        d = indicator_definitions()[panel_columns()[column]]
        if column.endswith("_source"):
            return (f"{d.zh}的来源（cells、legacy_table、text）",
                    f"Where {d.key} comes from (cells, legacy_table, text)", "", "")
        return d.zh, f"{d.en} ({d.key})", "万元" if d.unit == "wan_yuan" else "件/条", ""
    zh, en = descriptions().get((table if wide is None else "wide", column), ("", ""))
    unit = "万元" if table == "cells" and column == "value" else ""
    return zh, en, unit, ""


def tables(conn: sqlite3.Connection) -> list[str]:
    names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]
    return [n for n in names if not n.startswith(_INTERNAL)]


def codebook(conn: sqlite3.Connection) -> list[dict[str, str]]:
    """One row per table (column "") and per column, in the database's own order."""
    rows = []
    for table in tables(conn):
        zh, en, _, _ = describe(table, "")
        rows.append(dict(zip(FIELDS, (table, "", "table", zh, en, "", ""), strict=True)))
        for info in conn.execute(f"pragma table_xinfo([{table}])"):
            column, kind = info[1], info[2] or ""
            zh, en, unit, wording = describe(table, column)
            rows.append(dict(zip(FIELDS, (table, column, kind, zh, en, unit, wording), strict=True)))
    return rows


def gaps(rows: list[dict[str, str]]) -> list[str]:
    """table.column of every row the sources leave undescribed."""
    return [f"{r['table']}.{r['column']}".rstrip(".") for r in rows if not (r["zh"] and r["en"])]
