"""Summaries over every report, computed once per build.

The canned queries that add up every report (outcomes by year, lawsuits by agency,
the narrative check per year) read 15 million cells at 100 000 reports: 14 s, past
Datasette's time limit. The database is published immutable, so they are computed
here, from the wide tables (one row per report), and the canned queries read the
result. The column groups come from the template's row names (data), not a list.
"""

from __future__ import annotations

import sqlite_utils

from archive.schema.chosen import chosen
from archive.schema.views import wide_columns
from parsers.templates import TEMPLATES, row_forms

CHOSEN = chosen()

# the outcome groups of table 三 as the template groups its rows: a name, or a prefix_
OUTCOME_COLUMNS = ("new_received", "granted", "partially_granted", "denied_", "unavailable_",
                   "unprocessed_", "other_", "total_processed", "carried_forward")


def _group(name: str, rows: list[str]) -> list[str]:
    return [r for r in rows if r == name or (name.endswith("_") and r.startswith(name))]


def _group_sum(name: str, rows: list[str]) -> str:
    """A group's sum per report. A row printed whole or split (parsers.templates.row_forms:
    a 2021 report's （六）其他处理 as the 2019 single row) counts once: whole when printed."""
    group = _group(name, rows)
    terms = [f"t.[{r}]" for r in group]
    for form in {f for t in TEMPLATES for f in row_forms(t) if f.table == "applications"}:
        if form.row in group and set(form.parts) <= set(group):
            parts = [f"t.[{p}]" for p in form.parts]
            split = f"case when {' and '.join(p + ' is null' for p in parts)} then null " \
                    f"else {' + '.join(f'coalesce({p}, 0)' for p in parts)} end"
            terms = [t for t in terms if t not in parts and t != f"t.[{form.row}]"]
            terms.append(f"coalesce(t.[{form.row}], {split})")
    if len(terms) == 1:
        return terms[0]
    present = " and ".join(f"{c} is null" for c in terms)
    return f"case when {present} then null else {' + '.join(f'coalesce({c}, 0)' for c in terms)} end"


def definitions() -> dict[str, str]:
    """Table name -> the select that fills it."""
    rows = list(wide_columns()["table3_totals"])
    outcomes = ",\n  ".join(f"sum({_group_sum(name, rows)}) as [{name.rstrip('_')}]"
                            for name in OUTCOME_COLUMNS)
    any_cell = f"coalesce({', '.join(f't.[{r}]' for r in rows)}) is not null"
    return {
        "summary_outcomes_by_year": (
            f"with chosen as ({CHOSEN})\n"
            f"select ch.year, count(*) as reports,\n  {outcomes}\n"
            "from chosen ch join table3_totals t on t.report = ch.id\n"
            f"where {any_cell}\ngroup by ch.year order by ch.year"
        ),
        "summary_litigation_by_agency": (
            f"with chosen as ({CHOSEN})\n"
            "select ch.agency, sum(t.litigation_direct_total) as direct,\n"
            "  sum(t.litigation_after_review_total) as after_review,\n"
            "  coalesce(sum(t.litigation_direct_total), 0) + coalesce(sum(t.litigation_after_review_total), 0)"
            " as litigation,\n"
            "  count(*) as reports, min(ch.year) as first_year, max(ch.year) as last_year\n"
            "from chosen ch left join table4_review t on t.report = ch.id\n"
            "group by ch.agency order by litigation desc, ch.agency"
        ),
        "summary_narrative_by_year": (
            "select r.year, sum(k.ok = 1) as agree, sum(k.ok = 0) as disagree,\n"
            "  sum(k.ok is null) as not_assessable,\n"
            "  count(distinct case when k.ok = 0 then r.id end) as reports_disagreeing\n"
            "from checks k join reports r on r.id = k.report_id\n"
            "where k.check_name = 'narrative' group by r.year order by r.year"
        ),
    }


def create(db: sqlite_utils.Database) -> None:
    """Every summary table written again from the current rows (after the wide tables)."""
    for name, sql in definitions().items():
        db.execute(f"drop table if exists [{name}]")
        db.execute(f"create table [{name}] as {sql}")
