"""Traditional characters folded to simplified, so 規範性檔案 matches 规范性文件's label.

Some agencies (and pages copied through Hong Kong or Taiwan tools) print the report in
traditional characters. OpenCC's character table is used rather than a hand list; the
phrase tables are left out on purpose: a label must keep its own words.
"""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` with every traditional character replaced by its simplified form."""
    if not text or text.isascii():
        return text
    return _converter().convert(text)
