"""A scanned PDF's pages read side by side, one process per free core.

Pages of a scan are independent: each process renders and reads its own pages from
the PDF it was given once, and hands back only the page's paragraphs and rows, which
are joined in page order, so the Document is the one a serial reading gives. Peak
memory is one rendered page per process, whatever the length of the report. Where
the cores are not free (a build's or a cluster's worker process, which parses one
document per core already) the pages are read in turn; ``NIANBAO_PAGE_JOBS=N`` says
how many processes, overriding the guess.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from parsers.guards import DocumentError

PAGE_JOBS_ENV = "NIANBAO_PAGE_JOBS"

_pdf = None  # in a page process: the PDF it reads pages of


def page_jobs(pages: int) -> int:
    """Processes to read ``pages`` pages with: $NIANBAO_PAGE_JOBS, else 1 in a worker
    process (its siblings hold the other cores), else the cores the load leaves free."""
    if pages <= 1:
        return 1
    chosen = os.environ.get(PAGE_JOBS_ENV, "").strip()
    if chosen.isdigit() and int(chosen) > 0:
        return min(pages, int(chosen))
    if multiprocessing.parent_process() is not None:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    free = cores - int(os.getloadavg()[0] + 0.5) + 1  # this process's own load is not another's
    return max(1, min(pages, cores, free))


def _start(data: bytes) -> None:
    import pypdfium2 as pdfium

    global _pdf
    _pdf = pdfium.PdfDocument(data)
    os.environ[PAGE_JOBS_ENV] = "1"


def page(index: int):
    """In a page process: page ``index`` of its PDF (a pypdfium2 page)."""
    return _pdf[index]


def read_pages_in_parallel(data: bytes, pages: int, jobs: int, read: Callable[[int], list]) -> list[list]:
    """``read(i)`` of each page, in page order, run in ``jobs`` processes that each hold
    the PDF (``read`` is a module-level function: it goes to them by name)."""
    # forkserver: a fresh process, never a fork of one whose ONNX Runtime threads are running
    ctx = multiprocessing.get_context("forkserver")
    try:
        with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_start, initargs=(data,)) as pool:
            return list(pool.map(read, range(pages)))
    except BrokenProcessPool as e:
        raise DocumentError(f"a page reader process died (out of memory?): {e}") from e
