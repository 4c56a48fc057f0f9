from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def expected_files(folder: str) -> list[Path]:
    return sorted((FIXTURES / folder).glob("*.expected.json"))


def db_rows(db_path: Path, sql: str, params=()) -> list[tuple]:
    """The rows of one query on a built database, the connection closed after."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


REPLICA_CRAWL_SITES = ("chengyang", "laoshan", "yicheng")  # TRS, Hanweb, a GBK site


@pytest.fixture(scope="session")
def replica_crawl(tmp_path_factory) -> Path:
    """Three replica sites crawled over real HTTP by the CLI: nianbao.db and its archive
    with the crawl's WARCs (the release and the archived-copy tests read them)."""
    from replica import ReplicaServer, build_sites
    from tests.crawl_helpers import crawl

    tmp = tmp_path_factory.mktemp("replica_crawl")
    with ReplicaServer([s for s in build_sites() if s.name in REPLICA_CRAWL_SITES]) as srv:
        proc = crawl(srv, tmp, list(REPLICA_CRAWL_SITES))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return tmp
