"""Reports/second of the full parser against the bare extraction library, per format.

Both run on the same fixture files in the same process, interleaved, so the
ratio (parser time / bare time) is what the parser adds on top of the library
it is built on. Also prints the peak RSS of parsing the 47-page PDF, measured
in a fresh child process.

Then the PDF reader's two sources on every text-layer PDF fixture (and the real
PDFs in ../shared/real/ when present), interleaved pass by pass: the pdfplumber
path (pdfminer's page objects), the PDFium path (parsers.pdfium_pages), and the
bare pypdfium2 calls that get the same characters, boxes and ruling lines; each
path split into its page objects and the grid and text that pdfplumber's
functions make of them.

Run: .venv/bin/python benchmarks/bench_formats.py   (~3 minutes on 2 cores)
     .venv/bin/python benchmarks/bench_formats.py pdfsources   (the PDF sources only)
"""

from __future__ import annotations

import io
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
OFFICE = FIXTURES / "office"
LONG_PDF = OFFICE / "long_2019.pdf"
BUDGET_S = 3.0  # seconds per side and format for the fast formats
MAX_REPS = 200


def bare_pdfium(data: bytes) -> None:
    """pypdfium2: every page's characters (code, origin, box, font size) and each path's
    points: what the PDFium source needs from the library, called as directly as it can be."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from parsers.pdfium_pages import _calls

    api = _calls()
    x, y, size = ctypes.c_double(), ctypes.c_double(), ctypes.c_float()
    px, py, psize = ctypes.byref(x), ctypes.byref(y), ctypes.byref(size)
    box = raw.FS_RECTF()
    pbox = ctypes.byref(box)
    fx, fy = ctypes.c_float(), ctypes.c_float()
    pdf = pdfium.PdfDocument(data)
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        tp = ctypes.cast(textpage.raw, ctypes.c_void_p).value
        for i in range(api.count(tp)):
            api.unicode(tp, i)
            api.origin(tp, i, px, py)
            api.loose(tp, i, pbox)
            api.font_size(api.text_object(tp, i), psize)
        for i in range(raw.FPDFPage_CountObjects(page)):
            obj = raw.FPDFPage_GetObject(page, i)
            if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_PATH:
                for k in range(raw.FPDFPath_CountSegments(obj)):
                    raw.FPDFPathSegment_GetPoint(raw.FPDFPath_GetPathSegment(obj, k), fx, fy)
        textpage.close()
        page.close()
    pdf.close()


def bare_pdf(data: bytes) -> None:
    """pdfplumber: every page's tables and text."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()
            page.close()


def bare_ocr(data: bytes) -> None:
    """pypdfium2 render at 300 dpi, then one tesseract (chi_sim, psm 3, tsv) per page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        png = Path(tmp) / "page.png"
        for index in range(len(pdf)):
            pdf[index].render(scale=300 / 72, grayscale=True).to_pil().save(png)
            cmd = ["tesseract", str(png), "stdout", "-l", "chi_sim", "--psm", "3", "tsv"]
            subprocess.run(cmd, capture_output=True, check=True)
    pdf.close()


def bare_docx(data: bytes) -> None:
    """python-docx: paragraph texts and every table cell's text."""
    import docx

    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)


def bare_doc(data: bytes) -> None:
    """The LibreOffice conversion alone, with the arguments of parsers.convert.to_docx."""
    from parsers.convert import soffice

    with tempfile.TemporaryDirectory(prefix="bench-lo-") as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        profile = (Path(tmp) / "profile").as_uri()
        cmd = [str(soffice()), f"-env:UserInstallation={profile}", "--headless"]
        cmd += ["--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)]
        subprocess.run(cmd, capture_output=True, check=True, timeout=120)
        (Path(tmp) / "in.docx").read_bytes()


def bare_html(data: bytes) -> None:
    """lxml parse, then trafilatura's main-text extraction."""
    import lxml.html
    import trafilatura

    trafilatura.extract(lxml.html.document_fromstring(data))


def bare_xlsx(data: bytes) -> None:
    """openpyxl: every sheet's cell values and merged ranges."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    for sheet in book.worksheets:
        list(sheet.iter_rows(values_only=True))
        list(sheet.merged_cells.ranges)


def bare_xls(data: bytes) -> None:
    """xlrd (formatting_info for merged ranges): every sheet's cell values."""
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    for sheet in book.sheets():
        [sheet.row_values(r) for r in range(sheet.nrows)]
        list(sheet.merged_cells)


def bare_ofd(data: bytes) -> None:
    """zipfile + lxml: every page's Content.xml parsed (no library reads OFD tables)."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith("Content.xml"):
                etree.fromstring(z.read(name))


def bare_text(data: bytes) -> None:
    """UTF-8 decode and split into lines."""
    data.decode("utf-8", "replace").splitlines()


@dataclass
class Format:
    name: str
    files: list[Path]
    bare: Callable[[bytes], None]
    baseline: str
    slow: bool = False  # one repetition, no warm-up


FORMATS = [
    Format("text", sorted((FIXTURES / "seeds").glob("*.txt")), bare_text, "bytes.decode"),
    # text as other tools render it: pipes, one cell per line, pdftotext -layout, typos
    Format("textvar", sorted((FIXTURES / "variants").glob("*.txt")), bare_text, "bytes.decode"),
    Format("html", sorted((FIXTURES / "html").glob("*.html")), bare_html, "lxml+trafilatura"),
    Format("docx", sorted(OFFICE.glob("*.docx")), bare_docx, "python-docx"),
    Format(
        "pdf",
        [OFFICE / n for n in ("yicheng_2019.pdf", "laoshan_2021.pdf", "long_2019.pdf")],
        bare_pdfium,
        "pypdfium2 chars+boxes+paths",
    ),
    Format("xlsx", sorted(OFFICE.glob("*.xlsx")), bare_xlsx, "openpyxl"),
    Format("xls", sorted(OFFICE.glob("*.xls")), bare_xls, "xlrd"),
    Format("ofd", sorted(OFFICE.glob("*.ofd")), bare_ofd, "zipfile+lxml"),
    Format("doc", sorted(OFFICE.glob("*.doc")), bare_doc, "soffice convert", slow=True),
    Format("scan", sorted(OFFICE.glob("*_scanned.pdf")), bare_ocr, "pdfium+tesseract", slow=True),
]


@dataclass
class Result:
    fmt: Format
    reps: int
    parser_s: float  # median seconds for one pass over the format's files
    bare_s: float

    def rate(self, seconds: float) -> float:
        return len(self.fmt.files) / seconds


def one_pass(fn: Callable[[bytes, str], object], docs: list[tuple[bytes, str]]) -> float:
    start = time.perf_counter()
    for data, name in docs:
        fn(data, name)
    return time.perf_counter() - start


def measure(fmt: Format) -> Result:
    """Median pass time of parser and bare, interleaved rep by rep."""
    from parsers import parse_bytes

    docs = [(p.read_bytes(), p.name) for p in fmt.files]
    sides: list[Callable[[bytes, str], object]] = [parse_bytes, lambda d, _n: fmt.bare(d)]
    reps = 1
    if not fmt.slow:
        warm = max(one_pass(side, docs) for side in sides)  # imports, caches
        reps = max(3, min(MAX_REPS, math.ceil(BUDGET_S / max(warm, 1e-6))))
    times: list[list[float]] = [[], []]
    for _ in range(reps):
        for i, side in enumerate(sides):
            times[i].append(one_pass(side, docs))
    return Result(fmt, reps, statistics.median(times[0]), statistics.median(times[1]))


RSS_MODES = {  # mode: what the child runs, and the PDF source it reads with
    "parser": ("parser", "pdfium"),
    "parser, pdfplumber source": ("parser", "pdfplumber"),
    "bare pypdfium2": ("bare_pdfium", "pdfium"),
    "bare pdfplumber": ("bare_pdf", "pdfplumber"),
}


def peak_rss_child(mode: str, path: Path) -> None:
    """In the child: print MiB after imports and peak MiB after one parse (ru_maxrss is KiB)."""
    import pdfplumber  # noqa: F401  (every mode imports both: the baseline is the same)
    import pypdfium2  # noqa: F401

    from parsers import parse_bytes
    from parsers.pdf_reader import ENGINE_VARIABLE

    run, source = RSS_MODES[mode]
    os.environ[ENGINE_VARIABLE] = source
    data = path.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if run == "parser":
        parse_bytes(data, path.name)
    else:
        globals()[run](data)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{before / 1024:.0f} {after / 1024:.0f}")


def peak_rss(mode: str, path: Path) -> tuple[float, float]:
    cmd = [sys.executable, __file__, "--rss", mode, str(path)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


REAL = ROOT.parent / "shared" / "real"
SOURCES_BUDGET_S = 6.0  # seconds per side for the PDF sources


def source_files() -> list[Path]:
    """Every text-layer PDF fixture, and the real PDFs beside the checkout when present."""
    found = [*sorted(OFFICE.glob("*.pdf")), *sorted((FIXTURES / "pdf_tools").glob("*.pdf"))]
    return [p for p in found if "_scanned" not in p.name] + sorted(REAL.glob("*.pdf"))


def pdf_sources() -> None:
    """The pdfplumber path, the PDFium path and the bare libraries on the same files,
    interleaved pass by pass; each path's page objects timed on their own as well."""
    from parsers import parse_bytes
    from parsers.pdf_reader import ENGINE_VARIABLE, has_text_layer, pages, read_pdf

    docs = [(p.read_bytes(), p.name) for p in source_files()]
    count = sum(1 for data, _ in docs for _ in pages(data, "pdfium"))

    def parser(source: str) -> Callable[[bytes, str], object]:
        def run(data: bytes, name: str) -> object:
            os.environ[ENGINE_VARIABLE] = source
            return parse_bytes(data, name)

        return run

    sides: dict[str, Callable[[bytes, str], object]] = {
        "pdfplumber path": lambda d, _n: read_pdf(d, "pdfplumber"),
        "pdfplumber path: page objects": lambda d, _n: sum(1 for _ in pages(d, "pdfplumber")),
        "PDFium path": lambda d, _n: read_pdf(d, "pdfium"),
        "PDFium path: page objects": lambda d, _n: sum(1 for _ in pages(d, "pdfium")),
        "bare pypdfium2": lambda d, _n: bare_pdfium(d),
        "bare pdfplumber": lambda d, _n: bare_pdf(d),
        "parser, pdfplumber source": parser("pdfplumber"),
        "parser, PDFium source": parser("pdfium"),
    }
    warm = max(one_pass(fn, docs) for fn in sides.values())
    reps = max(3, min(MAX_REPS, math.ceil(SOURCES_BUDGET_S / max(warm, 1e-6))))
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(reps):
        for name, fn in sides.items():
            times[name].append(one_pass(fn, docs))
    os.environ.pop(ENGINE_VARIABLE, None)
    median = {name: statistics.median(t) for name, t in times.items()}
    bare = median["bare pypdfium2"]
    real = ", ".join(p.name for p in source_files() if p.parent == REAL) or "none found"
    print(f"\nPDF sources: {len(docs)} text-layer PDFs ({count} pages; real: {real}), {reps} reps")
    print(f"{'side':<28} {'s/pass':>7} {'reports/s':>9} {'pages/s':>8} {'x bare pdfium':>13}")
    for name, seconds in median.items():
        label = "  its page objects" if name.endswith(": page objects") else name
        print(
            f"{label:<28} {seconds:>7.3f} {len(docs) / seconds:>9.2f} {count / seconds:>8.1f} "
            f"{seconds / bare:>13.2f}"
        )
    plumber, pdfium = median["pdfplumber path"], median["PDFium path"]
    print(
        f"speed-up: the PDFium path takes {pdfium / plumber:.3f} of the pdfplumber path's time "
        f"({plumber / pdfium:.1f}x faster) and {pdfium / bare:.2f}x the bare pypdfium2 calls; "
        f"whole parser {median['parser, pdfplumber source'] / median['parser, PDFium source']:.1f}x"
    )
    scans = sorted(OFFICE.glob("*_scanned.pdf")) + sorted((FIXTURES / "scans").glob("*.pdf"))
    for source in ("pdfium", "pdfplumber"):
        start = time.perf_counter()
        for path in scans:
            has_text_layer(path.read_bytes(), source=source)
        took = (time.perf_counter() - start) / len(scans)
        print(f"text-layer check of a scanned PDF ({len(scans)} files), {source}: {took * 1000:.1f} ms")


def main() -> None:
    # Children first: a forked child's ru_maxrss starts at its parent's RSS (Linux keeps the
    # high-water mark across fork and exec), and this process grows to ~270 MiB below.
    only = set(sys.argv[1:])  # format names to run, e.g. ``text textvar``; all by default
    rss = {} if only and "pdf" not in only else {m: peak_rss(m, LONG_PDF) for m in RSS_MODES}
    from parsers.convert import soffice

    if soffice():  # a cold first LibreOffice start: keep it out of timing
        bare_doc((OFFICE / "yicheng_2019.doc").read_bytes())
    head = f"{'format':<7} {'files':>5} {'reps':>4} {'parser rep/s':>12} {'bare rep/s':>10}"
    print(f"{head} {'ratio':>6}  baseline")
    results = []
    for fmt in (f for f in FORMATS if not only or f.name in only):
        r = measure(fmt)
        results.append(r)
        print(
            f"{fmt.name:<7} {len(fmt.files):>5} {r.reps:>4} {r.rate(r.parser_s):>12.2f} "
            f"{r.rate(r.bare_s):>10.2f} {r.parser_s / r.bare_s:>6.2f}  {fmt.baseline}",
            flush=True,
        )
    ratio = {r.fmt.name: r.parser_s / r.bare_s for r in results}
    faster = ", ".join(n for n, x in ratio.items() if x < 1)
    close = ", ".join(n for n, x in ratio.items() if 1 <= x <= 1.5)
    slower = ", ".join(f"{n} {x:.1f}x" for n, x in ratio.items() if x > 1.5)
    print(
        f"summary: parser faster than bare: {faster or '-'}; within 1.5x: {close or '-'}; "
        f"slower: {slower or '-'} (text's bare baseline is only a decode)"
    )
    for mode, (base, peak) in rss.items():
        print(
            f"peak RSS {mode:<26} {LONG_PDF.name} (47 pages): {peak:.0f} MiB "
            f"({base:.0f} MiB after imports, +{peak - base:.0f} MiB)"
        )
    if not only or "pdfsources" in only:
        pdf_sources()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rss"]:
        peak_rss_child(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
