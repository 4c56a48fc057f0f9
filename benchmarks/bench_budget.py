"""What the per-document budget costs a good document: a parse in this process (the
baseline), in the long-lived limited worker (parsers.budget, what the build and
``nianbao parse`` use), and in a fresh forked child per document (the simple way), on the
same fixture documents, each a few times; ratios against the baseline of the same run.

Run: .venv/bin/python benchmarks/bench_budget.py [--rounds N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers import Budget, parse_bytes, parse_limited  # noqa: E402

DOCS = ["seeds/000_594d41d03b487b01.txt", "html/trs_2019.html", "html/hanweb_2021.html",
        "office/laoshan_2021.docx", "office/yicheng_2019.xlsx", "office/yicheng_2019.pdf",
        "office/yicheng_2019.ofd"]


def _child(conn, data, name):
    import resource

    resource.setrlimit(resource.RLIMIT_DATA, (2048 * 2**20,) * 2)
    conn.send(parse_bytes(data, name))


def fork_per_document(data: bytes, name: str):
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=_child, args=(child, data, name))
    p.start()
    if not parent.poll(300):
        p.kill()
    report = parent.recv()
    p.join()
    return report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    rounds = ap.parse_args().rounds
    docs = [(d, (ROOT / "tests" / "fixtures" / d).read_bytes()) for d in DOCS]
    budget = Budget()
    ways = {
        "in process (baseline)": lambda data, name: parse_bytes(data, name),
        "limited worker": lambda data, name: parse_limited(data, name, budget=budget),
        "fork per document": fork_per_document,
    }
    for _, data in docs:  # warm: imports, the worker started, caches filled
        for way in ways.values():
            way(data, "warm")
    times: dict[str, list[float]] = {w: [] for w in ways}
    for _ in range(rounds):
        for name, data in docs:
            for way, fn in ways.items():
                t = time.perf_counter()
                fn(data, name)
                times[way].append(time.perf_counter() - t)
    base = statistics.mean(times["in process (baseline)"])
    print(f"{len(docs)} documents x {rounds} rounds")
    for way, ts in times.items():
        mean = statistics.mean(ts)
        print(f"{way:24s} {1000 * mean:8.1f} ms/document  ratio {mean / base:5.2f}  "
              f"overhead {1000 * (mean - base):+6.1f} ms")


if __name__ == "__main__":
    main()
