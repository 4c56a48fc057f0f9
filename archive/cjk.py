"""Chinese full-text search with SQLite's own FTS5.

SQLite's tokenizers do not split Chinese. Indexed text is stored with a space
between CJK characters, so each character is a token; a query is rewritten the
same way into a phrase ("行 政 复 议"), which FTS5 matches only where the
characters stand together: substring search, for 2-character and longer words
alike, in a file any SQLite can query.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df])")
_TERMS = re.compile(r'"[^"]*"|\S+')


def spaced(text: str) -> str:
    """行政复议 2020 -> 行 政 复 议 2020 (for the index)."""
    return re.sub(r"\s+", " ", _CJK.sub(r" \1 ", text or "")).strip()


def query(q: str) -> str:
    """A search box query -> an FTS5 query: each term a phrase of its characters."""
    terms = []
    for term in _TERMS.findall(q or ""):
        term = term.strip('"')
        if term:
            terms.append('"' + spaced(term).replace('"', "") + '"')
    return " ".join(terms)
