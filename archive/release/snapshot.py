"""A dated release researchers can cite: the database, CSVs, codebook, crawl dates, checksums.

``nianbao release --out DIR`` writes ``DIR/nianbao-YYYY-MM-DD/`` and points
``DIR/latest.json`` at it; the Datasette home links that latest release.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from archive.build.parser_version import parser_version
from archive.release.latest import LATEST
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


def release(db_path: str | Path, out_dir: str | Path, archive_dir: str | Path | None = None,
            date: str | None = None) -> Path:
    """Write the release folder and return it."""
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
        for table in wide_columns():
            cursor = conn.execute(f"select * from [{table}]")
            _write_csv(target / f"{table}.csv", [d[0] for d in cursor.description], cursor)
        _write_csv(target / "codebook.csv", FIELDS, ([r[f] for f in FIELDS] for r in codebook(conn)))
    finally:
        conn.close()
    (target / "CITATION.cff").write_text(_citation(date, version, reports, sites), encoding="utf-8")
    sums = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}"
            for p in sorted(target.iterdir()) if p.name != "SHA256SUMS"]
    (target / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    (Path(out_dir) / LATEST).write_text(json.dumps(
        {"name": target.name, "date": date, "parser_version": version, "reports": reports,
         "files": sorted(p.name for p in target.iterdir())}, ensure_ascii=False, indent=1), encoding="utf-8")
    return target
