"""The series since 2008 in the database and on the pages: indicators, panel, national
series, the agency chart from the first year to the last (real Chromium), the report page
of a legacy report, releases.

The archive is one agency's reports as a crawl leaves them: 2011–2018 pre-2019 pages in the
Fujian form (layouts.legacy; 2014 missing, 2016 as text), 2019–2024 in the templates'
layout (layouts.render), and a second agency for the national sums.
"""

from __future__ import annotations

import asyncio
import csv
import re
from pathlib import Path

import pytest

from archive.build.run import build
from archive.release.snapshot import release
from archive.web.serve import datasette_instance
from crawler.store import ArchiveStore, Fetch
from layouts.legacy import render_legacy_html, render_legacy_text
from layouts.render import render_html
from tests.conftest import db_rows
from tests.live_datasette import running
from tests.test_browser import CHROMIUM, SCREENSHOTS, chromium_page

AGENCY = "福州市仓山区人民政府"
OTHER = "福州市马尾区人民政府"
YEARS = [y for y in range(2011, 2025) if y != 2014]


def numbers(year: int, k: int = 0) -> dict[str, int]:
    received = 20 + 3 * (year - 2011) + k
    return {"proactive_items": 800 + 40 * (year - 2011) + k, "requests_received": received,
            "requests_answered": received - 1, "requests_granted": received // 2,
            "requests_partially_granted": 3, "requests_denied": 2, "reconsiderations": 1 + year % 2,
            "lawsuits": year % 3}


def template_page(agency: str, year: int, n: dict[str, int]) -> str:
    template = "2019" if year < 2021 else "2021"
    cells = {"applications.new_received.total": n["requests_received"],
             "applications.natural_person.total": None,
             "applications.granted.total": n["requests_granted"],
             "applications.total_processed.total": n["requests_answered"],
             "review.reconsideration.total": n["reconsiderations"]}
    return render_html({k: v for k, v in cells.items() if "natural_person" not in k}, template, agency, year)


def pages(agency: str, k: int) -> list[tuple[str, bytes, str]]:
    out = []
    for year in YEARS:
        n = numbers(year, k)
        if year == 2016:
            out.append((f"{year}.txt", render_legacy_text(agency, year, n).encode(), "text/plain; charset=utf-8"))
        elif year < 2019:
            out.append((f"{year}.html", render_legacy_html(agency, year, n).encode(), "text/html"))
        else:
            out.append((f"{year}.html", template_page(agency, year, n).encode(), "text/html"))
    return out


def make_archive(root: Path, agencies=((AGENCY, 0), (OTHER, 5))) -> Path:
    store = ArchiveStore(root / "archive", crawl_id="series")
    i = 0
    for agency, k in agencies:
        for name, data, ctype in pages(agency, k):
            store.record(Fetch(url=f"http://www.example.gov.cn/{k}/{name}", sha256=store.put_blob(data),
                               size=len(data), status=200, content_type=ctype,
                               fetched_at=f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}+00:00",
                               page_url=f"http://www.example.gov.cn/{k}/", site="fuzhou"))
            i += 1
    return root / "archive"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("series")
    build(make_archive(root), root / "nianbao.db")
    return root / "nianbao.db"


def test_panel_one_row_per_agency_year_every_era(db_path):
    got = db_rows(db_path, "select year, template, requests_received, requests_received_source, "
                        "proactive_items_source from panel where agency = ? order by year", [AGENCY])
    assert [r[0] for r in got] == YEARS
    for year, template, received, source, proactive in got:
        assert received == numbers(year)["requests_received"]
        assert template == ("legacy" if year < 2019 else "2019" if year < 2021 else "2021")
        assert source == ("legacy_table" if year < 2019 else "cells")
        assert proactive == ("legacy_table" if year < 2019 else None)  # no cell holds it; the text is silent


def test_indicators_table_keeps_source_and_evidence(db_path):
    (ev,) = db_rows(db_path, "select i.evidence from indicators i join reports r on r.id = i.report_id "
                          "where r.agency = ? and r.year = 2012 and i.indicator = 'requests_received'", [AGENCY])[0]
    assert ev == "受理依申请公开信息总数 | 条 | 2012年度 = 23 (历年累计 not used)"
    legacy = db_rows(db_path, "select count(*), count(distinct report_id) from legacy_rows")[0]
    assert legacy == (12 * 7 * 2, 7 * 2)  # 12 rows in each of the 7 legacy reports of 2 agencies


def test_national_series_adds_up_the_panel(db_path):
    series = {(y, i): (n, t) for y, i, n, t in db_rows(
        db_path, "select year, indicator, agencies, total from summary_indicators_by_year")}
    for year in YEARS:
        want = numbers(year)["requests_received"] + numbers(year, 5)["requests_received"]
        assert series[(year, "requests_received")] == (2, want)
    assert (2014, "requests_received") not in series


def test_canned_queries_answer(db_path):
    ds = datasette_instance(db_path)

    async def get(path):
        r = await ds.client.get(path)
        assert r.status_code == 200, path
        return r.json()

    national = asyncio.run(get("/nianbao/indicator_series.json?_shape=array"))
    first = next(r for r in national if r["indicator"] == "requests_received")
    assert (first["year"], first["agencies"], first["from_legacy_table"]) == (2011, 2, 2)
    one = asyncio.run(get(f"/nianbao/agency_indicators.json?_shape=array&agency={AGENCY}"))
    assert [r["year"] for r in one] == YEARS
    assert one[0]["requests_received_source"] == "legacy_table"


def test_legacy_report_page_shows_its_table_and_indicators(db_path):
    ds = datasette_instance(db_path)
    (rid,) = db_rows(db_path, "select id from reports where agency = ? and year = 2013", [AGENCY])[0]
    page = asyncio.run(ds.client.get(f"/-/report/{rid}")).text
    assert 'class="official-table legacy-table"' in page
    assert "历年累计" in page and "受理依申请公开信息总数" in page
    assert re.search(r'<td class="num year-column">(<a class="evidence" href="/-/evidence/[^"]+/legacy:\d+">)?26'
                     r'(</a>)?</td>', page)  # the year's column, read (and its evidence linked)
    assert 'data-indicator="requests_received"' in page and "统计表 legacy table" in page


def test_release_writes_the_panel_and_indicators(db_path, tmp_path):
    out = release(db_path, tmp_path / "releases", date="2026-02-01")
    with (out / "panel.csv").open(encoding="utf-8-sig") as f:
        panel = list(csv.DictReader(f))
    assert {r["agency"] for r in panel} == {AGENCY, OTHER}
    assert "requests_received_source" in panel[0]
    with (out / "indicators.csv").open(encoding="utf-8-sig") as f:
        assert {"report_id", "indicator", "value", "source", "evidence"} <= set(next(csv.reader(f)))
    with (out / "codebook.csv").open(encoding="utf-8-sig") as f:
        book = {(r["table"], r["column"]): r for r in csv.DictReader(f)}
    assert book[("panel", "lawsuits")]["zh"] == "因政府信息公开被提起行政诉讼"


def test_incremental_build_writes_the_same_series(tmp_path):
    root = tmp_path
    archive = make_archive(root, ((AGENCY, 0),))
    build(archive, root / "nianbao.db")
    store = ArchiveStore(archive, crawl_id="later")
    data = render_legacy_html(OTHER, 2012, numbers(2012, 5)).encode()
    store.record(Fetch(url="http://www.example.gov.cn/5/2012.html", sha256=store.put_blob(data), size=len(data),
                       status=200, content_type="text/html", fetched_at="2026-02-01T00:00:00+00:00",
                       page_url="http://www.example.gov.cn/5/", site="fuzhou"))
    result = build(archive, root / "nianbao.db", incremental=True)
    assert result.incremental == "updated"
    build(archive, root / "full.db")
    for table in ("indicators", "legacy_rows", "panel", "summary_indicators_by_year"):
        assert sorted(db_rows(root / "nianbao.db", f"select * from {table}"), key=repr) == \
            sorted(db_rows(root / "full.db", f"select * from {table}"), key=repr), table


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")
def test_agency_chart_spans_every_year_with_sources(db_path):
    with running(datasette_instance(db_path)) as url, chromium_page() as page:
        page.goto(f"{url}/-/agency/{AGENCY}")
        chart = page.locator("figure.chart").first
        chart.locator("svg rect.bar").first.wait_for()
        labels = chart.locator("svg text").evaluate_all("els => els.map(e => e.textContent)")
        assert [str(y) for y in range(2011, 2025)] == [t for t in labels if t.isdigit() and len(t) == 4]
        bars = chart.locator("svg rect.bar")
        assert bars.count() == len(YEARS)  # 2014: no report, no bar
        legacy = chart.locator("svg rect.bar.source-legacy_table").first
        legacy.hover()
        hover = legacy.locator("title").text_content()
        assert hover.startswith("2011 收到申请") and "统计表 legacy table" in hover
        assert "受理依申请公开信息总数 | 条 | 2011年度 = 20" in hover
        cells = chart.locator("svg rect.bar.source-cells")
        assert cells.count() == 6 and "表格单元格 cells" in cells.first.locator("title").text_content()
        gap = chart.locator("svg rect.gap").first.locator("title").text_content()
        assert gap.startswith("2014") and "没有报告" in gap
        assert page.locator("table.indicator-table tr[data-year='2016'] td.source-legacy_table").count() >= 1
        page.screenshot(path=str(SCREENSHOTS / "agency_series.png"), full_page=True)
