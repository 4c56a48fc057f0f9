"""The published archive in real headless Chromium: the report page and the Chinese search box."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from archive.web.serve import datasette_instance
from tests.archive_fixture import make_db
from tests.live_datasette import running

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent / "screenshots"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    return make_db(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def server(db_path) -> Iterator[str]:
    with running(datasette_instance(db_path, archive_dir=db_path.parent / "archive")) as url:
        yield url


@contextmanager
def chromium_page(width: int = 1280, height: int = 900):
    """A page of Debian's headless Chromium, closed with the block (screenshots go to SCREENSHOTS)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


@pytest.fixture(scope="module")
def page(server):
    with chromium_page() as page:
        yield page


def one(db_path: Path, sql: str, params=()) -> object:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def test_report_page_of_a_failing_report(page, server, db_path):
    rid = one(db_path, "select id from reports where url like '%/003_%'")
    total = one(db_path, "select value from cells where report_id = ? and key = ?",
                [rid, "applications.total_processed.total"])
    page.goto(f"{server}/-/report/{rid}")
    cell = page.locator('td[data-key="applications.total_processed.total"]')
    assert cell.is_visible()
    assert cell.inner_text().strip() == str(int(total))
    assert page.locator("td.check-failed").first.is_visible()
    assert page.locator("tr.check-failed").first.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "report_failing.png"), full_page=True)


def test_search_box_finds_chinese(page, server, db_path):
    page.goto(f"{server}/nianbao/reports")
    page.fill("#_search", "行政复议")
    page.press("#_search", "Enter")
    page.wait_for_load_state()
    assert "_q=" in page.url
    assert page.input_value("#_search") == "行政复议"  # what was typed, not the FTS phrase
    rows = page.locator("table.rows-and-columns tbody tr")
    expected = one(db_path, "select count(*) from report_texts where body like '%行政复议%'")
    assert rows.count() == expected > 0
    assert rows.first.is_visible()
    assert "行政复议" in page.locator(".content h3").first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)


def test_agency_page_draws_charts(page, server):
    page.goto(f"{server}/-/agency/青岛市城阳区人民政府")
    bars = page.locator("figure.chart svg rect.bar")
    bars.first.wait_for()
    assert bars.count() >= 2
    assert page.locator("figure.chart svg").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "agency.png"), full_page=True)


def _cjk_share(text: str) -> float:
    """Share of the letters on a page that are Chinese characters."""
    letters = [c for c in text if c.isalpha()]
    return sum("\u4e00" <= c <= "\u9fff" for c in letters) / max(len(letters), 1)


def test_pages_read_in_chinese_first(page, server, db_path):
    """Home, a report page and an agency page in Chinese; English one click away, same URL."""
    rid = one(db_path, "select id from reports where url like '%/003_%'")
    for name, path, words in (
        ("home_zh", "/", ("年报库", "数据许可", "首页")),
        ("report_zh", f"/-/report/{rid}", ("机关", "勾稽关系检查", "发布日期", "正文与表格")),
        ("agency_zh", "/-/agency/青岛市城阳区人民政府", ("年度报告", "份报告")),
        ("table_zh", "/nianbao/reports", ("年度报告", "高级导出")),
    ):
        page.goto(f"{server}{path}")
        body = page.locator("body").inner_text()
        for word in words:
            assert word in body, (path, word)
        if name in ("home_zh", "agency_zh"):  # pages of prose, not of data keys and URLs
            assert _cjk_share(body) > 0.3, (path, _cjk_share(body))
        for english in ("Advanced export", "Suggested facets", "Powered by", "Checks 勾稽关系"):
            assert english not in body, (path, english)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.goto(f"{server}/nianbao/reports?_sort=year")
    page.click(".lang-switch a")
    page.wait_for_load_state()
    assert page.url.endswith("/nianbao/reports?_sort=year")
    assert "Advanced export" in page.locator("body").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "table_en.png"), full_page=True)
    page.click(".lang-switch a")
    page.wait_for_load_state()
    assert "高级导出" in page.locator("body").inner_text()
