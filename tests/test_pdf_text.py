"""The reader's own versions of pdfplumber's functions give pdfplumber's results: the text
(parsers.pdf_text) of every cell and every band between tables in the PDF fixtures, from both
sources, and of pages of characters made at random; the tables (find_tables) of every page."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.utils import chars_to_textmap, extract_text

from parsers.pdf_reader import _crop, _inside, find_tables, pages
from parsers.pdf_text import cell_text, text_lines
from tests.test_pdf_sources import text_pdfs


def plumber_lines(chars: list[dict], bbox: tuple) -> list:
    """Page.extract_text_lines() of the cropped page: each line's text and box."""
    if not chars:
        return []
    x0, top, x1, bottom = bbox
    textmap = chars_to_textmap(
        chars, layout_bbox=bbox, layout_width=x1 - x0, layout_height=bottom - top
    )
    found = textmap.extract_text_lines(strip=True, return_chars=False)
    return [(x["text"], (x["x0"], x["top"], x["x1"], x["bottom"])) for x in found]


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("path", text_pdfs(), ids=[p.name for p in text_pdfs()])
def test_fixture_cells_and_bands_read_as_pdfplumber_reads_them(path, source):
    for page in pages(path.read_bytes(), source):
        tables = find_tables(page)
        for table in tables:
            for row, printed in zip(table.rows, table.extract(), strict=True):
                for cell, text in zip(row.cells, printed, strict=True):
                    if cell is not None:
                        inside = [
                            c
                            for c in table.page.chars
                            if cell[0] <= (c["x0"] + c["x1"]) / 2 < cell[2]
                            and cell[1] <= (c["top"] + c["bottom"]) / 2 < cell[3]
                        ]
                        assert cell_text(inside) == text
        boxes = [t.bbox for t in tables]
        edges = [0.0, *(y for b in boxes for y in (b[1], b[3])), page.height]
        for top, bottom in zip(edges[::2], edges[1::2], strict=True):
            bbox = (0, top, page.width, bottom)
            chars = [c for c in _crop(page.chars, bbox) if not any(_inside(c, b) for b in boxes)]
            assert text_lines(chars, bbox) == plumber_lines(chars, bbox)


# characters on a few close baselines and columns, so that clusters, ties and gaps near the
# tolerance (3 pt) all occur; spaces and a ligature among them
_glyph = st.tuples(
    st.sampled_from(["政", "府", "0", "1", " ", "ﬁ", "、"]),
    st.sampled_from([0.0, 2.9, 3.0, 3.1, 7.0, 10.5, 11.0, 14.0, 20.0, 40.0]),  # x0
    st.sampled_from([4.0, 7.0, 10.5, 11.0]),  # advance
    st.sampled_from([0.0, 1.5, 2.999, 3.0, 3.001, 6.0, 12.0, 15.0]),  # top
    st.sampled_from([7.0, 10.5, 12.0]),  # size
)


def _chars(glyphs) -> list[dict]:
    return [
        {
            "text": t,
            "x0": x,
            "x1": x + w,
            "top": y,
            "bottom": y + s,
            "doctop": y,
            "upright": True,
            "size": s,
            "width": w,
            "height": s,
        }
        for t, x, w, y, s in glyphs
    ]


@settings(max_examples=400, deadline=None)
@given(st.lists(_glyph, max_size=24))
def test_random_characters_read_as_pdfplumber_reads_them(glyphs):
    chars = _chars(glyphs)
    assert cell_text(chars) == (extract_text(chars) if chars else "")
    bbox = (0, 0, 100, 40)
    assert text_lines(chars, bbox) == plumber_lines(chars, bbox)


def test_characters_not_upright_go_to_pdfplumber():
    chars = _chars([("政", 0, 10, 0, 10), ("府", 0, 10, 10, 10)])
    chars[1]["upright"] = False
    assert cell_text(chars) == extract_text(chars)
    assert text_lines(chars, (0, 0, 20, 20)) == plumber_lines(chars, (0, 0, 20, 20))


@pytest.mark.parametrize("path", text_pdfs(), ids=[p.name for p in text_pdfs()])
def test_fixture_tables_are_pdfplumbers(path):
    """find_tables (its own intersections_to_cells) gives TableFinder's tables, cell for cell."""
    from pdfplumber.table import TableFinder
    from pdfplumber.table import intersections_to_cells as plumber_cells

    from parsers.pdf_reader import intersections_to_cells

    for page in pages(path.read_bytes(), "pdfium"):
        finder = TableFinder(page)
        assert intersections_to_cells(finder.intersections) == plumber_cells(finder.intersections)
        theirs = sorted(finder.tables, key=lambda t: t.bbox[1])
        assert [t.cells for t in find_tables(page)] == [t.cells for t in theirs]


def test_nearest_edge_is_the_scans():
    """document.nearest (bisection) picks the edge a scan of every edge picks, ties included."""
    import random

    from parsers.document import nearest

    rng = random.Random(22)
    for _ in range(2000):
        edges = sorted({round(rng.uniform(0, 800), rng.choice((0, 1, 3))) for _ in range(30)})
        probes = [rng.uniform(-50, 850), rng.choice(edges)]
        probes += [(a + b) / 2 for a, b in zip(edges, edges[1:], strict=False)][:3]
        for v in probes:
            assert nearest(edges, v) == min(range(len(edges)), key=lambda i: abs(edges[i] - v))
