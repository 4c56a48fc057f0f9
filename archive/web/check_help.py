"""What each consistency check means, in Chinese and English (``data/checks.csv``), with the
template's own wording of the 勾稽关系: one text for the report page and metadata.yml."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class CheckHelp:
    check: str
    rule: str  # the rule in the template's own labels
    zh: str
    en: str


@lru_cache(maxsize=1)
def check_help() -> dict[str, CheckHelp]:
    text = resources.files("archive.web").joinpath("data", "checks.csv").read_text(encoding="utf-8")
    return {r["check"]: CheckHelp(r["check"], r["rule"], r["zh"], r["en"])
            for r in csv.DictReader(text.splitlines())}
