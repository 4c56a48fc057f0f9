"""Datasette under uvicorn on a free local port, in a thread of the test process, for the
browser tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.redis_server import free_port


@contextmanager
def running(ds) -> Iterator[str]:
    """The base URL of ``ds`` served until the block ends."""
    import uvicorn

    srv = uvicorn.Server(uvicorn.Config(ds.app(), host="127.0.0.1", port=free_port(),
                                        log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{srv.config.port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
