"""The rule choosing one report per agency and year, as SQL: the summaries the build
computes and the agency page the web serves count the same report."""

from __future__ import annotations


def chosen(where: str = "") -> str:
    """One report per agency and year: copies of a report (PDF and HTML) must not count
    twice, the copy whose numbers add up best is the best reading of it, and a replaced
    version is history, not data (as in the wide tables). ``where``: which reports (the
    agency page asks for one agency's)."""
    return f"""select id, agency, year from (
  select id, agency, year, row_number() over (
    partition by coalesce(agency, id), year order by checks_failed, id) as n
  from reports where year is not null and state is not 'replaced'{f" and {where}" if where else ""}
) where n = 1"""
