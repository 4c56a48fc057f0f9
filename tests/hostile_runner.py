"""Run every file of a folder through ``nianbao parse --json`` and say what each gave.

Run as its own process by tests/test_hostile.py (``python -m tests.hostile_runner DIR S MIB``),
so that its parse workers are forked from a small process whose memory is its own and
the peak resident memory of every worker, killed ones included, is this process's
children's (``RUSAGE_CHILDREN``). One JSON line per file, then one with the peaks.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from archive.cli import cli
from parsers.budget import _stop_workers, _workers


def _worker_hwm_kib() -> int | None:
    w = _workers.get(os.getpid())
    if w is None or not w.alive():
        return None
    for line in Path(f"/proc/{w.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def main(folder: str, seconds: str, memory: str) -> None:
    runner = CliRunner()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for path in sorted(Path(folder).iterdir()):
        t = time.monotonic()
        result = runner.invoke(cli, ["parse", "--json", "--parse-seconds", seconds,
                                     "--parse-memory", memory, str(path)])
        took = time.monotonic() - t
        report = json.loads(result.stdout) if result.exit_code == 0 else None
        print(json.dumps({
            "name": path.name, "exit": result.exit_code, "seconds": round(took, 2),
            "stderr": result.stderr, "exception": repr(result.exception) if result.exit_code not in (0, 1) else None,
            "cells": len(report["cells"]) if report else None,
            "kind": report["kind"] if report else None,
            "warnings": report["warnings"] if report else None,
            "worker_hwm_mib": (_worker_hwm_kib() or 0) // 1024,
        }, ensure_ascii=False), flush=True)
    _stop_workers()  # the last worker waited for, so that its peak counts
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"peaks": {"children_max_rss_mib": children // 1024, "runner_rss_mib": own // 1024}}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
