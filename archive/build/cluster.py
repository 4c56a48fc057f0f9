"""The build's parse on a Dask distributed cluster: ``nianbao build --scheduler tcp://HOST:8786``.

Dask was chosen by measurement against Ray and Celery on Redis (docs/scale.md): the
lowest start-up, a killed worker's tasks rerun on the others within a second, and a
cluster is two commands (``dask scheduler``, ``nianbao worker``). The workers run the
same per-document function as the local pool (``parallel.parse_task``) on the same
Tasks, so outcomes, the parse cache and the database are those of a local build; only
the paths change: a Task names the archived bytes as the workers see the archive (a
path every machine mounts, or an fsspec URL such as ``s3://bucket/archive``).
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import threading
import time
from pathlib import Path

from archive.build.cache import Outcome
from archive.build.parallel import Task, parse_task

WAIT_FOR_WORKERS = 60.0  # seconds a build waits for the first worker to join
LOST_AFTER = 10.0  # seconds without a scheduler before the build gives up on it
WATCH_EVERY = 0.5
ASK_EVERY = 5.0  # seconds between questions to a connected scheduler: is it still answering?
ANSWER_WITHIN = 30.0  # a scheduler silent this long is frozen (stopped, swapping, deadlocked)


class ClusterError(RuntimeError):
    """The cluster cannot go on (no scheduler, no worker): what was parsed is cached."""


def worker_path(path: str, archive_dir: str | Path, worker_archive: str | None) -> str:
    """``path`` under the archive as the workers see it: the same path when they mount the
    archive where the build does, else the same place under ``worker_archive``."""
    if not worker_archive:
        return path
    relative = Path(path).resolve().relative_to(Path(archive_dir).resolve()).as_posix()
    return f"{worker_archive.rstrip('/')}/{relative}"


def for_workers(task: Task, archive_dir: str | Path, worker_archive: str | None) -> Task:
    """The same Task (same cache key) naming its bytes as the workers reach them."""
    if not worker_archive:
        return task
    return dataclasses.replace(
        task, blob=worker_path(task.blob, archive_dir, worker_archive),
        figures=tuple(worker_path(f, archive_dir, worker_archive) for f in task.figures))


class ClusterPool(cf.Executor):
    """A concurrent.futures Executor of parse_task on the cluster's workers (a worker that
    dies mid-task is Dask's to recover from: its tasks run again on the others)."""

    def __init__(self, address: str, archive_dir: str | Path, worker_archive: str | None = None) -> None:
        try:
            from distributed import Client
        except ImportError as e:  # pragma: no cover - dask[distributed] is a dependency
            raise ClusterError(f"--scheduler needs dask distributed: {e}") from e
        self.address = address
        self.archive_dir = archive_dir
        self.worker_archive = worker_archive
        try:
            self.client = Client(address, timeout="20s", set_as_default=False)
        except OSError as e:
            raise ClusterError(f"cannot reach the scheduler at {address}: {e}") from e
        try:
            self.client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
        except (TimeoutError, OSError) as e:
            self.client.close()
            raise ClusterError(f"no worker joined the scheduler at {address} within "
                               f"{WAIT_FOR_WORKERS:.0f} s") from e
        self.executor = self.client.get_executor(pure=False)
        self._pending: set[cf.Future] = set()
        self._lock = threading.Lock()
        self._lost: ClusterError | None = None
        self._stop = threading.Event()
        threading.Thread(target=self._watch, name="nianbao-cluster-watch", daemon=True).start()

    def _watch(self) -> None:
        """Dask's client tries to reconnect to a lost scheduler and may keep its futures
        pending meanwhile: past LOST_AFTER seconds without a scheduler, every document in
        flight fails with ClusterError, so the build stops (what it parsed is cached). A
        frozen scheduler keeps its connection open and would hold the build for ever, so a
        connected one is asked every ASK_EVERY seconds and must answer within ANSWER_WITHIN."""
        since, asked = None, time.monotonic()
        while not self._stop.wait(WATCH_EVERY):
            if _connected(self.client):
                since = None
                if time.monotonic() - asked >= ASK_EVERY:
                    if not self._answers():
                        if not self._stop.is_set():
                            self._fail(ClusterError(f"the scheduler at {self.address} stopped answering "
                                                    f"(nothing for {ANSWER_WITHIN:.0f} s)"))
                        return
                    asked = time.monotonic()
                continue
            since = since if since is not None else time.monotonic()
            if time.monotonic() - since >= LOST_AFTER:
                self._fail(ClusterError(f"lost the scheduler at {self.address}"))
                return

    def _answers(self) -> bool:
        try:
            self.client.sync(self.client.scheduler.identity, n_workers=0, callback_timeout=ANSWER_WITHIN)
        except TimeoutError:
            return False
        except Exception:  # noqa: BLE001 - a connection lost meanwhile: the next round sees it
            return True
        return True

    def _fail(self, error: ClusterError) -> None:
        with self._lock:
            self._lost = error
            pending, self._pending = self._pending, set()
        for f in pending:
            if not f.done():
                f.set_exception(error)

    @property
    def workers(self) -> int:
        """Threads the cluster has now: how many documents to keep busy."""
        return max(1, sum(self.client.nthreads().values()))

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        """Only parse_task runs on the cluster: the Outcome comes back, or, when workers kept
        dying on this document, an uncached Outcome saying so (tried again next build)."""
        if fn is not parse_task or len(args) != 1 or kwargs:
            raise TypeError("ClusterPool runs parse_task(task) only")
        if self._lost is not None:
            raise self._lost
        task = for_workers(args[0], self.archive_dir, self.worker_archive)
        inner = self.executor.submit(parse_task, task)
        outer: cf.Future = cf.Future()
        with self._lock:
            self._pending.add(outer)
        inner.add_done_callback(lambda f: self._settled(outer, f))
        return outer

    def _settled(self, outer: cf.Future, inner: cf.Future) -> None:
        with self._lock:
            self._pending.discard(outer)
        if not outer.done():
            _settle(outer, inner, self.address)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._stop.set()
        self.executor.shutdown(wait=False)
        self.client.close(timeout=10)


def _connected(client) -> bool:
    try:
        comm = getattr(getattr(client, "scheduler_comm", None), "comm", None)
        return client.status == "running" and comm is not None and not comm.closed()
    except Exception:  # noqa: BLE001 - a client in the middle of closing: not connected
        return False


def _settle(outer: cf.Future, inner: cf.Future, address: str) -> None:
    from distributed import KilledWorker

    if inner.cancelled():
        outer.set_exception(ClusterError(f"lost the scheduler at {address}"))
        return
    error = inner.exception()
    if error is None:
        outer.set_result(inner.result())
    elif isinstance(error, KilledWorker):
        outer.set_result(Outcome(None, "internal error: every worker that parsed it died "
                                       "(killed or out of memory)", cacheable=False))
    else:
        outer.set_exception(ClusterError(f"cluster at {address}: {type(error).__name__}: {error}"))
