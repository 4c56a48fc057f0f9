"""The ``carryover`` check: one report against the same agency's report of the year before.

What a report carries forward (表三 四、结转下年度继续办理) is what the next year's
report of the same agency carries over (二、上年结转政府信息公开申请数量), column by
column. Only the archive knows both reports, so the build computes it, after the
corrections (a corrected cell counts as corrected) and whenever it writes the database,
incremental or full. The previous report is chosen as the summaries and the agency page
choose one report per agency and year (archive.schema.chosen). The check is stored with
the later report, and names the earlier in ``other_report``: both report pages show it.
Blank cells count as 0; a check whose cells one report lacks is not evaluated.
"""

from __future__ import annotations

import sqlite_utils

from archive.schema.chosen import chosen
from parsers.templates import APPLICANT_COLUMNS

CHECK = "carryover"
THIS = "applications.carried_over"  # 二、上年结转政府信息公开申请数量
LAST = "applications.carried_forward"  # 四、结转下年度继续办理
TEMPLATES = ("2019", "2021")  # the templates whose table 三 has both rows


def _pairs_sql() -> str:
    columns = " union all ".join(f"select '{c}'" for c in APPLICANT_COLUMNS)
    templates = ", ".join(f"'{t}'" for t in TEMPLATES)
    return f"""
with chosen as ({chosen()}),
cols(col) as ({columns}),
pairs as (
  select r.id as rid, p.id as pid, p.year as pyear
  from reports r
  join chosen p on p.agency = r.agency and p.year = r.year - 1 and p.id != r.id
  join reports pr on pr.id = p.id and pr.template in ({templates})
  where r.state is not 'replaced' and r.template in ({templates})
)
select pairs.rid, pairs.pid, pairs.pyear, cols.col,
  (select value from cells where report_id = pairs.rid and key = '{THIS}.' || cols.col) as this,
  exists(select 1 from cells where report_id = pairs.rid and key = '{THIS}.' || cols.col) as has_this,
  (select value from cells where report_id = pairs.pid and key = '{LAST}.' || cols.col) as last,
  exists(select 1 from cells where report_id = pairs.pid and key = '{LAST}.' || cols.col) as has_last
from pairs, cols
order by pairs.rid"""


def rows(db: sqlite_utils.Database) -> list[dict]:
    order = {c: i for i, c in enumerate(APPLICANT_COLUMNS)}
    out = []
    for rid, pid, pyear, col, this, has_this, last, has_last in db.execute(_pairs_sql()).fetchall():
        if has_this and has_last:
            ok = abs((this or 0) - (last or 0)) < 1e-6
            note = (f"{pyear}年报告 {pid} 四、结转下年度继续办理 {_n(last)}；本报告 二、上年结转 {_n(this)} "
                    f"(the {pyear} report carried forward {_n(last)}, this one carries over {_n(this)})")
            out.append(_row(rid, pid, col, int(ok), last or 0, this or 0, note))
        else:
            missing = [k for k, has in ((f"{THIS}.{col} of {rid}", has_this), (f"{LAST}.{col} of {pid}", has_last))
                       if not has]
            out.append(_row(rid, pid, col, None, last if has_last else None, this if has_this else None,
                            "not evaluated: missing " + ", ".join(missing)))
    out.sort(key=lambda r: (r["report_id"], order[r["scope"]]))
    return out


def _row(rid, pid, col, ok, expected, actual, note) -> dict:
    return {"report_id": rid, "check_name": CHECK, "scope": col, "ok": ok, "expected": expected,
            "actual": actual, "note": note, "other_report": pid, "where_json": None}


def _n(value) -> str:
    value = value or 0
    return str(int(value)) if float(value).is_integer() else str(value)


def create(db: sqlite_utils.Database) -> int:
    """Every report's carryover checks written again; the number that fail."""
    db.execute("delete from checks where check_name = ?", [CHECK])
    found = rows(db)
    if found:
        db["checks"].insert_all(found)
    db.execute("create index if not exists checks_other_report on checks(other_report) "
               "where other_report is not null")
    return sum(1 for r in found if r["ok"] == 0)
