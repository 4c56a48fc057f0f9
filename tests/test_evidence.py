"""Each number's evidence through Datasette's own client: the crop of a page with the box
drawn where the PDF prints it, the archived table or text with the cell highlighted, the
links from the report page and the cells table, the review queue."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from archive.schema.where import where_from_columns
from archive.web import crops
from archive.web.serve import datasette_instance
from parsers import convert
from tests.archive_fixture import FIXTURES, make_db

DOCUMENTS = [next((FIXTURES / "seeds").glob("000_*.txt")), next((FIXTURES / "seeds").glob("003_*.txt")),
             FIXTURES / "carryover" / "chengyang_2021.html",
             FIXTURES / "html" / "trs_2019.html", FIXTURES / "office" / "yicheng_2019.pdf",
             FIXTURES / "office" / "laoshan_2021.docx", FIXTURES / "office" / "laoshan_2021.xlsx",
             FIXTURES / "office" / "yicheng_2019.ofd", FIXTURES / "office" / "laoshan_2021_rowsplit.pdf"]
if convert.soffice():
    DOCUMENTS.append(FIXTURES / "office" / "laoshan_2021.doc")
KEY = "applications.new_received.total"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    return make_db(tmp_path_factory.mktemp("evidence"), DOCUMENTS)


@pytest.fixture(scope="module")
def ds(db_path):
    return datasette_instance(db_path, archive_dir=db_path.parent / "archive")


def get(ds, path: str):
    return asyncio.run(ds.client.get(path))


def one(db_path: Path, sql: str, params=()) -> sqlite3.Row:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchone()
    finally:
        conn.close()


def report_of(db_path: Path, name: str) -> str:
    return one(db_path, "select id from reports where url like ?", [f"%/{name}"])["id"]


def cell(db_path: Path, rid: str, key: str = KEY) -> dict:
    return dict(one(db_path, "select * from cells where report_id = ? and key = ?", [rid, key]))


def red_box(png: bytes) -> tuple[int, int, int, int]:
    """The bounding box of the drawn red pixels."""
    import numpy as np

    arr = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    red = (arr[..., 0] > 180) & (arr[..., 1] < 80) & (arr[..., 2] < 80)
    ys, xs = np.nonzero(red)
    assert len(xs), "no box drawn"
    return xs.min(), ys.min(), xs.max(), ys.max()


@pytest.mark.parametrize("name", ["yicheng_2019.pdf", "trs_2019.html", "laoshan_2021.docx",
                                  "laoshan_2021.xlsx", "yicheng_2019.ofd"])
def test_every_number_on_the_report_page_links_its_evidence(ds, db_path, name):
    rid = report_of(db_path, name)
    page = lxml.html.fromstring(get(ds, f"/-/report/{rid}").text)
    values = page.xpath("//table[contains(@class,'official-table')]//td[@data-key][not(contains(@class,'absent'))]")
    assert values
    links = [td.xpath("./a[@class='evidence']/@href") for td in values]
    assert all(links), [td.get("data-key") for td, link in zip(values, links, strict=True) if not link][:5]
    assert all(link[0] == f"/-/evidence/{rid}/{td.get('data-key')}" for td, link in zip(values, links, strict=True))


def test_pdf_crop_draws_the_box_where_the_pdf_prints_the_number(ds, db_path):
    rid = report_of(db_path, "yicheng_2019.pdf")
    where = where_from_columns(cell(db_path, rid))
    page = get(ds, f"/-/evidence/{rid}/{KEY}")
    assert page.status_code == 200 and 'id="evidence-crop"' in page.text
    png = get(ds, f"/-/evidence/{rid}/{KEY}.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    import pypdfium2 as pdfium

    size = pdfium.PdfDocument(str(FIXTURES / "office" / "yicheng_2019.pdf"))[where["page"] - 1].get_size()
    region = crops.band(size, [where["box"]])
    want = [(v - o) * crops.SCALE for v, o in zip(where["box"], (region[0], region[1]) * 2, strict=True)]
    got = red_box(png.content)
    assert all(abs(g - w) <= 6 for g, w in zip(got, want, strict=True)), (got, want)
    whole = get(ds, f"/-/evidence/{rid}/{KEY}.png?whole=1")
    assert Image.open(io.BytesIO(whole.content)).height > Image.open(io.BytesIO(png.content)).height


def test_crops_are_cached_beside_the_archive(ds, db_path):
    rid = report_of(db_path, "laoshan_2021_rowsplit.pdf")
    folder = db_path.parent / "archive" / "cache" / "evidence"
    before = set(folder.rglob("*.png")) if folder.exists() else set()
    first = get(ds, f"/-/evidence/{rid}/{KEY}.png").content
    made = set(folder.rglob("*.png")) - before
    assert len(made) == 1
    stamp = next(iter(made)).stat().st_mtime_ns
    assert get(ds, f"/-/evidence/{rid}/{KEY}.png").content == first
    assert next(iter(made)).stat().st_mtime_ns == stamp  # served from the file, not drawn again


def _highlighted(ds, rid: str, key: str = KEY) -> str:
    page = get(ds, f"/-/evidence/{rid}/{key}")
    assert page.status_code == 200
    (marked,) = lxml.html.fromstring(page.text).xpath("//*[@id='evidence-cell']")
    return " ".join(marked.text_content().split())


@pytest.mark.parametrize("name", ["trs_2019.html", "chengyang_2021.html", "laoshan_2021.docx", "laoshan_2021.xlsx"])
def test_table_formats_show_the_archived_table_with_the_cell_highlighted(ds, db_path, name):
    rid = report_of(db_path, name)
    for key in (KEY, "applications.carried_over.natural_person", "active.normative_docs.prev_items",
                "active.normative_docs.in_force", "review.reconsideration.total"):
        if one(db_path, "select 1 from cells where report_id = ? and key = ?", [rid, key]):  # in its template
            assert _highlighted(ds, rid, key) == cell(db_path, rid, key)["raw"], key


def test_the_view_alone_for_the_review_queue(ds, db_path):
    rid = report_of(db_path, "trs_2019.html")
    page = get(ds, f"/-/evidence/{rid}/{KEY}?embed=1")
    doc = lxml.html.fromstring(page.text)
    assert doc.xpath("//*[@id='evidence-cell']")[0].text_content().strip() == cell(db_path, rid)["raw"]
    assert not doc.xpath("//*[contains(@class, 'propose-correction')]")  # the view, not the page
    assert "frame-ancestors 'self'" in page.headers["content-security-policy"]


@pytest.mark.skipif(convert.soffice() is None, reason="LibreOffice not installed")
def test_doc_is_shown_through_its_docx(ds, db_path):
    rid = report_of(db_path, "laoshan_2021.doc")
    assert _highlighted(ds, rid) == cell(db_path, rid)["raw"]


def test_text_shows_its_lines_with_the_cell_marked(ds, db_path):
    rid = one(db_path, "select id from reports where url like '%/000_%'")["id"]
    marked = _highlighted(ds, rid)
    assert cell(db_path, rid)["raw"] in marked and "本年新收" in marked  # the row's line: label and numbers


def test_narrative_sentence_shows_where_the_text_states_it(ds, db_path):
    rid = one(db_path, "select id from reports where url like '%/000_%'")["id"]
    check = one(db_path, "select scope, note from checks where report_id = ? and check_name = 'narrative' "
                         "and ok = 0", [rid])
    marked = _highlighted(ds, rid, f"narrative:{check['scope']}")
    assert "360" in marked  # 城阳区 writes 360 where its table says 365
    page = get(ds, f"/-/report/{rid}").text
    assert f"/-/evidence/{rid}/narrative:{check['scope']}" in page


def test_ofd_page_is_drawn_with_the_box(ds, db_path):
    rid = report_of(db_path, "yicheng_2019.ofd")
    png = get(ds, f"/-/evidence/{rid}/{KEY}.png")
    assert png.status_code == 200
    red_box(png.content)


def test_picture_crop_draws_the_box_in_its_pixels():
    data = (FIXTURES / "scans" / "laoshan_2021_tables.png").read_bytes()
    width = Image.open(io.BytesIO(data)).width
    png = crops.picture_crop(data, 1, [(width - 300, 400, width - 200, 440)])
    x0, y0, x1, y1 = red_box(png)
    assert x1 - x0 >= 100 and y1 - y0 >= 40
    with pytest.raises(crops.CropError, match="not a frame 2"):
        crops.picture_crop(data, 2, [(0, 0, 1, 1)])


def test_the_cells_table_links_each_value_to_its_evidence(ds, db_path):
    rid = report_of(db_path, "yicheng_2019.pdf")
    page = get(ds, f"/nianbao/cells?report_id={rid}&key={KEY}").text
    assert f'href="/-/evidence/{rid}/{KEY}"' in page


def test_evidence_of_nothing_is_404(ds, db_path):
    rid = report_of(db_path, "yicheng_2019.pdf")
    assert get(ds, "/-/evidence/0000000000000000/x").status_code == 404
    assert get(ds, f"/-/evidence/{rid}/applications.nothing.total").status_code == 404
    assert get(ds, f"/-/evidence/{report_of(db_path, 'trs_2019.html')}/{KEY}.png").status_code == 404  # no page image


def test_review_queue_lists_what_needs_a_look_with_lines_to_paste(ds, db_path):
    page = get(ds, "/-/review")
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.text)
    counts = {s: int(doc.xpath(f"//strong[@class='count-{s}']")[0].text) for s in ("checks", "ocr", "narrative", "carryover")}
    assert counts["carryover"] == 2 and counts["narrative"] >= 1 and counts["checks"] >= 1
    carry = doc.xpath("//section[@data-section='carryover']//div[@class='review-entry']")
    assert len(carry) == 2
    lines = [x.text for x in carry[0].xpath(".//pre[@class='correction-line']")]
    parsed = [next(csv.reader([line])) for line in lines]
    assert len(parsed) == 2 and all(len(p) == 7 for p in parsed)
    keys = {p[1] for p in parsed}
    assert keys == {"applications.carried_over.natural_person", "applications.carried_forward.natural_person"}
    this = one(db_path, "select sha256 from reports where url like '%chengyang_2021.html'")["sha256"]
    assert this in {p[0] for p in parsed}
    assert get(ds, "/-/review?section=checks&page=2").status_code == 200


# -- the legacy statistics rows and the indicators ---------------------------------------

LEGACY_DOCUMENTS = [FIXTURES / "legacy" / "fujian_2015.pdf", FIXTURES / "legacy" / "gansu_2012.html",
                    FIXTURES / "legacy" / "textonly_2013.txt", FIXTURES / "office" / "yicheng_2019.pdf"]


@pytest.fixture(scope="module")
def legacy_db(tmp_path_factory) -> Path:
    return make_db(tmp_path_factory.mktemp("legacy-evidence"), LEGACY_DOCUMENTS)


@pytest.fixture(scope="module")
def legacy_ds(legacy_db):
    return datasette_instance(legacy_db, archive_dir=legacy_db.parent / "archive")


def test_legacy_rows_and_indicators_have_their_place_in_the_database(legacy_db):
    for name in ("fujian_2015.pdf", "gansu_2012.html"):
        rid = report_of(legacy_db, name)
        rows = one(legacy_db, "select count(*) n, count(where_page) + count(where_table) placed "
                              "from legacy_rows where report_id = ?", [rid])
        assert rows["n"] and rows["placed"] == rows["n"], name
    for name in ("fujian_2015.pdf", "gansu_2012.html", "textonly_2013.txt", "yicheng_2019.pdf"):
        rid = report_of(legacy_db, name)
        got = one(legacy_db, "select count(*) n, count(coalesce(where_page, where_table, where_lines, where_path)) placed "
                             "from indicators where report_id = ?", [rid])
        assert got["n"] and got["placed"] == got["n"], name


def test_legacy_row_crop_draws_the_box_on_the_pdf_page(legacy_ds, legacy_db):
    rid = report_of(legacy_db, "fujian_2015.pdf")
    row = dict(one(legacy_db, "select * from legacy_rows where report_id = ? and indicator = 'requests_received'",
                   [rid]))
    where = where_from_columns(row)
    target = f"legacy:{row['row_no']}"
    page = get(legacy_ds, f"/-/evidence/{rid}/{target}")
    assert page.status_code == 200 and 'id="evidence-crop"' in page.text and row["label"] in page.text
    png = get(legacy_ds, f"/-/evidence/{rid}/{target}.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    import pypdfium2 as pdfium

    size = pdfium.PdfDocument(str(FIXTURES / "legacy" / "fujian_2015.pdf"))[where["page"] - 1].get_size()
    region = crops.band(size, [where["box"]])
    want = [(v - o) * crops.SCALE for v, o in zip(where["box"], (region[0], region[1]) * 2, strict=True)]
    got = red_box(png.content)
    assert all(abs(g - w) <= 6 for g, w in zip(got, want, strict=True)), (got, want)


def test_legacy_html_row_and_its_indicator_show_the_cell_highlighted(legacy_ds, legacy_db):
    rid = report_of(legacy_db, "gansu_2012.html")
    row = one(legacy_db, "select row_no, raw from legacy_rows where report_id = ? and indicator = 'requests_received'"
                         " order by row_no", [rid])
    assert _highlighted(legacy_ds, rid, f"legacy:{row['row_no']}") == row["raw"]
    ind = one(legacy_db, "select value from indicators where report_id = ? and indicator = 'requests_received'", [rid])
    marked = _highlighted(legacy_ds, rid, "indicator:requests_received")
    assert marked == row["raw"] and float(marked) == ind["value"]


def test_text_indicator_shows_its_sentence(legacy_ds, legacy_db):
    rid = report_of(legacy_db, "textonly_2013.txt")
    ind = one(legacy_db, "select indicator, value, evidence from indicators where report_id = ? and source = 'text' "
                         "order by indicator", [rid])
    marked = _highlighted(legacy_ds, rid, f"indicator:{ind['indicator']}")
    assert "".join(ind["evidence"].split())[:15] in "".join(marked.split())


def test_report_page_links_legacy_values_and_indicators(legacy_ds, legacy_db):
    for name in ("fujian_2015.pdf", "gansu_2012.html", "textonly_2013.txt", "yicheng_2019.pdf"):
        rid = report_of(legacy_db, name)
        doc = lxml.html.fromstring(get(legacy_ds, f"/-/report/{rid}").text)
        indicators = doc.xpath("//table[contains(@class,'indicator-table')]//td[contains(@class,'num')]")
        assert indicators and all(td.xpath("./a[@class='evidence']/@href") for td in indicators), name
        for td in indicators:
            href = td.xpath("./a/@href")[0]
            assert href.startswith(f"/-/evidence/{rid}/indicator:")
            assert get(legacy_ds, href).status_code == 200
        year = doc.xpath("//table[contains(@class,'legacy-table')]//td[contains(@class,'year-column')]")
        if name.endswith((".pdf", ".html")) and "yicheng" not in name:
            linked = [td for td in year if td.xpath("./a[@class='evidence']")]
            assert linked and len(linked) == len([td for td in year if td.text_content().strip()]), name
            assert get(legacy_ds, linked[0].xpath("./a/@href")[0] + ".png").status_code == (
                200 if name.endswith(".pdf") else 404)


def test_datasette_indicator_and_legacy_rows_link_to_their_evidence(legacy_ds, legacy_db):
    rid = report_of(legacy_db, "fujian_2015.pdf")
    page = get(legacy_ds, f"/nianbao/indicators?report_id={rid}&indicator=requests_received").text
    assert f'href="/-/evidence/{rid}/indicator:requests_received"' in page
    page = get(legacy_ds, f"/nianbao/legacy_rows?report_id={rid}&indicator=requests_received").text
    assert f'href="/-/evidence/{rid}/legacy:' in page
