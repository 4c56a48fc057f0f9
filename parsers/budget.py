"""A parse within a time and memory budget: enforced in a child process, not hoped for.

A hostile or pathological document (a PDF declaring 100 000 pages, a Flate bomb, a tag
with a million attributes) must end in a clear error for that document, not take the
run past an hour or the machine past its memory. Each parse runs in a long-lived worker
process (forked from this one, so starting it costs a few milliseconds and no imports),
whose data segment is capped with ``RLIMIT_DATA`` (heap and anonymous memory, which is
what a bomb allocates; not the address space the OCR runtime reserves and never
touches) and whose answer is awaited for at most the time budget. A worker over either
limit is killed and the next document gets a new one; a good document pays only for
sending its bytes through a pipe (``benchmarks/bench_budget.py``).

Settings (defaults below): ``NIANBAO_PARSE_SECONDS``, ``NIANBAO_PARSE_MEMORY_MB``, or the
``--parse-seconds``/``--parse-memory`` options of ``nianbao parse``, ``build`` and
``crawl``.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import multiprocessing
import os
import signal
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.guards import DocumentError, read_file
from parsers.report import Report

SECONDS = 300.0  # a 30-page scan read by OCR on a loaded 2-core machine takes about two minutes
MEMORY_MB = 2048  # an OCR'd scan peaks near 600 MiB; a bomb goes past any cap


class BudgetExceeded(DocumentError):
    """A parse stopped at the time or memory budget; the message names the limit."""


class ParserBug(RuntimeError):
    """A parser raised what it should not have; the message is ``Type: message``."""


@dataclass(frozen=True)
class Budget:
    seconds: float = SECONDS
    memory_mb: int = MEMORY_MB

    @classmethod
    def from_env(cls) -> Budget:
        """The budget the environment sets (the CLI options set the same variables)."""
        def number(name: str, default: float) -> float:
            raw = os.environ.get(name, "")
            try:
                value = float(raw) if raw else default
            except ValueError:
                return default
            return value if value > 0 else default

        return cls(number("NIANBAO_PARSE_SECONDS", SECONDS),
                   int(number("NIANBAO_PARSE_MEMORY_MB", MEMORY_MB)))


# what native libraries say when an allocation fails under the cap (ONNX Runtime's arena,
# C++'s bad_alloc, errno ENOMEM): they raise their own exception types, not MemoryError
_NATIVE_OOM = ("failed to allocate memory", "bad_alloc", "cannot allocate memory", "out of memory")


def _out_of_memory(e: BaseException) -> bool:
    """A MemoryError, or an error a reader raised because of one (its cause or context), or
    a native library's allocation failure."""
    seen = 0
    while e is not None and seen < 20:
        if isinstance(e, MemoryError) or any(m in str(e).lower() for m in _NATIVE_OOM):
            return True
        e, seen = e.__cause__ or e.__context__, seen + 1
    return False


def _serve(conn, parent_end, memory_mb: int) -> None:
    """The worker: parse what comes down the pipe until told to stop (None), or until the
    pipe closes (the caller gone: the worker must not hold the caller's end open itself,
    as a fork inherits it). It leads a process group of its own, so that a kill takes
    LibreOffice's conversion with it."""
    if parent_end is not None:
        parent_end.close()
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    try:
        _loop(conn, memory_mb)
    except BaseException:  # nothing of a worker's end may print at the operator
        os._exit(3)


_INHERITED: list = []  # OCR sessions a forked worker inherited; see _loop


def _loop(conn, memory_mb: int) -> None:
    import faulthandler
    import logging
    import resource
    import warnings

    faulthandler.disable()  # a crash is the caller's one line, not a dump (pytest enables it)

    cap = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
    warnings.simplefilter("ignore")  # the libraries' complaints about a broken file: the error says it
    logging.getLogger().addHandler(logging.NullHandler())
    from parsers import recognise
    from parsers.parse import parse_bytes

    for name in ("ppocr_v4", "ppocr_v5"):
        model = getattr(recognise, name)
        if model.cache_info().currsize:  # a session made before the fork: its thread pool
            # is not in the child, and freeing it waits for those threads for ever
            # (pthread_cond_destroy): kept, never freed, and a new one made on first use
            _INHERITED.append(model)
            setattr(recognise, name, functools.cache(model.__wrapped__))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            answer = ("ok", parse_bytes(*job))
        except RecursionError:
            answer = ("error", "nested too deeply to read")
        except DocumentError as e:  # one line, whatever the library's message held
            answer = ("memory", "") if _out_of_memory(e) else ("error", " ".join(str(e).split()))
        except MemoryError:
            answer = ("memory", "")
        except Exception as e:  # a parser bug: named, the worker goes on
            answer = ("memory", "") if _out_of_memory(e) else (
                "internal", " ".join(f"{type(e).__name__}: {e}".split()))
        try:
            conn.send(answer)
        except MemoryError:
            answer = ("memory", "")
            with contextlib.suppress(MemoryError, OSError):
                conn.send(answer)
        if answer[0] == "memory":
            return  # a heap that ran out is no heap to parse the next document in


class _Worker:
    def __init__(self, budget: Budget) -> None:
        ctx = _context()
        self.budget = budget
        self.conn, child = ctx.Pipe()
        # not daemonic: a parse may start processes of its own; it ends when the pipe closes
        forked = ctx.get_start_method() == "fork"
        self.process = ctx.Process(target=_serve, args=(child, self.conn if forked else None, budget.memory_mb),
                                   name="nianbao-parse")
        self.process.start()
        child.close()

    def parse(self, job: tuple) -> Report:
        try:
            self.conn.send(job)
        except (BrokenPipeError, OSError) as e:
            self.stop()
            raise BudgetExceeded(self._died()) from e
        if not self.conn.poll(self.budget.seconds):
            self.stop()
            raise BudgetExceeded(f"over the time budget: stopped after {self.budget.seconds:g} s")
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError) as e:
            self.stop()
            raise BudgetExceeded(self._died()) from e
        if kind == "ok":
            return value
        if kind == "memory":
            self.stop()
            raise BudgetExceeded(f"over the memory budget of {self.budget.memory_mb} MiB")
        if kind == "internal":
            raise ParserBug(value)
        raise DocumentError(value)

    def _died(self) -> str:
        self.process.join(5)
        code = self.process.exitcode
        if code is not None and code < 0 and -code in (signal.SIGABRT, signal.SIGKILL):
            # a C library aborts when an allocation fails; the kernel kills when memory runs out
            return (f"the parse process died ({signal.Signals(-code).name}): over the memory "
                    f"budget of {self.budget.memory_mb} MiB")
        how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit status {code}"
        return f"the parse process crashed ({how})"

    def stop(self) -> None:
        pid = self.process.pid
        if self.process.is_alive() and pid:
            try:
                if os.getpgid(pid) == pid:  # the worker's own group: it and its children
                    os.killpg(pid, signal.SIGKILL)
                else:
                    self.process.kill()
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        self.process.join(5)
        self.conn.close()

    def alive(self) -> bool:
        return self.process.is_alive()


_workers: dict[int, _Worker] = {}  # this process's worker, by pid (a fork gets its own)
_registered: dict[int, bool] = {}  # processes whose exit stops their worker


def _threads() -> int:
    """This process's threads, native ones included (ONNX Runtime's pool is not Python's)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _context():
    """fork when this process has no other thread (cheap, nothing imported again), else
    forkserver (forking a threaded process can deadlock the child)."""
    if _threads() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["parsers.parse"])
    return ctx


def _worker(budget: Budget) -> _Worker:
    pid = os.getpid()
    w = _workers.get(pid)
    if w is None or not w.alive() or w.budget != budget:
        if w is not None:
            w.stop()
        w = _workers[pid] = _Worker(budget)
        if _registered.get(pid) is None:
            # multiprocessing's exit (of this process, or of a pool's worker, which never
            # runs atexit) joins every child, and a worker waits for its next document:
            # a finalizer it runs before joining stops the worker; atexit covers the rest
            from multiprocessing import util

            util.Finalize(None, _stop_workers, exitpriority=10)
            atexit.register(_stop_workers)
            _registered[pid] = True
    return w


def _stop_workers() -> None:
    w = _workers.pop(os.getpid(), None)
    if w is not None and w.alive():
        try:
            w.conn.send(None)
        except OSError:
            pass
        w.stop()


def parse_limited(data: bytes, source: str = "", content_type: str | None = None,
                  figures: Sequence[bytes] = (), budget: Budget | None = None) -> Report:
    """parse_bytes within ``budget`` (default: Budget.from_env()). Raises DocumentError for a
    document that cannot be read, BudgetExceeded for one over a limit, ParserBug for a
    parser bug; the caller's process is never the one that runs out."""
    budget = budget or Budget.from_env()
    if multiprocessing.current_process().daemon:  # no children allowed: the pool's own limits apply
        from parsers.parse import parse_bytes

        return parse_bytes(data, source, content_type, figures)
    return _worker(budget).parse((data, source, content_type, tuple(figures)))


def parse_file_limited(path: str | os.PathLike, budget: Budget | None = None) -> Report:
    """parse_file within ``budget``: the file read here, parsed in the limited worker."""
    return parse_limited(read_file(path), str(path), budget=budget)
