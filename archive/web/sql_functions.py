"""SQLite's own functions whose one call can outrun the SQL time limit, kept to a bounded
cost on the public instance.

Datasette's time limit is checked between SQLite's instructions; a single call of these
runs on inside one: ``printf('%.*c', 999999999, 'x')`` repeats a character a billion times
however long a value may be (3 s with SQLite 3.40), and ``instr``, ``replace``, ``trim``,
``LIKE`` and ``GLOB`` compare every position of a value with the whole needle or pattern
(``instr(x, y)`` on two values of 1 MiB: 3.4 s; ``LIKE`` with a 50 000-byte pattern: 37 s).
Each is replaced, per connection, by a function that checks the cost (the two lengths
multiplied), refuses what would take longer than ``MAX_STEPS`` allows, stops the statement
once its time is up, and otherwise answers exactly as SQLite does: the call is passed to
SQLite's built-in function on a private connection, or, where Python's own string
methods give the same answer (``instr``, ``replace``, ``trim`` of two texts; ``LIKE`` and
``GLOB`` patterns made of ``%``/``*`` and literal parts, the kind Datasette's filters
write), in Python. tests/test_sql_limits.py checks every one against SQLite's own.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from functools import lru_cache

MAX_STEPS = 10_000_000  # length x needle (or pattern) length: about 10 ms for SQLite's own loops
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_FORMAT = re.compile(r"%([-+ 0#,!]*)(\*|\d*)(?:\.(\*|\d*))?(l{0,2})(.)", re.S)
# name -> numbers of arguments (-1: any) replaced
GUARDED = {"printf": (-1,), "format": (-1,), "instr": (2,), "replace": (3,), "trim": (2,), "ltrim": (2,),
           "rtrim": (2,), "like": (2, 3), "glob": (2,)}


class State(threading.local):
    """Per thread: when the running statement's time is up, and why a call was refused."""

    deadline: float | None = None
    reason: str | None = None


state = State()
_builtin = threading.local()


def builtin(name: str, args: tuple, limits: tuple[int, int]):
    """SQLite's own function on a private connection with the same limits (length, pattern)."""
    conn = getattr(_builtin, "conn", None)
    if conn is None:
        conn = _builtin.conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.text_factory = lambda b: str(b, "utf-8", "replace")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limits[0])
    conn.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, limits[1])
    return conn.execute(f"select {name}({', '.join('?' * len(args))})", args).fetchone()[0]


def _size(value) -> int:
    if isinstance(value, (str, bytes)):
        return len(value)
    return 0 if value is None else 24  # a number, as text


def _as_int(value) -> int:
    try:
        return abs(int(float(value)))
    except (TypeError, ValueError, OverflowError):
        return 0


def repeats_past(args: tuple, max_length: int) -> bool:
    """A %c of printf whose precision (the repeat count) passes the length limit: SQLite
    would spend seconds repeating it before answering NULL."""
    if not args or not isinstance(args[0], str):
        return False
    i = 1
    for m in _FORMAT.finditer(args[0]):
        if m.group(5) == "%":
            continue
        if m.group(2) == "*":
            i += 1
        precision = m.group(3)
        if precision == "*":
            repeat = _as_int(args[i]) if i < len(args) else 0
            i += 1
        else:
            repeat = int(precision) if precision else 0
        if m.group(5) == "c" and repeat > max_length:
            return True
        i += 1
    return False


@lru_cache(maxsize=512)
def simple_pattern(pattern: str, like: bool) -> tuple[str, ...] | None:
    """The literal parts between a pattern's ``%`` (``*``), ASCII letters folded for LIKE;
    None when it has a single-character wildcard, a GLOB class or a NUL (SQLite decides)."""
    if ("_" if like else "?") in pattern or "\x00" in pattern or (not like and "[" in pattern):
        return None
    if like:
        pattern = pattern.translate(_ASCII_LOWER)
    return tuple(pattern.split("%" if like else "*"))


def matches(parts: tuple[str, ...], value: str) -> bool:
    """Whether the literal parts occur in order, the first at the start, the last at the end."""
    if len(parts) == 1:
        return parts[0] == value
    first, last = parts[0], parts[-1]
    if len(value) < len(first) + len(last) or not value.startswith(first) or not value.endswith(last):
        return False
    at, end = len(first), len(value) - len(last)
    for part in parts[1:-1]:
        found = value.find(part, at, end)
        if found < 0:
            return False
        at = found + len(part)
    return True


def _like(pattern: str, value: str, like: bool):
    parts = simple_pattern(pattern, like)
    if parts is None or "\x00" in value:
        return _UNKNOWN
    if like and _UPPER.search(value):
        value = value.translate(_ASCII_LOWER)
    return int(matches(parts, value))


def _no_nul(x: str, y: str) -> bool:
    return "\x00" not in x and "\x00" not in y


# name -> (x, y, args, max_length) -> SQLite's answer for two texts, or _UNKNOWN
NATIVE = {
    "like": lambda x, y, args, n: _like(x, y, True),  # like(pattern, value)
    "glob": lambda x, y, args, n: _like(x, y, False),
    "instr": lambda x, y, args, n: x.find(y) + 1 if _no_nul(x, y) else _UNKNOWN,
    "trim": lambda x, y, args, n: x.strip(y) if _no_nul(x, y) else _UNKNOWN,
    "ltrim": lambda x, y, args, n: x.lstrip(y) if _no_nul(x, y) else _UNKNOWN,
    "rtrim": lambda x, y, args, n: x.rstrip(y) if _no_nul(x, y) else _UNKNOWN,
    "replace": lambda x, y, args, n: _replace(x, y, args[2], n),
}
CHEAP = 100_000  # steps below which a call is answered without looking at the clock


def _replace(x: str, y: str, z, max_length: int):
    if type(z) is not str or not y or not _no_nul(x, y) or "\x00" in z:
        return _UNKNOWN
    out = x.replace(y, z)
    return out if len(out) * 4 <= max_length else _UNKNOWN  # SQLite says whether it is too big


_UNKNOWN = object()
_UPPER = re.compile("[A-Z]")


def guarded(name: str, conn: sqlite3.Connection, max_length: int, max_pattern: int):
    """The replacement of one built-in function on ``conn`` (its length and pattern limits)."""
    limits = (max_length, max_pattern)
    native = NATIVE.get(name)
    like = name in ("like", "glob")

    def call(*args):
        if native is not None and (len(args) == 2 or name == "replace"):
            x, y = args[0], args[1]
            if (type(x) is str and type(y) is str and len(x) * len(y) <= CHEAP
                    and (not like or len(x) <= max_pattern // 4)):
                answer = native(x, y, args, max_length)  # the common case: short texts
                if answer is not _UNKNOWN:
                    return answer
        return careful(args)

    def call_like(*args):
        """The hot case, a LIKE over every row of a table: as little Python as possible."""
        if len(args) == 2:
            pattern, value = args
            if type(pattern) is str and type(value) is str and len(value) <= 4096 and len(pattern) <= 250:
                parts = simple_pattern(pattern, name == "like")
                if parts is not None and "\x00" not in value:
                    if name == "like" and _UPPER.search(value):
                        value = value.translate(_ASCII_LOWER)
                    if len(parts) == 3 and not parts[0] and not parts[2]:  # '%word%'
                        return int(parts[1] in value)
                    return int(matches(parts, value))
        return careful(args)

    def careful(args):
        deadline = state.deadline
        if deadline is not None and time.perf_counter() > deadline:
            conn.interrupt()  # the statement ends as Datasette's time limit ends it
            return None
        if name in ("printf", "format"):
            if repeats_past(args, max_length):
                return None  # what SQLite answers, without the seconds of repeating
            return builtin(name, args, limits)
        if args[0] is None or args[1] is None:
            return None
        steps = _size(args[0]) * max(1, _size(args[1]))
        if steps > MAX_STEPS:
            state.reason = (f"{name}() refused on the public instance: values of {_size(args[0])} and "
                            f"{_size(args[1])} characters would take {steps:,} steps (at most {MAX_STEPS:,}); "
                            "download the database to ask this of your own copy")
            conn.interrupt()  # the statement stops; execute_fn says why (no traceback in the log)
            return None
        if native is not None and (len(args) == 2 or name == "replace") and type(args[0]) is str \
                and type(args[1]) is str and (not like or len(args[0]) <= max_pattern // 4):
            answer = native(args[0], args[1], args, max_length)
            if answer is not _UNKNOWN:
                return answer
        return builtin(name, args, limits)

    return call_like if like else call


def install(conn: sqlite3.Connection, max_length: int, max_pattern: int) -> None:
    """Replace the guarded functions on this connection."""
    for name, counts in GUARDED.items():
        for n in counts:
            conn.create_function(name, n, guarded(name, conn, max_length, max_pattern), deterministic=True)
