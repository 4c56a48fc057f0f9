"""One report against the last, and corrections in the open.

A test archive of two years of 城阳区: the 2020 report (the seed, as text) carried 6
applications forward, the 2021 report (a TRS page, tests/fixtures/make_carryover_fixtures.py)
says it carried 8 over. The break is flagged on both reports' pages, in ``checks`` and in
the canned query. A correction file then sets the 2021 numbers to what 2020 carried: the
database keeps both values, the checks run again (the carryover holds), and removing the
lines restores the parse; lines that match nothing are reported and applied nowhere.
"""

from __future__ import annotations

import asyncio
import csv
import json
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from archive.build.run import build
from archive.web.serve import datasette_instance
from tests.archive_fixture import FIXTURES, make_archive
from tests.crawl_helpers import NIANBAO

CARRYOVER = json.loads((FIXTURES / "carryover" / "chengyang_2021.expected.json").read_text("utf-8"))
HEADER = "sha256,key,value,reason,who,date,evidence\n"


def documents() -> list[Path]:
    return [next((FIXTURES / "seeds").glob("000_*.txt")), FIXTURES / "carryover" / "chengyang_2021.html",
            FIXTURES / "office" / "yicheng_2019.pdf"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return make_archive(tmp_path_factory.mktemp("corrections"), documents())


def rows(db: Path, sql: str, params=()) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def ids(db: Path) -> tuple[dict, dict]:
    """(2020 report, 2021 report) of 城阳区."""
    found = {r["year"]: r for r in rows(db, "select id, sha256, year from reports where agency = '青岛市城阳区人民政府'")}
    return found[2020], found[2021]


def state(db: Path) -> dict:
    """What a correction may move: cells, checks, corrections, the reports' failing checks, a wide table."""
    return {
        "cells": rows(db, "select report_id, key, value, raw, parser_value, corrected from cells order by 1, 2"),
        "checks": rows(db, "select report_id, check_name, scope, ok, expected, actual, other_report from checks "
                           "order by 1, 2, 3"),
        "reports": rows(db, "select id, checks_failed, checks_failing from reports order by id"),
        "wide": rows(db, "select * from table3_totals order by report"),
        "corrections": rows(db, "select * from corrections order by line"),
        "indicators": rows(db, "select report_id, indicator, value, source, parser_value, corrected from indicators "
                               "order by 1, 2"),
        "panel": rows(db, "select * from panel order by report"),
    }


def get(db: Path, archive: Path, path: str):
    ds = datasette_instance(db, archive_dir=archive)
    return asyncio.run(ds.client.get(path))


@pytest.fixture(scope="module")
def parsed(archive) -> Path:
    db = archive.parent / "parsed" / "nianbao.db"  # the name metadata.yml's queries are under
    db.parent.mkdir()
    build(archive, db)
    return db


def test_carryover_break_in_checks(parsed):
    last, this = ids(parsed)
    got = {r["scope"]: r for r in rows(parsed, "select * from checks where check_name = 'carryover'")}
    assert set(got) == {"natural_person", "commercial", "research", "social_welfare", "legal_service",
                        "other_org", "total"}
    assert sorted(s for s, r in got.items() if r["ok"] == 0) == CARRYOVER["carryover_breaks"]
    assert all(r["report_id"] == this["id"] and r["other_report"] == last["id"] for r in got.values())
    assert (got["natural_person"]["expected"], got["natural_person"]["actual"]) == (6, 8)
    # the 2021 report's own arithmetic holds: only the archive sees the break
    assert rows(parsed, "select checks_failing from reports where id = ?", [this["id"]])[0]["checks_failing"] == ""


def test_carryover_break_on_both_pages_and_in_the_query(parsed, archive):
    last, this = ids(parsed)
    page = get(parsed, archive, f"/-/report/{this['id']}").text
    assert 'class="check-table carryover-table"' in page
    assert '<tr class="check-failed" data-scope="natural_person">' in page
    assert f'/-/report/{last["id"]}' in page
    before = get(parsed, archive, f"/-/report/{last['id']}").text
    assert '<tr class="check-failed carried-into" data-scope="natural_person">' in before
    assert f'/-/report/{this["id"]}' in before
    breaks = get(parsed, archive, "/nianbao/carryover_breaks.json?_shape=array").json()
    assert [(b["column_name"], b["previous_carried_forward"], b["carried_over"]) for b in breaks] == [
        ("natural_person", 6, 8), ("total", 6, 8)]
    per_year = get(parsed, archive, "/nianbao/carryover_by_year.json?_shape=array").json()
    assert per_year == [{"year": 2021, "reports_checked": 1, "reports_breaking": 1, "columns_breaking": 2}]


def _fix_lines(this_sha: str) -> str:
    """What the reviewer writes: the 2021 table as 2020 carried it (its balance kept)."""
    lines = [("applications.carried_over.natural_person", "6"), ("applications.carried_over.total", "6"),
             ("applications.carried_forward.natural_person", "12"), ("applications.carried_forward.total", "13")]
    return "".join(f"{this_sha},{key},{value},\"2020年报告结转下年度6件，本年表格误为8 (the 2020 report "
                   f"carried 6 forward)\",reviewer,2026-02-01,http://example.org/-/evidence/x\n"
                   for key, value in lines)


def test_correction_applied_beside_the_parse_and_removed_again(archive, parsed, tmp_path):
    db = tmp_path / "nianbao.db"
    fixes = tmp_path / "corrections.csv"
    build(archive, db)
    assert state(db) == state(parsed)
    before = state(db)
    last, this = ids(db)
    fixes.write_text(HEADER + _fix_lines(this["sha256"]), encoding="utf-8")

    result = build(archive, db, incremental=True, corrections_file=fixes)
    assert result.incremental == "updated" and result.corrections == []
    cell = rows(db, "select * from cells where report_id = ? and key = 'applications.carried_over.natural_person'",
                [this["id"]])[0]
    assert (cell["value"], cell["parser_value"], cell["raw"], cell["corrected"]) == (6, 8, "8", 1)
    carry = {r["scope"]: r["ok"] for r in rows(db, "select scope, ok from checks where check_name = 'carryover'")}
    assert set(carry.values()) == {1}  # checked again on the corrected cells: it holds now
    assert rows(db, "select ok from checks where report_id = ? and check_name = 'balance' and scope = 'natural_person'",
                [this["id"]])[0]["ok"] == 1
    table = rows(db, "select carried_over, carried_forward from table3_totals where report = ?", [this["id"]])[0]
    assert (table["carried_over"], table["carried_forward"]) == (6, 13)
    listed = rows(db, "select status, key, value, parser_value, who, report_id from corrections order by line")
    assert [r["status"] for r in listed] == ["applied"] * 4 and {r["report_id"] for r in listed} == {this["id"]}
    assert (listed[0]["value"], listed[0]["parser_value"]) == (6, 8)
    assert result.carryover_breaks == 0
    # its formula indicator recomputed from the corrected cells, the parse's beside it; the panel follows
    carried = rows(db, "select value, parser_value, corrected from indicators where report_id = ? "
                       "and indicator = 'requests_carried_over'", [this["id"]])[0]
    assert carried == {"value": 6, "parser_value": 8, "corrected": 2}
    assert rows(db, "select requests_carried_over from panel where report = ?", [this["id"]])[0] == {
        "requests_carried_over": 6}

    page = get(db, archive, f"/-/report/{this['id']}").text
    assert 'class="check-table corrections-table"' in page and "reviewer" in page
    assert re.search(r'<td class="num[^"]* corrected"\s+data-key="applications.carried_over.natural_person"', page)

    full = tmp_path / "full" / "nianbao.db"
    full.parent.mkdir()
    build(archive, full, corrections_file=fixes)
    assert state(full) == state(db)  # incremental and full apply it alike

    fixes.write_text(HEADER, encoding="utf-8")  # the lines removed: the parse is back
    build(archive, db, incremental=True, corrections_file=fixes)
    assert state(db) == before


def test_lines_that_match_nothing_are_reported_and_applied_nowhere(archive, parsed, tmp_path):
    last, this = ids(parsed)
    pdf_sha = rows(parsed, "select sha256 from reports where format = 'pdf'")[0]["sha256"]
    gone = "f" * 64
    fixes = tmp_path / "corrections.csv"
    fixes.write_text(HEADER + "".join([
        f"{gone},applications.new_received.total,3,the scan's 8 is a 3,reviewer,2026-02-01,\n",
        f"{pdf_sha},applications.other_misc.total,1,a 2021 row in a 2019 report,reviewer,2026-02-01,\n",
        f"{this['sha256']},applications.granted.total,abc,not a number,reviewer,2026-02-01,\n",
        f"{this['sha256']},applications.granted.total,126,no one signs it,,2026-02-01,\n",
        f"{this['sha256']},applications.granted.total,{int(CARRYOVER['cells']['applications.granted.total'])},"
        "confirmed against the page,reviewer,2026-02-01,\n",
    ]), encoding="utf-8")
    db = tmp_path / "nianbao.db"
    result = build(archive, db, corrections_file=fixes)
    assert len(result.corrections) == 4
    assert "line 2" in result.corrections[0] and "no document ffffffffffffffff" in result.corrections[0]
    assert "line 3" in result.corrections[1] and "the 2019 template has no cell applications.other_misc.total" in result.corrections[1]
    assert "line 4" in result.corrections[2] and "not a number" in result.corrections[2]
    assert "line 5" in result.corrections[3] and "who" in result.corrections[3]
    listed = [r["status"] for r in rows(db, "select status from corrections order by line")]
    assert listed == ["unmatched", "unmatched", "invalid", "invalid", "unchanged"]
    assert rows(db, "select count(*) as n from cells where corrected = 1")[0]["n"] == 0
    # the confirmed reading leaves the review queue, its value untouched
    confirmed = rows(db, "select value, corrected from cells where report_id = ? and key = 'applications.granted.total'",
                     [this["id"]])[0]
    assert confirmed == {"value": CARRYOVER["cells"]["applications.granted.total"], "corrected": 0}
    assert {k: v for k, v in state(db).items() if k != "corrections"} == {
        k: v for k, v in state(parsed).items() if k != "corrections"} | {"cells": [
            {**c, "corrected": 0} if (c["report_id"], c["key"]) == (this["id"], "applications.granted.total") else c
            for c in state(parsed)["cells"]]}


def test_build_command_names_the_lines_it_could_not_apply(archive, tmp_path):
    fixes = tmp_path / "corrections.csv"
    fixes.write_text(HEADER + f"{'e' * 64},applications.new_received.total,3,gone,reviewer,2026-02-01,\n", "utf-8")
    proc = subprocess.run([*NIANBAO, "build", "--db", str(tmp_path / "n.db"), "--archive", str(archive),
                           "--corrections", str(fixes), "--no-progress", "--jobs", "1"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "correction: corrections.csv line 2: matches nothing, not applied: no document eeeeeeeeeeeeeeee" in proc.stderr


def _correct(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*NIANBAO, "correct", *args], capture_output=True, text=True, timeout=120)


def test_nianbao_correct_checks_the_key_the_value_and_the_document(archive, parsed, tmp_path):
    last, this = ids(parsed)
    fixes = tmp_path / "corrections.csv"
    common = ["--db", str(parsed), "--archive", str(archive), "--file", str(fixes), "--who", "reviewer",
              "--date", "2026-02-01"]
    ok = _correct(this["id"], "applications.carried_over.natural_person", "6", "--reason", "2020 carried 6",
                  "--evidence", "http://example.org/e", *common)
    assert ok.returncode == 0, ok.stderr
    assert "the parser read 8" in ok.stdout
    written = list(csv.DictReader(fixes.open(encoding="utf-8")))
    assert written == [{"sha256": this["sha256"], "key": "applications.carried_over.natural_person", "value": "6",
                        "reason": "2020 carried 6", "who": "reviewer", "date": "2026-02-01",
                        "evidence": "http://example.org/e"}]
    for args, why in [
        ((this["id"], "applications.carried_over.nobody", "6"), "is no cell key"),
        ((last["id"], "applications.other_misc.total", "6"), "the 2019 template has no cell"),
        ((this["id"], "applications.carried_over.total", "六件"), "is not a number"),
        (("0" * 64, "applications.carried_over.total", "6"), "is not in the archive"),
        (("0123456789abcdef", "applications.carried_over.total", "6"), "is not in"),
        ((this["id"], "applications.carried_over.natural_person", "7"), "already corrects"),
        ((this["id"], "requests_received", "7"), "correct the cells"),  # a formula indicator: its cells
    ]:
        bad = _correct(*args, "--reason", "x", *common)
        assert bad.returncode == 2 and why in bad.stderr and len(bad.stderr.strip().splitlines()) == 1, (args, bad.stderr)
    again = _correct(this["id"], "applications.carried_over.natural_person", "5", "--reason", "second look",
                     "--replace", *common)
    assert again.returncode == 0, again.stderr
    assert [r["value"] for r in csv.DictReader(fixes.open(encoding="utf-8"))] == ["5"]
    db = tmp_path / "n.db"
    build(archive, db, corrections_file=fixes)
    assert rows(db, "select status from corrections")[0]["status"] == "applied"


def test_release_carries_the_corrections_file(archive, tmp_path):
    from archive.release.snapshot import release

    fixes = tmp_path / "corrections.csv"
    db = tmp_path / "nianbao.db"
    build(archive, db)
    last, this = ids(db)
    fixes.write_text(HEADER + _fix_lines(this["sha256"]), encoding="utf-8")
    build(archive, db, corrections_file=fixes)
    out = release(db, tmp_path / "releases", archive, date="2026-03-01", wacz=False)
    carried = list(csv.DictReader((out / "corrections.csv").open(encoding="utf-8-sig")))
    assert carried == list(csv.DictReader(fixes.open(encoding="utf-8")))
    import pyarrow.parquet as pq

    table = pq.read_table(out / "corrections.parquet").to_pylist()
    assert [r["status"] for r in table] == ["applied"] * 4
    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    assert {"corrections", "corrections-file"} <= {r["name"] for r in package["resources"]}


def test_a_legacy_indicator_corrected_the_text_checked_again_and_removed(tmp_path):
    """A pre-2019 report (Gansu's form, 申请总数 19 in its table and its text): the line sets
    the table's indicator to 20; the indicator keeps the parser's 19 beside it, the text is
    checked again against the corrected table (it now disagrees), the panel follows, and
    the line removed restores the parse."""
    archive = make_archive(tmp_path / "legacy", [FIXTURES / "legacy" / "gansu_2012.html"])
    db = tmp_path / "nianbao.db"
    build(archive, db)
    before = state(db)
    (report,) = rows(db, "select id, sha256 from reports")
    received = ("select ok, expected, actual from checks where report_id = ? and check_name = 'narrative' "
                "and scope = 'received'")
    assert rows(db, received, [report["id"]]) == [{"ok": 1, "expected": 19, "actual": 19}]
    fixes = tmp_path / "corrections.csv"
    fixes.write_text(HEADER + f"{report['sha256']},requests_received,20,原表为20 (the table reads 20),reviewer,"
                              "2026-02-01,\n", encoding="utf-8")
    result = build(archive, db, incremental=True, corrections_file=fixes)
    assert result.corrections == []
    got = rows(db, "select value, parser_value, corrected, source from indicators where report_id = ? "
                   "and indicator = 'requests_received'", [report["id"]])[0]
    assert got == {"value": 20, "parser_value": 19, "corrected": 1, "source": "legacy_table"}
    assert rows(db, received, [report["id"]]) == [{"ok": 0, "expected": 20, "actual": 19}]
    assert rows(db, "select requests_received from panel")[0] == {"requests_received": 20}
    assert rows(db, "select status, parser_value, value from corrections") == [
        {"status": "applied", "parser_value": 19, "value": 20}]
    page = get(db, archive, f"/-/report/{report['id']}").text
    assert "corrected-mark" in page and f"/-/evidence/{report['id']}/indicator:requests_received" in page
    fixes.write_text(HEADER, encoding="utf-8")
    build(archive, db, incremental=True, corrections_file=fixes)
    assert state(db) == before
