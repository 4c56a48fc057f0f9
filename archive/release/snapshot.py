"""A dated release researchers can cite: the database, Parquet files of its tables, CSVs,
codebook, crawl dates, the archived pages as a WACZ, a datapackage.json and checksums.

``nianbao release --out DIR`` writes ``DIR/nianbao-YYYY-MM-DD/`` and points
``DIR/latest.json`` at it; the Datasette home links that latest release.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from archive.build.parser_version import parser_version
from archive.release.datapackage import (
    csv_resource,
    datapackage,
    file_hash,
    file_resource,
    table_resource,
)
from archive.release.latest import LATEST
from archive.release.parquet import write_parquet
from archive.release.readme import readme
from archive.release.released import released
from archive.release.wacz import export_wacz, warc_files
from archive.schema import corrections
from archive.schema.codebook import FIELDS, codebook
from archive.schema.views import wide_columns
from crawler.store import ArchiveStore


def _write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable]) -> None:
    """UTF-8 with a BOM, so Excel opens the Chinese right."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _crawls(archive_dir: Path | None) -> list[dict]:
    if archive_dir is None or not Path(archive_dir).exists():
        return []
    return ArchiveStore(archive_dir).crawls()


# the series across every era: agency × year × indicator, and every report's indicators
SERIES_TABLES = ("panel", "indicators")

COVERAGE = ("site", "first_fetched", "last_fetched", "documents", "reports", "crawls", "last_crawl",
            "last_crawl_complete")


def _coverage(conn: sqlite3.Connection, crawls: list[dict]) -> list[tuple]:
    """Per site: when its documents were fetched, how many, and its crawls (where the
    archive kept their records)."""
    reports = dict(conn.execute("select site, count(*) from reports group by site"))
    out = []
    for site, first, last, documents in conn.execute(
            "select site, min(fetched_at), max(fetched_at), count(*) from documents group by site order by site"):
        own = [c for c in crawls if c.get("site") == site]
        final = own[-1] if own else {}
        out.append((site, first, last, documents, reports.get(site, 0), len(own),
                    final.get("finished", ""), final.get("complete", "")))
    return out


def _corrections(conn: sqlite3.Connection) -> list[tuple]:
    """The corrections file's lines as the database applied them (none in an older database)."""
    if not conn.execute("select 1 from sqlite_master where name = 'corrections'").fetchone():
        return []
    return conn.execute("select sha256, key, value_text, reason, who, date, evidence from corrections "
                        "order by line").fetchall()


def _citation(date: str, version: str, reports: int, sites: list[str]) -> str:
    return f"""cff-version: 1.2.0
message: "If you use these data, please cite them as below."
type: dataset
title: "nianbao: China's government information-disclosure annual reports (政府信息公开工作年度报告) as data"
abstract: >-
  {reports} annual reports of {len(sites)} sites, archived byte for byte and read into
  tables: every number of the three standard tables, with the consistency checks.
authors:
  - name: "nianbao contributors"
version: "{date}"
date-released: "{date}"
license: CC-BY-4.0
keywords: [government transparency, 政府信息公开, open data, China]
custom:
  parser-version: "{version}"
"""


CRAWLS_TYPES = dict(zip(COVERAGE, ("string", "string", "string", "integer", "integer", "integer", "string",
                                   "string"), strict=True))


def _sources(conn: sqlite3.Connection) -> list[dict]:
    """Each crawled site, by the address its documents came from."""
    out = []
    for site, url in conn.execute("select site, min(url) from documents where site is not null group by site order by site"):
        parts = urlsplit(url or "")
        out.append({"title": site, "path": f"{parts.scheme}://{parts.netloc}/" if parts.netloc else ""})
    return [{k: v for k, v in s.items() if v} for s in out]


def _resources(conn: sqlite3.Connection, target: Path, wacz: Path | None) -> list[dict]:
    tables = released(conn)
    wide = set(wide_columns())
    out = []
    for table in tables:
        write_parquet(conn, table, target / f"{table.table}.parquet")
        out.append(table_resource(target, table, f"{table.table}.parquet"))
    out += [table_resource(target, t, f"{t.table}.csv", csv_copy=True) for t in tables
            if t.table in wide or t.table in SERIES_TABLES]
    out += [
        csv_resource(target, "codebook", "codebook.csv", "codebook: every table and column, in Chinese and English",
                     dict.fromkeys(FIELDS, "string")),
        csv_resource(target, "crawls", "crawls.csv", "crawls: per site, when its documents were fetched",
                     CRAWLS_TYPES),
        csv_resource(target, "corrections-file", corrections.FILE,
                     "the corrections file this release was built with, line for line (the corrections "
                     "table says how each line was applied)", dict.fromkeys(corrections.FIELDS, "string")),
        file_resource(target, "database", "nianbao.db", "the whole database (SQLite), as the web serves it"),
        file_resource(target, "citation", "CITATION.cff", "how to cite this release"),
    ]
    if wacz is not None:
        out.append(file_resource(target, "archived-pages", wacz.name,
                                 "the archived pages: the crawl's WARCs with index and page list (WACZ)"))
    return out


def release(db_path: str | Path, out_dir: str | Path, archive_dir: str | Path | None = None,
            date: str | None = None, wacz: bool = True, warn: Callable[[str], None] | None = None) -> Path:
    """Write the release folder and return it; what could not go in is said through ``warn``."""
    date = date or dt.date.today().isoformat()
    target = Path(out_dir) / f"nianbao-{date}"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    db_file = target / "nianbao.db"
    shutil.copyfile(db_path, db_file)
    crawls = _crawls(Path(archive_dir) if archive_dir else None)
    version = parser_version()
    conn = sqlite3.connect(db_file)
    try:
        reports = conn.execute("select count(*) from reports").fetchone()[0]
        sites = [r[0] for r in conn.execute(
            "select distinct site from documents where site is not null order by site")]
        first, last = conn.execute("select min(fetched_at), max(fetched_at) from documents").fetchone()
        meta = {"release_date": date, "parser_version": version, "reports": str(reports),
                "sites": ",".join(sites), "first_fetched": first or "", "last_fetched": last or ""}
        conn.execute("drop table if exists meta")
        conn.execute("create table meta (key text primary key, value text)")
        conn.executemany("insert into meta values (?, ?)", sorted(meta.items()))
        conn.commit()
        _write_csv(target / "crawls.csv", COVERAGE, _coverage(conn, crawls))
        for table in (*wide_columns(), *SERIES_TABLES):
            cursor = conn.execute(f"select * from [{table}]")
            _write_csv(target / f"{table}.csv", [d[0] for d in cursor.description], cursor)
        _write_csv(target / "codebook.csv", FIELDS, ([r[f] for f in FIELDS] for r in codebook(conn)))
        _write_csv(target / corrections.FILE, corrections.FIELDS, _corrections(conn))
        (target / "CITATION.cff").write_text(_citation(date, version, reports, sites), encoding="utf-8")
        wacz_file = None
        if wacz and archive_dir and warc_files(Path(archive_dir)):
            try:
                result = export_wacz(archive_dir, target / f"{target.name}.wacz", db_path)
            except ValueError as exc:  # no readable WARC: the release goes on without the pages
                (warn or print)(f"release {target.name}: no WACZ: {exc}")
            else:
                wacz_file = result.path
                for problem in result.problems:
                    (warn or print)(f"release {target.name}: {problem}")
        resources = _resources(conn, target, wacz_file)
        sources = _sources(conn)
    finally:
        conn.close()
    (target / "README.md").write_text(readme(target.name, date, version, reports, resources), encoding="utf-8")
    resources.append(file_resource(target, "readme", "README.md", "this release's files and how to load them"))
    package = datapackage(target.name, date, version, resources, sources, reports)
    (target / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")
    sums = [f"{file_hash(p)}  {p.name}"
            for p in sorted(target.iterdir()) if p.name != "SHA256SUMS"]
    (target / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    (Path(out_dir) / LATEST).write_text(json.dumps(
        {"name": target.name, "date": date, "parser_version": version, "reports": reports,
         "files": sorted(p.name for p in target.iterdir())}, ensure_ascii=False, indent=1), encoding="utf-8")
    return target
