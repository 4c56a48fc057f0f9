"""Deciding from a link alone what it leads to, so the site need not be crawled whole."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from parsers.kind import is_report_title
from parsers.labels import norm

ATTACHMENT_SUFFIXES = (
    ".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".ofd", ".et", ".txt", ".zip", ".rar"
)
_ATTACHMENT_PARAM = re.compile(r"(filename|file|fileName)=[^&]*\.(pdf|docx?|wps|xlsx?|ofd)", re.I)
_COLUMN = re.compile(r"年报|年度报告|信息公开|政务公开|政府信息")
_BEST_COLUMN = re.compile(r"年报|年度报告")
_NOT_COLUMN = re.compile(r"指南|制度|目录|依申请|预决算|决算|预算|财政|统计|规划|意见|申请表|政策|解读")
_NEXT = re.compile(r"^(下一?页|下页|后页|>|›|»|next)$", re.I)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def is_attachment(url: str) -> bool:
    path = urlparse(url).path.lower()
    return path.endswith(ATTACHMENT_SUFFIXES) or bool(_ATTACHMENT_PARAM.search(url))


def is_report_link(text: str) -> bool:
    """An annual report by its title, which names its year (the column 政府信息公开年报
    does not; distractors such as 指南, 要点, 决算 do not match at all)."""
    return is_report_title(text) and year_of(text) is not None


def column_rank(text: str, url: str = "") -> int:
    """0: not a column to follow; 2: the annual-report column; 1: the disclosure portal."""
    t = norm(text)
    if not t or len(t) > 20 or _NOT_COLUMN.search(t) or is_attachment(url):
        return 0
    if _BEST_COLUMN.search(t):
        return 2
    return 1 if _COLUMN.search(t) else 0


def is_next_page(text: str) -> bool:
    return bool(_NEXT.match(norm(text)))


def year_of(text: str) -> int | None:
    m = _YEAR.search(norm(text))
    return int(m.group(1)) if m else None
