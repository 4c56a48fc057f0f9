"""A real pywb (Webrecorder's replay server) for the tests, from its own venv (make env
builds .venv-pywb: pywb pins a redis client older than the crawler's)."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.redis_server import free_port

PYWB_BIN = Path(__file__).resolve().parents[1] / ".venv-pywb" / "bin"


def pywb_bin(name: str) -> str:
    exe = PYWB_BIN / name
    if not exe.exists():
        raise RuntimeError(f"{exe} is missing: make env builds .venv-pywb (pip install pywb)")
    return str(exe)


def add_wacz(root: Path, collection: str, wacz: Path) -> subprocess.CompletedProcess:
    """A pywb collection holding the WACZ's WARCs and its own CDXJ index."""
    subprocess.run([pywb_bin("wb-manager"), "init", collection], cwd=root, check=True, capture_output=True)
    return subprocess.run([pywb_bin("wb-manager"), "add", "--unpack-wacz", collection, str(wacz)],
                          cwd=root, check=True, capture_output=True, text=True)


@contextmanager
def wayback(root: Path):
    """``wayback`` serving the collections under ``root`` on 127.0.0.1; yields its base URL."""
    port = free_port()
    log = (root / "wayback.log").open("wb")
    proc = subprocess.Popen([pywb_bin("wayback"), "-b", "127.0.0.1", "-p", str(port)], cwd=root,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None:
                raise RuntimeError(f"wayback exited: {(root / 'wayback.log').read_text()[-2000:]}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - loopback only
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
