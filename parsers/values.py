"""Cell text -> number, by the value rules of the spec.

blank, dashes, slashes and 无 are null (the report left the cell empty);
减少N is -N; money is normalised to 万元.
"""

from __future__ import annotations

import re
import unicodedata

from parsers.hanzi import simplified

Number = int | float

_NULL = re.compile(r"^[-—–_/\\.·。、]*$|^(无|空|暂无)$")
_SIGN = re.compile(r"^(减少|增加|减|增|[-+−])")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_COUNT_UNITS = re.compile(r"(件|条|个|项|次|人次|家|宗|篇)$")
_MONEY_UNITS = (("亿元", 10000.0), ("亿", 10000.0), ("万元", 1.0), ("万", 1.0), ("元", 0.0001))


class NotAValue(ValueError):
    """The text is a label or prose, not a cell value."""


def _compact(raw: str) -> str:
    s = simplified(unicodedata.normalize("NFKC", raw or ""))  # 萬元, 減少 in traditional text
    return re.sub(r"[\s,]", "", s)


def _tidy(x: float) -> Number:
    x = round(x, 6)
    return int(x) if x == int(x) else x


def parse_value(raw: str, unit: str = "count") -> Number | None:
    """Parse one cell; raise NotAValue for text that is no number and no blank."""
    s = _compact(raw)
    if _NULL.match(s):
        return None
    sign = 1
    m = _SIGN.match(s)
    if m:
        sign = -1 if m.group(1) in ("减少", "减", "-", "−") else 1
        s = s[m.end() :]
    scale = 1.0
    if unit == "wan_yuan":
        for suffix, factor in _MONEY_UNITS:
            if s.endswith(suffix):
                s, scale = s[: -len(suffix)], factor
                break
    else:
        s = _COUNT_UNITS.sub("", s)
    if not _NUMBER.match(s):
        raise NotAValue(raw)
    return _tidy(sign * float(s) * scale)


def is_value(raw: str) -> bool:
    """True for anything a value cell may hold (numbers, money, blanks)."""
    for unit in ("count", "wan_yuan"):
        try:
            parse_value(raw, unit)
            return True
        except NotAValue:
            continue
    return False


def is_blank(raw: str | None) -> bool:
    return raw is None or not raw.strip()
