"""The administrative divisions (GB/T 2260, ``data/divisions.csv``) and the names their
governments go by, so that a report's agency can be tied to a place.

A district's government is 青岛市崂山区人民政府; a report may title it 崂山区,
崂山区人民政府 or 山东省青岛市崂山区人民政府: every such form is an alias of one name.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

GOVERNMENT = ("人民政府", "政府")


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str
    level: str  # province | prefecture | county
    parent: str  # code of the division above, "" for a province


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    text = resources.files("archive.agencies").joinpath("data", "divisions.csv").read_text(encoding="utf-8")
    return {r["code"]: Division(r["code"], r["name"], r["level"], r["parent"])
            for r in csv.DictReader(text.splitlines())}


def chain(code: str) -> list[Division]:
    """The division and those above it, top first (山东省, 青岛市, 崂山区)."""
    out: list[Division] = []
    d = divisions().get(code)
    while d is not None:
        out.insert(0, d)
        d = divisions().get(d.parent) if d.parent else None
    return out


def qualified(code: str) -> str:
    """青岛市崂山区: the name without the province, as agencies name themselves
    (a prefecture or province alone: its own name)."""
    names = [d.name for d in chain(code)]
    return "".join(names[1:]) if len(names) > 1 else "".join(names)


def government(code: str) -> str:
    """The name of a division's people's government: a district's carries its city
    (青岛市崂山区人民政府), a county's or county-level city's does not (莱州市人民政府)."""
    d = divisions()[code]
    if d.level == "county" and not d.name.endswith("区"):
        return d.name + "人民政府"
    return qualified(code) + "人民政府"


def province_of(code: str | None) -> str:
    return (code or "")[:2]


def strip_government(name: str) -> str:
    for suffix in GOVERNMENT:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def aliases(code: str) -> set[str]:
    """Every form in which a report may name a division's government (without 人民政府):
    崂山区, 青岛市崂山区, 山东省青岛市崂山区."""
    names = [d.name for d in chain(code)]
    return {"".join(names[i:]) for i in range(len(names))}


@lru_cache(maxsize=1)
def _by_alias() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for code in divisions():
        for alias in aliases(code):
            index.setdefault(alias, []).append(code)
    return {k: tuple(sorted(v)) for k, v in index.items()}


def lookup(name: str, within: str = "") -> list[str]:
    """The codes of the divisions a name (崂山区, 青岛市崂山区人民政府) may denote, those under
    ``within`` (a code prefix: 37 for Shandong, 3702 for Qingdao) only."""
    codes = _by_alias().get(strip_government(name), ())
    return [c for c in codes if c.startswith(within)]


def division_prefix(name: str, within: str = "") -> str | None:
    """The most specific division a name starts with (青岛市崂山区教育局 → 370212), for tying
    a department or sub-district to its place."""
    index = _by_alias()
    for end in range(len(name), 1, -1):  # the longest prefix that names one division inside
        inside = [c for c in index.get(name[:end], ()) if c.startswith(within)]
        if len(inside) == 1:
            return inside[0]
    return None


def governments_under(prefix: str) -> dict[str, str]:
    """{government name: code} of every division whose code starts with ``prefix``."""
    return {government(c): c for c in divisions() if c.startswith(prefix)}
