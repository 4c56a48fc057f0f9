"""One run of ``nianbao build``: plan, parse (cache, processes), write, swap in.

The new file is written beside the old one (``.NAME.building``) and renamed
over it, so readers never see half a file, whichever way it was made.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlite_utils

from archive.build import corrections, fingerprint, health
from archive.build.cache import ParseCache, cache_key
from archive.build.full import full_build
from archive.build.parallel import Task, outcomes
from archive.build.parser_version import parser_version
from archive.build.plan import Step, build_plan
from archive.build.progress import ProgressBar
from archive.build.rows import BuildResult
from crawler import registry
from crawler.store import ArchiveStore


def cache_path(archive_dir: str | Path) -> Path:
    return Path(archive_dir) / "cache" / "parsed.sqlite"


def task_for(store: ArchiveStore, step: Step) -> Task | None:
    if not step.parsed:
        return None
    fetch = step.version.first
    return Task(cache_key(step.version.sha256, fetch.url, fetch.content_type, step.figures),
                str(store.blob_path(step.version.sha256)), fetch.url, fetch.content_type,
                tuple(str(store.blob_path(sha)) for sha in step.figures))


def build(archive_dir: str | Path, db_path: str | Path, sites: str | Path | None = None, *,
          jobs: int = 1, reparse: bool = False, use_cache: bool = True, incremental: bool = False,
          progress: ProgressBar | None = None, scheduler: str | None = None,
          worker_archive: str | None = None, corrections_file: str | Path | None = None) -> BuildResult:
    """The database of the archive. Parses come from the parse cache unless ``reparse``;
    ``jobs`` processes parse the rest, or the Dask cluster at ``scheduler`` (whose workers
    reach the archive at ``worker_archive``, default the same path: archive.build.cluster);
    ``incremental`` updates the existing database in place of rebuilding it when only new
    documents and states differ (archive.build.incremental); ``progress``: an
    archive.build.progress.ProgressBar; ``corrections_file``: applied on top of the parse
    (default ``<archive>/corrections.csv``, archive.build.corrections)."""
    store = ArchiveStore(archive_dir)
    target = Path(db_path)
    tmp = target.with_name(f".{target.name}.building")
    tmp.unlink(missing_ok=True)
    entries = {e.name: e for e in registry.load(sites)}
    steps = build_plan(store)
    fixes = corrections.read_file(corrections_file or corrections.default_path(archive_dir))
    info = fingerprint.stamp(entries)
    cache = ParseCache(cache_path(archive_dir), parser_version()) if use_cache else None
    pool = None
    try:
        if scheduler:
            from archive.build.cluster import ClusterPool

            pool = ClusterPool(scheduler, archive_dir, worker_archive)
        if cache is not None:
            cache.prune()

        def parse(chosen: list[Step], result: BuildResult):
            def counted(cached: bool) -> None:
                result.cached += cached
                result.parsed += not cached
                if progress is not None:
                    progress.advance(cached)

            todo = sum(1 for s in chosen if s.parsed)
            if progress is not None:
                progress.start(todo)
            tasks = (task_for(store, s) for s in chosen)
            if pool is not None:
                return outcomes(tasks, cache=cache, reparse=reparse, jobs=pool.workers, progress=counted,
                                pool=pool)
            # a pool for a handful of documents (a nightly crawl's) costs more than it saves
            return outcomes(tasks, cache=cache, reparse=reparse,
                            jobs=jobs if todo >= 2 * jobs else 1, progress=counted)

        result = None
        why = "asked for a full build"
        if incremental and not reparse:
            from archive.build.incremental import update

            result, why = update(target, tmp, steps, entries, info, parse, fixes)
            if result is not None:
                db = sqlite_utils.Database(tmp)
                health.create(db, store.crawls())
                db.conn.commit()
                db.close()
        if result is None:
            tmp.unlink(missing_ok=True)
            result = BuildResult(path=target)
            db = sqlite_utils.Database(tmp)
            # the file is only swapped in once complete: no journal, no fsync while building
            db.execute("pragma journal_mode = off")
            db.execute("pragma synchronous = off")
            full_build(db, steps, parse(steps, result), entries, result, fixes)
            health.create(db, store.crawls())  # each site's crawls, reports and alarms
            fingerprint.write(db, info)
            db.conn.commit()
            db.execute("vacuum")
            db.close()
            result.incremental = why
    finally:
        if pool is not None:
            pool.shutdown()
        if cache is not None:
            cache.close()
        if progress is not None:
            progress.finish()
    os.replace(tmp, target)
    return result
