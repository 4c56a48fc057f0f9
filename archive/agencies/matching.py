"""A report's agency, as printed, matched to the registry and the gazetteer.

In order: an exact name (the registry's, or a division's government); a known short form
(崂山区, 崂山区人民政府 → 青岛市崂山区人民政府); for names read by OCR only, the nearest
name of the same site within a small edit distance, when it is the only one that near
(烟台市芝果区人民政府 → 烟台市芝罘区人民政府). Anything else keeps its printed name and is
listed for review with its nearest candidate: a name is never silently merged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from archive.agencies import gazetteer
from crawler.registry import SiteEntry

EXACT, SHORT_FORM, OCR_NEAREST, UNMATCHED = "exact", "short_form", "ocr_nearest", "unmatched"
DIVISION_AGENCY = "division_agency"
# what a department, sub-district, town or zone of a division calls itself after the place
_AGENCY_KINDS = re.compile(
    r"(?:局|委员会|委|办公室|办|街道办事处|街道|[镇乡]人民政府|[镇乡]政府|中心|厅|院|署|所|处|队|站)$")
_TOWN = re.compile(r"[镇乡](?:人民)?政府$|街道(?:办事处)?$")
_PLACE = re.compile(r"[区县市]")  # a remainder naming another place (芝果区教育局): not trusted


@dataclass(frozen=True)
class AgencyMatch:
    printed: str
    agency: str  # the canonical name; the printed one when unmatched
    method: str  # exact | short_form | ocr_nearest | unmatched
    division: str | None  # GB/T 2260 code of the place it belongs to
    candidate: str | None = None  # nearest known name (for review when unmatched)
    distance: int | None = None


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def ocr_tolerance(name: str) -> int:
    """Characters an OCR'd name may differ by: one per eight, at least one."""
    return max(1, len(name) // 8)


def agency_of_division(name: str, code: str) -> bool:
    """青岛市城阳区教育和体育局, 烟台市蓬莱区大辛店镇人民政府: the division's name, then a
    department, sub-district or town naming no other place."""
    rest = next((name[len(a):] for a in sorted(gazetteer.aliases(code), key=len, reverse=True)
                 if name.startswith(a)), "")
    if not rest or not _AGENCY_KINDS.search(rest):
        return False
    return bool(_TOWN.search(rest)) or not _PLACE.search(rest)


def division_of(entry: SiteEntry | None) -> str | None:
    """The GB/T 2260 division a registry entry lies in: its code's first six digits, or
    (a development zone's own code is none) the division its parent region names."""
    if entry is None:
        return None
    code = (entry.division_code or "")[:6]
    if code in gazetteer.divisions():
        return code
    found = gazetteer.lookup(entry.parent_region or "")
    return found[0] if len(found) == 1 else None


def _scope(division: str | None) -> str:
    """The code prefix of a site's prefecture (3706 for any 烟台市 site)."""
    return (division or "")[:4]


class AgencyMatcher:
    """Matches printed names against one registry (``crawler/sites.csv``) and the gazetteer."""

    def __init__(self, entries: Iterable[SiteEntry]):
        self.entries = {e.name: e for e in entries}
        self.registry = {e.agency: division_of(e) for e in self.entries.values()}
        # the registry's name for a division's own government (its spelling wins)
        self.government = {
            division_of(e): e.agency for e in self.entries.values()
            if e.agency.endswith(gazetteer.GOVERNMENT) and (e.division_code or "")[:6] == division_of(e)
        }
        self._matched: dict[tuple, AgencyMatch | None] = {}  # a build asks once per report

    def canonical_government(self, code: str) -> str:
        return self.government.get(code) or gazetteer.government(code)

    def candidates(self, site: str | None) -> dict[str, str | None]:
        """Names of the same site: its registry agencies and the governments of its prefecture."""
        entry = self.entries.get(site or "")
        if entry is None:
            return {}
        division = division_of(entry)
        names: dict[str, str | None] = {}
        if _scope(division):
            for code in gazetteer.governments_under(_scope(division)).values():
                names[self.canonical_government(code)] = code
        names.update({e.agency: division_of(e) for e in self.entries.values() if e.name == site})
        return names

    def match(self, printed: str | None, site: str | None, ocr: bool = False) -> AgencyMatch | None:
        """The canonical agency of a printed name (the same answer for the same question:
        it depends on the registry and the gazetteer only)."""
        key = (printed, site, ocr)
        if key not in self._matched:
            self._matched[key] = self._match(printed, site, ocr)
        return self._matched[key]

    def _match(self, printed: str | None, site: str | None, ocr: bool) -> AgencyMatch | None:
        if not printed:
            return None
        name = "".join(printed.split())
        entry = self.entries.get(site or "")
        division = division_of(entry)
        province = gazetteer.province_of(division)
        if name in self.registry:
            return AgencyMatch(printed, name, EXACT, self.registry[name])
        codes = gazetteer.lookup(name, province)
        if len(codes) > 1:  # the same county name in two prefectures: the site's one
            codes = [c for c in codes if c.startswith(_scope(division))] or codes
        if len(codes) == 1:
            canonical = self.canonical_government(codes[0])
            return AgencyMatch(printed, canonical, EXACT if canonical == name else SHORT_FORM, codes[0])
        short = gazetteer.strip_government(name)
        if entry and len(short) >= 2 and gazetteer.strip_government(entry.agency).endswith(short):
            return AgencyMatch(printed, entry.agency, SHORT_FORM, division)  # 王哥庄街道办事处
        near = sorted((edit_distance(name, known), known, code)
                      for known, code in self.candidates(site).items())
        best = near[0] if near else None
        if (ocr and best and best[0] <= ocr_tolerance(name) and abs(len(best[1]) - len(name)) <= 1
                and (len(near) == 1 or near[1][0] > best[0])):
            return AgencyMatch(printed, best[1], OCR_NEAREST, best[2], best[1], best[0])
        place = gazetteer.division_prefix(name, province)
        if place and agency_of_division(name, place):
            return AgencyMatch(printed, name, DIVISION_AGENCY, place)
        return AgencyMatch(printed, name, UNMATCHED, place,
                           best[1] if best else None, best[0] if best else None)
