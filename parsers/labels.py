"""Label normalisation: one spelling for the many ways reports print a label."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from parsers.hanzi import simplified

_SPACE = re.compile(r"\s+")
_PAGE_MARK = re.compile(r"^\s*Page\s*\d+\s*[-–—:：]\s*", re.IGNORECASE)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})


@lru_cache(maxsize=16384)  # the same labels come back in every report
def norm(text: str) -> str:
    """Fold width, spaces, quotes and traditional characters so that 自 然 人 / （一） /
    "(一)" / 處理 compare equal."""
    text = simplified(unicodedata.normalize("NFKC", text or "")).translate(_QUOTES)
    return _SPACE.sub("", text)


def clean(text: str) -> str:
    """Collapse runs of whitespace (incl. U+3000) to one space; keep line structure out."""
    return _SPACE.sub(" ", (text or "").replace("\u3000", " ")).strip()


def strip_page_mark(line: str) -> str:
    """``Page8-规章`` -> ``规章``: text copied from online flipbooks prints the page first."""
    return _PAGE_MARK.sub("", line, count=1)
