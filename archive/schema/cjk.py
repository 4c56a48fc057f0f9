"""Chinese full-text search with SQLite's own FTS5, on overlapping character pairs.

SQLite's tokenizers do not split Chinese. Indexed text is stored as the overlapping
pairs of each run of CJK characters, plus the run's last character alone
("行政复议。" -> 行政 政复 复议 议), so a word of two characters is one token and a
longer one a phrase of pairs: substring search for every word of two characters or
more, in a file any SQLite can query. Pairs are far rarer than single characters: at
100 000 reports, 复议 is found in 2 ms instead of 19, 行政复议 in 15 instead of 69
(docs/scale.md). A single character is a prefix query (复* : every pair it begins,
and the run's last character).
"""

from __future__ import annotations

import re

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df]+")
_TERMS = re.compile(r'"[^"]*"|\S+')


def _pairs(run: str, last: bool) -> str:
    """The tokens of one run: its pairs, and its last character when ``last``."""
    pairs = [run[i:i + 2] for i in range(len(run) - 1)]
    return " ".join(pairs + [run[-1]] if last or len(run) == 1 else pairs)


def spaced(text: str) -> str:
    """行政复议 2020 -> 行政 政复 复议 议 2020 (for the index)."""
    return re.sub(r"\s+", " ", _RUN.sub(lambda m: f" {_pairs(m.group(0), True)} ", text or "")).strip()


def _term(term: str) -> str:
    """One search term -> one FTS5 phrase of the tokens the index holds for it."""
    runs = list(_RUN.finditer(term))
    if not runs:
        return '"' + term.replace('"', "") + '"'
    ends_in_run = runs[-1].end() == len(term)
    out, at = [], 0
    for m in runs:
        out.append(term[at:m.start()])
        # a run the term ends in may go on in the text: its last character is then
        # not alone there, so it is matched by the pair before it (or, alone, as a prefix)
        out.append(f" {_pairs(m.group(0), m is not runs[-1] or not ends_in_run)} ")
        at = m.end()
    out.append(term[at:])
    tokens = re.sub(r"\s+", " ", "".join(out)).strip().replace('"', "")
    single = ends_in_run and len(runs[-1].group(0)) == 1
    return f'"{tokens}"' + ("*" if single else "")


def query(q: str) -> str:
    """A search box query -> an FTS5 query: each term a phrase of the index's tokens."""
    return " ".join(_term(t.strip('"')) for t in _TERMS.findall(q or "") if t.strip('"'))
