"""Build a database of 10 000 generated reports and time the build and the main
Datasette pages. Run: .venv/bin/python benchmarks/bench_archive.py [N] [--jobs J]
[--format html|text] [--keep DIR] (DIR keeps the archive and database for the next run)

The reports are rendered in the official HTML layout (layouts.render) with random
cells whose totals agree, for N/15 agencies (5 per district, the districts real counties
of every province) over 2011-2025 — the years
before 2019 as pre-2019 reports with the Fujian statistics table (layouts.legacy), so the
database holds legacy rows and indicators of every era —, and parts 一 and 五 written in
sentences of real reports (benchmarks/data/prose.txt, from the seeds: about 2 000
characters a report, as long as the seeds' own); the archive is written as a crawl would
leave it, then ``nianbao build`` reads it like any other.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.agencies import gazetteer  # noqa: E402
from archive.build.run import build  # noqa: E402
from archive.web.serve import datasette_instance  # noqa: E402
from crawler.store import ArchiveStore, Fetch  # noqa: E402
from layouts.legacy import render_legacy_html, render_legacy_text  # noqa: E402
from layouts.render import render_html, render_text  # noqa: E402
from parsers.checks import outcome_rows  # noqa: E402
from parsers.templates import APPLICANT_COLUMNS, printed_keys, unit  # noqa: E402

ERRORS = 0.15  # share of generated reports with a misprinted outcome (real ones have some)


def cells_for(template: str, rng: random.Random) -> dict:
    """The template's cells as an agency fills them: per applicant column the outcomes add up
    to the total processed and the balance holds, each row's total is the sum of its
    columns, and one report in seven has one outcome misprinted (its outcome_sum fails)."""
    cells: dict = {}
    for key in printed_keys(template):
        table, row, col = key.split(".")
        if table == "active":
            cells[key] = round(rng.uniform(0, 5000), 2) if unit(key) == "wan_yuan" else rng.randint(0, 900)
    outcomes = outcome_rows(template)
    a = "applications"
    for col in APPLICANT_COLUMNS[:-1]:
        for row in outcomes:
            top = 60 if row in ("granted", "partially_granted", "unavailable_not_held") else 8
            cells[f"{a}.{row}.{col}"] = rng.choice([0, 0, 0, rng.randint(0, top)])
        processed = sum(cells[f"{a}.{row}.{col}"] for row in outcomes)
        forward = rng.choice([0, 0, rng.randint(0, 5)])
        over = min(rng.choice([0, 0, rng.randint(0, 5)]), processed + forward)
        cells.update({f"{a}.total_processed.{col}": processed, f"{a}.carried_forward.{col}": forward,
                      f"{a}.carried_over.{col}": over, f"{a}.new_received.{col}": processed + forward - over})
    if rng.random() < ERRORS:
        key = f"{a}.{rng.choice(outcomes)}.{rng.choice(APPLICANT_COLUMNS[:-1])}"
        cells[key] += rng.randint(1, 5)
    for row in ["new_received", "carried_over", *outcomes, "total_processed", "carried_forward"]:
        cells[f"{a}.{row}.total"] = sum(cells[f"{a}.{row}.{c}"] for c in APPLICANT_COLUMNS[:-1])
    for group in ("reconsideration", "litigation_direct", "litigation_after_review"):
        parts = [rng.randint(0, 3) for _ in range(4)]
        for outcome, v in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            cells[f"review.{group}.{outcome}"] = v
        cells[f"review.{group}.total"] = sum(parts)
    return cells


PROSE = (Path(__file__).parent / "data" / "prose.txt").read_text(encoding="utf-8").split()
FIRST_YEAR, YEARS = 2011, 15  # each agency reports on 2011-2025: 8 legacy years, 7 of the templates


def legacy_numbers(rng: random.Random) -> dict:
    received = rng.choice([0, 0, rng.randint(0, 80)])
    granted = rng.randint(0, received)
    partial = rng.randint(0, received - granted)
    return {"proactive_items": rng.randint(0, 3000), "requests_received": received,
            "requests_answered": received, "requests_granted": granted,
            "requests_partially_granted": partial, "requests_denied": received - granted - partial,
            "reconsiderations": rng.randint(0, 3), "lawsuits": rng.randint(0, 2)}


def legacy_page(agency: str, year: int, rng: random.Random, html: bool) -> str:
    """A pre-2019 report with its statistics table, part 一 in sentences of real reports."""
    overview = rng.sample(PROSE, rng.randint(15, 60))
    if html:
        page = render_legacy_html(agency, year, legacy_numbers(rng))
        return page.replace('<p class="MsoNormal">一、概述</p>',
                            '<p class="MsoNormal">一、概述</p>' + "".join(f"<p>{x}</p>" for x in overview), 1)
    return render_legacy_text(agency, year, legacy_numbers(rng)).replace("一、概述\n", "一、概述\n" + "\n".join(overview) + "\n", 1)


def with_prose(page: str, rng: random.Random, html: bool) -> str:
    """Parts 一 and 五 as reports write them, instead of the renderer's one-line stand-ins."""
    overview, problems = rng.sample(PROSE, rng.randint(15, 60)), rng.sample(PROSE, rng.randint(2, 10))
    if html:
        return page.replace("<p>本年度工作情况如下。</p>", "".join(f"<p>{x}</p>" for x in overview), 1).replace(
            "<p>五、存在的主要问题及改进情况</p><p>无。</p>",
            "<p>五、存在的主要问题及改进情况</p>" + "".join(f"<p>{x}</p>" for x in problems), 1)
    return page.replace("本年度工作情况如下。", "\n".join(overview), 1).replace(
        "五、存在的主要问题及改进情况\n\n无。", "五、存在的主要问题及改进情况\n\n" + "\n".join(problems), 1)


@lru_cache(maxsize=1)
def _counties() -> list[str]:
    # the mainland's: the archive holds the reports of the 条例, which Taiwan, Hong Kong and
    # Macao do not publish
    return sorted(c for c, d in gazetteer.divisions().items()
                  if d.level == "county" and c[:2] not in ("71", "81", "82"))


def district(d: int) -> str:
    """The d-th district's name: a real county of the gazetteer (山东省 … 新疆, scattered
    over every province, so the agencies are matched to their divisions as real ones are),
    and once all 2 849 are taken a made-up one (a million reports has 13 334 districts)."""
    counties = _counties()
    if d >= len(counties):
        return f"某某市第{d}区"
    return gazetteer.qualified(counties[d * 997 % len(counties)])  # 997: prime to 2 849


def make_archive(root: Path, n: int, fmt: str = "html") -> Path:
    add_reports(root / "archive", 0, n, fmt=fmt)
    return root / "archive"


def add_reports(archive: Path, start: int, count: int, crawl_id: str = "bench", fmt: str = "html") -> None:
    """Reports start .. start+count-1 (each one's numbers drawn from its own seed)."""
    store = ArchiveStore(archive, crawl_id=crawl_id)
    units = ["人民政府", "教育局", "卫生健康局", "民政局", "街道办事处"]
    day = 1 if crawl_id == "bench" else 2
    for i in range(start, start + count):
        rng = random.Random(2026 * 1_000_003 + i)
        k = i // YEARS  # each agency reports on 2011-2025: N/15 agencies
        agency = f"{district(k // 5)}{units[k % 5]}"
        year = FIRST_YEAR + i % YEARS
        template = "2019" if year < 2021 else "2021"
        if year < 2019:
            data = legacy_page(agency, year, rng, fmt != "text").encode()
        elif fmt == "text":
            page = render_text(cells_for(template, rng), template, agency, year).replace(
                f"\n{year}年", f"\n{agency}{year}年", 1)  # the title names the agency
        else:
            page = render_html(cells_for(template, rng), template, agency, year, f"{year + 1}年1月20日")
        if year >= 2019:
            data = with_prose(page, rng, fmt != "text").encode()
        store.record(Fetch(url=f"http://bench.example/{i}.{'txt' if fmt == 'text' else 'html'}",
                           sha256=store.put_blob(data), size=len(data), status=200,
                           content_type=f"text/{'plain' if fmt == 'text' else 'html'}; charset=utf-8",
                           fetched_at=f"2026-01-{day:02d}T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}+00:00",
                           site="bench", page_url="http://bench.example/"))


def untuned(db: Path):
    """Datasette as it was before the large-archive work: a count(*) per table page,
    facet suggestions on, and none of the serving indexes (dropped here)."""
    import sqlite_utils

    from archive.build.indexes import SERVING_INDEXES

    conn = sqlite_utils.Database(db)
    for table, indexes in SERVING_INDEXES.items():
        for columns in indexes:
            conn.execute(f"drop index if exists [idx_{table}_{'_'.join(columns)}]")
    conn.close()
    ds = datasette_instance(db)
    ds.inspect_data = None
    for database in ds.databases.values():
        database._cached_table_counts = None
    ds._settings["suggest_facets"] = True
    return ds


def tuned(db: Path):
    import sqlite_utils

    from archive.build.indexes import create_serving_indexes

    conn = sqlite_utils.Database(db)
    create_serving_indexes(conn)
    conn.close()
    return datasette_instance(db)


QUERIES = ("applications_by_outcome", "litigation_by_agency", "narrative_by_year", "failing_balance",
           "narrative_disagreements", "missing_reports", "agency_names_to_review", "indicator_series")


def main_pages(report_id: str, agency: str, db: str = "nianbao") -> list[str]:
    """Every main page the public sees: tables with facets, searches, a report, an agency,
    the wide tables and the canned queries."""
    return [
        "/", f"/{db}", f"/{db}/reports", f"/{db}/reports?_facet=year&_facet=template",
        f"/{db}/reports?_search=复议", f"/{db}/reports?_search=行政复议",
        f"/{db}/cells?key=applications.total_processed.total", f"/{db}/documents",
        f"/-/report/{report_id}", f"/-/agency/{agency}", "/-/coverage",
        *(f"/{db}/{t}" for t in ("table3_totals", "table4_review", "table2_2019", "table2_2021")),
        *(f"/{db}/{q}" for q in QUERIES),
        f"/{db}/agency_indicators?agency={agency}", f"/{db}/panel", f"/{db}/indicators",
        f"/{db}/legacy_rows",
    ]


async def time_pages(ds, report_id: str, agency: str, samples: int = 5) -> list[tuple[str, float, int]]:
    """Median seconds and the last status of each page (400: Datasette's time limit hit)."""
    out = []
    for path in main_pages(report_id, agency):
        times, status = [], 0
        for _ in range(samples):
            t0 = time.perf_counter()
            r = await ds.client.get(path)
            times.append(time.perf_counter() - t0)
            status = r.status_code
        out.append((path, statistics.median(times), status))
    return out


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=10_000)
    ap.add_argument("--jobs", type=int, default=1, help="processes parsing")
    ap.add_argument("--format", choices=["html", "text"], default="html", help="layout of the generated reports")
    ap.add_argument("--samples", type=int, default=5, help="requests per page (the median is printed)")
    ap.add_argument("--keep", type=Path, help="folder to keep the archive and database in (reused when present)")
    args = ap.parse_args()
    n = args.n
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        db_path = root / "nianbao.db"
        made = built = 0.0
        result = None
        if not db_path.exists():
            t0 = time.perf_counter()
            archive = make_archive(root, n, args.format)
            made = time.perf_counter() - t0
            t0 = time.perf_counter()
            result = build(archive, db_path, jobs=args.jobs)
            built = time.perf_counter() - t0
        size = db_path.stat().st_size / 2**20
        import sqlite_utils

        db = sqlite_utils.Database(db_path)
        first = next(db.query("select id, agency from reports limit 1"))
        before = asyncio.run(time_pages(untuned(db_path), first["id"], first["agency"], args.samples))
        t0 = time.perf_counter()
        ds = tuned(db_path)  # indexes created, counts and hash computed into the sidecar
        startup = time.perf_counter() - t0
        after = asyncio.run(time_pages(ds, first["id"], first["agency"], args.samples))
    if result is not None:
        print(f"{n} generated {args.format} reports: archive written in {made:.1f} s")
        print(f"nianbao build --jobs {args.jobs}: {built:.1f} s ({n / built:.0f} reports/s), "
              f"{result.reports} reports, {size:.0f} MiB database")
    else:
        print(f"database kept in {db_path}: {db['reports'].count} reports, {size:.0f} MiB")
    print(f"serving indexes, counts and hash computed once in {startup:.1f} s")
    print(f"{'Datasette page (median ms, status)':<62}{'untuned':>14}{'tuned':>14}{'ratio':>8}")
    for (path, b, bs), (_, a, as_) in zip(before, after, strict=True):
        print(f"{path[:61]:<62}{b * 1000:>9.0f} {bs:>4}{a * 1000:>9.0f} {as_:>4}{a / b:>8.2f}")


if __name__ == "__main__":
    main()
