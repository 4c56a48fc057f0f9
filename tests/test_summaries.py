"""The summaries computed at build time say what the slow queries over every cell said."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from archive.build import summaries
from tests.archive_fixture import make_db

# the definitions as first written: straight over the cells (14 s at 100 000 reports)
CHOSEN = """with chosen as (select id, agency, year from (
  select id, agency, year, row_number() over (
    partition by coalesce(agency, id), year order by checks_failed, id) as n
  from reports where year is not null and state is not 'replaced') where n = 1)"""
OVER_CELLS = {
    "summary_outcomes_by_year": CHOSEN + """
select ch.year, count(distinct ch.id) as reports,
  sum(case when c.row = 'new_received' then c.value end) as new_received,
  sum(case when c.row = 'granted' then c.value end) as granted,
  sum(case when c.row = 'partially_granted' then c.value end) as partially_granted,
  sum(case when c.row like 'denied%' then c.value end) as denied,
  sum(case when c.row like 'unavailable%' then c.value end) as unavailable,
  sum(case when c.row like 'unprocessed%' then c.value end) as unprocessed,
  sum(case when c.row like 'other%' then c.value end) as other,
  sum(case when c.row = 'total_processed' then c.value end) as total_processed,
  sum(case when c.row = 'carried_forward' then c.value end) as carried_forward
from chosen ch join reports r on r.id = ch.id and r.template in ('2019', '2021')
join cells c on c.report_id = ch.id and c.table_name = 'applications' and c.col = 'total'
group by ch.year order by ch.year""",
    "summary_litigation_by_agency": CHOSEN + """
select ch.agency,
  sum(case when c.key = 'review.litigation_direct.total' then c.value end) as direct,
  sum(case when c.key = 'review.litigation_after_review.total' then c.value end) as after_review,
  coalesce(sum(c.value), 0) as litigation,
  count(distinct ch.id) as reports, min(ch.year) as first_year, max(ch.year) as last_year
from chosen ch left join cells c on c.report_id = ch.id
  and c.key in ('review.litigation_direct.total', 'review.litigation_after_review.total')
group by ch.agency order by litigation desc, ch.agency""",
}


@pytest.fixture(scope="module")
def conn(tmp_path_factory) -> sqlite3.Connection:
    db = make_db(tmp_path_factory.mktemp("summaries"))
    c = sqlite3.connect(db)
    # a replaced version and an unchosen copy must not count: make one report of each
    ids = [r[0] for r in c.execute("select id from reports where template = '2021' order by id")]
    assert len(ids) >= 2
    c.execute("update reports set state = 'replaced' where id = ?", [ids[0]])
    summaries.create(sqlite_utils.Database(c))
    yield c
    c.close()


@pytest.mark.parametrize("table", sorted(OVER_CELLS))
def test_summary_equals_the_sum_over_cells(conn, table):
    got = conn.execute(f"select * from [{table}]").fetchall()
    want = conn.execute(OVER_CELLS[table]).fetchall()
    assert got and got == want


def test_the_canned_queries_read_the_summaries():
    import yaml

    queries = yaml.safe_load((Path(__file__).parents[1] / "metadata.yml").read_text())["databases"]
    queries = next(iter(queries.values()))["queries"]
    for name in ("applications_by_outcome", "litigation_by_agency", "narrative_by_year"):
        assert "from summary_" in queries[name]["sql"], name
