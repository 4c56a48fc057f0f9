"""Build speed: parse cache, --jobs N and --incremental, each against a full cold build
measured in the same run. Run: .venv/bin/python benchmarks/bench_build.py [N] [--jobs J]

An archive of N generated HTML reports (default 2000; bench_archive's generator) is
built cold with one process (the baseline), cold with J processes, again from the
parse cache, and then once more after a re-crawl brought 1% new reports, in full
(from the cache) and incrementally.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.db import build  # noqa: E402
from benchmarks.bench_archive import add_reports, make_archive  # noqa: E402


def timed(label: str, baseline: float | None, fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    ratio = f"{seconds / baseline:6.2f}x" if baseline else "  1.00x"
    print(f"{label:<52}{seconds:8.1f} s {ratio}  ({result.parsed} parsed, {result.cached} cached)",
          flush=True)
    return seconds, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        archive = make_archive(root, args.n)
        print(f"{args.n} generated reports; seconds and ratio to the cold one-process build")
        base, _ = timed("cold, 1 process, no cache (baseline)", None,
                        lambda: build(archive, root / "a.db", use_cache=False))
        timed(f"cold, {args.jobs} processes, cache written", base,
              lambda: build(archive, root / "b.db", jobs=args.jobs))
        timed("rebuild, everything from the cache", base, lambda: build(archive, root / "c.db"))
        same = len({hashlib.sha256((root / f"{x}.db").read_bytes()).hexdigest() for x in "abc"}) == 1
        print(f"the three databases are byte-identical: {same}")
        add_reports(archive, args.n, args.n // 100, crawl_id="recrawl")
        timed("after a re-crawl (+1%): incremental", base,
              lambda: build(archive, root / "b.db", incremental=True))
        timed("after a re-crawl (+1%): full build, all from cache", base,
              lambda: build(archive, root / "c.db"))


if __name__ == "__main__":
    main()
