"""What the public instance's SQL limits cost ordinary queries (archive/web/sql_limits.py).

The same queries on one in-memory table of 100 000 report-like rows, on a plain
connection with Datasette's own time limit (a progress handler every 1000 instructions:
the baseline) and on a connection as `nianbao serve` opens it (the limits, the authorizer,
the guarded functions, the row budget, a progress handler every 100 instructions). Each
query runs 5 times; the median is printed with the ratio to the baseline.

Run: .venv/bin/python benchmarks/bench_sql_limits.py [--rows N]   (~20 s)
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.web import sql_limits  # noqa: E402

QUERIES = {
    "facet count (group by, index)": "select year, count(*) from reports group by year",
    "scan with LIKE '%,balance,%'": "select count(*) from reports where ',' || checks_failing || ',' like '%,balance,%'",
    "filter __contains (LIKE '%区%')": "select id from reports where agency like '%崂山%' limit 1001",
    "instr over every text": "select count(*) from reports where instr(text, '行政复议') > 0",
    "printf of every row": "select count(printf('%s %d', agency, year)) from reports",
    "page of 100 rows, 8 columns": "select id, agency, year, template, checks_failing, site, url, length(text) "
                                   "from reports order by year desc, id limit 100",
}


def database(rows: int, guarded: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("create table reports (id integer primary key, agency text, year int, template text, "
                 "checks_failing text, site text, url text, text text)")
    conn.execute("create index reports_year on reports(year)")
    conn.executemany("insert into reports values (?, ?, ?, ?, ?, ?, ?, ?)", (
        (i, f"青岛市{'崂山' if i % 7 == 0 else '城阳'}区第{i}部门", 2008 + i % 17, "2021" if i % 2 else "2019",
         "balance,narrative" if i % 50 == 0 else "", f"site{i % 40}", f"http://www.example.gov.cn/{i}.html",
         "本机关全年共收到政府信息公开申请" * 20 + ("行政复议" if i % 9 == 0 else ""))
        for i in range(rows)))
    conn.commit()
    if guarded:
        sql_limits.limit(conn)
    return conn


def timed(conn: sqlite3.Connection, sql: str, every: int) -> float:
    deadline = time.perf_counter() + 60
    conn.set_progress_handler(lambda: 1 if time.perf_counter() > deadline else 0, every)
    times = []
    for _ in range(5):
        sql_limits.budget.used = 0
        start = time.perf_counter()
        conn.execute(sql).fetchall()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    plain, guarded = database(args.rows, False), database(args.rows, True)
    print(f"{args.rows} rows; median of 5; baseline: a plain connection, progress every 1000 instructions")
    print(f"{'query':<34}{'baseline ms':>12}{'limited ms':>12}{'ratio':>8}")
    for name, sql in QUERIES.items():
        base = timed(plain, sql, 1000)
        limited = timed(guarded, sql, sql_limits.CHECK_EVERY)
        print(f"{name:<34}{base * 1000:>12.1f}{limited * 1000:>12.1f}{limited / base:>8.2f}")


if __name__ == "__main__":
    main()
