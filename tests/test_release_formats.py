"""A release in the formats researchers load (Parquet, a Frictionless datapackage.json, a
README whose loads run) and the archived pages as a WACZ that validates and pywb replays;
on a real crawl of replica sites over HTTP."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.release.parquet import select_sql
from archive.release.readme import LOADS
from archive.release.released import entries, released
from archive.schema.views import wide_columns
from tests.crawl_helpers import NIANBAO
from tests.pywb_server import add_wacz, get, wayback

DATE = "2026-03-15"


@pytest.fixture(scope="module")
def crawled(replica_crawl) -> Path:
    return replica_crawl


@pytest.fixture(scope="module")
def release_dir(crawled) -> Path:
    result = CliRunner().invoke(cli, ["release", "--db", str(crawled / "nianbao.db"),
                                      "--out", str(crawled / "releases"), "--date", DATE])
    assert result.exit_code == 0, result.output
    return crawled / "releases" / f"nianbao-{DATE}"


def _tool(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", name, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_parquet_files_read_back_equal_to_the_database(release_dir):
    conn = sqlite3.connect(release_dir / "nianbao.db")
    tables = released(conn)
    assert {t.table for t in tables} >= {"reports", "cells", "checks", "agencies", "metrics", *wide_columns()}
    for table in tables:
        got = pq.read_table(release_dir / f"{table.table}.parquet")
        # every column the database holds, but the generated ones and those the list omits
        omit = set(next(e for e in entries() if e["table"] == table.table)["omit"].split())
        stored = [r[1] for r in conn.execute(f"pragma table_xinfo([{table.table}])") if not r[6]]
        assert got.column_names == [c for c in stored if c not in omit], table.table
        want = conn.execute(select_sql(table)).fetchall()
        count = conn.execute(f"select count(*) from [{table.table}]").fetchone()[0]
        assert got.num_rows == count and (count > 0 or table.table == "corrections")  # no correction yet
        rows = list(zip(*(got.column(n).to_pylist() for n in got.column_names), strict=True))
        assert rows == want, table.table
    cells = pq.read_table(release_dir / "cells.parquet")
    assert cells.column_names[:4] == ["report_id", "key", "value", "raw"]
    assert pa.types.is_dictionary(cells.schema.field("key").type)
    assert pa.types.is_dictionary(cells.schema.field("report_id").type)
    assert pa.types.is_dictionary(pq.read_schema(release_dir / "reports.parquet").field("agency").type)
    assert cells.schema.field("value").type == pa.float64()


def test_every_wide_table_is_in_the_released_list():
    listed = {e["table"] for e in entries()}
    assert set(wide_columns()) <= listed


def test_frictionless_validate_passes_and_the_package_describes_every_file(release_dir):
    proc = _tool("frictionless", "validate", "datapackage.json", cwd=release_dir)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "INVALID" not in proc.stdout and "VALID" in proc.stdout
    package = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    on_disk = {p.name for p in release_dir.iterdir()} - {"datapackage.json", "SHA256SUMS"}
    assert {r["path"] for r in package["resources"]} == on_disk
    for r in package["resources"]:  # frictionless reads Parquet past its hash: check them all here
        assert r["hash"] == "sha256:" + hashlib.sha256((release_dir / r["path"]).read_bytes()).hexdigest()
        assert r.get("bytes", r.get("x-bytes")) == (release_dir / r["path"]).stat().st_size
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["sources"]
    by_name = {r["name"]: r for r in package["resources"]}
    cells = by_name["cells"]["schema"]
    assert cells["primaryKey"] == ["report_id", "key"]
    assert {"fields": ["key"], "reference": {"resource": "metrics", "fields": ["key"]}} in cells["foreignKeys"]
    fields = {f["name"]: f for f in by_name["table2_2019"]["schema"]["fields"]}
    assert fields["procurement_amount_wan"]["unit"] == "万元" and fields["procurement_amount_wan"]["type"] == "number"
    assert "表二" in fields["procurement_amount_wan"]["description"]
    assert fields["year"]["type"] == "integer" and fields["agency"]["title"]
    assert by_name["table3_totals_csv"]["path"] == "table3_totals.csv"


def test_frictionless_finds_a_cell_whose_key_is_no_metric(release_dir, tmp_path):
    """The validation reads the data: a broken foreign key fails it (so the pass above means something)."""
    copy = tmp_path / "broken"
    shutil.copytree(release_dir, copy)
    cells = pq.read_table(copy / "cells.parquet")
    bad = cells.slice(0, 1).to_pylist()[0] | {"key": "applications.no_such_row.total"}
    extra = pa.Table.from_pylist([bad], schema=cells.schema)
    pq.write_table(pa.concat_tables([cells, extra]).unify_dictionaries(), copy / "cells.parquet")
    proc = _tool("frictionless", "validate", "datapackage.json", cwd=copy)
    assert proc.returncode != 0 and "foreign-key" in proc.stdout


def _code_lines(readme: str) -> dict[str, str]:
    """tool -> the one line under it in the README's code blocks."""
    return dict(re.findall(r"^(.+):\n\n```\w+\n(.+)\n```", readme, re.M))


@pytest.mark.parametrize("tool", ["pandas", "DuckDB"])
def test_the_readme_one_line_loads_run(release_dir, tool):
    lines = _code_lines((release_dir / "README.md").read_text(encoding="utf-8"))
    assert set(lines) == {t for t, _, _ in LOADS}
    line = lines[tool]
    check = ("print(len(cells), list(cells.columns)[:4])" if tool == "pandas" else "")
    proc = subprocess.run([sys.executable, "-c", f"{line}\n{check}"], cwd=release_dir, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    conn = sqlite3.connect(release_dir / "nianbao.db")
    if tool == "pandas":
        n = conn.execute("select count(*) from cells").fetchone()[0]
        assert proc.stdout.split()[0] == str(n) and "'report_id', 'key', 'value', 'raw'" in proc.stdout
    else:  # reports per year, as the database counts them
        for year, count in conn.execute("select year, count(*) from reports group by year"):
            assert re.search(rf"│\s+{year}\s+│\s+{count}\s+│", proc.stdout), proc.stdout


def _report_page(crawled: Path) -> tuple[str, str]:
    """(url, sha256) of an HTML report the crawl archived."""
    conn = sqlite3.connect(crawled / "nianbao.db")
    return conn.execute("select url, sha256 from reports where format = 'html' order by url limit 1").fetchone()


def test_the_release_wacz_validates_and_pywb_replays_a_report_page(release_dir, crawled, tmp_path):
    wacz = release_dir / f"nianbao-{DATE}.wacz"
    proc = _tool("wacz", "validate", "-f", str(wacz), cwd=tmp_path)
    assert proc.returncode == 0 and "is valid" in proc.stdout, proc.stdout
    add_wacz(tmp_path, "nianbao", wacz)
    url, sha = _report_page(crawled)
    with wayback(tmp_path) as base:
        # id_: the capture's own bytes; mp_: the page as pywb replays it, its links rewritten
        status, headers, body = get(f"{base}/nianbao/2026id_/{url}")
        assert status == 200 and hashlib.sha256(body).hexdigest() == sha
        assert headers.get("Memento-Datetime")
        status, _, page = get(f"{base}/nianbao/2026mp_/{url}")
        text = page.decode("utf-8")
        assert status == 200 and "政府信息公开" in text and f"{base}/nianbao/" in text
        status, _, _ = get(f"{base}/nianbao/2026id_/http://never.archived.example/")
        assert status == 404


def test_export_wacz_keeps_what_a_cut_short_warc_holds(crawled, tmp_path):
    archive = tmp_path / "cut.archive"
    (archive / "warc").mkdir(parents=True)
    (warc,) = (crawled / "nianbao.archive" / "warc").glob("*.warc.gz")
    data = warc.read_bytes()
    (archive / "warc" / "whole.warc.gz").write_bytes(data)
    (archive / "warc" / "killed.warc.gz").write_bytes(data[: len(data) * 2 // 3])
    out = tmp_path / "out.wacz"
    proc = subprocess.run([*NIANBAO, "export-wacz", "--archive", str(archive), "--db", str(crawled / "nianbao.db"),
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (line,) = [x for x in proc.stderr.splitlines() if "killed.warc.gz" in x]
    assert "cut short after" in line and "gzip member cut short" in line
    assert "2 WARC files" in proc.stdout
    assert _tool("wacz", "validate", "-f", str(out), cwd=tmp_path).returncode == 0
    empty = tmp_path / "empty.archive"
    (empty / "warc").mkdir(parents=True)
    proc = subprocess.run([*NIANBAO, "export-wacz", "--archive", str(empty), "--out", str(tmp_path / "e.wacz")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "no WARC files" in proc.stderr


def test_a_release_whose_warcs_are_unreadable_goes_on_without_the_wacz(crawled, tmp_path):
    archive = tmp_path / "broken.archive"
    shutil.copytree(crawled / "nianbao.archive" / "blobs", archive / "blobs")
    (archive / "warc").mkdir()
    (archive / "warc" / "garbage.warc.gz").write_bytes(b"\x1f\x8b\x08not a warc at all")
    proc = subprocess.run([*NIANBAO, "release", "--db", str(crawled / "nianbao.db"), "--archive", str(archive),
                           "--out", str(tmp_path / "rel"), "--date", DATE], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (line,) = [x for x in proc.stderr.splitlines() if "no WACZ" in x]
    assert "garbage.warc.gz" in line
    folder = tmp_path / "rel" / f"nianbao-{DATE}"
    assert (folder / "cells.parquet").exists() and not list(folder.glob("*.wacz"))
