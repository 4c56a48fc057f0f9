"""What a document is: an annual report (of which template), or something else.

Sites list 政府信息公开指南, 工作要点, 部门决算, 统计公报 and the notices about compiling
the reports beside the annual reports, often in the same column; only the reports are
the archive's business. A title that names another kind settles it (a notice or a
年报格式 may carry the template's blank tables); else the standard tables do; else a
report's title, which names the year it reports on, or whose text does in the report's
numbered parts.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from parsers.labels import norm

_REPORT = re.compile(
    r"(信息公开|政务公开|信息工作).{0,12}(年度报告|年报|工作报告|情况报告)"
    r"|年度.{0,8}信息公开.{0,6}报告"
)
MIN_PARTS = 3  # of the six numbered parts (一、总体情况…): a report's body, not a page naming one
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@lru_cache(maxsize=1)
def _other_kinds() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, pattern) pairs from data/other_kinds.csv: what sits beside the reports."""
    text = resources.files("parsers").joinpath("data/other_kinds.csv").read_text(encoding="utf-8")
    return tuple((r["kind"], re.compile(r["pattern"])) for r in csv.DictReader(text.splitlines()))


def other_kind(title: str | None) -> str | None:
    """The kind a title names when it is not an annual report (notice, guide, 决算…)."""
    t = norm(title or "")
    return next((kind for kind, pattern in _other_kinds() if pattern.search(t)), None)


def is_report_title(title: str | None) -> bool:
    return bool(_REPORT.search(norm(title or ""))) and other_kind(title) is None


def title_year(title: str | None) -> int | None:
    """The year a title names (with or without 年: 2014奋发镇…, 2022年度…)."""
    m = _TITLE_YEAR.search(norm(title or ""))
    return int(m.group(1)) if m else None


def classify(title: str | None, template: str | None, year: int | None,
             opening: str = "", parts: int = 0) -> tuple[str, str | None]:
    """(kind, template); a report without standard tables from before 2019 is ``legacy``.

    A title as short as ``XX区2018年度报告`` is a report when its opening words say
    which (…现公布XX区2018年政府信息公开工作年度报告). A report's title that names no
    year (驼峰路街道办事处政府信息公开工作年度报告) is one when its text states the year
    (``year``: 2020年度我街办未接到…申请) and it has the report's numbered ``parts``."""
    if other_kind(title):
        return "not_report", None
    if template:
        return "annual_report", template
    said = any(_REPORT.search(norm(line)) for line in opening.splitlines())
    titled = is_report_title(title) or ("报告" in norm(title or "") and said)
    legacy = "legacy" if year is not None and year <= 2018 else None
    if titled and title_year(title) is not None:
        return "annual_report", legacy
    if is_report_title(title) and year is not None and parts >= MIN_PARTS:
        return "annual_report", legacy
    return "not_report", None
