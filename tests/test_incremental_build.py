"""nianbao build --incremental: the same rows as a full build of the same archive, with only
the new documents parsed; anything it cannot update in place is built in full."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from archive.build.run import build
from archive.cli import cli
from crawler.store import ArchiveStore, Fetch
from layouts.render import render_html
from tests.archive_fixture import FIXTURES, TYPES, fixture_documents, make_archive

SEARCH = '"行政 政复 复议"'


def content(path: Path) -> dict[str, list]:
    """Every table's rows (sorted; events in rowid order) and what search answers."""
    conn = sqlite3.connect(path)
    out: dict[str, list] = {}
    tables = [r[0] for r in conn.execute(
        "select name from sqlite_master where type = 'table' and name not like 'reports_fts%'")]
    for table in tables:
        order = "rowid" if table == "events" else None
        rows = conn.execute(f"select * from [{table}]" + (f" order by {order}" if order else "")).fetchall()
        out[table] = rows if order else sorted(rows, key=repr)
    out["search"] = sorted(r[0] for r in conn.execute(
        "select r.id from reports_fts f join reports r on r.rowid = f.rowid where reports_fts match ?", [SEARCH]))
    out["schema"] = sorted(r[0] or "" for r in conn.execute("select sql from sqlite_master"))
    conn.close()
    assert out["search"], "the fixtures mention 行政复议"
    return out


def _put(store: ArchiveStore, url: str, data: bytes, ctype: str, at: str, site: str = "chengyang") -> None:
    store.record(Fetch(url=url, sha256=store.put_blob(data), size=len(data), status=200, content_type=ctype,
                       fetched_at=at, site=site, page_url="http://www.example.gov.cn/chengyang/index.html"))


def _second_crawl(archive: Path) -> int:
    """A later crawl: two new reports, one revised, one withdrawn, the rest unchanged (304)."""
    first = list(ArchiveStore(archive).fetches())
    store = ArchiveStore(archive, crawl_id="second")
    t = "2026-02-01T00:00:{:02d}+00:00"
    seen = []
    for i, f in enumerate(first[:-1]):  # the last one is gone from the site
        if f.url.endswith(first[0].url.rsplit("/", 1)[-1]):
            page = render_html({"applications.new_received.total": 12, "applications.total_processed.total": 9},
                               "2021", "青岛市城阳区人民政府", 2023)
            _put(store, f.url, page.encode(), "text/html", t.format(i))  # revised
        else:
            store.record(Fetch(**{**f.__dict__, "status": 304, "fetched_at": t.format(i), "crawl_id": None}))
        seen.append(f.url)
    for j, path in enumerate([FIXTURES / "html" / p.name for p in fixture_documents()
                              if p.parent.name == "html"][-2:]):
        url = f"http://www.example.gov.cn/chengyang/new/{path.name}"
        data = path.read_bytes().replace("政府信息公开".encode(), "政府信息公开 ".encode(), 1)  # new bytes
        _put(store, url, data, TYPES[path.suffix], t.format(40 + j))
        seen.append(url)
    for site in {f.site for f in first}:
        store.record_crawl(site, {"site": site, "crawl_id": "second", "run": "second",
                                  "started": "2026-02-01T00:00:00+00:00", "finished": "2026-02-01T00:01:00+00:00",
                                  "complete": True, "seen": sorted(u for u in seen)})
    return 3  # documents with new bytes


def test_incremental_equals_full(tmp_path):
    archive = make_archive(tmp_path)
    db = tmp_path / "nianbao.db"
    build(archive, db, incremental=True)  # no database yet: a full build
    new = _second_crawl(archive)
    result = build(archive, db, incremental=True)
    assert result.incremental == "updated"
    assert result.parsed + result.cached == new
    full = build(archive, tmp_path / "full.db", use_cache=False)
    assert (result.documents, result.reports, result.errors) == (full.documents, full.reports, full.errors)
    got, want = content(db), content(tmp_path / "full.db")
    for table in want:
        assert got[table] == want[table], table
    events = {e[4] for e in got["events"]}
    assert events == {"added", "changed", "withdrawn"}
    # nothing new: nothing parsed, nothing changed
    again = build(archive, db, incremental=True)
    assert again.incremental == "updated" and again.parsed == again.cached == 0
    assert content(db) == want


def test_what_cannot_be_updated_is_built_in_full(tmp_path, monkeypatch):
    archive = make_archive(tmp_path, fixture_documents()[:4])
    db = tmp_path / "nianbao.db"
    build(archive, db)
    monkeypatch.setattr("archive.build.fingerprint.parser_version", lambda: "another")
    result = build(archive, db, incremental=True)
    assert result.incremental == "parser_version changed"
    monkeypatch.undo()
    # a document fetched earlier than the one whose bytes (and report) it repeats
    store = ArchiveStore(archive, crawl_id="late")
    first = next(iter(ArchiveStore(archive).fetches()))
    build(archive, db)
    _put(store, "http://www.example.gov.cn/chengyang/aaa-copy.txt", ArchiveStore(archive).blob(first.sha256),
         first.content_type, "2025-12-31T00:00:00+00:00")
    result = build(archive, db, incremental=True)
    assert "comes before" in result.incremental
    build(archive, tmp_path / "full.db")
    assert content(db) == content(tmp_path / "full.db")


def test_cli_incremental(tmp_path):
    archive = make_archive(tmp_path, fixture_documents()[:3])
    args = ["build", "--db", str(tmp_path / "nianbao.db"), "--archive", str(archive), "--incremental",
            "--no-progress"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0 and "built in full (no database yet)" in first.output, first.output
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0 and "updated in place" in second.output and "0 parsed" in second.output


def test_a_withdrawal_alone_reaches_the_wide_tables(tmp_path):
    archive = make_archive(tmp_path)
    db = tmp_path / "nianbao.db"
    build(archive, db)
    fetches = list(ArchiveStore(archive).fetches())
    store = ArchiveStore(archive, crawl_id="third")
    for site in {f.site for f in fetches}:
        store.record_crawl(site, {"site": site, "crawl_id": "third", "run": "third",
                                  "started": "2026-03-01T00:00:00+00:00", "finished": "2026-03-01T00:01:00+00:00",
                                  "complete": True, "seen": sorted(f.url for f in fetches[1:])})
    result = build(archive, db, incremental=True)
    assert result.incremental == "updated" and result.parsed == result.cached == 0
    build(archive, tmp_path / "full.db")
    got, want = content(db), content(tmp_path / "full.db")
    assert got == want
    assert [r for r in got["table3_totals"] if r[4] == "withdrawn"]
