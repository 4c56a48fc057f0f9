"""The crawl's WARCs as one WACZ (Webrecorder's package: the WARCs, a CDXJ index, the page
list, datapackage.json and its digest), which ReplayWeb.page and pywb open.

Written with py-wacz, the format's reference implementation (docs/formats.md compares it
with a writer of our own); the page list names each archived report by its agency, year
and title from the database. A WARC cut short by a killed crawl goes in up to its last
complete record, said in one line; nothing is dropped silently.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader


@dataclass
class WaczResult:
    path: Path
    warcs: int = 0
    records: int = 0
    pages: int = 0
    problems: list[str] = field(default_factory=list)


def warc_files(archive_dir: Path) -> list[Path]:
    folder = Path(archive_dir) / "warc"
    return sorted([*folder.glob("*.warc.gz"), *folder.glob("*.warc")])


def gzip_end(path: Path) -> tuple[int, str | None]:
    """Where the last complete gzip member ends (each WARC record is one), and why the
    rest is not one; warcio stops quietly inside a member cut short, a reader of the
    WACZ does not."""
    end = position = 0
    inflate = zlib.decompressobj(31)
    with path.open("rb") as f:
        buf = b""
        while buf or (buf := f.read(1 << 20)):
            try:
                inflate.decompress(buf, 1 << 16)
                while inflate.unconsumed_tail and not inflate.eof:
                    inflate.decompress(inflate.unconsumed_tail, 1 << 16)
            except zlib.error as exc:
                return end, f"gzip: {exc}"
            if inflate.eof:
                end = position = position + len(buf) - len(inflate.unused_data)
                buf, inflate = inflate.unused_data, zlib.decompressobj(31)
            else:
                position, buf = position + len(buf), b""
    size = path.stat().st_size
    return end, None if end == size else f"the last {size - end} bytes are a gzip member cut short"


@dataclass
class WarcScan:
    records: int = 0  # complete records
    end: int = 0  # the byte the last of them ends at
    problem: str | None = None  # why reading stopped early
    html: list[str] = field(default_factory=list)  # URLs of the HTML pages answered 200


def scan_warc(path: Path) -> WarcScan:
    limit, problem = gzip_end(path) if path.name.endswith(".gz") else (path.stat().st_size, None)
    scan = WarcScan(problem=problem)
    with path.open("rb") as f:
        it = ArchiveIterator(LimitReader(f, limit))
        try:
            for record in it:
                http = record.http_headers
                if (record.rec_type == "response" and http is not None and http.get_statuscode() == "200"
                        and "html" in (http.get_header("Content-Type") or "")):
                    scan.html.append(record.rec_headers.get_header("WARC-Target-URI"))
                it.read_to_end()
                scan.records += 1
                scan.end = it.get_record_offset() + it.get_record_length()
        except Exception as exc:  # noqa: BLE001 - any damage: keep what reads, say why
            scan.problem = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    if scan.problem is None and scan.end != path.stat().st_size:
        scan.problem = f"{path.stat().st_size - scan.end} trailing bytes are no WARC record"
    return scan


def report_pages(db_path: Path | None) -> list[dict]:
    """The archived reports (and the pages that carry an attachment), titled for a reader."""
    if db_path is None or not Path(db_path).exists():
        return []
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "select url, coalesce(agency, '') || ' ' || coalesce(year, '') || ' ' || coalesce(title, '') "
            "from reports where url is not null union all "
            "select url, coalesce(link_text, url) from documents where role = 'page' and url is not null").fetchall()
    finally:
        conn.close()
    seen: dict[str, dict] = {}
    for url, title in rows:
        seen.setdefault(url, {"url": url, "title": " ".join(title.split()) or url})
    return list(seen.values())


def _usable(warcs: list[Path], scratch: Path, result: WaczResult, html: list[str]) -> list[Path]:
    out = []
    for warc in warcs:
        scan = scan_warc(warc)
        records, end, problem = scan.records, scan.end, scan.problem
        html += scan.html
        if problem is None:
            out.append(warc)
        elif records:
            kept = scratch / warc.name
            with warc.open("rb") as src, kept.open("wb") as dst:
                dst.write(src.read(end))
            out.append(kept)
            result.problems.append(f"{warc.name}: cut short after {records} records at byte {end} ({problem}); "
                                   f"the WACZ keeps those {records}")
        else:
            result.problems.append(f"{warc.name}: no readable WARC record ({problem}); left out")
            continue
        result.records += records
    return out


def export_wacz(archive_dir: str | Path, out: str | Path, db_path: str | Path | None = None,
                title: str = "nianbao: the archived report pages") -> WaczResult:
    """Write ``out`` from the archive's WARCs; raise ValueError when there is none to write."""
    from wacz.main import main as wacz_main

    out = Path(out)
    result = WaczResult(out)
    warcs = warc_files(Path(archive_dir))
    if not warcs:
        raise ValueError(f"{archive_dir}: no WARC files in {Path(archive_dir) / 'warc'} (the crawl writes them)")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        html: list[str] = []
        usable = _usable(warcs, scratch, result, html)
        if not usable:
            raise ValueError(f"{archive_dir}: none of {len(warcs)} WARC files has a readable record "
                             f"({'; '.join(result.problems)[:500]})")
        # without the database, every HTML page answered 200 is a page of the list
        pages = report_pages(Path(db_path) if db_path else None) or [
            {"url": url, "title": url} for url in dict.fromkeys(html)]
        listed = scratch / "pages.jsonl"
        listed.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n"
                                  for p in [{"format": "json-pages-1.0", "id": "reports", "title": title}, *pages]),
                          encoding="utf-8")
        args = ["create", "-o", str(out), "--title", title, "-p", str(listed)]
        log = io.StringIO()
        out.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.redirect_stdout(log):
            code = wacz_main([*args, *map(str, usable)])
        if code != 0:
            raise ValueError(f"{out}: py-wacz failed: {log.getvalue().strip().splitlines()[-1:]}")
    result.warcs = len(usable)
    with zipfile.ZipFile(out) as z:
        if "pages/pages.jsonl" in z.namelist():
            result.pages = max(0, len(z.read("pages/pages.jsonl").splitlines()) - 1)
    return result
