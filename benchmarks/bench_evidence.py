"""What saying where each number was read costs, each against a baseline of the same run.
Run: .venv/bin/python benchmarks/bench_evidence.py [N]

- Parse: the fixture documents (text, HTML, DOCX, XLSX, PDF, OFD) parsed with every place
  recorded, against the same parse with the places switched off (the readers' ``at``
  returning the bare text, the HTML reader's XPaths not taken).
- Database: bytes of ``cells`` per report for N generated reports (bench_archive's
  generator, default 1 000) and for the real Word-pasted page (its XPaths are long), with
  the where columns and without them (a copy with the columns dropped, vacuumed).
- Build: the corrections pass (100 lines) and the carryover check over the N reports
  (7 years per agency), against the full build.
- Crops: a PDF cell's crop drawn cold with pypdfium2 (the chosen renderer), served from the
  disk cache, and drawn by pdfplumber's ``to_image`` (the alternative); an OFD page drawn;
  an HTML table redrawn with the cell highlighted.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.build import carryover, corrections  # noqa: E402
from archive.build.run import build  # noqa: E402
from archive.web import crops, evidence, highlight  # noqa: E402
from benchmarks.bench_archive import make_archive  # noqa: E402
from parsers import parse_bytes  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
REAL = ROOT.parent / "shared" / "real"
DOCUMENTS = ["seeds/000_594d41d03b487b01.txt", "html/trs_2019.html", "html/hanweb_2021.html",
             "office/laoshan_2021.docx", "office/laoshan_2021.xlsx", "office/yicheng_2019.pdf",
             "office/laoshan_2021_rowsplit.pdf", "office/yicheng_2019.ofd"]


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


@contextmanager
def places_off():
    """The readers as they were before they said where: bare text, no XPaths."""
    from parsers import (
        document,
        docx_reader,
        html_reader,
        layout_text,
        ocr,
        ofd_reader,
        pdf_reader,
        sheet_reader,
        text_reader,
    )

    def bare(text, where=None, confidence=None):
        return str(text)

    modules = [document, docx_reader, html_reader, layout_text, ocr, ofd_reader, pdf_reader, sheet_reader,
               text_reader]
    saved = [(m, m.at) for m in modules if hasattr(m, "at")]
    saved_places = html_reader._places
    for m, _ in saved:
        m.at = bare
    html_reader._places = lambda root: {}
    try:
        yield
    finally:
        for m, fn in saved:
            m.at = fn
        html_reader._places = saved_places


def parse_overhead() -> None:
    print("Parse: every place recorded against none (best of 5, ms per document)")
    ratios = []
    for name in DOCUMENTS:
        data = (FIXTURES / name).read_bytes()
        with places_off():
            base = best(lambda d=data, n=name: parse_bytes(d, n))
            assert not any(c.where for c in parse_bytes(data, name).cells.values())
        located = best(lambda d=data, n=name: parse_bytes(d, n))
        assert all(c.where for c in parse_bytes(data, name).cells.values())
        ratios.append(located / base)
        print(f"  {name:<36}{base * 1000:8.1f} -> {located * 1000:8.1f} ms  {located / base:5.2f}x")
    print(f"  median {statistics.median(ratios):.2f}x")


def cells_bytes(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        size = conn.execute("select sum(pgsize) from dbstat where name = 'cells'").fetchone()[0]
        reports = conn.execute("select count(*) from reports").fetchone()[0]
    finally:
        conn.close()
    return size, reports


def without_places(db: Path, out: Path) -> Path:
    shutil.copyfile(db, out)
    conn = sqlite3.connect(out)
    columns = [r[1] for r in conn.execute("pragma table_xinfo(cells)") if r[1].startswith("where_")]
    for c in columns:
        conn.execute(f"alter table cells drop column {c}")
    conn.commit()
    conn.execute("vacuum")
    conn.close()
    return out


def database_cost(root: Path, db: Path) -> None:
    print("Database: bytes of cells per report, with the where columns and without")
    for label, path in [("generated HTML reports", db), ("the real Word-pasted page, 50 copies", real_db(root))]:
        if path is None:
            continue
        with_, reports = cells_bytes(path)
        without, _ = cells_bytes(without_places(path, path.with_name("noplaces.db")))
        print(f"  {label:<32}{without / reports:9.0f} -> {with_ / reports:9.0f} B/report  {with_ / without:5.2f}x")


def real_db(root: Path) -> Path | None:
    page = REAL / "shuyang-fgj-2023.html"
    if not page.exists():
        return None
    from crawler.store import ArchiveStore, Fetch

    store = ArchiveStore(root / "real" / "archive", crawl_id="bench")
    for i in range(50):  # copies told apart by a comment: pages of cells enough to count bytes
        data = page.read_bytes() + f"<!-- {i} -->".encode()
        store.record(Fetch(url=f"http://www.shuyang.gov.cn/{i}.shtml", sha256=store.put_blob(data),
                           size=len(data), status=200, content_type="text/html",
                           fetched_at=f"2026-01-01T00:00:{i:02d}+00:00", site="shuyang",
                           page_url="http://www.shuyang.gov.cn/"))
    db = root / "real" / "nianbao.db"
    build(root / "real" / "archive", db)
    return db


def build_cost(archive: Path, db: Path, full: float) -> None:
    print("Build: what the archive-wide passes add (the full build is the baseline)")
    conn = sqlite3.connect(db)
    picks = conn.execute("select sha256, template from reports order by id limit 100").fetchall()
    conn.close()
    lines = [corrections.Correction(i + 2, sha, "applications.granted.total", str(i), "bench", "bench", "2026-01-01")
             for i, (sha, _) in enumerate(picks)]
    import sqlite_utils

    copy = db.with_name("passes.db")
    shutil.copyfile(db, copy)
    handle = sqlite_utils.Database(copy)
    t0 = time.perf_counter()
    applied = corrections.apply(handle, lines)
    t_fix = time.perf_counter() - t0
    t0 = time.perf_counter()
    corrections.apply(handle, [])
    t_undo = time.perf_counter() - t0
    t0 = time.perf_counter()
    breaks = carryover.create(handle)
    t_carry = time.perf_counter() - t0
    handle.conn.commit()
    handle.close()
    checked = sqlite3.connect(copy).execute("select count(*) from checks where check_name = 'carryover'").fetchone()[0]
    print(f"  full build{full:26.2f} s  1.000x")
    print(f"  corrections, {applied.applied} lines applied{t_fix:13.3f} s  {t_fix / full:.4f}x")
    print(f"  corrections undone (an empty file){t_undo:7.3f} s  {t_undo / full:.4f}x")
    print(f"  carryover, {checked} checks ({breaks} break){t_carry:9.3f} s  {t_carry / full:.4f}x")


def crop_cost(root: Path) -> None:
    import io

    import pdfplumber

    print("Crops: one cell's evidence (best of 5, ms)")
    data = (FIXTURES / "office" / "yicheng_2019.pdf").read_bytes()
    report = parse_bytes(data, "yicheng_2019.pdf")
    where = report.cells["applications.new_received.total"].where
    cold = best(lambda: crops.pdf_crop(data, where["page"], [where["box"]]))

    def plumber():
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page = pdf.pages[where["page"] - 1]
            region = crops.band((page.width, page.height), [where["box"]])
            image = page.crop(region).to_image(resolution=144)
            image.draw_rect(where["box"], stroke=(220, 30, 30), fill=None)
            out = io.BytesIO()
            image.save(out, format="PNG")

    other = best(plumber)
    folder = root / "cache"
    folder.mkdir()
    ev = evidence.Evidence({"sha256": "x" * 64, "format": "pdf"}, "k", "k", "9", 9, where)
    name = evidence.cache_name(ev, "png")
    evidence.cached(folder, name, lambda: crops.pdf_crop(data, where["page"], [where["box"]]))
    warm = best(lambda: evidence.cached(folder, name, lambda: b""))
    ofd = (FIXTURES / "office" / "yicheng_2019.ofd").read_bytes()
    ofd_where = parse_bytes(ofd, "yicheng_2019.ofd").cells["applications.new_received.total"].where
    drawn = best(lambda: crops.ofd_crop(ofd, ofd_where["page"], [ofd_where["box"]]))
    html = (FIXTURES / "html" / "trs_2019.html").read_bytes()
    html_where = parse_bytes(html, "trs_2019.html").cells["applications.new_received.total"].where
    table = best(lambda: highlight.html_table(html, "text/html", html_where))
    print(f"  PDF crop, pypdfium2 (cold){cold * 1000:12.1f} ms  1.00x")
    print(f"  PDF crop, pdfplumber to_image{other * 1000:9.1f} ms  {other / cold:5.2f}x")
    print(f"  PDF crop from the disk cache{warm * 1000:10.2f} ms  {warm / cold:7.4f}x")
    print(f"  OFD page drawn (glyphs, lines){drawn * 1000:8.1f} ms  {drawn / cold:5.2f}x")
    print(f"  HTML table redrawn, cell marked{table * 1000:7.1f} ms  {table / cold:5.2f}x")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    parse_overhead()
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-evidence-") as tmp:
        root = Path(tmp)
        archive = make_archive(root, n)
        db = root / "nianbao.db"
        t0 = time.perf_counter()
        build(archive, db, jobs=1)
        full = time.perf_counter() - t0
        database_cost(root, db)
        build_cost(archive, db, full)
        crop_cost(root)


if __name__ == "__main__":
    main()
