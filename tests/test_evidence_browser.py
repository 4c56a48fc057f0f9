"""In real headless Chromium: a click on a number of a report page shows where the original
prints it — the crop of a PDF page and of a scanned page with the box drawn, the archived
HTML table with the cell highlighted — and the review queue (screenshots in tests/screenshots/)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.web.serve import datasette_instance
from parsers import recognise
from tests.archive_fixture import FIXTURES, make_db
from tests.live_datasette import running
from tests.test_browser import CHROMIUM, SCREENSHOTS, chromium_page

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")
KEY = "applications.new_received.total"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    documents = [FIXTURES / "office" / "yicheng_2019.pdf", FIXTURES / "html" / "trs_2019.html",
                 FIXTURES / "carryover" / "chengyang_2021.html", next((FIXTURES / "seeds").glob("003_*.txt")),
                 FIXTURES / "legacy" / "fujian_2015.pdf"]
    if recognise.available():
        documents.append(FIXTURES / "office" / "laoshan_2021_scanned.pdf")
    return make_db(tmp_path_factory.mktemp("evidence_browser"), documents)


@pytest.fixture(scope="module")
def server(db_path) -> Iterator[str]:
    with running(datasette_instance(db_path, archive_dir=db_path.parent / "archive")) as url:
        yield url


@pytest.fixture(scope="module")
def page(server):
    with chromium_page() as page:
        yield page


def one(db_path: Path, sql: str, params=()):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchone()
    finally:
        conn.close()


def _click_number(page, server: str, rid: str, key: str = KEY) -> str:
    """Open the report page, click the number, land on its evidence; the number's text."""
    page.goto(f"{server}/-/report/{rid}")
    link = page.locator(f'td[data-key="{key}"] a.evidence')
    text = link.inner_text().strip()
    with page.expect_navigation():
        link.click()
    assert f"/-/evidence/{rid}/{key}" in page.url
    return text


def _crop_shown(page) -> dict:
    img = page.locator("img#evidence-crop")
    img.wait_for(state="visible")
    page.wait_for_function("document.getElementById('evidence-crop').complete")
    return page.evaluate("(() => { const i = document.getElementById('evidence-crop');"
                         " return {w: i.naturalWidth, h: i.naturalHeight}; })()")


def test_click_on_a_number_of_a_pdf_report_shows_its_crop(page, server, db_path):
    rid = one(db_path, "select id from reports where format = 'pdf' and url like '%yicheng_2019.pdf'")[0]
    number = _click_number(page, server, rid)
    size = _crop_shown(page)
    assert size["w"] > 600 and size["h"] > 100
    assert page.locator(".evidence-raw").inner_text().strip() == number
    page.screenshot(path=str(SCREENSHOTS / "evidence_pdf.png"), full_page=True)


@pytest.mark.skipif(not recognise.available(), reason="rapidocr_onnxruntime missing")
def test_click_on_a_number_of_a_scanned_report_shows_the_scan(page, server, db_path):
    rid = one(db_path, "select id from reports where url like '%laoshan_2021_scanned.pdf'")[0]
    number = _click_number(page, server, rid)
    size = _crop_shown(page)
    assert size["w"] > 600 and size["h"] > 100
    assert "OCR" in page.locator(".evidence-meta").inner_text() and number
    page.screenshot(path=str(SCREENSHOTS / "evidence_scan.png"), full_page=True)


def test_click_on_a_number_of_an_html_report_highlights_the_archived_cell(page, server, db_path):
    rid = one(db_path, "select id from reports where url like '%trs_2019.html'")[0]
    number = _click_number(page, server, rid)
    cell = page.locator("#evidence-cell")
    assert cell.is_visible()
    assert cell.inner_text().strip() == number
    colour = cell.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    page.screenshot(path=str(SCREENSHOTS / "evidence_html.png"), full_page=True)


def test_click_on_a_legacy_row_and_an_indicator_shows_their_crop(page, server, db_path):
    """A pre-2019 PDF report: the year's number of its statistics table, and the indicator
    read from it, each open the crop of the page where it is printed."""
    rid = one(db_path, "select id from reports where url like '%fujian_2015.pdf'")[0]
    page.goto(f"{server}/-/report/{rid}")
    link = page.locator('table.legacy-table tr[data-indicator="requests_received"] td.year-column a.evidence')
    number = link.inner_text().strip()
    with page.expect_navigation():
        link.click()
    assert f"/-/evidence/{rid}/legacy:" in page.url
    _crop_shown(page)
    assert page.locator(".evidence-raw").inner_text().strip() == number
    page.screenshot(path=str(SCREENSHOTS / "evidence_legacy_row.png"), full_page=True)
    page.goto(f"{server}/-/report/{rid}")
    link = page.locator('table.indicator-table tr[data-indicator="requests_received"] a.evidence')
    assert link.inner_text().strip() == number
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(f"/-/evidence/{rid}/indicator:requests_received")
    _crop_shown(page)


def test_review_queue_shows_the_breaks_with_crops(page, server):
    page.goto(f"{server}/-/review")
    assert page.locator("section[data-section='carryover'] .review-entry").count() == 2
    assert page.locator(".correction-line").first.is_visible()
    failing = page.locator("section[data-section='checks'] img")
    if failing.count():
        failing.first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "review_queue.png"), full_page=True)
