"""Datasette on a large archive: counts kept beside the file, an index under every facet."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from archive.web import counts as inspect
from archive.web.serve import METADATA, datasette_instance
from tests.archive_fixture import make_db


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return make_db(tmp_path_factory.mktemp("serving"))


def test_counts_are_kept_beside_the_file_and_renewed_with_it(db_path, monkeypatch):
    data = inspect.inspect_data(db_path)[db_path.stem]
    conn = sqlite3.connect(db_path)
    for table in ("reports", "cells", "checks", "documents", "events"):
        assert data["tables"][table]["count"] == conn.execute(f"select count(*) from {table}").fetchone()[0]
    conn.close()
    assert inspect.sidecar(db_path.resolve()).exists()
    calls = []
    monkeypatch.setattr(inspect, "_compute", lambda p: calls.append(p) or {"tables": {}})
    assert inspect.inspect_data(db_path)[db_path.stem] == data and not calls  # from the sidecar
    db_path.touch()  # a new file (a rebuild) is counted again
    inspect.inspect_data(db_path)
    assert calls


def test_table_pages_show_the_kept_counts(db_path):
    ds = datasette_instance(db_path)
    page = asyncio.run(ds.client.get(f"/{db_path.stem}/cells.json?_size=1"))
    conn = sqlite3.connect(db_path)
    assert page.json()["filtered_table_rows_count"] == conn.execute("select count(*) from cells").fetchone()[0]
    conn.close()


def test_every_default_facet_is_answered_from_an_index(db_path):
    meta = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    tables = next(iter(meta["databases"].values()))["tables"]
    conn = sqlite3.connect(db_path)
    for table in ("reports", "documents", "checks"):
        for column in tables[table].get("facets", []):
            plan = " ".join(r[3] for r in conn.execute(
                f"explain query plan select [{column}], count(*) from [{table}] group by [{column}]"))
            assert "COVERING INDEX" in plan, (table, column, plan)
    conn.close()


def test_answers_are_kept_only_when_they_are_the_same_for_everyone():
    from archive.web.answer_cache import ResponseCache

    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        headers = [(b"content-type", b"text/plain")]
        if scope["path"] == "/login":
            headers.append((b"set-cookie", b"a=b"))
        status = 404 if scope["path"] == "/missing" else 200
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": f"{scope['path']} {len(calls)}".encode()})

    cache = ResponseCache(app, max_bytes=1000)

    def get(path: str, cookie: bytes = b"", method: str = "GET", host: bytes = b"") -> bytes:
        sent = []

        async def send(message):
            sent.append(message)

        headers = ([(b"cookie", cookie)] if cookie else []) + ([(b"host", host)] if host else [])
        scope = {"type": "http", "method": method, "path": path, "query_string": b"", "headers": headers}
        asyncio.run(cache(scope, None, send))
        return b"".join(m.get("body", b"") for m in sent)

    assert get("/") == get("/") == b"/ 1"
    assert get("/", cookie=b"nianbao_lang=en") == b"/ 2"  # the language switch changes the page
    assert get("/login") != get("/login")  # it sets a cookie
    assert get("/missing") != get("/missing")
    assert get("/", method="HEAD") != get("/", method="HEAD")
    assert cache.hits == 1 and len(calls) == 8
    assert get("/", host=b"evil.example") == b"/ 9"  # absolute links are written from the Host
    assert get("/", host=b"EVIL.example") == b"/ 9" and get("/") == b"/ 1"
    for i in range(200):  # 1000 bytes at most: the least recently used go first
        get(f"/page{i}")
    assert cache.size <= 1000 and ("http", b"", "/page199", b"", b"") in cache.entries


def test_nianbao_serve_with_two_workers_answers(db_path, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "archive.cli", "serve", "--db", str(db_path),
                             "--port", str(port), "--workers", "2"], start_new_session=True,
                            cwd=Path(__file__).resolve().parents[1])
    try:
        for _ in range(150):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/nianbao/reports.json?_shape=array", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()
        again = httpx.get(f"http://127.0.0.1:{port}/nianbao/reports.json?_shape=array", timeout=5)
        assert again.json() == r.json()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
