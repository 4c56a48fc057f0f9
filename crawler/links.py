"""What a link may lead to, from its text and URL alone.

Two regimes. Outside the annual-report column the rules are strict and cheap (a link
is followed only when its title is an annual report's, or it leads towards the column),
so a site is never crawled whole. Inside the column every link that names a year or
报告 is a candidate, and the fetched document decides; only titles that name another
kind (a notice, 指南, 决算 …: ``parsers.kind.other_kind``) are skipped unfetched.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from parsers.kind import is_report_title, other_kind
from parsers.labels import norm

ATTACHMENT_SUFFIXES = (
    ".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".ofd", ".et", ".txt", ".zip", ".rar",
    ".jpg", ".jpeg", ".png",
)
_ATTACHMENT_PARAM = re.compile(r"(filename|file|fileName)=[^&]*\.(pdf|docx?|wps|xlsx?|ofd)", re.I)
_COLUMN = re.compile(r"年报|年度报告|信息公开|政务公开|政府信息")
_BEST_COLUMN = re.compile(r"年报|年度报告")
_NOT_COLUMN = re.compile(r"指南|制度|目录|依申请|预决算|决算|预算|财政|统计|规划|意见|申请表|政策|解读")
_NEXT = re.compile(r"^(下一?页|下页|后页|>|›|»|next)$", re.I)
_PAGE_WORD = re.compile(r"^[\[(【]?(\d{1,3}|首页|尾页|末页|最后一?页|上一?页|下一?页|前页|后页|[<>›‹«»]+|next|prev|last|first)[\])】]?$", re.I)

# noise inside link texts: dates printed in a <span>, file suffixes, cut-off marks
_DATE = re.compile(r"[\[(（【]?(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?[\])）】]?")
_SUFFIX = re.compile(r"\.(pdf|docx?|wps|xlsx?|ofd|et|txt|zip|rar|jpe?g|png)$", re.I)
_CUT = re.compile(r"(\.{2,}|…+|。{2,})$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")

# sub-columns of the report column: a year alone, or a category of agency alone
_YEAR_LABEL = re.compile(
    r"^(?:nb_?)?((?:19|20)\d{2})(?:年度?|year|n|nb)?(?:年报|年度报告|政府信息公开(?:工作)?(?:年度报告|年报))?$", re.I
)
_CATEGORY_LABEL = re.compile(
    r"^(?:[区市县旗]|本级|[区市县]?(?:直|级|属))?"
    r"(?:部门|单位|机构|乡镇|镇街|街道|镇|乡|开发区|园区|功能区|管委会?|办事处|[区市县]政府)+"
    r"(?:\((?:街道|镇街|乡镇|园区)\))?(?:政府信息公开)?(?:工作)?(?:年报|年度报告|信息公开年报)?$"
)


def label(text: str) -> str:
    """A link's text as a title: folded, without a date, a file suffix or a cut-off mark."""
    t = _DATE.sub("", norm(text))
    t = _CUT.sub("", _SUFFIX.sub("", t))
    return t


def is_attachment(url: str) -> bool:
    path = urlparse(url).path.lower()
    return path.endswith(ATTACHMENT_SUFFIXES) or bool(_ATTACHMENT_PARAM.search(url))


def year_of(text: str) -> int | None:
    """The year a title names, written with or without 年 (2014奋发镇…, 2019year)."""
    m = _YEAR.search(label(text))
    return int(m.group(1)) if m else None


def is_report_link(text: str) -> bool:
    """Outside the column: an annual report by its title, which names its year (the
    column 政府信息公开年报 does not; 指南, 要点, 决算 do not match at all)."""
    return is_report_title(label(text)) and year_of(text) is not None


def is_candidate(text: str) -> bool:
    """Inside the column: a link that names a year or 报告 may be a report; the fetched
    document decides. Other kinds by their title are not worth a request."""
    t = label(text)
    if not t or other_kind(t) or is_page_link(t):
        return False
    if year_of(t) is None and column_rank(t) == 2:
        return False  # the column's own name, in a menu or breadcrumb
    return year_of(t) is not None or "报告" in t


def is_subcolumn(text: str, url: str = "") -> bool:
    """A year (2022, 2021年, 2019year, nb_2022n) or a category (乡镇, 区直部门, 开发区)
    below the report column: a list to read, not a document."""
    t = label(text)
    if not t or len(t) > 16 or is_attachment(url):
        return False
    return bool(_YEAR_LABEL.match(t) or _CATEGORY_LABEL.match(t))


def names_column(text: str) -> bool:
    """A link that names 年报/年度报告: a list it leads to is the report column."""
    return bool(_BEST_COLUMN.search(label(text)))


def column_rank(text: str, url: str = "") -> int:
    """0: not a column to follow; 2: the annual-report column; 1: the disclosure portal."""
    t = label(text)
    if not t or len(t) > 20 or _NOT_COLUMN.search(t) or is_attachment(url) or other_kind(t):
        return 0
    if _BEST_COLUMN.search(t):
        return 2
    return 1 if _COLUMN.search(t) else 0


def towards_column(links: list) -> list:
    """(rank, link) of the links to follow from a page outside the column: those of the
    best rank there (the 年报 column, else the disclosure portal), in page order."""
    ranked = [(column_rank(link.text, link.url), link) for link in links]
    best = max((r for r, _ in ranked), default=0)
    return [(r, link) for r, link in ranked if r and r == best]


def is_next_page(text: str) -> bool:
    return bool(_NEXT.match(norm(text)))


def is_page_link(text: str) -> bool:
    """A pager's own link text (1, 2, 下一页, 尾页): never a title."""
    return bool(_PAGE_WORD.match(norm(text)))
