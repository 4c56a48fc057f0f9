"""Agencies as a gazetteer: divisions of Shandong, and printed names matched to canonical ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.agencies import gazetteer
from archive.agencies.matching import AgencyMatcher, edit_distance
from crawler import registry
from tests.archive_fixture import FIXTURES, make_db
from tests.conftest import db_rows

SCANNED = Path(__file__).parents[1] / "replica" / "data" / "zhifu_2020_scanned.pdf"
ZHIFU_2019 = FIXTURES / "seeds" / "002_b003d5ead7b0b73a.txt"


def test_divisions_cover_shandong_to_county_level():
    shandong = [d for d in gazetteer.divisions().values() if d.code.startswith("37")]
    assert sum(d.level == "prefecture" for d in shandong) == 16
    assert sum(d.level == "county" for d in shandong) == 136
    assert gazetteer.qualified("370602") == "烟台市芝罘区"
    assert [d.name for d in gazetteer.chain("370212")] == ["山东省", "青岛市", "崂山区"]
    assert gazetteer.lookup("崂山区人民政府", "37") == ["370212"]


@pytest.fixture(scope="module")
def matcher() -> AgencyMatcher:
    return AgencyMatcher(registry.load())


@pytest.mark.parametrize("printed,site,ocr,agency,method", [
    ("青岛市城阳区人民政府", "chengyang", False, "青岛市城阳区人民政府", "exact"),
    ("崂山区", "laoshan", False, "青岛市崂山区人民政府", "short_form"),
    ("山东省青岛市崂山区人民政府", "laoshan", False, "青岛市崂山区人民政府", "short_form"),
    ("峄城区人民政府", "yicheng", False, "枣庄市峄城区人民政府", "short_form"),
    ("王哥庄街道办事处", "wanggezhuang", False, "青岛市崂山区王哥庄街道办事处", "short_form"),
    ("烟台市芝果区人民政府", "zhifu", True, "烟台市芝罘区人民政府", "ocr_nearest"),
    # the same misreading typed, not OCR'd: kept as printed, for review
    ("烟台市芝果区人民政府", "zhifu", False, "烟台市芝果区人民政府", "unmatched"),
    # OCR, but two characters off in a short name: too far to be sure
    ("烟台市芝果县人民政府", "zhifu", True, "烟台市芝果县人民政府", "unmatched"),
    # a department, a town, a county-level city's office: new agencies of a known division
    ("青岛市崂山区教育局", "laoshan", False, "青岛市崂山区教育局", "division_agency"),
    ("烟台市蓬莱区大辛店镇人民政府", "zhifu", False, "烟台市蓬莱区大辛店镇人民政府", "division_agency"),
    ("莱州市政府", "zhifu", False, "莱州市人民政府", "short_form"),
    # a misread place inside a department's name is no known division's department
    ("烟台市芝果区教育局", "zhifu", True, "烟台市芝果区教育局", "unmatched"),
    ("牟平经济开发区管理委员会", "zhifu", False, "牟平经济开发区管理委员会", "unmatched"),
])
def test_match(matcher, printed, site, ocr, agency, method):
    m = matcher.match(printed, site, ocr)
    assert (m.agency, m.method, m.printed) == (agency, method, printed)


def test_unmatched_names_carry_their_nearest_candidate_and_place(matcher):
    m = matcher.match("青岛市高新区管委", "laoshan")
    assert m.method == "unmatched" and m.division == "370200" and m.candidate == "青岛市人民政府"
    assert matcher.match("青岛市崂山区教育局", "laoshan").division == "370212"
    assert edit_distance("芝果区", "芝罘区") == 1


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("gazetteer")
    typo = root / "zhifu_typo_2019.txt"  # a typed 芝果区: not OCR, must not be merged
    typo.write_text(ZHIFU_2019.read_text(encoding="utf-8").replace("芝罘区", "芝果区"), "utf-8")
    scanned = root / "zhifu_2020_scanned.pdf"
    scanned.write_bytes(SCANNED.read_bytes())
    return make_db(root, [ZHIFU_2019, scanned, typo])


def _ocr_printed(built: Path) -> str:
    """What OCR read as the scanned report's agency: a misreading of 芝罘 (tesseract read
    芝果区, PP-OCR drops the rare 罘: 芝区), whichever engine read it."""
    return db_rows(built, "select agency_titled from reports where url like '%scanned%'")[0][0]


def test_ocr_report_lands_under_its_agency_with_printed_name_kept(built):
    printed = _ocr_printed(built)
    assert printed != "烟台市芝罘区人民政府" and printed.startswith("烟台市芝")
    got = db_rows(built, "select year, agency, agency_titled from reports where url like '%scanned%'")
    assert got == [(2020, "烟台市芝罘区人民政府", printed)]
    years = db_rows(built, "select year from reports where agency = '烟台市芝罘区人民政府' order by year")
    assert years == [(2019,), (2020,)]
    assert db_rows(built, "select agency, method, distance from agency_names where printed = ? "
                 "and agency != printed", [printed]) == [("烟台市芝罘区人民政府", "ocr_nearest", 1)]


def test_unknown_name_is_listed_for_review_not_merged(built):
    got = db_rows(built, "select agency, agency_titled from reports where url like '%typo%'")
    assert got == [("烟台市芝果区人民政府", "烟台市芝果区人民政府")]
    review = db_rows(built, "select printed, candidate, distance from agency_names "
                   "where method = 'unmatched'")
    assert review == [("烟台市芝果区人民政府", "烟台市芝罘区人民政府", 1)]
    assert db_rows(built, "select division_code, level from agencies where name = ?",
                 ["烟台市芝罘区人民政府"]) == [("370602", "district")]


def test_review_query_lists_the_unmatched_name(built):
    import asyncio

    from archive.web.serve import datasette_instance

    ds = datasette_instance(built, archive_dir=built.parent / "archive")
    got = asyncio.run(ds.client.get("/nianbao/agency_names_to_review.json?_shape=array")).json()
    assert [(r["printed"], r["nearest_known_name"], r["distance"]) for r in got] == [
        ("烟台市芝果区人民政府", "烟台市芝罘区人民政府", 1)]


def test_agency_page_names_the_printed_forms_and_missing_years(built):
    import asyncio

    from archive.web.serve import datasette_instance

    ds = datasette_instance(built, archive_dir=built.parent / "archive")
    page = asyncio.run(ds.client.get("/-/agency/烟台市芝罘区人民政府")).text
    assert f"{_ocr_printed(built)} (ocr_nearest, 1)" in page
    assert "：2021、2022、2023、2024" in page and "缺失年报" in page  # fetched 2026-01-01: 2025 not yet due
