"""The narrative check: the numbers a report's text states against its own tables.

``fixtures/narrative/*.expected.json`` list, per seed, every statement with the table's
number and the text's (read by hand against the seed texts and their expected cells).
"""

from __future__ import annotations

import json

import pytest

from parsers import parse_file
from parsers.narrative import cell_keys, narrative_checks, statements
from tests.conftest import FIXTURES

EXPECTED = sorted((FIXTURES / "narrative").glob("*.expected.json"))


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name[:3])
def test_seed_statements(path):
    exp = json.loads(path.read_text(encoding="utf-8"))
    report = parse_file(FIXTURES / "narrative" / exp["source"])
    got = [{"scope": c.scope, "ok": c.ok, "table": c.expected, "text": c.actual}
           for c in report.checks if c.check == "narrative"]
    assert got == exp["narrative"]


def test_the_seeds_two_mismatches_with_both_numbers():
    chengyang = parse_file(FIXTURES / "seeds" / "000_594d41d03b487b01.txt")
    (bad,) = chengyang.narrative_disagreements
    assert (bad.scope, bad.expected, bad.actual) == ("received", 365, 360)
    assert "共收到信息公开申请 360 件" in bad.note
    zhifu = parse_file(FIXTURES / "seeds" / "002_b003d5ead7b0b73a.txt")
    assert {(c.expected, c.actual) for c in zhifu.narrative_disagreements} == {(94, 96)}
    assert "共收到政府信息公开申请96件" in zhifu.narrative_disagreements[0].note


def test_table_checks_unchanged_by_narrative():
    # the seeds' failing_checks list the four table checks only
    assert parse_file(FIXTURES / "seeds" / "000_594d41d03b487b01.txt").failing_checks == []
    assert parse_file(FIXTURES / "seeds" / "002_b003d5ead7b0b73a.txt").failing_checks == ["balance"]


SECTIONS = [{"number": 3, "heading": "三、收到和处理政府信息公开申请情况", "text": "\n".join([
    "2021年，本机关共收到政府信息公开申请12件，比去年共收到政府信息公开申请10件增加2件。",
    "上年结转政府信息公开申请3件。",
    "2020年共收到政府信息公开申请9件。",
    "全年共受理政府信息公开申请约15件。",
    "根据《2020年政务公开要点》，共收到政府信息公开申请12件，",
    "不予公开4件，未发生行政诉讼。",
    "申请人\t1\t2",
])}]


def test_guards_other_years_approximations_and_tables():
    found = [(s.topic, s.number, s.approximate) for s in statements(SECTIONS, "", 2021)]
    assert found == [
        ("received", 12, False),  # 去年…10件 is last year's number
        ("received", 15, True),   # 约15件
        ("received", 12, False),  # 《2020年…》 names a document, not the year
        ("denied", 4, False),
        ("litigation", 0, False),  # 未发生行政诉讼
    ]


def test_agrees_disagrees_not_assessable():
    cells = {"applications.new_received.total": 12, "review.litigation_direct.total": None,
             "review.litigation_after_review.total": 1}
    checks = {c.scope: c for c in narrative_checks(SECTIONS, "", 2021, cells, "2021")}
    assert checks["received"].ok is True
    assert checks["received#2"].ok is None and "approximate" in checks["received#2"].note
    assert checks["denied"].ok is None and "missing" in checks["denied"].note
    lit = checks["litigation"]
    assert (lit.ok, lit.expected, lit.actual) == (False, 1, 0)


def test_topic_keys_follow_the_template():
    assert cell_keys("other_handling", "2019") == ["applications.other_handling.total"]
    assert set(cell_keys("other_handling", "2021")) == {
        "applications.other_no_correction.total", "applications.other_unpaid_fee.total",
        "applications.other_misc.total"}


@pytest.mark.parametrize("sentence,topic,number", [
    ("2021年，本机关新收政府信息公开申请共计20件。", "received", 20),
    ("本年度收到政府信息公开申请数量为7件。", "received", 7),
    ("2021年，本机关未收到政府信息公开申请。", "received", 0),
    ("全年没有发生因政府信息公开引起的行政复议案件。", "reconsideration", 0),
    ("收到行政复议申请2件，行政诉讼1件。", "reconsideration", 2),
    ("发生政府信息公开行政诉讼案件3起。", "litigation", 3),
])
def test_common_phrasings(sentence, topic, number):
    found = statements([{"number": 1, "heading": "一、总体情况", "text": sentence}], "", 2021)
    assert (found[0].topic, found[0].number) == (topic, number)
