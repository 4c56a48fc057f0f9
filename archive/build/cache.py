"""The parse cache: a document's Report, kept so a rebuild need not parse it again.

Parsing is nearly all of a build's time (an HTML report ~15 ms, a PDF ~0.6 s, a
scan ~15 s), and the archived bytes never change: a Report is a function of the
bytes, the URL and Content-Type they were served with, and the parser version
(``archive.build.parser_version``). Entries are keyed by all four, stored as
compressed JSON in one SQLite file, ``<archive>/cache/parsed.sqlite`` by default.
A parse error the document itself causes (corrupt, encrypted, too large) is
cached like a Report; an internal error or missing bytes are not.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sqlite3
import types
import typing
import zlib
from dataclasses import dataclass
from pathlib import Path

from parsers import Report

TABLE = "create table if not exists parsed (key text primary key, version text not null, result blob not null)"


@dataclass(frozen=True)
class Outcome:
    """What parsing one document gave: its Report as JSON, or why there is none."""

    report_json: str | None
    error: str | None = None
    cacheable: bool = True

    def report(self) -> Report | None:
        return None if self.report_json is None else report_from_json(self.report_json)


def cache_key(sha256: str, url: str, content_type: str | None, figures: tuple[str, ...] = ()) -> str:
    """The bytes, and what the parser is told about them (the URL's suffix, the type, the
    pictures the page shows)."""
    shown = f"\n{','.join(figures)}" if figures else ""
    told = hashlib.sha256(f"{url}\n{content_type or ''}{shown}".encode()).hexdigest()[:16]
    return f"{sha256}:{told}"


def report_to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, sort_keys=True)


def report_from_json(text: str) -> Report:
    return _rebuild(Report, json.loads(text))


@functools.cache
def _fields(tp) -> tuple[tuple[str, typing.Any, bool], ...]:
    """(name, annotation, plain): a plain field (str, int, float…) is taken as it is."""
    hints = typing.get_type_hints(tp)
    out = []
    for f in dataclasses.fields(tp):
        hint = hints.get(f.name, typing.Any)
        out.append((f.name, hint, hint in _PLAIN or _plain_union(hint)))
    return tuple(out)


_PLAIN = (str, int, float, bool, typing.Any)


def _plain_union(hint) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and all(
        a in _PLAIN or a is type(None) for a in typing.get_args(hint))


def _rebuild(tp, value):
    """Plain JSON back into the typed dataclasses (fields follow their annotations)."""
    if value is None:
        return None
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        return tp(**{name: value[name] if plain else _rebuild(hint, value[name])
                     for name, hint, plain in _fields(tp) if name in value})
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if dataclasses.is_dataclass(arg) and isinstance(value, dict):
                return _rebuild(arg, value)
        return value
    if origin is list and args and isinstance(value, list):
        return [_rebuild(args[0], v) for v in value]
    if origin is tuple and isinstance(value, list):
        return tuple(value)
    if origin is dict and len(args) == 2 and isinstance(value, dict):
        return {k: _rebuild(args[1], v) for k, v in value.items()}
    return value


def _encode(outcome: Outcome) -> bytes:
    payload = {"report": outcome.report_json, "error": outcome.error}
    return zlib.compress(json.dumps(payload, ensure_ascii=False).encode(), 3)


def _decode(blob: bytes) -> Outcome:
    payload = json.loads(zlib.decompress(blob))
    return Outcome(payload["report"], payload["error"])


class ParseCache:
    """One SQLite file of outcomes for one parser version; other versions' entries are pruned."""

    def __init__(self, path: str | Path, version: str) -> None:
        self.path = Path(path)
        self.version = version
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path)
        self.conn.execute("pragma journal_mode = wal")
        self.conn.execute("pragma synchronous = normal")
        self.conn.execute(TABLE)
        self.hits = self.misses = 0
        self._pending = 0

    def get(self, key: str) -> Outcome | None:
        row = self.conn.execute("select result from parsed where key = ? and version = ?",
                                [key, self.version]).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return _decode(row[0])

    def put(self, key: str, outcome: Outcome) -> None:
        if not outcome.cacheable:
            return
        self.conn.execute("insert or replace into parsed (key, version, result) values (?, ?, ?)",
                          [key, self.version, _encode(outcome)])
        self._pending += 1
        if self._pending >= 500:  # a killed build keeps what it parsed
            self.conn.commit()
            self._pending = 0

    def prune(self) -> int:
        """Drop what older parser versions made: it can never be read again."""
        n = self.conn.execute("delete from parsed where version != ?", [self.version]).rowcount
        self.conn.commit()
        return n

    def close(self) -> None:
        self.conn.commit()
        self.conn.close()

    def __enter__(self) -> ParseCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
