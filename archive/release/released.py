"""Which tables a release carries as files, and each column's type, keys and description.

The list is data (``data/released.csv``, one line a table: its dictionary-encoded
columns, columns left out, keys the database cannot declare); the types come from the
database, the words from the codebook, so a table or column added to the build is
described in the release without a second copy to keep in step.
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass
from importlib import resources

from archive.schema.codebook import describe

# SQLite's declared type (its affinity, as SQLite reads it) -> (arrow, frictionless)
_AFFINITY = (("INT", ("int64", "integer")), ("CHAR", ("string", "string")), ("CLOB", ("string", "string")),
             ("TEXT", ("string", "string")), ("REAL", ("float64", "number")),
             ("FLOA", ("float64", "number")), ("DOUB", ("float64", "number")))
_TYPEOF = {"integer": ("int64", "integer"), "real": ("float64", "number"), "text": ("string", "string")}


@dataclass(frozen=True)
class Column:
    name: str
    arrow: str  # int64, float64, string
    kind: str  # the Frictionless field type
    dictionary: bool
    zh: str
    en: str
    unit: str
    wording: str


@dataclass(frozen=True)
class Released:
    table: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]  # (fields, table, fields)
    zh: str
    en: str


def entries() -> list[dict[str, str]]:
    text = resources.files("archive.release").joinpath("data/released.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _declared(kind: str) -> tuple[str, str] | None:
    upper = kind.upper()
    return next((types for word, types in _AFFINITY if word in upper), None)


def column_type(conn: sqlite3.Connection, table: str, column: str, declared: str) -> tuple[str, str]:
    """(arrow, frictionless) type: the declared one; for a column computed without one
    (the wide tables' pivots), the types its values have; a column with no values yet
    is numeric when the codebook gives it a unit."""
    found = _declared(declared)
    if found:
        return found
    kinds = {r[0] for r in conn.execute(f"select distinct typeof([{column}]) from [{table}]")} - {"null"}
    if kinds == {"integer"}:
        return _TYPEOF["integer"]
    if kinds and kinds <= {"integer", "real"}:
        return _TYPEOF["real"]
    if kinds:
        return _TYPEOF["text"]
    return _TYPEOF["real"] if describe(table, column)[2] else _TYPEOF["text"]


def _keys(conn: sqlite3.Connection, table: str, entry: dict[str, str], names: set[str]):
    pk = tuple(r[1] for r in sorted(conn.execute(f"pragma table_info([{table}])"), key=lambda r: r[5]) if r[5])
    fks: dict[int, tuple[list[str], str, list[str]]] = {}
    for row in conn.execute(f"pragma foreign_key_list([{table}])"):
        fid, _, ref, frm, to = row[:5]
        got = fks.setdefault(fid, ([], ref, []))
        got[0].append(frm)
        got[2].append(to)
    foreign = [(tuple(a), ref, tuple(b)) for a, ref, b in fks.values()]
    pk = pk or tuple(entry["primary_key"].split())
    for spec in entry["foreign_keys"].split():
        frm, _, to = spec.partition("->")
        ref, _, field = to.partition(".")
        foreign.append(((frm,), ref, (field,)))
    return pk, tuple(f for f in foreign if set(f[0]) <= names)


def released(conn: sqlite3.Connection) -> list[Released]:
    """The tables this database has of those a release carries, in the list's order; a
    foreign key is kept only where the table it points to is released too."""
    present = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    out = []
    for entry in entries():
        table = entry["table"]
        if table not in present:
            continue  # a table a later build adds (the list is ahead of this database)
        dictionary, omit = set(entry["dictionary"].split()), set(entry["omit"].split())
        columns = []
        for info in conn.execute(f"pragma table_xinfo([{table}])"):
            name, declared, hidden = info[1], info[2] or "", info[6]
            if hidden or name in omit:
                continue  # generated columns (derived from the key) and those left out
            arrow, kind = column_type(conn, table, name, declared)
            columns.append(Column(name, arrow, kind, name in dictionary and arrow == "string",
                                  *describe(table, name)))
        pk, fks = _keys(conn, table, entry, {c.name for c in columns})
        zh, en, _, _ = describe(table, "")
        out.append(Released(table, tuple(columns), pk, fks, zh, en))
    names = {r.table for r in out}
    return [Released(r.table, r.columns, r.primary_key, tuple(f for f in r.foreign_keys if f[1] in names),
                     r.zh, r.en) for r in out]
