"""Indexes for the pages Datasette serves: its facets and sort orders.

Each default facet is a ``group by`` over the table: without an index on the
column SQLite reads every row, and a reports row carries the report's whole text,
so on 100 000 reports one facet read hundreds of MiB on every page view. An index
per faceted column answers the count from the index alone.
"""

from __future__ import annotations

import sqlite_utils

SERVING_INDEXES: dict[str, list[list[str]]] = {
    "reports": [["template"], ["checks_failing"], ["format"], ["year", "agency"]],
    "documents": [["fetched_at"], ["content_type"], ["role"], ["site"], ["url"]],  # url: the archived copy's links
    "indicators": [["indicator"]],  # ?indicator= filters; no default facets (a million rows)
    "legacy_rows": [["indicator"]],
}


def create_serving_indexes(db: sqlite_utils.Database) -> None:
    for table, indexes in SERVING_INDEXES.items():
        for columns in indexes:
            db[table].create_index(columns, if_not_exists=True)
