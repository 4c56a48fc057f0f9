"""A progress line for long builds: documents done, from cache, rate, time left.

On a terminal one line is redrawn in place; in a log (cron, systemd) a line is
written every ``every`` seconds and at the end, so logs stay short.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    def __init__(self, label: str = "parsing", stream: TextIO | None = None, every: float = 30.0) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = 0.2 if self.tty else every
        self.total = self.done = self.cached = 0
        self.started = self.shown = 0.0

    def start(self, total: int) -> None:
        self.total, self.done, self.cached = total, 0, 0
        self.started = self.shown = time.monotonic()

    def advance(self, cached: bool) -> None:
        self.done += 1
        self.cached += cached
        now = time.monotonic()
        if now - self.shown >= self.every:
            self.shown = now
            self._show()

    def finish(self) -> None:
        if self.total or self.done:
            self._show()
            if self.tty:
                self.stream.write("\n")
                self.stream.flush()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        parsed = self.done - self.cached
        rate = parsed / elapsed
        left = self.total - self.done
        eta = f", {_duration(left / rate)} left" if rate > 0 and left > 0 else ""
        width = 24
        filled = width * self.done // self.total if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        return (f"{self.label} [{bar}] {self.done}/{self.total} documents "
                f"({self.cached} from cache, {rate:.1f} parsed/s{eta})")

    def _show(self) -> None:
        self.stream.write(("\r" if self.tty else "") + self.line() + ("" if self.tty else "\n"))
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"
