"""Parse the archived documents of a build: from the cache, or in N processes.

The build inserts rows in one fixed order, so results are handed back in the
order they were asked for whatever the number of processes; only a bounded
window of documents is in flight, so memory does not grow with the archive.
Every parse goes through the same JSON the cache stores, so a Report read from
the cache and one just parsed give the same rows, byte for byte.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from archive.build.cache import Outcome, ParseCache, report_to_json
from parsers import BudgetExceeded, ParseError, parse_limited
from parsers.budget import ParserBug

WINDOW_PER_JOB = 16  # documents in flight per process: enough to keep each one busy


@dataclass(frozen=True)
class Task:
    key: str  # archive.build.cache.cache_key
    blob: str  # path of the archived bytes
    url: str
    content_type: str | None
    figures: tuple[str, ...] = ()  # paths of the pictures the page shows (its tables, maybe)


def read_blob(path: str) -> bytes:
    """Archived bytes from a path, or from an fsspec URL (s3://…, gs://…) that a cluster's
    workers reach the archive by."""
    if "://" in path:
        import fsspec

        with fsspec.open(path, "rb") as f:
            return f.read()
    return Path(path).read_bytes()


def parse_task(task: Task) -> Outcome:
    """One document -> Outcome; never raises (one bad document must not stop a build)."""
    try:
        data = read_blob(task.blob)
        figures = [read_blob(f) for f in task.figures]
    except FileNotFoundError:
        return Outcome(None, "archived bytes missing", cacheable=False)
    try:  # within the per-document time and memory budget (parsers.budget; settings from env)
        report = parse_limited(data, task.url, task.content_type, figures)
    except BudgetExceeded as e:  # over time: the machine's load may be why, so tried next build
        return Outcome(None, str(e), cacheable="time budget" not in str(e))
    except ParseError as e:
        return Outcome(None, str(e))
    except Exception as e:  # a parser bug: reported, and tried again next build
        what = str(e) if isinstance(e, ParserBug) else f"{type(e).__name__}: {e}"
        return Outcome(None, f"internal error: {what}", cacheable=False)
    return Outcome(report_to_json(report))


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _threads() -> int:
    """Threads of this process, native ones too (ONNX Runtime's pool is invisible to
    ``threading``, and a fork of a process running it can deadlock)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _context():
    """fork when it is safe (no other thread, e.g. after a crawl's reactor): cheap, and a script
    without a ``__main__`` guard works; otherwise forkserver."""
    if _threads() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["archive.build.parallel"])
    return ctx


def outcomes(tasks: Iterable[Task | None], *, cache: ParseCache | None = None, reparse: bool = False,
             jobs: int = 1, progress: Callable[[bool], None] | None = None,
             pool: Executor | None = None) -> Iterator[Outcome | None]:
    """One Outcome per task, in order (None for None: a document that is not parsed).

    With ``reparse`` the cache is not read, only refreshed. ``progress(cached)`` is
    called once per document handed back. ``pool``: an Executor of ``parse_task`` that
    the caller owns (a cluster's, archive.build.cluster), ``jobs`` documents at a time;
    else ``jobs`` > 1 processes of this machine.
    """
    own = pool is None and jobs > 1
    if own:
        ctx = _context()
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)
    window: deque[tuple[Task | None, Outcome | Future | None, bool]] = deque()
    limit = max(1, jobs) * WINDOW_PER_JOB
    source = iter(tasks)
    exhausted = False
    try:
        while True:
            while not exhausted and len(window) < limit:
                try:
                    task = next(source)
                except StopIteration:
                    exhausted = True
                    break
                if task is None:
                    window.append((None, None, False))
                    continue
                hit = cache.get(task.key) if cache is not None and not reparse else None
                if hit is not None:
                    window.append((task, hit, True))
                elif pool is not None:
                    window.append((task, pool.submit(parse_task, task), False))
                else:
                    window.append((task, None, False))  # parsed when its turn comes
            if not window:
                return
            task, result, cached = window.popleft()
            if task is None:
                yield None
                continue
            if isinstance(result, Future):
                result = result.result()
            elif result is None:
                result = parse_task(task)
            if not cached and cache is not None:
                cache.put(task.key, result)
            if progress is not None:
                progress(cached)
            yield result
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
