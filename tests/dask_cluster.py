"""A real Dask cluster for the tests: ``dask scheduler`` and ``nianbao worker`` processes on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from tests.redis_server import free_port

NIANBAO = str(Path(sys.executable).parent / "nianbao")


class DaskCluster:
    def __init__(self, workers: int) -> None:
        port = free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self.scheduler = _start([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                 "--port", str(port), "--no-dashboard"])
        self.workers = {f"w{i}": _start([NIANBAO, "worker", self.address, "--nworkers", "1", "--name", f"w{i}"])
                        for i in range(workers)}
        from distributed import Client

        self.client = Client(self.address, timeout="30s", set_as_default=False)
        self.client.wait_for_workers(workers, timeout=90)

    def processing(self) -> dict[str, int]:
        """Worker name -> tasks the scheduler has given it and not had back."""
        info = self.client.scheduler_info(n_workers=-1)["workers"]
        names = {addr: str(w["name"]).split("-")[0] for addr, w in info.items()}
        return {names[a]: len(keys) for a, keys in self.client.processing().items() if a in names}

    def kill_worker(self, name: str) -> None:
        """SIGKILL the worker and its nanny, as when its machine goes down."""
        _kill(self.workers.pop(name))

    def kill_scheduler(self) -> None:
        _kill(self.scheduler)

    def freeze_scheduler(self, frozen: bool = True) -> None:
        """SIGSTOP (or SIGCONT) the scheduler: its connections stay open, nothing answers."""
        os.killpg(self.scheduler.pid, signal.SIGSTOP if frozen else signal.SIGCONT)

    def close(self) -> None:
        self.client.close(timeout=5)
        for proc in [*self.workers.values(), self.scheduler]:
            _kill(proc)


def _start(args: list[str]) -> subprocess.Popen:
    log = open(os.devnull, "wb")  # noqa: SIM115 - the process keeps it
    return subprocess.Popen(args, stdout=log, stderr=log, start_new_session=True)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)
    time.sleep(0.1)


@contextmanager
def dask_cluster(workers: int = 2):
    cluster = DaskCluster(workers)
    try:
        yield cluster
    finally:
        cluster.close()
