"""The indicators of ``data/indicators.csv`` (the shared contract): one series for every year.

A 2019/2021 report gives them by the contract's formula over its cells; a pre-2019 report
from its statistics table (parsers.legacy_table) or its sentences (parsers.text_indicators).
``combine`` keeps, per indicator, the first source that gives it: the cells, the table,
the text — a template report's formula indicators come from its cells only, so a number
of its text never stands in for a cell the tables left out.
"""

from __future__ import annotations

import csv
import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from parsers.report import CellValue, Indicator
from parsers.templates import keys as template_keys
from parsers.values import Number
from parsers.where import merge

SOURCES = ("cells", "legacy_table", "text")
_SUM = re.compile(r"^sum\((?P<glob>[^)]+)\)$")


@dataclass(frozen=True)
class Definition:
    key: str
    zh: str
    en: str
    unit: str  # count | wan_yuan
    from_cells: str  # the formula over the 2019/2021 cells ("" when no cell holds it)
    legacy_labels: tuple[str, ...]  # examples of legacy row labels (data/legacy_labels.csv matches)
    text_topic: str  # the phrasing topic of data/narrative.csv that states it
    note: str
    sum_in_sentence: bool = False  # statements of it in one sentence are parts of one number


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("parsers").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def definitions() -> dict[str, Definition]:
    """The contract, in its order; ``data/indicator_topics.csv`` names the topics the
    contract leaves blank (requests_answered, fees_wan) and the indicators whose statements
    in one sentence add up (信息不存在…件，非本部门掌握…件)."""
    extra = {r["indicator"]: r for r in _rows("indicator_topics.csv")}
    return {
        r["key"]: Definition(
            r["key"], r["zh"], r["en"], r["unit"], r["from_cells"].strip(),
            tuple(x for x in r["legacy_labels"].split("|") if x),
            r["text_topic"] or extra.get(r["key"], {}).get("text_topic", ""), r["note"],
            extra.get(r["key"], {}).get("sum_in_sentence") == "yes")
        for r in _rows("indicators.csv")
    }


def topic_indicator(topic: str) -> str | None:
    """The indicator a narrative topic states (received -> requests_received)."""
    return next((d.key for d in definitions().values() if d.text_topic == topic), None)


def formula_keys(formula: str, template: str) -> list[str]:
    """The cell keys a formula adds up in a template (``sum(applications.denied_*.total)``
    expanded over the template's keys)."""
    have = template_keys(template)
    out: list[str] = []
    for term in (t.strip() for t in formula.split("+")):
        m = _SUM.match(term)
        if m:
            out += [k for k in have if fnmatch.fnmatchcase(k, m.group("glob").strip())]
        elif term:
            out.append(term)
    return out


def _tidy(x: float) -> Number:
    x = round(x, 6)
    return int(x) if x == int(x) else x


def from_cells(cells: Mapping[str, CellValue], template: str | None) -> dict[str, Indicator]:
    """Each formula over the report's cells: given only when the document holds every cell
    the formula names and at least one of them has a number (blank cells count as 0 in a
    sum, as in the checks); else absent, never 0 by default."""
    out: dict[str, Indicator] = {}
    if template not in ("2019", "2021"):
        return out
    for d in definitions().values():
        if not d.from_cells:
            continue
        wanted = formula_keys(d.from_cells, template)
        if not wanted or any(k not in cells for k in wanted):
            continue
        values = [cells[k].value for k in wanted]
        if all(v is None for v in values):
            continue
        out[d.key] = Indicator(_tidy(sum(v or 0 for v in values)), "cells", d.from_cells,
                               merge(cells[k].where for k in wanted))
    return out


def combine(*found: Mapping[str, Indicator], template: str | None = None) -> dict[str, Indicator]:
    """Per indicator, the first of ``found`` (cells, legacy table, text) that gives it, in
    the contract's order. In a 2019/2021 report an indicator with a formula comes from
    its cells or not at all."""
    out: dict[str, Indicator] = {}
    for d in definitions().values():
        for source in found:
            got = source.get(d.key)
            if got is None:
                continue
            if template in ("2019", "2021") and d.from_cells and got.source != "cells":
                continue
            out[d.key] = got
            break
    return out
