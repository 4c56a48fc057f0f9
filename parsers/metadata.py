"""Title, agency, year and publication date from a report's own words."""

from __future__ import annotations

import re
from collections.abc import Sequence

from parsers.labels import clean, norm, strip_page_mark

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# a year the text speaks of (2020年度我街办…), not a date (发布时间：2021年01月18日)
_YEAR_NOT_DATE = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_TITLE = re.compile(r"(信息公开|政务公开).*报告|年度报告|工作报告")
_AGENCY_END = re.compile(
    r"(人民政府|政府|管理委员会|管委会?|委员会|办事处|局|厅|办公室|中心|院|署|委|办|街道|镇|乡|公司|所|站|队)$"
)
_ORG_BEFORE_GOV = re.compile(r"(局|委员会|委|办公室|办|中心|院|署|处|所|站|队|公司|厅)$")
_NOT_NAME = re.compile(r"报告|欢迎|网站|门户|首页|当前位置")
_TRAIL = re.compile(r"^(当前位置|您的位置|您现在的位置|所在位置|现在位置)|首页\s*[>»/]|\s[>»]\s")
_NAME = re.compile(r"^[\u4e00-\u9fff()]{3,40}$")
_SITE_SUFFIX = re.compile(r"\s*[_|—–]+.*$|\s+-\s+.*$")


def _head(paragraphs: Sequence[str], limit: int = 20) -> list[str]:
    out = []
    for p in (strip_page_mark(x) for x in paragraphs[:limit]):
        if re.match(r"^[一1][、.]", norm(p)):
            break
        out.append(p)
    return out


def title(paragraphs: Sequence[str], hint: str | None = None) -> str | None:
    head = _head(paragraphs)
    for i, p in enumerate(head):
        if len(p) > 80 or _TRAIL.search(p):  # a breadcrumb names the column, not the report
            continue
        if _TITLE.search(norm(p)):
            return clean(p)
        nxt = head[i + 1] if i + 1 < len(head) else ""
        if _YEAR.search(p) and "公开" in norm(p) and nxt and len(nxt) <= 20 and "报告" in norm(nxt):
            return clean(p + nxt)
    if hint:
        return clean(_SITE_SUFFIX.sub("", hint)) or None
    return None


def year(title_text: str | None, paragraphs: Sequence[str]) -> int | None:
    if title_text:
        years = _YEAR.findall(title_text.replace(" ", ""))
        if years:
            return int(years[-1]) if "年度" in title_text else int(years[0])
    for p in paragraphs[:60]:
        m = re.search(r"统计期限.*?((?:19|20)\d{2})\s*年", p) or _YEAR_NOT_DATE.search(p)
        if m:
            return int(m.group(1))
    for p in paragraphs[:60]:  # only dates: the year of the first
        m = _YEAR.search(p)
        if m:
            return int(m.group(1))
    return None


def _agency_from_title(t: str) -> str | None:
    s = norm(t)
    m = _YEAR.search(s)
    if m and m.start() > 1:
        return s[: m.start()]
    rest = s[m.end() :] if m else s
    rest = re.sub(r"^度", "", rest)
    g = re.match(r"(.*)信息公开", rest)
    if not g or len(g.group(1)) < 2:
        return None
    name = g.group(1)
    if (
        name.endswith("政府")
        and not name.endswith("人民政府")
        and _ORG_BEFORE_GOV.search(name[:-2])
    ):
        name = name[:-2]
    return name or None


def _is_name(line: str) -> bool:
    s = norm(line)
    return bool(_NAME.match(s) and _AGENCY_END.search(s) and not _NOT_NAME.search(s))


def agency(paragraphs: Sequence[str], title_text: str | None) -> str | None:
    """The name printed on its own line beside the title (a page's menus are further
    away), else the name the title begins with, else a name near the top."""
    head = _head(paragraphs, 40)
    at = next((i for i, p in enumerate(head) if title_text and norm(p) and norm(p) in norm(title_text)), None)
    if at is not None:
        for p in head[max(0, at - 2): at] + head[at + 1: at + 3]:
            if _is_name(p):
                return norm(p)
    from_title = _agency_from_title(title_text) if title_text else None
    if from_title:
        return from_title
    return next((norm(p) for p in head[:8] if _is_name(p)), None)


def published(paragraphs: Sequence[str], hint: str | None = None) -> str | None:
    for p in reversed(paragraphs[-8:]):
        s = clean(p)
        m = _DATE.search(s)
        if m and len(s) - (m.end() - m.start()) <= 40 and m.end() >= len(s) - 1:
            y, mo, d = (int(x) for x in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    if hint:
        m = _DATE.search(hint)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None
