"""Wide views for researchers: one row per report, one column per cell.

Generated from metrics.csv, so the views follow the templates as data.
"""

from __future__ import annotations

import sqlite_utils

from parsers.templates import REVIEW_GROUPS, REVIEW_OUTCOMES, keys

_LIVE = " and r.state != 'replaced'"  # a revised report's old version is history, not data
_REPORT_COLUMNS = "r.id as report, r.agency, r.year, r.template, r.state, r.checks_failing"


def _pivot(name: str, columns: dict[str, str], where: str = "") -> str:
    picks = ",\n  ".join(
        f"max(case when c.key = '{key}' then c.value end) as [{col}]" for col, key in columns.items()
    )
    return (
        f"create view [{name}] as select {_REPORT_COLUMNS},\n  {picks}\n"
        f"from reports r left join cells c on c.report_id = r.id {where}\n"
        "group by r.id order by r.agency, r.year"
    )


def wide_columns() -> dict[str, dict[str, str]]:
    """Each wide table's cell columns, column name -> cell key (the codebook reads them)."""
    rows: list[str] = []
    for k in keys("2019") + keys("2021"):
        table, row, _ = k.split(".")
        if table == "applications" and row not in rows:
            rows.append(row)
    table3 = {row: f"applications.{row}.total" for row in rows}
    table4 = {f"{g}_{o}": f"review.{g}.{o}" for g in REVIEW_GROUPS for o in REVIEW_OUTCOMES}
    columns = {"table3_totals": table3, "table4_review": table4}
    for template in ("2019", "2021"):
        columns[f"table2_{template}"] = {
            k.removeprefix("active.").replace(".", "_"): k
            for k in keys(template) if k.startswith("active.")
        }
    return columns


def view_definitions() -> dict[str, str]:
    both = f"where r.template in ('2019', '2021'){_LIVE}"
    return {
        name: _pivot(name, cols, both if not name.startswith("table2_")
                     else f"where r.template = '{name.removeprefix('table2_')}'{_LIVE}")
        for name, cols in wide_columns().items()
    }


def create_views(db: sqlite_utils.Database) -> None:
    """The SQL views (``<name>_view``), and each materialised as the table ``<name>``:
    the database is published immutable, and a pivot over every cell is too slow
    to run on each page view of a large archive."""
    for name, sql in view_definitions().items():
        db.execute(f"drop view if exists [{name}_view]")
        db.execute(f"drop table if exists [{name}]")
        db.execute(sql.replace(f"create view [{name}]", f"create view [{name}_view]", 1))
        db.execute(f"create table [{name}] as select * from [{name}_view]")
        db.execute(f"create index [{name}_by_agency_year] on [{name}] (agency, year)")


def panel_columns() -> dict[str, str]:
    """The panel's indicator columns, column name -> indicator key: each indicator's value
    and, beside it, where it came from (cells, legacy_table, text)."""
    from parsers.indicators import definitions

    out: dict[str, str] = {}
    for key in definitions():
        out[key] = key
        out[f"{key}_source"] = key
    return out


def panel_definition() -> str:
    """``panel_view``: agency × year, one report each (archive.schema.chosen: the copy whose
    numbers add up best, never a replaced version), a value and a source per indicator."""
    from archive.schema.chosen import chosen

    picks = ",\n  ".join(
        f"max(case when i.indicator = '{key}' then i.{'source' if col.endswith('_source') else 'value'} end)"
        f" as [{col}]" for col, key in panel_columns().items())
    return (f"create view panel_view as with chosen as ({chosen()})\n"
            f"select ch.agency, ch.year, ch.id as report, r.template, r.state,\n  {picks}\n"
            "from chosen ch join reports r on r.id = ch.id left join indicators i on i.report_id = ch.id\n"
            "group by ch.id order by ch.agency, ch.year")
