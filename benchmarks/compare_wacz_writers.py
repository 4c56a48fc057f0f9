"""Two ways to write the crawl's WARCs as a WACZ, on the same WARCs: py-wacz (the format's
reference implementation, what ``nianbao export-wacz`` uses) against a minimal writer of
our own (cdxj-indexer for a plain CDXJ index, the zip written in one pass that hashes as
it copies). Each runs in a child process: seconds, peak memory, size, ``wacz validate``.

Run: .venv/bin/python benchmarks/compare_wacz_writers.py [--pages 5000] [--pdf-kib 300]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_warcs(archive: Path, pages: int, pdf_kib: int, per_warc: int = 2000) -> None:
    """``pages`` HTML report pages, each with a PDF attachment every fifth page, as a crawl
    writes them (response + request records, several crawler processes' WARC files)."""
    from crawler.store import ArchiveStore

    rng = random.Random(7)
    prose = (ROOT / "benchmarks" / "data" / "prose.txt").read_text(encoding="utf-8")
    store = None
    for i in range(pages):
        if i % per_warc == 0:
            if store:
                store.close()
            store = ArchiveStore(archive, crawl_id=f"bench-{i // per_warc:03d}")
        start = rng.randrange(0, max(1, len(prose) - 2000))
        body = (f"<html><head><meta charset='utf-8'><title>某某区{i}号报告</title></head><body>"
                f"<h1>某某区{2019 + i % 7}年政府信息公开工作年度报告</h1><p>{prose[start:start + 2000]}</p>"
                f"<a href='/att/{i}.pdf'>附件</a></body></html>").encode()
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
        store.write_warc(f"http://bench.example/{i}.html", 200, headers, body, [("User-Agent", "bench")])
        if i % 5 == 0:
            pdf = b"%PDF-1.4\n" + rng.randbytes(pdf_kib * 1024)
            store.write_warc(f"http://bench.example/att/{i}.pdf", 200,
                             [("Content-Type", "application/pdf"), ("Content-Length", str(len(pdf)))], pdf, [])
    store.close()


def own_writer(warcs: list[Path], out: Path, pages: list[dict]) -> None:
    """The smallest WACZ 1.1.1 writer: plain CDXJ, WARCs stored, hashes taken while copying."""
    import io

    from cdxj_indexer.main import CDXJIndexer

    index = io.StringIO()
    CDXJIndexer(index, [str(w) for w in warcs], sort=True, post_append=True, digest_records=True,
                fields="referrer").process_all()
    resources = []

    def add(z: zipfile.ZipFile, name: str, data: bytes | Path, compress: int) -> None:
        digest, size = hashlib.sha256(), 0
        info = zipfile.ZipInfo(name, datetime.now(UTC).timetuple()[:6])
        info.compress_type = compress
        with z.open(info, "w") as dst:
            src = io.BytesIO(data) if isinstance(data, bytes) else data.open("rb")
            with src:
                while block := src.read(1 << 20):
                    digest.update(block)
                    size += len(block)
                    dst.write(block)
        resources.append({"name": Path(name).name, "path": name, "hash": f"sha256:{digest.hexdigest()}",
                          "bytes": size})

    with zipfile.ZipFile(out, "w") as z:
        for warc in warcs:
            add(z, f"archive/{warc.name}", warc, zipfile.ZIP_STORED)
        add(z, "indexes/index.cdxj", index.getvalue().encode(), zipfile.ZIP_DEFLATED)
        lines = [{"format": "json-pages-1.0", "id": "pages", "title": "pages"}, *pages]
        add(z, "pages/pages.jsonl", "".join(json.dumps(p) + "\n" for p in lines).encode(), zipfile.ZIP_DEFLATED)
        package = json.dumps({"profile": "data-package", "resources": resources, "wacz_version": "1.1.1",
                              "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                              "software": "nianbao benchmark writer"}, indent=1).encode()
        z.writestr("datapackage.json", package, zipfile.ZIP_DEFLATED)
        z.writestr("datapackage-digest.json", json.dumps(
            {"path": "datapackage.json", "hash": f"sha256:{hashlib.sha256(package).hexdigest()}"}), zipfile.ZIP_DEFLATED)


def child(engine: str, archive: Path, out: Path) -> None:
    from archive.release.wacz import export_wacz, warc_files

    t0 = time.perf_counter()
    if engine == "py-wacz":
        export_wacz(archive, out)
    else:
        from archive.release.wacz import scan_warc

        warcs = warc_files(archive)  # the same scan export_wacz makes (damage check, page list)
        pages = [{"url": u, "ts": "2026-01-01T00:00:00Z", "title": u} for w in warcs for u in scan_warc(w).html]
        own_writer(warcs, out, pages)
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--pdf-kib", type=int, default=300)
    ap.add_argument("--child", nargs=3, metavar=("ENGINE", "ARCHIVE", "OUT"))
    args = ap.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive"
        make_warcs(archive, args.pages, args.pdf_kib)
        warc_bytes = sum(p.stat().st_size for p in (archive / "warc").iterdir())
        print(f"{args.pages} HTML pages + {args.pages // 5} PDFs of {args.pdf_kib} KiB: "
              f"{len(list((archive / 'warc').iterdir()))} WARC files, {warc_bytes / 2**20:,.0f} MiB")
        results = {}
        for engine in ("py-wacz", "own"):
            out = Path(tmp) / f"{engine}.wacz"
            proc = subprocess.run([sys.executable, __file__, "--child", engine, str(archive), str(out)],
                                  capture_output=True, text=True, check=True)
            figures = json.loads(proc.stdout.strip().splitlines()[-1])
            valid = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(out)],
                                   capture_output=True, text=True)
            figures |= {"mib": out.stat().st_size / 2**20, "valid": valid.returncode == 0}
            results[engine] = figures
        base = results["py-wacz"]
        print(f"{'writer':<10}{'seconds':>10}{'ratio':>8}{'peak MiB':>10}{'WACZ MiB':>10}  valid")
        for engine, f in results.items():
            print(f"{engine:<10}{f['seconds']:>10.1f}{f['seconds'] / base['seconds']:>8.2f}{f['peak_mib']:>10.0f}"
                  f"{f['mib']:>10.1f}  {f['valid']}")


if __name__ == "__main__":
    main()
