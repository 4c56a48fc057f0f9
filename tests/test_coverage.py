"""Coverage: a hole in an agency's years shows in the table, the canned query and the grid
page (real headless Chromium)."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from archive.build.coverage import deadline, last_due_year, status
from archive.build.run import build
from archive.web.serve import datasette_instance
from crawler.store import ArchiveStore
from tests.archive_fixture import FIXTURES, make_archive
from tests.live_datasette import running
from tests.test_browser import CHROMIUM, SCREENSHOTS, chromium_page

SEED = FIXTURES / "seeds" / "000_594d41d03b487b01.txt"  # 青岛市城阳区人民政府, 2020
AGENCY = "青岛市城阳区人民政府"


def test_deadline_decides_when_a_year_is_missing():
    assert deadline(2021) == date(2022, 1, 31)
    assert last_due_year(date(2022, 1, 31)) == 2020  # 2021's report is still due that day
    assert last_due_year(date(2022, 2, 1)) == 2021
    assert status([], 2021, date(2022, 1, 31)) == "not_due"
    assert status([], 2021, date(2022, 2, 1)) == "missing"
    assert status(["withdrawn", "current"], 2021, date(2022, 2, 1)) == "current"
    assert status(["withdrawn"], 2021, date(2022, 2, 1)) == "withdrawn"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    """城阳区 with reports on 2019, 2020, 2022 and 2023, the last one withdrawn by the site
    in a re-crawl of 2026-03-01: 2021, 2024 and 2025 are holes."""
    root = tmp_path_factory.mktemp("coverage")
    text = SEED.read_text(encoding="utf-8")
    docs = []
    for year in (2019, 2020, 2022, 2023):
        path = root / f"chengyang_{year}.txt"
        path.write_text(text.replace("2020", str(year)), "utf-8")
        docs.append(path)
    archive = make_archive(root, docs)
    seen = [f"http://www.example.gov.cn/chengyang/chengyang_{y}.txt" for y in (2019, 2020, 2022)]
    ArchiveStore(archive, crawl_id="recrawl").record_crawl("chengyang", {
        "site": "chengyang", "crawl_id": "recrawl", "started": "2026-03-01T00:00:00+00:00",
        "finished": "2026-03-01T01:00:00+00:00", "complete": True, "seen": seen})
    db = root / "nianbao.db"
    build(archive, db)
    return db


EXPECTED = {2019: "current", 2020: "current", 2021: "missing", 2022: "current",
            2023: "withdrawn", 2024: "missing", 2025: "missing"}


def test_coverage_table_has_the_holes(db_path):
    conn = sqlite3.connect(db_path)
    try:
        got = dict(conn.execute("select year, status from coverage where agency = ?", [AGENCY]))
        as_of = conn.execute("select distinct as_of from coverage").fetchall()
    finally:
        conn.close()
    assert got == EXPECTED
    assert as_of == [("2026-03-01",)]  # the archive's latest event, not the clock


def test_missing_reports_query(db_path):
    ds = datasette_instance(db_path, archive_dir=db_path.parent / "archive")
    rows = asyncio.run(ds.client.get("/nianbao/missing_reports.json?_shape=array")).json()
    assert [(r["agency"], r["year"], r["deadline"]) for r in rows] == [
        (AGENCY, 2021, "2022-01-31"), (AGENCY, 2024, "2025-01-31"), (AGENCY, 2025, "2026-01-31")]


@pytest.fixture(scope="module")
def server(db_path):
    with running(datasette_instance(db_path, archive_dir=db_path.parent / "archive")) as url:
        yield url


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")
def test_grid_shows_the_hole_in_chromium(server):
    with chromium_page(height=700) as page:
        page.goto(f"{server}/-/coverage")
        row = page.locator(f'tr[data-agency="{AGENCY}"]')
        assert row.is_visible()
        for year, state in EXPECTED.items():
            cell = row.locator(f'td[data-year="{year}"]')
            assert cell.get_attribute("data-status") == state, year
        hole = row.locator('td[data-year="2021"]')
        assert hole.is_visible() and hole.inner_text().strip() == "✘"
        # the hole is drawn red, a held year green: computed styles, not just classes
        red = hole.evaluate("e => getComputedStyle(e).backgroundColor")
        green = row.locator('td[data-year="2020"]').evaluate(
            "e => getComputedStyle(e).backgroundColor")
        assert red == "rgb(248, 200, 200)" and green == "rgb(216, 240, 216)"
        assert page.locator(".missing-count").inner_text() == "3"
        # the registry's other sites have no report at all: named, not silently absent
        assert "青岛市崂山区人民政府" in page.locator(".coverage-empty").inner_text()
        row.locator('td[data-year="2020"] a').click()
        page.wait_for_load_state()
        assert "/-/report/" in page.url
        page.goto(f"{server}/-/coverage")
        page.screenshot(path=str(SCREENSHOTS / "coverage.png"), full_page=True)


def test_a_province_of_agencies_is_paged_by_region(db_path, tmp_path):
    """450 more agencies in two regions: 200 a page, every agency on exactly one page."""
    import shutil

    from archive.web.coverage_page import PAGE

    big = tmp_path / "nianbao.db"
    shutil.copyfile(db_path, big)
    conn = sqlite3.connect(big)
    names = [f"某市第{i:03d}区人民政府" for i in range(450)]
    conn.executemany("insert into agencies (name, parent_region) values (?, ?)",
                     [(n, "甲市" if i % 3 else "乙市") for i, n in enumerate(names)])
    conn.executemany("insert into coverage (agency, year, status, reports, deadline, as_of) "
                     "values (?, 2024, 'missing', 0, '2025-01-31', '2026-03-01')", [(n,) for n in names])
    conn.commit()
    conn.close()
    ds = datasette_instance(big)

    def agencies(path: str) -> list[str]:
        html = asyncio.run(ds.client.get(path)).text
        return re.findall(r'<tr data-agency="([^"]+)"', html)

    pages = [agencies(f"/-/coverage?page={n}") for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [PAGE, PAGE, 451 - 2 * PAGE]
    assert sorted(sum(pages, [])) == sorted([*names, AGENCY])
    first = asyncio.run(ds.client.get("/-/coverage")).text
    assert "page 1 of 3" in first and "乙市" in first
    assert ">453<" in first  # every missing year counted, not only this page's
    only = agencies("/-/coverage?region=乙市")
    assert len(only) == 150 and all(int(n[3:6]) % 3 == 0 for n in only)
