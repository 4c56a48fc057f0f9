"""What a document is: an annual report (of which template), or something else.

Sites list 政府信息公开指南, 工作要点, 部门决算 and 统计公报 beside the annual
reports; only the reports are the archive's business. The standard tables only
appear in annual reports, so finding them settles it; otherwise the title does.
"""

from __future__ import annotations

import re

from parsers.labels import norm

_REPORT = re.compile(
    r"(信息公开|政务公开).{0,12}(年度报告|年报|工作报告|情况报告)|年度.{0,8}信息公开.{0,6}报告"
)


def is_report_title(title: str | None) -> bool:
    return bool(_REPORT.search(norm(title or "")))


def classify(title: str | None, template: str | None, year: int | None) -> tuple[str, str | None]:
    """(kind, template); a report without standard tables from before 2019 is ``legacy``."""
    if template:
        return "annual_report", template
    if is_report_title(title):
        return "annual_report", "legacy" if year is not None and year <= 2018 else None
    return "not_report", None
