"""What one SQL query of a visitor may cost the public instance: every value, statement,
result and second it may take, and the functions it may call.

Datasette's own settings come first (``sql_time_limit_ms``, ``max_returned_rows``,
``max_csv_mb`` in ``archive.web.serve.SETTINGS``); what they do not bound is bounded here,
per connection, as Datasette opens it (the ``prepare_connection`` hook) and per query (its
databases' ``execute_fn``, wrapped at ``startup``). Without these a single
``SELECT length(randomblob(1000000000))`` took 1 GiB of the server, and
``fts3_tokenizer('simple')`` answered with an address of the server's memory.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time

from datasette import hookimpl
from datasette.database import QueryInterrupted

from archive.web import sql_functions

MIB = 1 << 20
# sqlite3.Connection.setlimit: name -> value. SQLite's defaults are a billion bytes a value,
# a billion bytes of SQL, 2000 columns, a 50 000-byte LIKE pattern, 10 attached files.
LIMITS = {
    "LENGTH": 2 * MIB,  # a value or row (the longest report text of the seeds: 26 KB)
    "SQL_LENGTH": 100_000,  # a statement's text
    "COLUMN": 500,  # columns of a result (the widest table has 32)
    "EXPR_DEPTH": 100,
    "COMPOUND_SELECT": 50,
    "VDBE_OP": 250_000,  # instructions of one compiled statement
    "LIKE_PATTERN_LENGTH": 1000,
    "VARIABLE_NUMBER": 1000,
    "TRIGGER_DEPTH": 10,
    "ATTACHED": 0,  # ATTACH of another file: never
    "WORKER_THREADS": 0,  # a sort stays on the query's own thread
}
CHECK_EVERY = 100  # SQLite instructions between two looks at the time limit (Datasette: 1000)
GRACE = 0.25  # seconds past the time limit after which a visitor is answered whatever SQLite does
MAX_ROW_BYTES = 8 * MIB  # text and blobs one query may hand to Python (a page, a JSON answer)
HEAP_LIMIT = 64 * MIB  # SQLite's memory in one `nianbao serve` process (PRAGMA hard_heap_limit)

# Authorizer: what a statement may not do. Writing is already impossible (the file is opened
# immutable, read-only, and Datasette runs only SELECT); never ATTACH another file, set a
# pragma or read one outside Datasette's own introspection, or call these functions.
PRAGMAS_OF_A_NAME = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                     "foreign_key_list", "table_list"}  # PRAGMA table_info(reports)
PRAGMAS_READ = {"database_list", "function_list", "module_list", "pragma_list", "collation_list",
                "page_count", "page_size", "max_page_count", "schema_version", "user_version",
                "data_version", "application_id", "encoding", "freelist_count", "compile_options",
                "table_list"}  # without a value: read, never set
REFUSED_FUNCTIONS = {
    "fts3_tokenizer",  # answers with a pointer (an address of the server's memory); registers one
    "load_extension",  # runs a shared library of the server's disk
    "readfile", "writefile", "edit", "fsdir",  # the sqlite3 shell's file access, should it be loaded
    "fts5",  # hands out a pointer to FTS5's API
    "sqlite_dbpage",
}


def authorizer(action: int, arg1, arg2, db_name, source) -> int:
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_DENY if (arg2 or "").lower() in REFUSED_FUNCTIONS else sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA:
        name = (arg1 or "").lower()
        if name in PRAGMAS_OF_A_NAME or (name in PRAGMAS_READ and arg2 is None):
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


class _Budget(threading.local):
    used = 0


budget = _Budget()


def budgeted_rows(cursor: sqlite3.Cursor, row: tuple) -> sqlite3.Row:
    """sqlite3.Row, after counting the row's text and blobs against the query's budget."""
    budget.used += sum(len(v) for v in row if isinstance(v, (str, bytes)))
    if budget.used > MAX_ROW_BYTES:
        raise sqlite3.OperationalError(
            f"answer too large: more than {MAX_ROW_BYTES // MIB} MiB of values; ask for fewer rows or "
            "columns (_size=, LIMIT), or download the database")
    return sqlite3.Row(cursor, row)


def limit(conn: sqlite3.Connection) -> None:
    """The limits, the authorizer, the guarded functions and the row budget on one connection."""
    for name, value in LIMITS.items():
        conn.setlimit(getattr(sqlite3, f"SQLITE_LIMIT_{name}"), value)
    conn.execute("PRAGMA temp_store = MEMORY")  # a sort's overflow counts against the heap limit
    sql_functions.install(conn, LIMITS["LENGTH"], LIMITS["LIKE_PATTERN_LENGTH"])
    conn.row_factory = budgeted_rows
    conn.set_authorizer(authorizer)


def set_heap_limit(limit_bytes: int = HEAP_LIMIT) -> None:
    """SQLite's hard heap limit for the whole process: only for a process that serves."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"PRAGMA hard_heap_limit = {int(limit_bytes)}")
    conn.close()


class _Connection:
    """The connection as Datasette's time limit sees it: the progress handler it installs
    is called every CHECK_EVERY instructions, not 1000 (one instruction on a 2 MiB value
    takes milliseconds)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def set_progress_handler(self, handler, n: int) -> None:
        self._conn.set_progress_handler(handler, min(n, CHECK_EVERY) if handler else n)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


def guarded_execute_fn(execute_fn, time_limit_ms: int):
    """Datasette's Database.execute_fn with a fresh budget and deadline per query, the reason
    of a refusal (or of SQLite's heap running out) said in the error, and an answer by the
    time limit plus GRACE whatever the statement does.

    SQLite looks at the progress handler, and at an interrupt, only when its program jumps:
    between rows, not between the columns of one row, so one row of many costly
    expressions (300 × hex(randomblob(1000000))) runs on for seconds past the limit. The
    visitor is then answered "took too long" on time, the statement is interrupted, and its
    thread is free again once SQLite reaches the end of that row."""

    async def execute(fn):
        running: dict = {}

        def in_thread(conn):
            running["since"], running["conn"] = time.perf_counter(), conn
            budget.used = 0
            sql_functions.state.reason = None
            sql_functions.state.deadline = running["since"] + time_limit_ms / 1000
            try:
                return fn(_Connection(conn))
            except (QueryInterrupted, sqlite3.OperationalError, MemoryError) as e:
                if sql_functions.state.reason:  # a guarded function stopped it, for this reason
                    raise sqlite3.OperationalError(sql_functions.state.reason) from None
                if not isinstance(e, MemoryError):
                    raise
                raise sqlite3.OperationalError(
                    f"out of memory: SQLite may use {HEAP_LIMIT // MIB} MiB in this server process; "
                    "ask for less, or download the database") from None
            finally:
                sql_functions.state.deadline = None

        task = asyncio.ensure_future(execute_fn(in_thread))
        while True:
            done, _ = await asyncio.wait({task}, timeout=0.1)
            if done:
                return task.result()
            since = running.get("since")
            if since is not None and time.perf_counter() > since + time_limit_ms / 1000 + GRACE:
                running["conn"].interrupt()
                task.add_done_callback(lambda t: t.cancelled() or t.exception())  # never awaited now
                raise QueryInterrupted(sqlite3.OperationalError("interrupted"), "", {})

    return execute


def _limited(database: str) -> bool:
    return database != "_internal"  # Datasette's own catalogue, written by Datasette


@hookimpl
def prepare_connection(conn, database):
    if _limited(database):
        limit(conn)


@hookimpl
def startup(datasette):
    for name, db in datasette.databases.items():
        if _limited(name) and not getattr(db, "_nianbao_guarded", False):
            db.execute_fn = guarded_execute_fn(db.execute_fn, datasette.setting("sql_time_limit_ms"))
            db._nianbao_guarded = True
