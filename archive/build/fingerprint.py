"""What a database was built with, kept in it (table ``build_info``).

An incremental build may only add to a database that the same build code,
parser version and site registry made; anything else is rebuilt in full.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from pathlib import Path

import sqlite_utils

from archive.build.parser_version import parser_version

ARCHIVE = Path(__file__).resolve().parents[1]
# the packages whose code and data decide the rows (the web, the release and the CLI do not)
BUILD_CODE = ("build", "schema", "agencies")


def _code_digest() -> str:
    h = hashlib.sha256()
    for package in BUILD_CODE:
        for path in sorted((ARCHIVE / package).rglob("*")):
            if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
                name = path.relative_to(ARCHIVE).as_posix()
                h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def stamp(entries: dict) -> dict[str, str]:
    registry = json.dumps([dataclasses.asdict(e) for _, e in sorted(entries.items())],
                          ensure_ascii=False, sort_keys=True)
    return {"parser_version": parser_version(), "build_code": _code_digest(),
            "registry": hashlib.sha256(registry.encode()).hexdigest()[:16]}


def write(db: sqlite_utils.Database, info: dict[str, str]) -> None:
    db.execute("drop table if exists build_info")
    db["build_info"].insert_all(({"key": k, "value": v} for k, v in sorted(info.items())), pk="key")


def read(path: str | Path) -> dict[str, str]:
    """The stamp of an existing database ({} when it has none or is no database)."""
    try:
        conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
        try:
            return dict(conn.execute("select key, value from build_info").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
