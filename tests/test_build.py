"""nianbao build: same archive, same database; bad documents named, the rest built."""

from __future__ import annotations

import hashlib

import sqlite_utils

from archive.build.run import build
from crawler.store import ArchiveStore, Fetch
from tests.archive_fixture import make_archive


def test_rebuild_is_byte_identical_and_swapped_atomically(tmp_path):
    archive = make_archive(tmp_path)
    db = tmp_path / "nianbao.db"
    build(archive, db)
    first = hashlib.sha256(db.read_bytes()).hexdigest()
    inode = db.stat().st_ino
    build(archive, db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == first
    assert db.stat().st_ino != inode  # a new file renamed over the old one
    assert not list(tmp_path.glob(".*.building"))


def test_a_broken_document_is_named_and_the_rest_built(tmp_path):
    archive = make_archive(tmp_path)
    store = ArchiveStore(archive, crawl_id="broken")
    data = b"%PDF-1.7\n this is not a pdf"
    store.record(Fetch(url="http://www.example.gov.cn/x/broken.pdf", sha256=store.put_blob(data),
                       size=len(data), status=200, content_type="application/pdf",
                       fetched_at="2026-01-02T00:00:00+00:00", site="chengyang"))
    result = build(archive, tmp_path / "nianbao.db")
    assert any("broken.pdf" in e and "corrupt" in e for e in result.errors)
    db = sqlite_utils.Database(tmp_path / "nianbao.db")
    assert db["reports"].count == 10
    row = next(db.query("select parse_error from documents where url like '%broken.pdf'"))
    assert "corrupt" in row["parse_error"]


def test_wide_tables_match_the_cells(tmp_path):
    archive = make_archive(tmp_path)
    build(archive, tmp_path / "nianbao.db")
    db = sqlite_utils.Database(tmp_path / "nianbao.db")
    row = next(db.query("select * from table3_totals where agency = '青岛高新技术产业开发区管理委员会'"))
    cell = next(db.query("select value from cells where report_id = ? and key = ?",
                         [row["report"], "applications.total_processed.total"]))
    assert row["total_processed"] == cell["value"] == 0
    assert db["table3_totals"].count == db.execute(
        "select count(*) from reports where template in ('2019','2021')").fetchone()[0]
    assert "table3_totals_view" in db.view_names()
