"""The nianbao command line: parse, crawl, build, serve, demo."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from archive.report_summary import summary
from parsers import ParseError, budget, parse_file_limited


@click.group()
@click.version_option(package_name="nianbao")
def cli() -> None:
    """nianbao: China's government information-disclosure annual reports as data."""


def budget_options(command):
    """--parse-seconds / --parse-memory: the per-document budget (parsers.budget), passed to
    the parse workers as NIANBAO_PARSE_SECONDS / NIANBAO_PARSE_MEMORY_MB."""
    command = click.option("--parse-memory", type=click.IntRange(min=64), metavar="MIB",
                           help=f"Memory one document's parse may use (default {budget.MEMORY_MB}).")(command)
    return click.option("--parse-seconds", type=click.FloatRange(min=0.1), metavar="S",
                        help=f"Seconds one document's parse may take (default {budget.SECONDS:g}).")(command)


def set_budget(seconds: float | None, memory: int | None) -> None:
    if seconds:
        os.environ["NIANBAO_PARSE_SECONDS"] = str(seconds)
    if memory:
        os.environ["NIANBAO_PARSE_MEMORY_MB"] = str(memory)


def _one_line(text: str) -> str:
    return " ".join(text.split())


@cli.command()
@click.argument("path", type=str)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@budget_options
def parse(path: str, as_json: bool, parse_seconds: float | None, parse_memory: int | None) -> None:
    """Read one report (text, HTML, PDF, scanned PDF, DOCX, DOC/WPS) and print what it holds."""
    set_budget(parse_seconds, parse_memory)
    try:
        report = parse_file_limited(path)
    except ParseError as e:
        click.echo(_one_line(f"nianbao: cannot parse {path}: {e}"), err=True)
        sys.exit(1)
    except Exception as e:  # a bug must not print a traceback at an operator
        what = str(e) if isinstance(e, budget.ParserBug) else f"{type(e).__name__}: {e}"
        click.echo(_one_line(f"nianbao: cannot parse {path}: internal error: {what}"), err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(summary(report))


SCHEDULER = click.option(
    "--scheduler", metavar="tcp://HOST:8786",
    help="Parse on this Dask scheduler's workers (see nianbao worker), not in local processes.")
WORKER_ARCHIVE = click.option(
    "--worker-archive", metavar="PATH|URL",
    help="The archive folder as the workers reach it: their mount path or an fsspec URL "
         "(default: the same path).")


def default_archive(db: str) -> str:
    return str(Path(db).with_suffix(".archive"))


@cli.command()
@click.argument("url", required=False)
@click.option("--db", "db_path", default="nianbao.db", show_default=True, help="SQLite database to build.")
@click.option("--archive", "archive_dir", help="Archive folder (default: beside the database).")
@click.option("--site", "sites", multiple=True, help="A site of the registry, by name (repeatable).")
@click.option("--all", "all_sites", is_flag=True, help="Every site of the registry.")
@click.option("--cms", type=click.Choice(["auto", "trs", "hanweb", "generic"]), default="auto",
              show_default=True, help="CMS family of URL.")
@click.option("--registry", "registry_file", type=click.Path(exists=True), help="Another sites.csv.")
@click.option("--delay", type=float, help="Seconds between requests to one site.")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting.")
@click.option("--no-build", is_flag=True, help="Only crawl into the archive (workers of a distributed crawl).")
@click.option("--redis", "redis_url", help="Share one frontier with other workers: redis://host:6379/0.")
@click.option("--run-id", help="Workers of one distributed run share it (default: today's date).")
@click.option("--jobs", "-j", type=int, default=0,
              help="Processes parsing in the build (default 0: one per CPU).")
@click.option("--full-build", is_flag=True, help="Rebuild the database in full, not only what is new.")
@SCHEDULER
@WORKER_ARCHIVE
@click.option("--json", "as_json", is_flag=True, help="Print the summary and each site's health as JSON.")
@budget_options
def crawl(url, db_path, archive_dir, sites, all_sites, cms, registry_file, delay, overrides,
          no_build, redis_url, run_id, jobs, full_build, scheduler, worker_archive, as_json,
          parse_seconds, parse_memory) -> None:
    """Crawl a site from URL, or registry sites, into the archive; then build the database.

    Exit status: 0 all well; 1 a site failed (nothing fetched, list pages lost, a budget
    reached); 3 an alarm (a site that yielded reports found none or far fewer, or failed
    3 runs in a row: see nianbao health); 75 another crawl holds the archive."""
    set_budget(parse_seconds, parse_memory)
    from archive.build.run import build
    from archive.crawl_summary import render, reports_per_site
    from crawler import registry
    from crawler.run import Target
    from crawler.run import crawl as run_crawl

    targets = [Target(url=url, cms=cms)] if url else []
    names = [e.name for e in registry.load(registry_file)] if all_sites else list(sites)
    targets += [Target(site=n) for n in names]
    if not targets:
        raise click.UsageError("give a start URL, --site NAME or --all")
    archive_dir = archive_dir or default_archive(db_path)
    settings = dict(s.split("=", 1) for s in overrides)
    if delay is not None:
        settings.update(DOWNLOAD_DELAY=delay, AUTOTHROTTLE_START_DELAY=delay)
    if redis_url:
        import time

        from crawler.distributed import redis_settings
        from crawler.settings import DOWNLOAD_DELAY

        shared = float(settings.get("DOWNLOAD_DELAY", DOWNLOAD_DELAY))
        settings.update(redis_settings(redis_url, run_id or time.strftime("%Y%m%d"), shared))
    from crawler.lock import Busy, crawl_lock

    try:
        with crawl_lock(archive_dir, shared=bool(redis_url)):
            runs = run_crawl(targets, archive_dir, settings, registry_file)
            if no_build:
                click.echo(render(runs, {}, []))
                sys.exit(1 if _any_failed(runs, worker=bool(redis_url)) else 0)
            from archive.build.parallel import default_jobs

            with cluster_errors():
                result = build(archive_dir, db_path, registry_file, jobs=jobs or default_jobs(),
                               incremental=not full_build, scheduler=scheduler, worker_archive=worker_archive)
    except Busy as e:
        click.echo(f"nianbao: {e}", err=True)
        sys.exit(75)  # EX_TEMPFAIL: try again later
    from archive import health_summary

    health = health_summary.latest(db_path, [run.site for run in runs])
    status = 1 if _any_failed(runs) else health_summary.ALARM_STATUS if any(h["alarms"] for h in health) else 0
    if as_json:
        per_site = reports_per_site(db_path)
        by_site = {h["site"]: h for h in health}
        click.echo(json.dumps({
            "sites": [{**dataclasses.asdict(run), "reports": per_site.get(run.site, 0),
                       "health": by_site.get(run.site)} for run in runs],
            "reports": result.reports, "documents": result.documents, "db": db_path,
            "errors": result.errors, "exit_status": status}, ensure_ascii=False, indent=1))
    else:
        click.echo(render(runs, reports_per_site(db_path), result.errors))
        for message in result.corrections:
            click.echo(f"correction: {message}", err=True)
        for line in health_summary.alarm_lines(health):
            click.echo(line)
        click.echo(f"{result.reports} reports in {db_path} ({result.documents} documents archived in {archive_dir})")
    sys.exit(status)


def _any_failed(runs, worker: bool = False) -> bool:
    """A site failed when nothing could be fetched, its list pages were lost, or a budget
    stopped it (a worker of a distributed run may rightly fetch nothing: the others did)."""
    return any((run.pages == 0 and not worker) or run.finish_reason not in ("finished", "")
               or run.list_failures or run.budget_stops for run in runs)


@contextmanager
def cluster_errors():
    """A cluster that cannot go on is one line and status 1; what it parsed is in the cache."""
    from archive.build.cluster import ClusterError

    try:
        yield
    except ClusterError as e:
        click.echo(f"nianbao: build stopped: {e} (what was parsed is cached: run it again to resume)", err=True)
        sys.exit(1)


@cli.command("worker")
@click.argument("scheduler")
@click.option("--nworkers", type=int, default=0, help="Worker processes (default 0: one per CPU).")
@click.option("--name", help="A name for this machine's workers (default: Dask's).")
def worker_cmd(scheduler: str, nworkers: int, name: str | None) -> None:
    """Parse for the builds sent to the Dask scheduler at SCHEDULER (tcp://HOST:8786).

    Runs ``dask worker`` with what the parse wants: one thread per process (parsing holds
    the GIL), processes that may start their own (a per-document time limit), and a
    scanned report's pages read one at a time in each (the cores are the workers')."""
    import os

    from archive.build.parallel import default_jobs

    args = [sys.executable, "-m", "distributed.cli.dask_worker", scheduler, "--nthreads", "1",
            "--nworkers", str(nworkers or default_jobs()), "--no-dashboard"]
    if name:
        args += ["--name", name]
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False", "NIANBAO_PAGE_JOBS": "1"}
    os.execve(sys.executable, args, env)


@cli.command("health")
@click.option("--db", "db_path", default="nianbao.db", show_default=True)
@click.option("--site", "sites", multiple=True, help="Only this site (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: each site's latest run and its trend.")
def health_cmd(db_path: str, sites: tuple[str, ...], as_json: bool) -> None:
    """Each site's latest crawl: reports against its earlier crawls, errors, time, alarms.

    Exit status 3 when a site has an alarm (for cron and monitoring), else 0."""
    from archive import health_summary

    if not Path(db_path).exists():
        raise click.UsageError(f"no database at {db_path}")
    rows = health_summary.latest(db_path, list(sites) or None)
    if as_json:
        click.echo(json.dumps({"sites": [{**r, "trend": health_summary.trend(db_path, r["site"])} for r in rows]},
                              ensure_ascii=False, indent=1))
    else:
        click.echo(health_summary.render(rows, db_path))
    sys.exit(health_summary.ALARM_STATUS if any(r["alarms"] for r in rows) else 0)


@cli.command("build")
@click.option("--db", "db_path", default="nianbao.db", show_default=True)
@click.option("--archive", "archive_dir", help="Archive folder (default: beside the database).")
@click.option("--registry", "registry_file", type=click.Path(exists=True))
@click.option("--jobs", "-j", type=int, default=0,
              help="Processes parsing documents (default 0: one per CPU). Same database whatever N.")
@click.option("--reparse", is_flag=True, help="Parse every document again, ignoring the parse cache.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the parse cache.")
@click.option("--incremental", is_flag=True,
              help="Add only what is new to the existing database (falls back to a full build).")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Progress line on stderr.")
@SCHEDULER
@WORKER_ARCHIVE
@click.option("--corrections", "corrections_file", type=click.Path(dir_okay=False),
              help="The corrections file to apply (default: corrections.csv in the archive).")
@budget_options
def build_cmd(db_path: str, archive_dir: str | None, registry_file: str | None, jobs: int,
              reparse: bool, no_cache: bool, incremental: bool, progress: bool, scheduler: str | None,
              worker_archive: str | None, corrections_file: str | None, parse_seconds: float | None,
              parse_memory: int | None) -> None:
    """(Re)build the database from the archived documents; the old file is swapped atomically."""
    set_budget(parse_seconds, parse_memory)
    from archive.build.parallel import default_jobs
    from archive.build.progress import ProgressBar
    from archive.build.run import build

    with cluster_errors():
        result = build(archive_dir or default_archive(db_path), db_path, registry_file,
                       jobs=jobs or default_jobs(), reparse=reparse, use_cache=not no_cache,
                       incremental=incremental, progress=ProgressBar() if progress else None,
                       scheduler=scheduler, worker_archive=worker_archive,
                       corrections_file=corrections_file)
    for error in result.errors:
        click.echo(f"unreadable: {error}", err=True)
    for message in result.corrections:
        click.echo(f"correction: {message}", err=True)
    how = "updated in place" if result.incremental == "updated" else "built in full"
    if incremental and result.incremental != "updated":
        how += f" ({result.incremental})"
    click.echo(f"{result.reports} reports from {result.documents} documents -> {db_path} "
               f"({result.parsed} parsed, {result.cached} from cache; {how})")


@cli.command("correct")
@click.argument("document")
@click.argument("key")
@click.argument("value")
@click.option("--reason", required=True, help="Why: what the original prints (e.g. 原件为3, the scan's 8 is a 3).")
@click.option("--who", required=True, help="Who proposes it (a name or handle).")
@click.option("--date", "when", help="YYYY-MM-DD (default: today).")
@click.option("--evidence", default="", help="A link to the evidence (the number's /-/evidence/ page).")
@click.option("--db", "db_path", default="nianbao.db", show_default=True, help="The database built from the archive.")
@click.option("--archive", "archive_dir", help="Archive folder (default: beside the database).")
@click.option("--file", "corrections_file", type=click.Path(dir_okay=False),
              help="The corrections file (default: corrections.csv in the archive).")
@click.option("--replace", is_flag=True, help="Replace the file's line for the same cell.")
def correct_cmd(document, key, value, reason, who, when, evidence, db_path, archive_dir,
                corrections_file, replace) -> None:
    """Add a correction: DOCUMENT (sha256, or a report id), cell KEY, the VALUE the original prints.

    Checked before it is written: the document is in the archive, the key is a cell of its
    template, the value reads as a number; the next build applies it."""
    import datetime as dt

    from archive.correct import CorrectionError, add_correction

    archive_dir = archive_dir or default_archive(db_path)
    try:
        line, note = add_correction(archive_dir, db_path, corrections_file, document, key, value, reason, who,
                                    when or dt.date.today().isoformat(), evidence, replace)
    except CorrectionError as e:
        click.echo(f"nianbao correct: {e}", err=True)
        sys.exit(2)
    click.echo(line)
    click.echo(note)


@cli.command("release")
@click.option("--db", "db_path", default="nianbao.db", show_default=True)
@click.option("--archive", "archive_dir", help="Archive folder (default: beside the database).")
@click.option("--out", "out_dir", required=True, help="Folder of releases; this one goes in nianbao-DATE/.")
@click.option("--date", help="Release date (default: today), YYYY-MM-DD.")
@click.option("--no-wacz", is_flag=True, help="Leave the archived pages (the WACZ of the crawl's WARCs) out.")
def release_cmd(db_path: str, archive_dir: str | None, out_dir: str, date: str | None, no_wacz: bool) -> None:
    """A dated snapshot to cite: the SQLite file, Parquet files of its tables, a CSV per wide
    table, the codebook, crawl dates and sites, the archived pages as a WACZ,
    datapackage.json, README.md, SHA256SUMS and CITATION.cff."""
    from archive.release.snapshot import release

    if not Path(db_path).exists():
        raise click.UsageError(f"{db_path} does not exist: run nianbao crawl or nianbao build first")
    target = release(db_path, out_dir, archive_dir or default_archive(db_path), date, wacz=not no_wacz,
                     warn=lambda line: click.echo(line, err=True))
    click.echo(f"release {target.name} in {target}")


@cli.command("export-wacz")
@click.option("--archive", "archive_dir", help="Archive folder (default: beside the database).")
@click.option("--db", "db_path", default="nianbao.db", show_default=True,
              help="Names the archived reports in the page list (optional).")
@click.option("--out", "out_path", required=True, help="The .wacz file to write.")
def export_wacz_cmd(archive_dir: str | None, db_path: str, out_path: str) -> None:
    """The crawl's WARCs as one WACZ (CDXJ index, page list, datapackage.json) that
    ReplayWeb.page and pywb open."""
    from archive.release.wacz import export_wacz

    archive_dir = archive_dir or default_archive(db_path)
    try:
        result = export_wacz(archive_dir, out_path, db_path if Path(db_path).exists() else None)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    for problem in result.problems:
        click.echo(f"export-wacz: {problem}", err=True)
    click.echo(f"{result.path}: {result.warcs} WARC files, {result.records} records, {result.pages} pages")


@cli.group()
def sites() -> None:
    """The registry of sites to crawl (crawler/sites.csv)."""


@sites.command("check")
@click.option("--site", "names", multiple=True, help="A site of the registry, by name (repeatable).")
@click.option("--all", "all_sites", is_flag=True, help="Every site of the registry.")
@click.option("--registry", "registry_file", type=click.Path(exists=True), help="Another sites.csv.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per site, in a list.")
@click.option("--timeout", default=15.0, show_default=True, help="Seconds per request.")
def sites_check(names, all_sites, registry_file, as_json, timeout) -> None:
    """Probe registry entries without crawling them: start URL, robots.txt, CMS, the 年报
    column and the report candidates on its first page. Exit status 1 if any fails."""
    from crawler import registry
    from crawler.probe import probe

    entries = registry.load(registry_file)
    if not all_sites:
        if not names:
            raise click.UsageError("give --site NAME or --all")
        known = {e.name for e in entries}
        missing = [n for n in names if n not in known]
        if missing:
            raise click.UsageError(f"not in the registry: {', '.join(missing)}")
        entries = [e for e in entries if e.name in names]
    results = [probe(e, timeout) for e in entries]
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=1))
    else:
        for r in results:
            click.echo(r.line())
    if not all(r.ok for r in results):
        sys.exit(1)


@cli.command()
@click.option("--db", "db_path", default="nianbao.db", show_default=True)
@click.option("--archive", "archive_dir", help="Archive folder (default: beside the database).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True)
@click.option("--releases", "releases_dir", type=click.Path(), help="Folder of nianbao release: linked from the home page.")
@click.option("--workers", type=int, default=0,
              help="Server processes sharing the port (default: one per core).")
@click.option("--cache-mb", type=int, default=256, show_default=True,
              help="MiB of answers each process keeps in memory (the database is immutable); 0: none.")
@click.option("--public-url", help="The archive's public origin (https://nianbao.example.org): every page's "
              "absolute links name it, whatever Host a request sends.")
def serve(db_path: str, archive_dir: str | None, host: str, port: int, releases_dir: str | None,
          workers: int, cache_mb: int, public_url: str | None) -> None:
    """Publish the database with Datasette (read-only, immutable)."""
    from archive.build.parallel import default_jobs
    from archive.web.serve import serve as run

    if not Path(db_path).exists():
        raise click.UsageError(f"{db_path} does not exist: run nianbao crawl or nianbao build first")
    run(db_path, host=host, port=port, archive_dir=archive_dir or default_archive(db_path),
        releases=releases_dir, workers=workers or default_jobs(), cache_mb=cache_mb, public_url=public_url)


@cli.command()
@click.option("--db", "db_path", default="demo/nianbao.db", show_default=True)
@click.option("--port", default=8001, show_default=True, help="Datasette's port.")
@click.option("--no-serve", is_flag=True, help="Stop after building the database.")
def demo(db_path: str, port: int, no_serve: bool) -> None:
    """The whole pipeline on the bundled replica sites: crawl, archive, build, serve."""
    import subprocess

    from replica import ReplicaServer, build_sites
    from replica.registry import registry_csv

    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    archive_dir = default_archive(db_path)
    with ReplicaServer(build_sites()) as replicas:
        for s in replicas.sites.values():
            click.echo(f"replica {s.name}: {replicas.url(s.name, s.start)}")
        registry = Path(archive_dir).with_suffix(".sites.csv")
        registry.write_text(registry_csv(replicas), encoding="utf-8")
        # each crawl in its own process: a Twisted reactor starts once per process
        cmd = [sys.executable, "-m", "archive.cli", "crawl", "--all", "--db", db_path,
               "--archive", archive_dir, "--registry", str(registry), "--delay", "0"]
        code = subprocess.call(cmd)
    if code not in (0, 1):
        raise click.ClickException("the demo crawl failed")
    from archive.release.snapshot import release

    releases = Path(db_path).parent / "releases"
    click.echo(f"release {release(db_path, releases, archive_dir).name} in {releases}")
    if not no_serve:
        from archive.web.serve import serve as run

        click.echo(f"serving http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        run(db_path, port=port, archive_dir=archive_dir, releases=releases)


if __name__ == "__main__":
    cli()
