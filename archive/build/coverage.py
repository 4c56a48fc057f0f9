"""Which reports the archive lacks: the ``coverage`` table, agency × year.

Every agency must publish its report on a year by 31 January of the next (《政府信息公开
条例》第四十九条 for departments; county and higher governments' own reports are published by
the 主管部门 by 31 March, a later date this table does not yet distinguish), so for each agency, from the year of its first report on, a year whose deadline
has passed is ``missing`` unless the archive holds a report on it (``current``, or only a
``withdrawn`` one); a year whose deadline has not passed is ``not_due``. "Now" is the
archive's own latest fetch, never the clock: the same archive gives the same table.
"""

from __future__ import annotations

from datetime import date

import sqlite_utils

STATUSES = ("current", "withdrawn", "replaced", "missing", "not_due")


def deadline(year: int) -> date:
    """The statutory deadline of the report on ``year``: 31 January of the next year."""
    return date(year + 1, 1, 31)


def last_due_year(as_of: date) -> int:
    """The latest year whose report was due on or before ``as_of``."""
    return as_of.year - 1 if as_of > deadline(as_of.year - 1) else as_of.year - 2


def as_of(db: sqlite_utils.Database) -> date | None:
    """The archive's latest fetch or crawl event: what the archive knows "now" to be."""
    row = db.execute(
        "select max(t) from (select max(last_seen) as t from documents "
        "union all select max(at) from events)").fetchone()
    return date.fromisoformat(row[0][:10]) if row and row[0] else None


def status(states: list[str], year: int, today: date) -> str:
    if "current" in states:
        return "current"
    if "withdrawn" in states:
        return "withdrawn"
    if states:
        return "replaced"
    return "missing" if today > deadline(year) else "not_due"


def create(db: sqlite_utils.Database) -> None:
    """The ``coverage`` table (materialised: the database is published immutable)."""
    db["coverage"].create(
        {"agency": str, "year": int, "status": str, "reports": int, "report_id": str,
         "deadline": str, "as_of": str},
        pk=("agency", "year"), foreign_keys=[("agency", "agencies", "name")])
    today = as_of(db)
    if today is None:
        return
    held: dict[str, dict[int, list[tuple[str, str]]]] = {}
    for agency, year, state, rid in db.execute(
            "select agency, year, state, id from reports where agency is not null "
            "and year is not null order by agency, year, current desc, checks_failed, id"):
        held.setdefault(agency, {}).setdefault(year, []).append((state, rid))
    rows = []
    for agency, years in sorted(held.items()):
        for year in range(min(years), max(max(years), last_due_year(today)) + 1):
            got = years.get(year, [])
            rows.append({
                "agency": agency, "year": year,
                "status": status([s for s, _ in got], year, today),
                "reports": len(got), "report_id": got[0][1] if got else None,
                "deadline": deadline(year).isoformat(), "as_of": today.isoformat()})
    db["coverage"].insert_all(rows)
    db["coverage"].create_index(["status", "year"])
