"""The indicators a report's sentences state, and the text against a legacy table.

Many pre-2019 reports print no table and say their numbers in sentences (共受理信息公开申请
10件, “同意公开”的7件, 未收到政府信息公开申请 → 0); the phrasings are those of the narrative
check (``data/narrative.csv``), each topic stating one indicator. Per indicator the first
exact statement counts: reports state the total before its parts, and a clause naming a
part of the agency (区直各部门…, 各乡镇…) or an approximate number (约, 余) is never the
indicator. Where a legacy table gives the indicator, the statement is checked against it
(the ``narrative`` check, as for the 2019/2021 cells): the table wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from parsers.indicators import definitions, topic_indicator
from parsers.narrative import CHECK, Statement, statements
from parsers.report import Check, Indicator
from parsers.values import Number

# a clause about a part of the reporting agency, not its total: 区直…, 各乡镇…, 各街道…; a
# 街道 or 镇 naming itself (我街道, 本镇, 东华门街道办事处…) is the whole agency; offices named
# one by one (区管委会、县政府公开办…) are some of its parts
_PART = re.compile(r"区直|县直|市直|(?:各|所属|下属|辖区内?)(?:乡镇|街道|镇街|镇|乡|部门|单位|委办局)"
                   r"|(?<![我本全该])乡镇|镇街|本级|分别|占"
                   r"|(?:委会|办|局|委)、[^,，;；]{0,12}?(?:委会|办|局|委|部门|中心|单位)")
_NUMBERLESS = re.compile(r"\d+(?:\.\d+)?|[\"的为共有]")


def _tidy(x: float) -> Number:
    x = round(x, 6)
    return int(x) if x == int(x) else x


def is_part(st: Statement) -> bool:
    return bool(_PART.search(st.clause))


def _value(st: Statement, key: str) -> Number:
    if definitions()[key].unit == "wan_yuan" and st.unit == "元":
        return _tidy(st.number / 10000)
    return st.number


def reason(st: Statement) -> str:
    """The words of a statement without its number (“信息不存在”的1件 → 信息不存在件): one
    reason of a summed indicator, however often the report repeats it."""
    return _NUMBERLESS.sub("", st.phrase)


def from_statements(found: list[Statement]) -> dict[str, Indicator]:
    """Per indicator, the first exact statement of the whole agency; an indicator whose
    reasons the report states apart (“信息不存在”的1件 … “非本机关政府信息”的1件) adds the
    first statement of each reason."""
    out: dict[str, Indicator] = {}
    usable = [st for st in found if not st.approximate and not is_part(st)]
    for st in usable:
        key = topic_indicator(st.topic)
        if key is None or key in out:
            continue
        value = _value(st, key)
        evidence = st.sentence
        if definitions()[key].sum_in_sentence:
            first: dict[str, Statement] = {}
            for o in usable:
                if o.topic == st.topic:
                    first.setdefault(reason(o), o)
            value = _tidy(sum(_value(o, key) for o in first.values()))
            evidence = " ".join(dict.fromkeys(o.sentence for o in first.values()))
        out[key] = Indicator(value, "text", evidence[:300])
    return out


def from_text(sections: list[dict], text: str, year: int | None, legacy: bool) -> dict[str, Indicator]:
    """The indicators the text states: parts 一…四 of a 2019/2021 report, the whole text of
    a legacy one (its parts are numbered and named by each province)."""
    return from_statements(statements([] if legacy else sections, text, year))


def legacy_checks(text: str, year: int | None, table: Mapping[str, Indicator]) -> list[Check]:
    """One ``narrative`` check per statement of a legacy report whose indicator its table
    gives: agrees, or disagrees (expected: the table's number, actual: the text's)."""
    out: list[Check] = []
    seen: dict[str, int] = {}
    for st in statements([], text, year):
        key = topic_indicator(st.topic)
        got = table.get(key) if key else None
        if got is None:
            continue
        seen[st.topic] = seen.get(st.topic, 0) + 1
        scope = st.topic if seen[st.topic] == 1 else f"{st.topic}#{seen[st.topic]}"
        quote = f"«{st.sentence[:200]}»"
        if st.approximate:
            out.append(Check(CHECK, scope, None, got.value, st.number,
                             f"not assessable: the text gives an approximate number; {quote}"))
        elif is_part(st):
            out.append(Check(CHECK, scope, None, got.value, st.number,
                             f"not assessable: a part of the agency ({st.clause[-12:]}); {quote}"))
        else:
            text_value = _value(st, key)
            out.append(Check(CHECK, scope, abs(got.value - text_value) < 1e-6, got.value,
                             text_value, f"{key} of the statistics table; {quote}"))
    return out
