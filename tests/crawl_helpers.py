"""Crawl replica sites through the real CLI (one process per crawl, like an operator)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from replica import ReplicaServer
from replica.registry import registry_csv

NIANBAO = [sys.executable, "-m", "archive.cli"]


def registry_for(srv: ReplicaServer, path: Path, names: list[str] | None = None) -> Path:
    path.write_text(registry_csv(srv, names), encoding="utf-8")
    return path


def crawl(srv: ReplicaServer, tmp: Path, names: list[str] | None = None, *extra: str,
          db: str = "nianbao.db", timeout: float = 300) -> subprocess.CompletedProcess:
    tmp.mkdir(parents=True, exist_ok=True)
    registry = registry_for(srv, tmp / "sites.csv", names)
    cmd = [*NIANBAO, "crawl", "--all", "--registry", str(registry), "--db", str(tmp / db),
           "--delay", "0", "--set", "LOG_LEVEL=WARNING", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
