"""The front page (/): its figures are the database's own, computed at build time; in real
Chromium on the demo archive it draws the national series, fits a phone, and its search box
finds 复议."""

from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.web.serve import datasette_instance
from tests.archive_fixture import make_db
from tests.conftest import db_rows
from tests.crawl_helpers import NIANBAO
from tests.live_datasette import running
from tests.test_browser import CHROMIUM, SCREENSHOTS, chromium_page

FRONT_TABLES = ("front_figures", "front_series", "front_coverage", "front_latest")


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> Path:
    return make_db(tmp_path_factory.mktemp("front"))


def home(db_path: Path, **kwargs) -> str:
    ds = datasette_instance(db_path, archive_dir=db_path.parent / "archive", **kwargs)
    response = asyncio.run(ds.client.get("/"))
    assert response.status_code == 200
    return response.text


def test_build_writes_the_front_tables_from_the_database(fixture_db):
    (reports, agencies, first, last, checked, passing), = db_rows(fixture_db, """select reports, agencies,
        first_year, last_year, reports_checked, reports_passing from front_figures""")
    assert reports == db_rows(fixture_db, "select count(*) from reports")[0][0] > 0
    assert agencies == db_rows(fixture_db, "select count(distinct agency) from reports")[0][0]
    assert (first, last) == db_rows(fixture_db, "select min(year), max(year) from reports")[0]
    # passing: a report with table checks, none of them failed
    assert passing == db_rows(fixture_db, """select count(*) from reports where checks_failed = 0 and id in
        (select report_id from checks where check_name in ('balance', 'row_total', 'outcome_sum', 'review_total')
         and ok is not null)""")[0][0]
    assert 0 < passing <= checked
    # the series: one row per year of the panel, its sums the panel's
    for year, received, lawsuits in db_rows(fixture_db, "select year, requests_received, lawsuits from front_series"):
        assert (received, lawsuits) == db_rows(
            fixture_db, "select sum(requests_received), sum(lawsuits) from panel where year = ?", [year])[0]
    # coverage by province adds up to the coverage table's last due year
    (year,), = db_rows(fixture_db, "select distinct year from front_coverage")
    assert db_rows(fixture_db, "select sum(agencies), sum(missing) from front_coverage") == db_rows(
        fixture_db, "select count(*), sum(status = 'missing') from coverage where year = ? and status != 'not_due'", [year])
    latest = db_rows(fixture_db, "select id from front_latest")
    assert 0 < len(latest) <= 12


def test_front_page_shows_the_archive_and_lists_reports_first(fixture_db):
    page = home(fixture_db)
    reports = db_rows(fixture_db, "select reports from front_figures")[0][0]
    assert f'data-figure="reports"><strong>{reports:,}</strong> 份报告' in page
    assert 'name="_search"' in page and "搜索报告全文" in page
    assert "/-/agency/" in page and "/-/coverage" in page and "/-/report/" in page
    tables = page.split('class="front-tables"')[1]
    assert tables.index('data-table="reports"') < tables.index('data-table="cells"') < tables.index('data-table="checks"')
    assert page.index('class="front-figures"') < page.index('class="front-tables"')  # the table list below
    assert "Tables of the database" in page  # English beside the Chinese, not translated away


def test_a_database_built_before_the_front_tables_says_to_rebuild(fixture_db, tmp_path):
    old = tmp_path / "nianbao.db"
    shutil.copy(fixture_db, old)
    conn = sqlite3.connect(old)
    for t in FRONT_TABLES:
        conn.execute(f"drop table {t}")
    conn.commit()
    conn.close()
    page = home(old)
    assert "nianbao build" in page and "front_figures" in page
    assert 'data-table="reports"' in page  # the table list still there


# -- the demo archive in real Chromium ---------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo archive as `make demo` builds it (replica sites crawled, built, released)."""
    db_path = tmp_path_factory.mktemp("front_demo") / "demo" / "nianbao.db"
    proc = subprocess.run([*NIANBAO, "demo", "--db", str(db_path), "--no-serve"],
                          capture_output=True, text=True, timeout=900)
    assert db_path.exists(), proc.stderr[-2000:]
    return db_path


@pytest.fixture(scope="module")
def demo_server(demo) -> Iterator[str]:
    ds = datasette_instance(demo, archive_dir=demo.parent / "archive", releases=demo.parent / "releases")
    with running(ds) as url:
        yield url


pytestmark_browser = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")


@pytestmark_browser
@pytest.mark.parametrize(("width", "height", "name"), [(1280, 900, "desktop"), (390, 844, "phone")])
def test_front_page_in_chromium(demo_server, demo, width, height, name):
    with chromium_page(width, height) as page:
        page.goto(demo_server + "/")
        figures = page.locator(".front-figures .figure")
        assert figures.count() == 6
        reports = db_rows(demo, "select count(*) from reports")[0][0]
        assert page.locator('[data-figure="reports"] strong').inner_text() == f"{reports:,}"
        charts = page.locator(".front-charts figure.chart svg")
        charts.first.wait_for()
        assert charts.count() == 4
        years = db_rows(demo, "select count(distinct year) from panel where requests_received is not null")[0][0]
        assert page.locator('figure[data-series="requests_received"] svg rect.bar').count() == years > 1
        assert page.locator(".front-series-table tbody tr").count() >= years
        assert page.locator("table.coverage-provinces tbody tr").count() >= 1
        assert page.locator(".front-latest li").count() >= 1
        assert page.locator("#latest-release").is_visible()
        # nothing wider than the screen but what scrolls inside its own box
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the page is {overflow}px wider than a {width}px screen"
        page.screenshot(path=str(SCREENSHOTS / f"front_demo_{name}.png"), full_page=True)


@pytestmark_browser
def test_front_search_box_finds_fuyi(demo_server, demo):
    with chromium_page() as page:
        page.goto(demo_server + "/")
        page.fill("#front-search", "复议")
        page.press("#front-search", "Enter")
        page.wait_for_load_state()
        assert "/nianbao/reports?_search=" in page.url  # the reports table's own search
        assert page.input_value("#_search") == "复议"
        found = page.locator("table.rows-and-columns tbody tr")
        expected = db_rows(demo, "select count(*) from report_texts where body like '%复议%'")[0][0]
        heading = page.locator(".content h3").first.inner_text()
        assert "复议" in heading
        assert int(re.match(r"[\d,]+", heading.strip()).group().replace(",", "")) == expected > 0
        assert 0 < found.count() <= expected
        page.screenshot(path=str(SCREENSHOTS / "front_search_fuyi.png"), full_page=True)
