"""nianbao release: a dated snapshot researchers can cite, linked from the Datasette home."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import sqlite3

from click.testing import CliRunner

from archive.cli import cli
from archive.release.released import released
from archive.release.snapshot import SERIES_TABLES
from archive.schema.codebook import codebook, gaps
from archive.schema.views import wide_columns
from archive.web.serve import datasette_instance
from tests.archive_fixture import make_db


def test_release_holds_every_file_right(tmp_path):
    db_path = make_db(tmp_path)
    result = CliRunner().invoke(cli, ["release", "--db", str(db_path), "--archive", str(tmp_path / "archive"),
                                      "--out", str(tmp_path / "releases"), "--date", "2026-02-01"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "releases" / "nianbao-2026-02-01"
    names = {p.name for p in folder.iterdir()}
    conn = sqlite3.connect(folder / "nianbao.db")
    assert names == {"nianbao.db", "codebook.csv", "crawls.csv", "corrections.csv", "CITATION.cff", "SHA256SUMS",
                     "README.md", "datapackage.json", *(f"{t}.csv" for t in (*wide_columns(), *SERIES_TABLES)),
                     *(f"{t.table}.parquet" for t in released(conn))}  # no WARCs here: no WACZ
    conn.close()
    sums = dict(line.split("  ")[::-1] for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == names - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    # CSVs open right in Excel (BOM) and in Python, Chinese intact
    raw = (folder / "table3_totals.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader((folder / "table3_totals.csv").read_text(encoding="utf-8-sig").splitlines()))
    conn = sqlite3.connect(folder / "nianbao.db")
    assert len(rows) == conn.execute("select count(*) from table3_totals").fetchone()[0]
    assert any("人民政府" in (r["agency"] or "") for r in rows)
    # the database says which release and which parser it is
    meta = dict(conn.execute("select key, value from meta"))
    from archive.build.parser_version import parser_version

    assert meta["release_date"] == "2026-02-01" and meta["parser_version"] == parser_version()
    assert int(meta["reports"]) == len(conn.execute("select id from reports").fetchall())
    cff = (folder / "CITATION.cff").read_text(encoding="utf-8")
    assert "cff-version: 1.2.0" in cff and 'date-released: "2026-02-01"' in cff
    crawls = list(csv.DictReader((folder / "crawls.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {c["site"] for c in crawls} == {r[0] for r in conn.execute("select distinct site from documents")}
    assert all(c["first_fetched"] and int(c["documents"]) >= int(c["reports"]) for c in crawls)


def test_codebook_covers_every_column_of_every_table(tmp_path):
    db_path = make_db(tmp_path)
    conn = sqlite3.connect(db_path)
    book = codebook(conn)
    assert gaps(book) == []
    described = {(r["table"], r["column"]) for r in book}
    tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")
              if not r[0].startswith(("sqlite_", "reports_fts"))]
    for table in tables:
        for info in conn.execute(f"pragma table_xinfo([{table}])"):
            assert (table, info[1]) in described
    row = next(r for r in book if r["table"] == "table2_2019" and r["column"] == "procurement_amount_wan")
    assert row["unit"] == "万元" and "表二" in row["template_wording"]


def test_home_page_links_the_latest_release(tmp_path):
    db_path = make_db(tmp_path)
    CliRunner().invoke(cli, ["release", "--db", str(db_path), "--out", str(tmp_path / "rel"), "--date", "2026-03-01"])
    ds = datasette_instance(db_path, archive_dir=tmp_path / "archive", releases=tmp_path / "rel")
    home = asyncio.run(ds.client.get("/")).text
    assert "最新数据发布" in home and "nianbao-2026-03-01" in home and "2026-03-01" in home
    got = asyncio.run(ds.client.get("/-/releases/nianbao-2026-03-01/SHA256SUMS"))
    assert got.status_code == 200 and "nianbao.db" in got.text
    assert asyncio.run(ds.client.get("/-/releases/nianbao-2026-03-01/..%2Fnianbao.db")).status_code != 200
