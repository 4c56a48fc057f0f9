"""The PDF reader's two sources of page objects, PDFium and pdfplumber, give the same
characters, boxes, ruling lines, documents and reports; PDFs as other tools leave them
are read cell for cell."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from parsers import ParseError, parse_bytes, parse_file
from parsers.pdf_fonts import font_descents
from parsers.pdf_pages import plumber_pages
from parsers.pdf_reader import ENGINE_VARIABLE, has_text_layer, read_pdf
from parsers.pdfium_pages import pdfium_pages
from parsers.where import where_of
from tests.conftest import FIXTURES, expected_files, load_expected

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real"
TOOLS = expected_files("pdf_tools")
# read right only from PDFium: pdfminer takes the turned page's horizontal rules for vertical
# ones (their ends differ by 1e-14 pt) and keeps both copies of each overprinted glyph
PDFIUM_ONLY = {"laoshan_2021_turned.pdf", "laoshan_2021_overprint.pdf"}


def text_pdfs() -> list[Path]:
    """Every PDF with a text layer the repository holds, and the real ones beside it."""
    found = [
        *sorted((FIXTURES / "office").glob("*.pdf")),
        *sorted((ROOT / "replica" / "data").rglob("*.pdf")),
        *sorted((FIXTURES / "pdf_tools").glob("*.pdf")),
        *sorted((FIXTURES / "legacy").glob("*.pdf")),
        *sorted(REAL.glob("*.pdf")),
    ]
    return [p for p in found if "scanned" not in p.name and p.name not in PDFIUM_ONLY]


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def _squeeze(items: list) -> list:
    """Items without whitespace: PDFium's text page keeps one space of a run of spaces, so a
    label LibreOffice spreads with space glyphs (自 然 人) may lose one between two glyphs."""
    return [
        re.sub(r"\s+", "", x) if isinstance(x, str) else tuple(re.sub(r"\s+", "", c) for c in x)
        for x in items
    ]


def _close(a: list[dict], b: list[dict], keys: tuple[str, ...], tolerance: float) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        for k in keys:
            if isinstance(x[k], str):
                assert x[k] == y[k]
            else:
                assert abs(x[k] - y[k]) <= tolerance, (k, x, y)


@pytest.mark.parametrize("path", text_pdfs(), ids=_ids(text_pdfs()))
def test_both_sources_give_the_same_page_objects(path):
    """Characters (not spaces: see _squeeze) within 0.002 pt, edges within 0.002 pt."""
    data = path.read_bytes()
    plumber = list(plumber_pages(data))
    pdfium = list(pdfium_pages(data))
    assert len(plumber) == len(pdfium)
    for a, b in zip(plumber, pdfium, strict=True):
        if isinstance(b, int):  # a page PDFium cannot give as drawn: pdfplumber reads it
            continue
        assert (round(a.width, 2), round(a.height, 2)) == (round(b.width, 2), round(b.height, 2))

        def chars(page):
            kept = [c for c in page.chars if not c["text"].isspace()]
            return sorted(kept, key=lambda c: (c["text"], round(c["x0"], 1), round(c["top"], 1)))

        _close(chars(a), chars(b), ("text", "x0", "x1", "top", "bottom", "size"), 0.002)
        assert [c["upright"] for c in chars(a)] == [c["upright"] for c in chars(b)]

        def edges(page):
            key = ("x0", "top", "x1", "bottom")
            return sorted(page.edges, key=lambda e: (e["orientation"], *(round(e[k]) for k in key)))

        _close(edges(a), edges(b), ("orientation", "x0", "top", "x1", "bottom"), 0.002)


def _unplaced(obj):
    """A report's dict without its wheres (compared within a tolerance, below)."""
    if isinstance(obj, dict):
        return {k: _unplaced(v) for k, v in obj.items() if k != "where"}
    if isinstance(obj, list):
        return [_unplaced(v) for v in obj]
    return obj


@pytest.mark.parametrize("path", text_pdfs(), ids=_ids(text_pdfs()))
def test_both_sources_give_the_same_report(path, monkeypatch):
    data = path.read_bytes()
    assert _squeeze(read_pdf(data, "pdfium").items) == _squeeze(read_pdf(data, "pdfplumber").items)
    reports = []
    for engine in ("pdfium", "pdfplumber"):
        monkeypatch.setenv(ENGINE_VARIABLE, engine)
        report = _unplaced(parse_bytes(data, path.name).to_dict())
        reports.append(json.dumps(report, sort_keys=True, default=str))
    assert reports[0] == reports[1]


WHERE_TOLERANCE = 0.02  # pt: glyphs agree within 0.002 pt, and a box is rounded to 0.01 pt


def _wheres(obj, path: str = "") -> Iterator[tuple[str, dict | None]]:
    """Every where in a report's dict, by its path there (cells, legacy rows, indicators, checks)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "where":
                yield path, v
            else:
                yield from _wheres(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _wheres(v, f"{path}[{i}]")


def _item_wheres(items: list) -> list[dict | None]:
    """The where of every line and every table cell of a Document, in order."""
    return [where_of(x) for item in items for x in ([item] if isinstance(item, str) else item)]


def _same_place(a: dict | None, b: dict | None, what: str) -> None:
    assert (a is None) == (b is None), (what, a, b)
    if a is None:
        return
    parts_a, parts_b = [a, *a.get("also", [])], [b, *b.get("also", [])]
    assert {k: v for k, v in a.items() if k not in ("box", "also")} == {
        k: v for k, v in b.items() if k not in ("box", "also")
    }, what
    assert [p["page"] for p in parts_a] == [p["page"] for p in parts_b], (what, a, b)
    for x, y in zip(parts_a, parts_b, strict=True):
        assert ("box" in x) == ("box" in y), (what, a, b)
        if "box" in x:
            assert max(abs(u - v) for u, v in zip(x["box"], y["box"], strict=True)) <= (
                WHERE_TOLERANCE
            ), (what, a, b)


@pytest.mark.parametrize("path", text_pdfs(), ids=_ids(text_pdfs()))
def test_both_sources_place_everything_alike(path, monkeypatch):
    """Every where (each cell, legacy row, indicator and check of the report, and each line and
    table cell of the document) has the same page and keys from both sources, its box within
    WHERE_TOLERANCE: the evidence a reader is shown does not move with the source."""
    data = path.read_bytes()
    items = [_item_wheres(read_pdf(data, engine).items) for engine in ("pdfium", "pdfplumber")]
    assert len(items[0]) == len(items[1])
    assert sum(w is not None for w in items[0]) == len(items[0])  # every line and cell placed
    for n, (a, b) in enumerate(zip(*items, strict=True)):
        _same_place(a, b, f"item {n}")
    reports = []
    for engine in ("pdfium", "pdfplumber"):
        monkeypatch.setenv(ENGINE_VARIABLE, engine)
        reports.append(dict(_wheres(parse_bytes(data, path.name).to_dict())))
    assert reports[0].keys() == reports[1].keys()
    assert any(k.startswith(".cells.") or k.startswith(".legacy_rows") for k in reports[0])
    for key, a in reports[0].items():
        _same_place(a, reports[1][key], key)


@pytest.mark.parametrize("path", TOOLS, ids=[p.name.split(".expected")[0] for p in TOOLS])
def test_pdfs_as_tools_leave_them_parse_exactly(path):
    exp = load_expected(path)
    report = parse_file(path.parent / exp["source"])
    assert {k: c.value for k, c in report.cells.items()} == exp["cells"]
    assert report.failing_checks == sorted(exp["failing_checks"])
    assert (report.year, report.template, report.agency) == (
        exp["year"],
        exp["template"],
        exp["agency"],
    )
    assert [s["number"] for s in report.sections] == [1, 2, 3, 4, 5, 6]


REAL_PDFS = sorted(REAL.glob("*.pdf"))


@pytest.mark.skipif(not REAL_PDFS, reason="shared/real not beside the checkout")
@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("path", REAL_PDFS, ids=_ids(REAL_PDFS))
def test_real_pdfs_parse_exactly_from_both_sources(path, engine, monkeypatch):
    monkeypatch.setenv(ENGINE_VARIABLE, engine)
    exp = json.loads((REAL / f"{path.stem}.expected.json").read_text("utf-8"))
    report = parse_file(path)
    assert {k: c.value for k, c in report.cells.items()} == exp["cells"]
    assert (report.agency, report.year, report.template) == (
        exp["agency"],
        exp["year"],
        exp["template"],
    )


def test_a_page_with_actualtext_is_read_by_pdfplumber(fixtures):
    """PDFium gives the /ActualText, not the glyphs drawn: that page falls back, the rest not."""
    data = (fixtures / "pdf_tools" / "laoshan_2021_actualtext.pdf").read_bytes()
    pages = list(pdfium_pages(data))
    assert pages[0] == 1 and all(not isinstance(p, int) for p in pages[1:])
    assert read_pdf(data, "pdfium").items == read_pdf(data, "pdfplumber").items


def test_the_pdfplumber_source_stays_available(fixtures, monkeypatch):
    import parsers.pdf_reader

    def refuse(data):
        raise AssertionError("PDFium used although pdfplumber was asked for")

    monkeypatch.setattr(parsers.pdf_reader, "pdfium_pages", refuse)
    monkeypatch.setattr(parsers.pdf_reader, "open_pdfium", refuse)
    monkeypatch.setenv(ENGINE_VARIABLE, "pdfplumber")
    exp = load_expected(fixtures / "office" / "yicheng_2019.pdf.expected.json")
    report = parse_file(fixtures / "office" / "yicheng_2019.pdf")
    assert {k: c.value for k, c in report.cells.items()} == exp["cells"]


def test_an_unknown_source_is_named(fixtures, monkeypatch):
    monkeypatch.setenv(ENGINE_VARIABLE, "mupdf")
    with pytest.raises(
        ParseError, match=f"{ENGINE_VARIABLE}='mupdf': not one of pdfium, pdfplumber"
    ):
        parse_file(fixtures / "office" / "yicheng_2019.pdf")


def test_text_layer_check_reads_pdfium(fixtures):
    office = fixtures / "office"
    assert has_text_layer((office / "yicheng_2019.pdf").read_bytes())
    assert not has_text_layer((office / "yicheng_2019_scanned.pdf").read_bytes())
    assert not has_text_layer((fixtures / "scans" / "laoshan_2021_scan200.pdf").read_bytes())


def test_descents_are_pdfminers(fixtures):
    """LibreOffice's FontDescriptors say Descent 0: pdfminer boxes from the baseline."""
    office = font_descents((fixtures / "office" / "yicheng_2019.pdf").read_bytes())
    assert office == {"NotoSansCJKjp-Regular-VKana": 0.0, "DejaVuSerif": 0.0}
    if (REAL / "huaian-2024.pdf").exists():
        real = font_descents((REAL / "huaian-2024.pdf").read_bytes())
        assert real["FZFSK--GBK1-0"] == pytest.approx(-0.242)
    assert font_descents(b"%PDF-1.4 not a pdf") == {}


def _all_pdfs() -> list[Path]:
    found = [*(FIXTURES / "office").glob("*.pdf"), *(FIXTURES / "scans").glob("*.pdf")]
    found += [*(FIXTURES / "pdf_tools").glob("*.pdf"), *(ROOT / "replica" / "data").rglob("*.pdf")]
    found += [*(FIXTURES / "legacy").glob("*.pdf")]
    return sorted(found) + sorted(REAL.glob("*.pdf"))


@pytest.mark.parametrize("path", _all_pdfs(), ids=_ids(_all_pdfs()))
def test_both_sources_tell_scans_alike(path):
    """A scan (no text layer: OCR) or not, judged the same from PDFium's character count as from
    pdfminer's characters, on every PDF the repository holds, scanned or not."""
    data = path.read_bytes()
    assert has_text_layer(data, source="pdfium") == has_text_layer(data, source="pdfplumber")
    assert has_text_layer(data) == ("scan" not in path.name)
