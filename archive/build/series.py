"""The series across every era, computed once per build: the ``panel`` (agency × year ×
indicator, one report per agency and year) and the national series by year.

The national series adds up every report's indicators: at 100 000 reports that is 1.4
million rows, too slow for a page view, so the canned query reads the sums computed here
(as archive.build.summaries does for the cells).
"""

from __future__ import annotations

import sqlite_utils

from archive.schema.views import panel_definition

SERIES_BY_YEAR = """select p.year, i.indicator, d.zh, d.position,
  count(*) as agencies, sum(i.value) as total,
  sum(i.source = 'cells') as from_cells, sum(i.source = 'legacy_table') as from_legacy_table,
  sum(i.source = 'text') as from_text
from panel p join indicators i on i.report_id = p.report
join indicator_definitions d on d.key = i.indicator
where p.year is not null
group by p.year, i.indicator order by d.position, p.year"""


def create(db: sqlite_utils.Database) -> None:
    """The panel (a view, materialised: the database is published immutable) and the
    summary the national-series query reads, written again from the current rows."""
    db.execute("drop view if exists panel_view")
    db.execute("drop table if exists panel")
    db.execute("drop table if exists summary_indicators_by_year")
    db.execute(panel_definition())
    db.execute("create table panel as select * from panel_view")
    db.execute("create index panel_by_agency_year on panel (agency, year)")
    db.execute("create index panel_by_year on panel (year)")
    db.execute("create index panel_by_template on panel (template)")  # its default facets
    db.execute(f"create table summary_indicators_by_year as {SERIES_BY_YEAR}")
    db.execute("create index summary_indicators_by_indicator on summary_indicators_by_year (indicator, year)")
