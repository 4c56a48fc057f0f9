"""The parse cache: a rebuild parses nothing, the same database comes out, and a new
parser version or --reparse parses again."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import sqlite_utils
from click.testing import CliRunner

from archive.build import parser_version as pv
from archive.build.cache import ParseCache, report_from_json, report_to_json
from archive.build.run import build, cache_path
from archive.cli import cli
from parsers import parse_file
from tests.archive_fixture import fixture_documents, make_archive


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_report_survives_the_cache_exactly():
    for path in fixture_documents():
        report = parse_file(path)
        again = report_from_json(report_to_json(report))
        assert again == report, path.name
        assert type(next(iter(again.cells.values()), None)).__name__ in ("CellValue", "NoneType")


def test_second_build_parses_nothing_and_writes_the_same_bytes(tmp_path):
    archive = make_archive(tmp_path)
    cold = build(archive, tmp_path / "cold.db", use_cache=False)
    first = build(archive, tmp_path / "first.db")
    second = build(archive, tmp_path / "second.db")
    assert first.parsed == cold.parsed == 10 and first.cached == 0
    assert second.parsed == 0 and second.cached == first.parsed
    assert _digest(tmp_path / "cold.db") == _digest(tmp_path / "first.db") == _digest(tmp_path / "second.db")
    db = sqlite_utils.Database(tmp_path / "second.db")
    info = {r["key"]: r["value"] for r in db.query("select * from build_info")}
    assert info["parser_version"] == pv.parser_version()


def _tamper(archive, cells_key: str, value: float) -> int:
    """Change one cached report's cell: proves what a build reads from the cache."""
    conn = sqlite3.connect(cache_path(archive))
    cache = ParseCache(cache_path(archive), pv.parser_version())
    changed = 0
    for key, in conn.execute("select key from parsed").fetchall():
        outcome = cache.get(key)
        report = outcome.report()
        if report and cells_key in report.cells:
            report.cells[cells_key].value = value
            cache.put(key, type(outcome)(report_to_json(report)))
            changed += 1
    cache.close()
    conn.close()
    return changed


def test_reparse_ignores_the_cache(tmp_path):
    archive = make_archive(tmp_path)
    build(archive, tmp_path / "a.db")
    key = "applications.total_processed.total"
    assert _tamper(archive, key, -777) > 0
    build(archive, tmp_path / "b.db")  # the cache is believed...
    db = sqlite_utils.Database(tmp_path / "b.db")
    assert db.execute("select count(*) from cells where key = ? and value = -777", [key]).fetchone()[0] > 0
    result = CliRunner().invoke(cli, ["build", "--db", str(tmp_path / "b.db"), "--archive", str(archive),
                                      "--reparse", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert " 0 from cache" in result.output
    db = sqlite_utils.Database(tmp_path / "b.db")
    assert db.execute("select count(*) from cells where value = -777").fetchone()[0] == 0
    assert _digest(tmp_path / "a.db") == _digest(tmp_path / "b.db")
    # and the cache was refreshed: the next build reads the right values from it
    again = build(archive, tmp_path / "c.db")
    assert again.parsed == 0 and _digest(tmp_path / "c.db") == _digest(tmp_path / "a.db")


def test_a_new_parser_version_parses_again_and_prunes_the_old(tmp_path, monkeypatch):
    archive = make_archive(tmp_path)
    first = build(archive, tmp_path / "a.db")
    monkeypatch.setattr("archive.build.run.parser_version", lambda: "test-new-version")
    second = build(archive, tmp_path / "b.db")
    assert second.cached == 0 and second.parsed == first.parsed
    versions = {v for v, in sqlite3.connect(cache_path(archive)).execute("select version from parsed")}
    assert versions == {"test-new-version"}


def test_the_version_follows_the_parser_source(tmp_path):
    import parsers

    copy = tmp_path / "parsers"
    shutil.copytree(parsers.__path__[0], copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = pv._source_digest(copy)
    assert pv._source_digest(copy) == before
    (copy / "data" / "labels.csv").write_text((copy / "data" / "labels.csv").read_text() + "\n")
    assert pv._source_digest(copy) != before
    assert pv.parser_version().startswith(pv.SERIES + "-")


def test_errors_a_document_causes_are_cached_internal_ones_not(tmp_path):
    from crawler.store import ArchiveStore, Fetch

    archive = make_archive(tmp_path, fixture_documents()[:2])
    store = ArchiveStore(archive, crawl_id="broken")
    data = b"%PDF-1.7\n this is not a pdf"
    store.record(Fetch(url="http://www.example.gov.cn/x/broken.pdf", sha256=store.put_blob(data),
                       size=len(data), status=200, content_type="application/pdf",
                       fetched_at="2026-01-02T00:00:00+00:00", site="chengyang"))
    missing = "0" * 64
    store.record(Fetch(url="http://www.example.gov.cn/x/gone.html", sha256=missing, size=10, status=200,
                       content_type="text/html", fetched_at="2026-01-02T00:00:01+00:00", site="chengyang"))
    first = build(archive, tmp_path / "a.db")
    assert any("broken.pdf" in e and "corrupt" in e for e in first.errors)
    assert any("gone.html" in e and "missing" in e for e in first.errors)
    second = build(archive, tmp_path / "b.db")
    assert second.cached == 3 and second.parsed == 1  # the missing bytes are looked for again
    assert second.errors == first.errors
