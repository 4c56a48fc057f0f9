"""One crawl at a time per archive: cron or a systemd timer may start the next too early."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


class Busy(Exception):
    """Another crawl holds the archive."""


@contextmanager
def crawl_lock(archive: str | Path, shared: bool = False):
    """Exclusive for a crawl; shared for the workers of one distributed run, which
    exclude a plain crawl (and a plain crawl excludes them) but not each other."""
    folder = Path(archive)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ".crawl.lock"
    with open(path, "a+") as f:
        try:
            fcntl.flock(f, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError as e:
            f.seek(0)
            raise Busy(f"another crawl is running on {folder} (pid {f.read().strip() or '?'})") from e
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
