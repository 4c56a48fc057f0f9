"""The release of a large database: each file's size and time, and the long cells table
three ways (Parquet with dictionary-encoded keys as released, Parquet with plain strings,
CSV as the baseline) measured in the same run: bytes, write and pandas-load seconds,
pandas memory.

Run: .venv/bin/python benchmarks/bench_release.py DB [--out DIR]
     (benchmarks/bench_scale.py --keep DIR leaves a 100 000-report DIR/nianbao.db)
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyarrow.parquet as pq  # noqa: E402

from archive.release.parquet import write_parquet  # noqa: E402
from archive.release.released import Column, Released, released  # noqa: E402
from archive.release.snapshot import release  # noqa: E402


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def mib(n: float) -> str:
    return f"{n / 2**20:,.1f}"


def cells_three_ways(db: Path, folder: Path) -> None:
    import pandas as pd

    conn = sqlite3.connect(db)
    cells = next(t for t in released(conn) if t.table == "cells")
    plain = Released(cells.table, tuple(Column(**{**c.__dict__, "dictionary": False}) for c in cells.columns),
                     cells.primary_key, cells.foreign_keys, cells.zh, cells.en)
    rows = conn.execute("select count(*) from cells").fetchone()[0]

    def to_csv(path: Path) -> None:
        cursor = conn.execute("select report_id, key, value, raw, ocr from cells order by report_id, key")
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow([d[0] for d in cursor.description])
            while chunk := cursor.fetchmany(200_000):
                w.writerows(chunk)

    ways = {"CSV (baseline)": (folder / "cells.csv", lambda p: to_csv(p), pd.read_csv),
            "Parquet, plain strings": (folder / "plain.parquet", lambda p: write_parquet(conn, plain, p),
                                       pd.read_parquet),
            "Parquet, dictionary keys (released)": (folder / "cells.parquet",
                                                    lambda p: write_parquet(conn, cells, p), pd.read_parquet)}
    print(f"\n== cells: {rows:,} rows, three ways")
    print(f"{'file':<38}{'MiB':>9}{'B/row':>7}{'write s':>9}{'load s':>8}{'pandas MiB':>12}{'size ratio':>12}{'load ratio':>12}")
    base = None
    for name, (path, write, load) in ways.items():
        write_s, _ = timed(lambda w=write, p=path: w(p))
        load_s, frame = timed(lambda ld=load, p=path: ld(p))
        memory = frame.memory_usage(deep=True).sum()
        del frame
        size = path.stat().st_size
        base = base or (size, load_s)
        print(f"{name:<38}{mib(size):>9}{size / rows:>7.1f}{write_s:>9.1f}{load_s:>8.1f}{mib(memory):>12}"
              f"{size / base[0]:>12.3f}{load_s / base[1]:>12.3f}")
        path.unlink()
    conn.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", type=Path)
    ap.add_argument("--out", type=Path, help="where the release goes (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.out.parent if args.out else None) as tmp:
        out = args.out or Path(tmp)
        copy_s, _ = timed(lambda: shutil.copyfile(args.db, Path(tmp, "copy.db")))
        Path(tmp, "copy.db").unlink()
        seconds, target = timed(lambda: release(args.db, out, wacz=False, date="2026-01-01"))
        reports = sqlite3.connect(args.db).execute("select count(*) from reports").fetchone()[0]
        print(f"== release of {reports:,} reports: {seconds:.0f} s ({seconds / copy_s:.1f}x copying the database, "
              f"{copy_s:.1f} s, the baseline)")
        print(f"{'file':<28}{'MiB':>10}{'bytes/report':>14}{'rows':>12}")
        for path in sorted(target.iterdir(), key=lambda p: -p.stat().st_size):
            rows = pq.read_metadata(path).num_rows if path.suffix == ".parquet" else ""
            print(f"{path.name:<28}{mib(path.stat().st_size):>10}{path.stat().st_size / reports:>14,.0f}"
                  f"{rows if rows == '' else f'{rows:,}':>12}")
        parquet = sum(p.stat().st_size for p in target.glob("*.parquet"))
        print(f"all Parquet files: {mib(parquet)} MiB ({parquet / (target / 'nianbao.db').stat().st_size:.3f} of the SQLite file)")
        cells_three_ways(args.db, Path(tmp))


if __name__ == "__main__":
    main()
