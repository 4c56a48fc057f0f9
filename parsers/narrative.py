"""The report's own words against its tables: the ``narrative`` check.

The body of a report restates some numbers of its tables (共收到政府信息公开申请360件,
未收到行政复议…). Each such statement in parts 一…四 is read with its sentence, matched
to the cells that answer it (``data/narrative.csv``: topic, cell keys, pattern — the
phrasings are data, not code) and checked: agrees, disagrees (both numbers kept), or not
assessable (approximate, about another year, or no cell holds that number).
"""

from __future__ import annotations

import csv
import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from parsers.labels import norm
from parsers.report import Check
from parsers.templates import keys as template_keys
from parsers.templates import unprinted_rows
from parsers.values import Number

CHECK = "narrative"
_N = r"(?P<pre>约|近|超过|逾)?(?P<n>\d+(?:\.\d+)?)(?P<approx>余|多)?"
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
_OTHER_TIME = re.compile(r"去年|上年|上一年|前年|以往|累计|历年")
_YEAR = re.compile(r"(20\d\d|19\d\d)年")
_TITLES = re.compile(r"《[^》]*》")  # 《2019年政务公开工作要点》 names a document, not the year
_NUMBERED = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])")
_NARRATIVE_PARTS = (1, 2, 3, 4)  # 总体情况, 主动公开, 依申请公开, 复议诉讼


@dataclass(frozen=True)
class Rule:
    topic: str
    keys: tuple[str, ...]  # cell keys (``*`` matches any row) whose sum the statement gives
    pattern: re.Pattern[str]
    zh: str
    en: str


@dataclass(frozen=True)
class Statement:
    topic: str
    number: Number
    approximate: bool
    sentence: str
    rule: Rule
    unit: str = ""  # the unit the text gives the number in (元/万元 for fees), when it says
    clause: str = ""  # the words of the clause before the number (区直…, 各乡镇…: a part)
    phrase: str = ""  # the words matched, number included (“信息不存在”的10件)


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The phrasings of ``data/narrative.csv``, in priority order (first match wins)."""
    text = resources.files("parsers").joinpath("data", "narrative.csv").read_text(encoding="utf-8")
    return tuple(
        Rule(r["topic"], tuple(k for k in r["keys"].split("+") if k),
             re.compile(r["pattern"].replace("{N}", _N)), r["zh"], r["en"])
        for r in csv.DictReader(text.splitlines())
    )


def topics() -> dict[str, Rule]:
    """One rule per topic (for its labels and keys)."""
    out: dict[str, Rule] = {}
    for r in rules():
        out.setdefault(r.topic, r)
    return out


def cell_keys(topic: str, template: str, present: Iterable[str] = ()) -> list[str]:
    """The template's cell keys a topic adds up (``applications.denied_*.total`` expanded),
    over the form of a split row the document printed (``present``: its keys), by default
    the template's own."""
    rule = topics().get(topic.split("#")[0])
    if rule is None:
        return []
    have = template_keys(template) if template else ()
    out: list[str] = []
    for pattern in rule.keys:
        out += [k for k in have if fnmatch.fnmatchcase(k, pattern)] if "*" in pattern else [pattern]
    if template:
        skip = unprinted_rows(template, present)
        out = [k for k in out if k.rsplit(".", 1)[0] not in skip]
    return out


def _sentences(sections: list[dict], text: str) -> list[str]:
    """Sentences of parts 一…四 (the whole text when no part was found), lines wrapped by
    the layout joined back; table rows (tab-separated cells) are not narrative."""
    chunks = [s["text"] for s in sections if s.get("number") in _NARRATIVE_PARTS] if sections else [text]
    out: list[str] = []
    for chunk in chunks:
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip() and "\t" not in ln]
        # a numbered heading （二）依申请公开情况 starts a new sentence; other breaks are layout
        joined = "".join(f"\n{ln}\n" if _heading(ln) else ln for ln in lines)
        out += [s.strip() for part in joined.split("\n") for s in _SENTENCE_END.split(part) if s.strip()]
    return out


def _heading(line: str) -> bool:
    """（二）依申请公开情况: a short numbered line without a sentence's punctuation."""
    return bool(_NUMBERED.match(line)) and len(line) <= 30 and not re.search("[，,。；;]", line)


def _number(text: str) -> Number:
    value = float(text)
    return int(value) if value.is_integer() else value


def statements(sections: list[dict], text: str, year: int | None) -> list[Statement]:
    """The numbers a report's parts 一…四 state about its own year, each with its sentence."""
    found: list[Statement] = []
    for sentence in _sentences(sections, text):
        s = norm(sentence)
        taken: list[tuple[int, int, bool]] = []
        for rule in rules():
            for m in rule.pattern.finditer(s):
                groups = m.groupdict()
                zero = groups.get("zero") is not None
                # one negation may govern a list (未发生…行政复议和行政诉讼): zero statements
                # share their words; a number belongs to one statement only
                if any(m.start() < end and start < m.end() and not (zero and other_zero)
                       for start, end, other_zero in taken):
                    continue
                before = s[: m.start()]
                clause = re.split(r"[,;，；]", before)[-1]
                years = _YEAR.findall(_TITLES.sub("", before))
                named = [int(y) for y in _YEAR.findall(m.group(0))]
                this_year = bool(year and named and set(named) == {year})  # 累计主动公开2009年度…
                if (_OTHER_TIME.search(clause) and not this_year) or (year and years and int(years[-1]) != year):
                    continue  # a number of another year, not this report's
                taken.append((m.start(), m.end(), zero))
                found.append(Statement(
                    rule.topic, 0 if zero else _number(groups["n"]),
                    not zero and bool(groups.get("pre") or groups.get("approx")),
                    " ".join(sentence.split()), rule, groups.get("unit") or "", clause, m.group(0)))
    return found


def narrative_checks(sections: list[dict], text: str, year: int | None,
                     cells: Mapping[str, Number | None], template: str | None) -> list[Check]:
    """One ``narrative`` check per statement: ok True (agrees), False (disagrees: expected
    is the table's number, actual the text's), None (not assessable, the note says why)."""
    out: list[Check] = []
    seen: dict[str, int] = {}
    for st in statements(sections, text, year):
        seen[st.topic] = seen.get(st.topic, 0) + 1
        scope = st.topic if seen[st.topic] == 1 else f"{st.topic}#{seen[st.topic]}"
        wanted = cell_keys(st.topic, template or "", cells)
        quote = f"«{st.sentence[:200]}»"
        if not wanted:
            out.append(Check(CHECK, scope, None, None, st.number,
                             f"not assessable: no cell of the tables holds this number; {quote}"))
            continue
        missing = [k for k in wanted if k not in cells]
        if missing:
            out.append(Check(CHECK, scope, None, None, st.number,
                             f"not assessable: missing {', '.join(missing[:3])}; {quote}"))
            continue
        table = round(sum(cells[k] or 0 for k in wanted), 6)
        table = int(table) if float(table).is_integer() else table
        if st.approximate:
            out.append(Check(CHECK, scope, None, table, st.number,
                             f"not assessable: the text gives an approximate number; {quote}"))
            continue
        out.append(Check(CHECK, scope, abs(table - st.number) < 1e-6, table, st.number, quote))
    return out
