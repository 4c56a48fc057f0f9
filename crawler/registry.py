"""The registry of sites to crawl (``sites.csv``): operators add a district by its URL."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class SiteEntry:
    name: str
    agency: str
    division_code: str
    level: str
    parent_region: str
    cms: str  # trs | hanweb | generic | auto
    start_urls: tuple[str, ...]
    verified: str = "no"  # yes once `nianbao sites check` passed against the live site


def load(path: str | Path | None = None) -> list[SiteEntry]:
    if path is None:
        text = resources.files("crawler").joinpath("sites.csv").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return [
        SiteEntry(
            name=r["name"], agency=r["agency"], division_code=r["division_code"],
            level=r["level"], parent_region=r["parent_region"], cms=r["cms"] or "auto",
            start_urls=tuple(r["start_urls"].split()), verified=r.get("verified") or "no",
        )
        for r in csv.DictReader(text.splitlines())
    ]


def find(name: str, path: str | Path | None = None) -> SiteEntry:
    for entry in load(path):
        if entry.name == name:
            return entry
    raise KeyError(f"no site named {name!r} in the registry")
