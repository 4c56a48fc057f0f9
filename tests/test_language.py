"""Chinese first, English a click away: Datasette's own words translated, data untouched."""

from __future__ import annotations

import asyncio
import re

import pytest

from archive.web.lang import translate_page, translate_text
from archive.web.serve import datasette_instance
from tests.archive_fixture import make_db


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    root = tmp_path_factory.mktemp("lang")
    return datasette_instance(make_db(root), archive_dir=root / "archive")


def get(ds, path: str, cookies: dict | None = None):
    return asyncio.run(ds.client.get(path, cookies=cookies or {}))


def test_phrases_and_numbers():
    assert translate_text(" Advanced export ") == " 高级导出 "
    assert translate_text("1,854 rows") == "1,854 行"
    assert translate_text("10 rows\n        sorted by year descending") == "10 行，按 year 降序排列"
    assert translate_text("new_received") == "new_received"  # keys stay keys
    page = '<html lang="en"><body><h3>Menu</h3><td class="col-role">report</td><td>Menu</td></body></html>'
    assert translate_page(page) == ('<html lang="zh-CN"><body><h3>菜单</h3><td class="col-role">report</td>'
                                    "<td>Menu</td></body></html>")


def test_pages_read_chinese_with_a_switch_that_keeps_the_url(ds):
    table = get(ds, "/nianbao/reports?_sort=year")
    assert table.status_code == 200
    text = table.text
    assert "年度报告 Reports" in text and "高级导出" in text and "Advanced export" not in text
    columns = get(ds, "/-/metadata.json").json()["databases"]["nianbao"]["tables"]["reports"]["columns"]
    assert columns["year"].startswith("报告年度（统计年度，非发布年份） · The year reported on")
    link = re.search(r'<a href="(/-/lang\?to=en&amp;next=[^"]+)">English</a>', text)
    assert link
    switched = get(ds, link.group(1).replace("&amp;", "&"))
    assert switched.status_code == 302 and switched.headers["location"] == "/nianbao/reports?_sort=year"
    assert "nianbao_lang=en" in switched.headers["set-cookie"]
    english = get(ds, "/nianbao/reports?_sort=year", cookies={"nianbao_lang": "en"}).text
    assert "Advanced export" in english and ">中文</a>" in english
    assert table.headers["vary"] == "Cookie"


def test_data_is_never_translated(ds):
    csv_text = get(ds, "/nianbao/documents.csv?_size=max").text
    assert ",report," in csv_text  # the role column's values, as stored
    page = get(ds, "/nianbao/documents?role=report").text
    assert re.search(r'<td class="col-role[^"]*">report</td>', page)
    assert get(ds, "/-/lang?to=en&next=//evil.example/").headers["location"] == "/"


def test_phrases_broken_over_lines_and_after_the_timing():
    assert translate_text("\n    · Data\n    source:\n") == "\n    · 数据来源：\n"
    assert translate_text("· Queries took 6.3ms\n\n    · Data license:").endswith("· 数据许可：")
