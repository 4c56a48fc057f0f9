"""Chinese search tokens compared on the same texts: single characters vs overlapping pairs.

Run: .venv/bin/python benchmarks/compare_search_tokens.py DB [--out SCRATCH.db]

Indexes the title and text of every report of DB twice in a scratch file, as FTS5 tables
of single characters (each a token; a word is a phrase of its characters, the scheme used
before) and of overlapping pairs (archive/schema/cjk.py), and times the count of matches of the
same searches on each (best of 3), with the number of matches (they must agree).
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.schema import cjk  # noqa: E402

_CJK = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
SEARCHES = ("复议", "行政复议", "政府信息", "阳光政务", "不予公开", "营商环境")


def chars(text: str) -> str:
    return re.sub(r"\s+", " ", _CJK.sub(r" \1 ", text or "")).strip()


def chars_query(term: str) -> str:
    return '"' + chars(term) + '"'


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = sqlite3.connect(args.out or Path(tmp) / "tokens.db")
        out.execute("attach ? as src", [f"file:{args.db.resolve()}?mode=ro&immutable=1"])
        texts = out.execute("select r.rowid, r.title, t.body from src.reports r "
                            "join src.report_texts t on t.report_id = r.id").fetchall()
        schemes = {"characters": (chars, chars_query), "pairs": (cjk.spaced, cjk.query)}
        for name, (index, _) in schemes.items():
            out.execute(f"drop table if exists {name}")
            out.execute(f"create virtual table {name} using fts5(title, body, content='', tokenize='unicode61')")
            t0 = time.perf_counter()
            out.executemany(f"insert into {name}(rowid, title, body) values (?, ?, ?)",
                            ((r, index(t or ""), index(b or "")) for r, t, b in texts))
            out.commit()
            size = out.execute(f"select sum(length(block)) from {name}_data").fetchone()[0]
            print(f"{name}: {len(texts)} reports indexed in {time.perf_counter() - t0:.1f} s, "
                  f"{size / len(texts):,.0f} bytes of index a report")
        print(f"{'search':<10}{'matches':>9}" + "".join(f"{n + ' ms':>16}" for n in schemes) + f"{'ratio':>8}")
        for term in SEARCHES:
            best, counts = [], set()
            for name, (_, query) in schemes.items():
                times = []
                for _ in range(3):
                    t0 = time.perf_counter()
                    counts.add(out.execute(f"select count(*) from {name} where {name} match ?",
                                           [query(term)]).fetchone()[0])
                    times.append(time.perf_counter() - t0)
                best.append(min(times))
            assert len(counts) == 1, (term, counts)
            print(f"{term:<10}{counts.pop():>9}" + "".join(f"{t * 1000:>16.1f}" for t in best)
                  + f"{best[1] / best[0]:>8.2f}")


if __name__ == "__main__":
    main()
