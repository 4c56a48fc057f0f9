"""Datasette on a large archive: counts kept beside the file, an index under every facet."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
import yaml

from archive import counts as inspect
from archive.serve import METADATA, datasette_instance
from tests.archive_fixture import make_db


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return make_db(tmp_path_factory.mktemp("serving"))


def test_counts_are_kept_beside_the_file_and_renewed_with_it(db_path, monkeypatch):
    data = inspect.inspect_data(db_path)[db_path.stem]
    conn = sqlite3.connect(db_path)
    for table in ("reports", "cells", "checks", "documents", "events"):
        assert data["tables"][table]["count"] == conn.execute(f"select count(*) from {table}").fetchone()[0]
    conn.close()
    assert inspect.sidecar(db_path.resolve()).exists()
    calls = []
    monkeypatch.setattr(inspect, "_compute", lambda p: calls.append(p) or {"tables": {}})
    assert inspect.inspect_data(db_path)[db_path.stem] == data and not calls  # from the sidecar
    db_path.touch()  # a new file (a rebuild) is counted again
    inspect.inspect_data(db_path)
    assert calls


def test_table_pages_show_the_kept_counts(db_path):
    ds = datasette_instance(db_path)
    page = asyncio.run(ds.client.get(f"/{db_path.stem}/cells.json?_size=1"))
    conn = sqlite3.connect(db_path)
    assert page.json()["filtered_table_rows_count"] == conn.execute("select count(*) from cells").fetchone()[0]
    conn.close()


def test_every_default_facet_is_answered_from_an_index(db_path):
    meta = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    tables = next(iter(meta["databases"].values()))["tables"]
    conn = sqlite3.connect(db_path)
    for table in ("reports", "documents", "checks"):
        for column in tables[table].get("facets", []):
            plan = " ".join(r[3] for r in conn.execute(
                f"explain query plan select [{column}], count(*) from [{table}] group by [{column}]"))
            assert "COVERING INDEX" in plan, (table, column, plan)
    conn.close()
