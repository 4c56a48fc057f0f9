"""The main job: nianbao demo crawls the replicas, builds the archive, Datasette serves it
with every seed report, its cells and its check results."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request

import sqlite_utils

from tests.conftest import expected_files, load_expected
from tests.crawl_helpers import NIANBAO
from tests.redis_server import free_port


def test_demo_archive_holds_every_seed_and_is_served(tmp_path):
    db_path = tmp_path / "demo" / "nianbao.db"
    proc = subprocess.run([*NIANBAO, "demo", "--db", str(db_path), "--no-serve"],
                          capture_output=True, text=True, timeout=600)
    assert db_path.exists(), proc.stderr[-2000:]
    db = sqlite_utils.Database(db_path)
    for path in expected_files("seeds"):
        exp = load_expected(path)
        found = False
        for report in db.query("select id, checks_failing from reports where year = ?", [exp["year"]]):
            cells = {c["key"]: c["value"] for c in db.query(
                "select key, value from cells where report_id = ?", [report["id"]])}
            if cells == exp["cells"]:
                failing = sorted(filter(None, report["checks_failing"].split(",")))
                assert failing == sorted(exp["failing_checks"]), path.name
                found = True
        assert found, f"seed {path.name} not in the demo archive"
    releases = db_path.parent / "releases"
    assert (releases / "latest.json").exists(), proc.stdout[-2000:]  # the demo releases its archive
    port = free_port()
    server = subprocess.Popen([*NIANBAO, "serve", "--db", str(db_path), "--port", str(port),
                               "--releases", str(releases)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/nianbao/reports.json?_shape=array&_size=max") as r:
                    rows = json.load(r)
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as r:
                    home = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("Datasette did not come up")
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert len(rows) == db["reports"].count >= 19
    assert "最新数据发布" in home and json.loads((releases / "latest.json").read_text())["name"] in home
