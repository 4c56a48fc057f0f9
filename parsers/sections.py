"""The six numbered parts of a report and which table each one holds."""

from __future__ import annotations

import re

from parsers.labels import norm

_HEADING = re.compile(r"^([一二三四五六])、(.{2,40})$")
_KEYWORDS = {
    1: re.compile("总体情况|概述|总体"),
    2: re.compile("主动公开"),
    3: re.compile("申请"),
    4: re.compile("复议|诉讼"),
    5: re.compile("问题|改进"),
    6: re.compile("其他需要报告|其他事项|其他需要"),
}
_NUMERALS = "一二三四五六"
TABLE_OF_SECTION = {2: "active", 3: "applications", 4: "review"}


def heading(text: str) -> int | None:
    """The number of a part heading such as 三、收到和处理政府信息公开申请情况."""
    m = _HEADING.match(norm(text))
    if not m:
        return None
    number = _NUMERALS.index(m.group(1)) + 1
    return number if _KEYWORDS[number].search(m.group(2)) else None


def split_sections(lines: list[str]) -> list[dict]:
    """The six parts as [{"number", "heading", "text"}], in printed order.

    Text before the first heading (title, preamble) is not a part. A heading
    number seen again later (a table label such as 四、结转下年度继续办理 is no
    paragraph, so this is rare) only starts a new part when it moves forward.
    """
    parts: list[dict] = []
    for line in lines:
        number = heading(line)
        if number and (not parts or number > parts[-1]["number"]):
            parts.append({"number": number, "heading": line.strip(), "lines": []})
        elif parts:
            parts[-1]["lines"].append(line)
    return [
        {"number": p["number"], "heading": p["heading"], "text": "\n".join(p["lines"]).strip()}
        for p in parts
    ]
