"""The front page's figures, computed once per build: what the archive holds, the national
series in the four numbers a journalist asks for, last year's coverage by province, and the
latest reports added.

At 100 000 reports each of these reads the whole reports, checks or panel table (the share
of reports passing their checks alone looks at 2.7 million check rows); the database is
published immutable, so they are computed here and the page reads four small tables.
"""

from __future__ import annotations

import sqlite_utils

from archive.build.coverage import as_of as latest_fetch
from archive.build.coverage import last_due_year
from parsers.report import TABLE_CHECKS

LATEST = 12  # reports in the "latest added" list
FRONT_TABLES = ("front_figures", "front_series", "front_coverage", "front_latest")

_CHECKS = ", ".join(f"'{c}'" for c in TABLE_CHECKS)

FIGURES = f"""select
  (select count(*) from reports) as reports,
  (select count(*) from reports where current = 1) as current_reports,
  (select count(distinct agency) from reports) as agencies,
  (select count(distinct a.division_code) from agencies a
     where exists (select 1 from reports r where r.agency = a.name)) as regions,
  (select count(distinct substr(a.division_code, 1, 2)) from agencies a
     where exists (select 1 from reports r where r.agency = a.name)) as provinces,
  (select min(year) from reports) as first_year,
  (select max(year) from reports) as last_year,
  (select max(t) from (select max(last_seen) as t from documents
     union all select max(at) from events)) as last_crawl,
  count(*) as reports_checked,
  sum(r.checks_failed = 0) as reports_passing
from reports r
where exists (select 1 from checks k where k.report_id = r.id
              and k.check_name in ({_CHECKS}) and k.ok is not null)"""

# the share granted: over the reports giving all three numbers, so that a report stating
# only its grants (or none of its answers) does not move it, and granting no more than it
# answered (a misread or misprinted row would push the share past 100%)
SERIES = """select year, count(*) as agencies,
  sum(requests_received) as requests_received, count(requests_received) as received_agencies,
  sum(case when {full} then requests_granted + requests_partially_granted end) as granted_any,
  sum(case when {full} then requests_answered end) as answered,
  round(100.0 * sum(case when {full} then requests_granted + requests_partially_granted end)
        / sum(case when {full} then requests_answered end), 1) as granted_share,
  sum(case when {full} then 1 else 0 end) as share_agencies,
  sum(reconsiderations) as reconsiderations, count(reconsiderations) as reconsideration_agencies,
  sum(lawsuits) as lawsuits, count(lawsuits) as lawsuit_agencies
from panel where year is not null group by year order by year""".format(
    full="requests_answered > 0 and requests_granted is not null and requests_partially_granted is not null "
         "and requests_granted + requests_partially_granted <= requests_answered")

# the province is the first two digits of the agency's division (GB/T 2260)
COVERAGE = """select coalesce(p.name, '未知') as province, p.code as code, c.year,
  count(*) as agencies,
  sum(c.status in ('current', 'withdrawn', 'replaced')) as with_report,
  sum(c.status = 'missing') as missing,
  round(100.0 * sum(c.status in ('current', 'withdrawn', 'replaced')) / count(*), 1) as share
from coverage c left join agencies a on a.name = c.agency
left join divisions p on p.code = substr(a.division_code, 1, 2) || '0000'
where c.year = :year and c.status != 'not_due'
group by p.code order by p.code is null, p.code"""

LATEST_REPORTS = f"""select id, title, agency, year, template, format, first_seen, checks_failed
from reports where current = 1
order by first_seen desc, fetched_at desc, id limit {LATEST}"""


def create(db: sqlite_utils.Database) -> None:
    """The four front-page tables, written again from the current rows (after the panel
    and coverage tables)."""
    for name in FRONT_TABLES:
        db.execute(f"drop table if exists [{name}]")
    db.execute(f"create table front_figures as {FIGURES}")
    db.execute(f"create table front_series as {SERIES}")
    today = latest_fetch(db)
    year = last_due_year(today) if today else None
    db.execute(f"create table front_coverage as {COVERAGE}", {"year": year})
    db.execute(f"create table front_latest as {LATEST_REPORTS}")
