"""The gazetteer in the database: ``divisions``, and ``agency_names`` (every printed agency
name beside the canonical one it was matched to, and how; unmatched ones to review)."""

from __future__ import annotations

from functools import lru_cache

import sqlite_utils

from archive.agencies import gazetteer
from archive.agencies.matching import DIVISION_AGENCY, UNMATCHED, AgencyMatch, AgencyMatcher
from crawler.registry import SiteEntry
from parsers import Report


def create(db: sqlite_utils.Database) -> None:
    db["divisions"].create(
        {"code": str, "name": str, "level": str, "parent": str, "qualified": str}, pk="code")
    db["divisions"].insert_all(
        {"code": d.code, "name": d.name, "level": d.level, "parent": d.parent or None,
         "qualified": gazetteer.qualified(d.code)}
        for d in gazetteer.divisions().values())
    db["agency_names"].create(
        {"printed": str, "site": str, "agency": str, "method": str, "division": str,
         "candidate": str, "distance": int, "reports": int},
        pk=("printed", "site", "agency"))  # one printed name may be OCR'd here, typed there


@lru_cache(maxsize=4)
def matcher(entries: tuple[SiteEntry, ...]) -> AgencyMatcher:
    return AgencyMatcher(entries)


def _level(m: AgencyMatch) -> str | None:
    """district, county, city, province for a government; subdistrict, town or department
    for the other agencies of a division."""
    d = gazetteer.divisions().get(m.division or "")
    if d is None or m.method == UNMATCHED:
        return None
    if m.method == DIVISION_AGENCY:
        if "街道" in m.agency:
            return "subdistrict"
        return "town" if m.agency.endswith(("镇人民政府", "乡人民政府", "镇政府", "乡政府")) else "department"
    if d.level == "county":
        return "district" if d.name.endswith("区") else "county"
    return "city" if d.level == "prefecture" else "province"


def record(db: sqlite_utils.Database, report: Report, site: str | None,
           entries: dict[str, SiteEntry]) -> str | None:
    """The canonical agency of a report; its printed name, the match and a new agency
    (tied to its division) recorded on the way."""
    return record_name(db, report.agency, any(c.ocr for c in report.cells.values()), site, entries)


def record_name(db: sqlite_utils.Database, printed: str | None, ocr: bool, site: str | None,
                entries: dict[str, SiteEntry]) -> str | None:
    """``record`` from what the reports table keeps (an incremental build replays it)."""
    m: AgencyMatch | None = matcher(tuple(entries.values())).match(printed, site, ocr)
    if m is None:
        return None
    entry = entries.get(site or "")
    level = _level(m)
    place = gazetteer.divisions().get(m.division or "") if level else None
    # a government lies in the division above its own; any other agency in its division
    region = (place.parent if level in ("district", "county", "city") else place.code) if place else None
    # plain SQL: once per report, and sqlite-utils' insert reads the table's schema each time
    db.execute(
        "insert or ignore into agencies (name, site, division_code, level, parent_region) values (?, ?, ?, ?, ?)",
        [m.agency, site, place.code if place else None, level,
         "".join(d.name for d in gazetteer.chain(region)) if region
         else (entry.parent_region if entry else None)])
    key = (m.printed, site or "", m.agency)
    where = "printed = ? and site = ? and agency = ?"
    if db.execute(f"select 1 from agency_names where {where}", key).fetchone():
        db.execute(f"update agency_names set reports = reports + 1 where {where}", key)
    else:
        db.execute("insert into agency_names (printed, site, agency, method, division, candidate, distance, "
                   "reports) values (?, ?, ?, ?, ?, ?, ?, 1)",
                   [*key, m.method, m.division, m.candidate, m.distance])
    return m.agency
