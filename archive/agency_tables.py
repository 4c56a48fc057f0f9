"""The gazetteer in the database: ``divisions``, and ``agency_names`` (every printed agency
name beside the canonical one it was matched to, and how; unmatched ones to review)."""

from __future__ import annotations

from functools import lru_cache

import sqlite_utils

from archive import gazetteer
from archive.agency_match import UNMATCHED, AgencyMatch, AgencyMatcher
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


def _level(code: str) -> str:
    d = gazetteer.divisions()[code]
    if d.level == "county":
        return "district" if d.name.endswith("区") else "county"
    return "city" if d.level == "prefecture" else "province"


def record(db: sqlite_utils.Database, report: Report, site: str | None,
           entries: dict[str, SiteEntry]) -> str | None:
    """The canonical agency of a report; its printed name, the match and a new agency
    (tied to its division) recorded on the way."""
    ocr = any(c.ocr for c in report.cells.values())
    m: AgencyMatch | None = matcher(tuple(entries.values())).match(report.agency, site, ocr)
    if m is None:
        return None
    entry = entries.get(site or "")
    place = gazetteer.divisions().get(m.division or "")
    is_government = place is not None and m.method != UNMATCHED and m.agency.endswith("人民政府")
    parent = place.parent if place and is_government else (place.code if place else None)
    db["agencies"].insert({
        "name": m.agency, "site": site,
        "division_code": m.division if is_government else None,
        "level": _level(m.division) if is_government and m.division else None,
        "parent_region": "".join(d.name for d in gazetteer.chain(parent)) if parent
        else (entry.parent_region if entry else None),
    }, pk="name", ignore=True)
    key = (m.printed, site or "", m.agency)
    where = "printed = ? and site = ? and agency = ?"
    if db.execute(f"select 1 from agency_names where {where}", key).fetchone():
        db.execute(f"update agency_names set reports = reports + 1 where {where}", key)
    else:
        db["agency_names"].insert({
            "printed": m.printed, "site": site or "", "agency": m.agency, "method": m.method,
            "division": m.division, "candidate": m.candidate, "distance": m.distance, "reports": 1})
    return m.agency
