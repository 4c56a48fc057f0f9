"""Build speed: parse cache, --jobs N and --incremental, each against a full cold build
measured in the same run. Run: .venv/bin/python benchmarks/bench_build.py [N] [--jobs J]
[--added K]

An archive of N generated HTML reports (default 2000; bench_archive's generator) is
built cold with one process (the baseline, no cache), cold with J processes (writing the
parse cache, as a first ``nianbao build`` does), again from the parse cache, and then once
more after a re-crawl brought K new reports (default 1% of N), incrementally and in full
(from the cache). bench_scale.py runs the same series at 10 000 reports, K = 10.
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

from archive.build.run import build  # noqa: E402
from benchmarks.bench_archive import add_reports, make_archive  # noqa: E402


def build_series(root: Path, n: int, jobs: int, added: int) -> dict[str, float]:
    """Seconds of each build, printed against the cold one-process build; root/nianbao.db
    ends up the incrementally updated database."""
    archive = make_archive(root, n)
    out: dict[str, float] = {}

    def timed(key: str, label: str, db: str, **options) -> None:
        t0 = time.perf_counter()
        result = build(archive, root / db, **options)
        out[key] = time.perf_counter() - t0
        if options.get("incremental"):
            assert result.incremental == "updated", result.incremental
        print(f"  {label:<44}{out[key]:8.1f} s {out[key] / out.get('one', out[key]):7.3f}x"
              f"  ({result.parsed} parsed, {result.cached} cached)", flush=True)

    print(f"\n== builds, {n} generated HTML reports (seconds; x the cold one-process build)")
    timed("one", "cold, 1 process, no cache (baseline)", "a.db", use_cache=False)
    timed("all", f"cold, {jobs} processes, cache written", "b.db", jobs=jobs)
    timed("cache", "full, everything from the parse cache", "nianbao.db", jobs=jobs)
    same = len({hashlib.sha256((root / db).read_bytes()).hexdigest() for db in ("a.db", "b.db", "nianbao.db")}) == 1
    print(f"  the three databases are byte-identical: {same}")
    add_reports(archive, n, added, crawl_id="recrawl")
    timed("incremental", f"+{added} reports, --incremental", "nianbao.db", jobs=jobs, incremental=True)
    timed("full_after", f"+{added} reports, full build (cache)", "d.db", jobs=jobs)
    print(f"  incremental / full: {out['incremental'] / out['full_after']:.3f} of the full build from the cache, "
          f"{out['incremental'] / out['one']:.3f} of a cold full build (goal: < 0.05)")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--added", type=int, help="reports the re-crawl brings (default: 1%% of N)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        build_series(Path(tmp), args.n, args.jobs, args.added or max(1, args.n // 100))


if __name__ == "__main__":
    main()
