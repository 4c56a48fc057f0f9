"""Dask distributed, Ray and Celery-on-Redis on the same work: the build's parse tasks.

Run: .venv/bin/python benchmarks/compare_cluster_engines.py [N] [--engines dask,ray,celery]
(needs the engines: ``pip install "dask[distributed]" ray celery``; the project itself
depends only on the one chosen, see docs/scale.md).

For each engine, on this machine, with workers as separate processes on 127.0.0.1:
- start-up: seconds until a cluster of 2 workers answers;
- overhead per document: N no-op tasks (a Task in, a small Outcome out) through the
  engine, with the build's window of documents in flight, per task;
- throughput: N generated HTML reports parsed by ``parse_task`` with 1, 2 and 4 workers,
  reports/s against the local process pool with as many processes, measured in the same run;
- a worker killed mid-task: 2 workers, 8 slow tasks (the PDF fixture, about 0.6 s each);
  once the first result is back, one worker is killed with SIGKILL: are all 8 results
  back, how long it took against the same run without a kill, and was anything run twice.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.build.cache import Outcome  # noqa: E402
from archive.build.parallel import WINDOW_PER_JOB, Task, outcomes, parse_task  # noqa: E402
from archive.build.plan import build_plan  # noqa: E402
from archive.build.run import task_for  # noqa: E402
from benchmarks.bench_archive import make_archive  # noqa: E402
from crawler.store import ArchiveStore  # noqa: E402

BIN = Path(sys.executable).parent
PDF = ROOT / "tests" / "fixtures" / "office" / "yicheng_2019.pdf"
RUNS_LOG = "NIANBAO_BENCH_RUNS"  # a file each slow task appends its key to: what ran twice


def noop_task(task: Task) -> Outcome:
    return Outcome(None, task.key, cacheable=False)


def slow_task(task: Task) -> Outcome:
    log = os.environ.get(RUNS_LOG)
    if log:
        with open(log, "a") as f:
            f.write(f"{task.key} {os.getpid()}\n")
    return parse_task(task)


def running_pid(log: str) -> int:
    """The process that started a task last: busy with it now."""
    return int(Path(log).read_text().split()[-1])


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30) -> None:
    import socket

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def env_for(runs_log: str | None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if runs_log:
        env[RUNS_LOG] = runs_log
    return env


# -- engines -------------------------------------------------------------------
class Dask:
    name = "Dask distributed"

    def start(self, workers: int, runs_log: str | None = None) -> None:
        from distributed import Client

        port = free_port()
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
        self.procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port",
                                        str(port), "--no-dashboard"], env=env_for(runs_log), **quiet)]
        wait_port(port)
        self.workers = [subprocess.Popen([str(BIN / "dask"), "worker", f"tcp://127.0.0.1:{port}", "--nthreads",
                                          "1", "--no-dashboard", "--no-nanny"], env=env_for(runs_log), **quiet)
                        for _ in range(workers)]
        self.procs += self.workers
        self.client = Client(f"tcp://127.0.0.1:{port}")
        self.client.wait_for_workers(workers, timeout=60)
        self.pool = self.client.get_executor(pure=False)

    def submit(self, fn, task):
        return self.pool.submit(fn, task)

    def result(self, handle):
        return handle.result()

    def kill_one(self, pid: int) -> None:
        os.killpg(pid, signal.SIGKILL)  # the worker, as when its machine goes down

    def stop(self) -> None:
        self.client.close()
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()


class Ray:
    name = "Ray"

    def start(self, workers: int, runs_log: str | None = None) -> None:
        import ray

        if runs_log:
            os.environ[RUNS_LOG] = runs_log
        os.environ["PYTHONPATH"] = str(ROOT)
        ray.init(address="local", num_cpus=workers, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1",
                 configure_logging=False)
        self.remote = {}

    def submit(self, fn, task):
        import ray

        if fn not in self.remote:
            self.remote[fn] = ray.remote(num_cpus=1)(fn)
        return self.remote[fn].remote(task)

    def result(self, handle):
        import ray

        return ray.get(handle)

    def kill_one(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)  # the worker process running the task (its raylet lives on)

    def stop(self) -> None:
        import ray

        ray.shutdown()
        os.environ.pop(RUNS_LOG, None)


@functools.cache
def celery_app(broker: str):
    """Tasks and Outcomes as JSON (Celery refuses pickle from a worker run as root, rightly)."""
    from celery import Celery

    app = Celery("nianbao_bench", broker=broker, backend=broker)
    app.conf.update(task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
                    broker_transport_options={"visibility_timeout": 30})
    for fn in (parse_task, noop_task, slow_task):
        app.task(name=fn.__name__)(_as_json(fn))
    return app


def _as_json(fn):
    def run(task: dict) -> dict:
        return asdict(fn(Task(**{**task, "figures": tuple(task["figures"])})))
    run.__name__ = fn.__name__
    return run


app = celery_app(os.environ["NIANBAO_CELERY_BROKER"]) if os.environ.get("NIANBAO_CELERY_BROKER") else None


class Celery:
    name = "Celery on Redis"

    def start(self, workers: int, runs_log: str | None = None) -> None:
        port = free_port()
        self.redis = subprocess.Popen([shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        wait_port(port)
        broker = f"redis://127.0.0.1:{port}/0"
        env = {**env_for(runs_log), "NIANBAO_CELERY_BROKER": broker}
        self.workers = [subprocess.Popen(
            [str(BIN / "celery"), "-A", "benchmarks.compare_cluster_engines:app", "worker", "--concurrency", "1",
             "-P", "prefork", "-n", f"w{i}@%h", "--without-gossip", "--without-mingle", "-l", "WARNING"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            for i in range(workers)]
        self.app = celery_app(broker)
        end = time.monotonic() + 60
        while len(self.app.control.ping(timeout=0.5) or []) < workers:
            if time.monotonic() > end:
                raise RuntimeError("celery workers did not answer")

    def submit(self, fn, task):
        return self.app.tasks[fn.__name__].delay(asdict(task))

    def result(self, handle, timeout: float | None = None):
        return Outcome(**handle.get(timeout=timeout))

    def kill_one(self, pid: int) -> None:
        os.killpg(os.getpgid(pid), signal.SIGKILL)  # the worker and its pool, as when its machine goes down

    def stop(self) -> None:
        for p in self.workers:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        self.redis.terminate()
        self.redis.wait()


ENGINES = {"dask": Dask, "ray": Ray, "celery": Celery}


def run(engine, fn, tasks: list[Task], workers: int, deadline: float = 600) -> list[Outcome]:
    """The build's way: a window of documents in flight, results taken in order."""
    window: deque = deque()
    out = []
    source = iter(tasks)
    end = time.monotonic() + deadline
    for task in source:
        window.append(engine.submit(fn, task))
        if len(window) >= workers * WINDOW_PER_JOB:
            out.append(result(engine, window.popleft(), end))
    while window:
        out.append(result(engine, window.popleft(), end))
    return out


def result(engine, handle, end: float):
    if isinstance(engine, Celery):
        return engine.result(handle, timeout=max(0.1, end - time.monotonic()))
    return engine.result(handle)


def local(tasks: list[Task], jobs: int) -> float:
    t0 = time.perf_counter()
    list(outcomes(tasks, jobs=jobs))
    return time.perf_counter() - t0


def killed(engine, workers: int = 2) -> str:
    tasks = [Task(f"slow-{i}", str(PDF), f"http://bench.example/{i}.pdf", "application/pdf") for i in range(8)]
    times = []
    for kill in (False, True):
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            log = f.name
        engine.start(workers, runs_log=log)
        try:
            t0 = time.perf_counter()
            handles = [engine.submit(slow_task, t) for t in tasks]
            got = [result(engine, handles[0], time.monotonic() + 120)]
            if kill:
                engine.kill_one(running_pid(log))
            try:
                got += [result(engine, h, time.monotonic() + 90) for h in handles[1:]]
                missing = ""
            except Exception as e:  # noqa: BLE001 - what the engine says is the finding
                missing = f"{type(e).__name__}: {str(e)[:80]}"
            times.append(time.perf_counter() - t0)
        finally:
            engine.stop()
        runs = [line.split()[0] for line in Path(log).read_text().splitlines()]
        os.unlink(log)
    twice = len(runs) - len(set(runs))
    ok = not missing and all(o.report_json for o in got)
    return (f"{'all 8 back' if ok else 'NOT all back (' + missing + ')'} in {times[1]:.1f} s against "
            f"{times[0]:.1f} s without a kill ({times[1] / times[0]:.2f}x); {twice} task(s) run twice")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=400)
    ap.add_argument("--engines", default="dask,ray,celery")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = make_archive(Path(tmp), args.n)
        store = ArchiveStore(archive)
        tasks = [task_for(store, s) for s in build_plan(store)]
        noops = [Task(f"noop-{i}", "", "", None) for i in range(args.n)]
        print(f"\n== cluster engines: {args.n} generated HTML reports, workers on 127.0.0.1 "
              f"({os.cpu_count()} cores)")
        base = {j: local(tasks, j) for j in (1, 2, 4)}
        expected = list(outcomes(tasks))
        print("  local process pool: " + ", ".join(f"{j} processes {args.n / base[j]:.1f} reports/s"
                                                   for j in base))
        for key in args.engines.split(","):
            engine = ENGINES[key]()
            print(f"\n  {engine.name}")
            t0 = time.perf_counter()
            engine.start(2)
            print(f"    start-up, 2 workers: {time.perf_counter() - t0:.1f} s")
            try:
                run(engine, noop_task, noops[:50], 2)  # warm
                t0 = time.perf_counter()
                run(engine, noop_task, noops, 2)
                per = (time.perf_counter() - t0) / len(noops)
                print(f"    overhead per document (no-op task, 2 workers): {per * 1000:.2f} ms")
            finally:
                engine.stop()
            for workers in (1, 2, 4):
                engine.start(workers)
                try:
                    run(engine, parse_task, tasks[:20], workers)  # warm: imports in every worker
                    t0 = time.perf_counter()
                    got = run(engine, parse_task, tasks, workers)
                    seconds = time.perf_counter() - t0
                finally:
                    engine.stop()
                same = got == expected
                print(f"    {workers} worker(s): {args.n / seconds:6.1f} reports/s, "
                      f"{seconds / base[workers]:.2f}x the local pool of {workers} ({'the same outcomes' if same else 'OUTCOMES DIFFER'})")
            print(f"    a worker killed mid-task: {killed(engine)}")


if __name__ == "__main__":
    main()
