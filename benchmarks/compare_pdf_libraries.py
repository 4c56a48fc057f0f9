"""PDF table-extraction libraries, scored by the project's own pipeline.

Each library reads the text-layer fixture PDFs into page-ordered items: text
lines outside its tables (str) and its table rows as printed (tuples; a merged
cell's empty continuation becomes ""). ``parsers.parse.build`` turns them into
cells, compared with the hand-checked ``*.pdf.expected.json``. Nothing places
merged cells on a grid here (``parsers.pdf_reader`` does): a label spanning
rows appears once, so rows below it lose it, and a cell spanning columns leaves
an extra "". That is what "naive" costs.

Run: .venv/bin/python benchmarks/compare_pdf_libraries.py
"""

from __future__ import annotations

import io
import json
import statistics
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from parsers.document import Document, Row
from parsers.labels import clean
from parsers.parse import build

OFFICE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "office"
NAMES = ("yicheng_2019.pdf", "laoshan_2021.pdf")
REPS = 3
Box = tuple[float, float, float, float]  # x0, top, x1, bottom; points from the page's top-left
Line = tuple[Box, str]
Table = tuple[Box, Sequence[Sequence[str | None]]]
Items = list[str | Row]


def cell(text: str | None) -> str:
    return " ".join(clean(x) for x in (text or "").split("\n") if clean(x))


def page_items(lines: Iterable[Line], tables: Sequence[Table], pad: float = 2.0) -> Items:
    """Lines outside every table and each table's rows, ordered by their top on the page."""

    def inside(box: Box, t: Box) -> bool:
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        return t[0] - pad <= x <= t[2] + pad and t[1] - pad <= y <= t[3] + pad

    placed: list[tuple[float, int, Items]] = [
        (box[1], 0, [cell(text)])
        for box, text in lines
        if cell(text) and not any(inside(box, t) for t, _ in tables)
    ]
    placed += [(t[1], 1, [tuple(cell(c) for c in r) for r in rows]) for t, rows in tables]
    return [item for _, _, items in sorted(placed, key=lambda p: p[:2]) for item in items]


def pdfium_lines(page) -> list[Line]:
    """pypdfium2 text segments, joined into lines by their vertical centre."""
    height = page.get_height()
    textpage = page.get_textpage()
    rows: dict[int, list[tuple[float, float, float, str]]] = {}
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        key = round((height - (top + bottom) / 2) / 3)  # 3 pt bands
        rows.setdefault(key, []).append((left, height - top, right, text))
    out = []
    for segs in rows.values():
        segs.sort()
        box = (segs[0][0], min(s[1] for s in segs), max(s[2] for s in segs), segs[0][1] + 1)
        out.append((box, " ".join(s[3] for s in segs)))
    return out


def read_pdfplumber(data: bytes) -> Items:
    import pdfplumber

    items: Items = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            lines = [
                ((d["x0"], d["top"], d["x1"], d["bottom"]), d["text"])
                for d in page.extract_text_lines()
            ]
            items += page_items(lines, [(t.bbox, t.extract()) for t in page.find_tables()])
            page.close()
    return items


def read_pymupdf(data: bytes) -> Items:
    import pymupdf

    items: Items = []
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            lines = [
                (tuple(line["bbox"]), "".join(s["text"] for s in line["spans"]))
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", [])
            ]
            tables = [(tuple(t.bbox), t.extract()) for t in page.find_tables().tables]
            items += page_items(lines, tables)
    return items


def read_pypdfium2(data: bytes) -> Items:
    """Text only: pypdfium2 has no table finder, so no rows and no cells."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    items = [x for page in pdf for x in page_items(pdfium_lines(page), [])]
    pdf.close()
    return items


def read_camelot(data: bytes) -> Items:
    """camelot lattice for tables; camelot reads no text outside them, so lines from pypdfium2."""
    import camelot
    import pypdfium2 as pdfium

    found = camelot.read_pdf(io.BytesIO(data), pages="all", flavor="lattice")
    pdf = pdfium.PdfDocument(data)
    items: Items = []
    for number, page in enumerate(pdf, start=1):
        h = page.get_height()
        tables = [
            ((t._bbox[0], h - t._bbox[3], t._bbox[2], h - t._bbox[1]), t.df.values.tolist())
            for t in found
            if int(t.page) == number
        ]
        items += page_items(pdfium_lines(page), tables)
    pdf.close()
    return items


def read_project(data: bytes) -> Items:
    """Reference: parsers.pdf_reader (pdfplumber's functions, merged cells placed with their
    spans), its page objects from PDFium (the default)."""
    from parsers.pdf_reader import read_pdf

    return read_pdf(data, "pdfium").items


def read_project_plumber(data: bytes) -> Items:
    """The same reader, its page objects from pdfminer (NIANBAO_PDF_ENGINE=pdfplumber)."""
    from parsers.pdf_reader import read_pdf

    return read_pdf(data, "pdfplumber").items


@dataclass
class Library:
    name: str
    dist: str  # distribution name, for its version
    licence: str
    read: Callable[[bytes], Items]


LIBRARIES = [
    Library("pdfplumber", "pdfplumber", "MIT", read_pdfplumber),
    Library("PyMuPDF", "pymupdf", "AGPL-3.0 or commercial", read_pymupdf),
    Library("camelot (lattice)", "camelot-py", "MIT", read_camelot),
    Library("pypdfium2", "pypdfium2", "Apache-2.0 / BSD-3", read_pypdfium2),
    Library("project, pdfminer", "pdfplumber", "(pdfplumber)", read_project_plumber),
    Library("project, PDFium", "pypdfium2", "(pdfplumber + pypdfium2)", read_project),
]


def dist_version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "missing"


def score(items: Items, name: str, expected: dict[str, float | None]) -> tuple[int, int]:
    """(right, wrong): expected cells read with the expected value, and read otherwise."""
    cells = build(Document(items=items, format="pdf"), name).cells
    right = sum(k in cells and cells[k].value == v for k, v in expected.items())
    return right, sum(k in cells for k in expected) - right


def main() -> None:
    docs = {n: (OFFICE / n).read_bytes() for n in NAMES}
    expected = {
        n: json.loads((OFFICE / f"{n}.expected.json").read_text("utf-8"))["cells"] for n in NAMES
    }
    total = sum(len(e) for e in expected.values())
    cols = "".join(f"{n.split('_')[0]:>10}" for n in NAMES)
    print(f"{'library':<18}{'version':>9}{cols}{'right':>10}{'wrong':>6}{'s/doc':>7}  licence")
    errors = []
    for lib in LIBRARIES:
        try:
            lib.read(docs[NAMES[0]])  # warm-up: imports, font caches
            per_doc, times = [], []
            for name, data in docs.items():
                runs = []
                for _ in range(REPS):
                    start = time.perf_counter()
                    items = lib.read(data)
                    runs.append(time.perf_counter() - start)
                times.append(statistics.median(runs))
                per_doc.append(score(items, name, expected[name]))
        except Exception as e:  # a library that fails is a result, not a crash
            errors.append(f"{lib.name}: {type(e).__name__}: {e}\n{traceback.format_exc(limit=2)}")
            print(f"{lib.name:<18}{dist_version(lib.dist):>9}  error (see below)  {lib.licence}")
            continue
        right = sum(r for r, _ in per_doc)
        shown = "".join(
            f"{f'{r}/{len(expected[n])}':>10}" for (r, _), n in zip(per_doc, NAMES, strict=True)
        )
        print(
            f"{lib.name:<18}{dist_version(lib.dist):>9}{shown}{f'{right}/{total}':>10}"
            f"{sum(w for _, w in per_doc):>6}{statistics.mean(times):>7.3f}  {lib.licence}"
        )
    print(
        "right: cells equal to the expected value; wrong: read but different; "
        "the rest are missing. s/doc: median extraction time, excluding build()."
    )
    print("pypdfium2 has no table finder: text only, so no table rows and no cells.")
    for err in errors:
        print(err)


if __name__ == "__main__":
    main()
