"""The public instance's SQL limits, on a connection as Datasette opens it: the guarded
functions answer exactly as SQLite's own, the authorizer refuses what it must, and the
limits hold (the attacks themselves run against `nianbao serve` in test_security.py)."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.web import sql_functions, sql_limits
from archive.web.serve import datasette_instance
from tests.archive_fixture import make_db


@pytest.fixture(scope="module")
def limited():
    conn = sqlite3.connect(":memory:")
    sql_limits.limit(conn)
    yield conn
    conn.close()


@pytest.fixture(autouse=True)
def fresh_budget():
    sql_limits.budget.used = 0  # as Datasette's execute_fn, wrapped, starts every query


@pytest.fixture(scope="module")
def plain():
    return sqlite3.connect(":memory:")


def one(conn, sql, params=()):
    return tuple(conn.execute(sql, params).fetchone())


TEXT = st.text(alphabet=st.sampled_from("aAbB%_*?[]^-x年报\\ "), max_size=12)


@settings(max_examples=400, deadline=None)
@given(pattern=TEXT, value=TEXT)
def test_like_and_glob_answer_as_sqlite_does(limited, plain, pattern, value):
    for sql in ("select ? like ?", "select ? glob ?"):
        assert one(limited, sql, (value, pattern)) == one(plain, sql, (value, pattern))
    sql = "select like(?, ?, '\\')"
    try:
        expected = one(plain, sql, (pattern, value))
    except sqlite3.Error:  # an ESCAPE at the pattern's end
        return
    assert one(limited, sql, (pattern, value)) == expected


@settings(max_examples=300, deadline=None)
@given(x=st.one_of(TEXT, st.binary(max_size=8), st.integers(-99, 99), st.none()),
       y=st.one_of(TEXT, st.binary(max_size=3), st.integers(0, 9), st.none()))
def test_the_other_guarded_functions_answer_as_sqlite_does(limited, plain, x, y):
    for sql in ("select instr(?1, ?2)", "select replace(?1, ?2, 'z')", "select trim(?1, ?2)",
                "select ltrim(?1, ?2)", "select rtrim(?1, ?2)", "select printf('%s-%.3c|%5.2f', ?1, ?2, 1.5)",
                "select format('%d %q', ?2, ?1)"):
        try:
            expected = one(plain, sql, (x, y))
        except sqlite3.Error:
            continue
        assert one(limited, sql, (x, y)) == expected, sql


def test_printf_repeating_a_character_past_the_limit_answers_null_at_once(limited, plain):
    assert one(limited, "select printf('%.*c', 999999999, 'x')") == (None,)
    assert one(limited, "select printf('%!.999999999c', 'x')") == (None,)
    assert one(limited, "select length(printf('%.*c', 5, 'x'))") == (5,)


def test_a_costly_call_is_refused_with_its_reason():
    ds = datasette_instance(make_db_path())
    answer = asyncio.run(ds.client.get("/nianbao.json", params={
        "sql": "select instr(hex(zeroblob(1000000)), hex(zeroblob(100000)) || '1')", "_shape": "array"}))
    assert answer.status_code == 400
    assert "instr() refused" in answer.json()["error"] and "download the database" in answer.json()["error"]


_DB = []


def make_db_path():
    if not _DB:
        import tempfile
        from pathlib import Path

        _DB.append(make_db(Path(tempfile.mkdtemp(prefix="sql-limits-"))))
    return _DB[0]


@pytest.mark.parametrize("sql", [
    "select fts3_tokenizer('simple')", "select load_extension('x')", "select fts5(null)",
    "select * from pragma_hard_heap_limit", "attach database ':memory:' as other",
])
def test_the_authorizer_refuses(limited, sql):
    with pytest.raises(sqlite3.DatabaseError):
        limited.execute(sql).fetchall()


def test_the_pragmas_datasette_reads_are_allowed_and_none_is_set(limited):
    limited.execute("create table if not exists t(a, b)")
    assert [r[1] for r in limited.execute("pragma table_info(t)")] == ["a", "b"]
    assert one(limited, "select count(*) from pragma_table_xinfo('t')") == (2,)
    assert limited.execute("pragma page_size").fetchone()
    for sql in ("pragma cache_size = 1000000", "pragma hard_heap_limit = 0", "pragma temp_store = 1",
                "pragma soft_heap_limit = 0", "pragma mmap_size = 1000000000"):
        with pytest.raises(sqlite3.DatabaseError):
            limited.execute(sql)


def test_values_and_statements_are_bounded(limited):
    with pytest.raises(sqlite3.DataError):
        limited.execute("select randomblob(?)", (sql_limits.LIMITS["LENGTH"] + 1,)).fetchall()
    with pytest.raises(sqlite3.DataError):
        limited.execute("select 1" + " " * sql_limits.LIMITS["SQL_LENGTH"])
    with pytest.raises(sqlite3.OperationalError, match="too many columns"):
        limited.execute("select " + ", ".join(["1"] * (sql_limits.LIMITS["COLUMN"] + 1)))


def test_a_query_hands_python_at_most_the_row_budget(limited):
    rows = limited.execute("with recursive c(i) as (select 1 union all select i + 1 from c limit 7) "
                           "select randomblob(1000000) from c").fetchall()
    assert len(rows) == 7
    sql_limits.budget.used = 0  # the next query
    with pytest.raises(sqlite3.OperationalError, match="answer too large"):
        limited.execute("with recursive c(i) as (select 1 union all select i + 1 from c limit 9) "
                        "select randomblob(1000000) from c").fetchall()


def test_a_guarded_function_stops_a_statement_past_its_deadline(limited):
    sql_functions.state.deadline = 0.0  # long past
    try:
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            limited.execute("with recursive c(i) as (select 1 union all select i + 1 from c) "
                            "select instr(hex(zeroblob(500000)), 'c') from c").fetchall()  # a costly call
    finally:
        sql_functions.state.deadline = None
