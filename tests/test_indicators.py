"""Indicators of a 2019/2021 report: the contract's formula over its cells, nothing else.

The property is checked over every seed and fixture report of the templates (their
parsed cells), and over randomly filled templates rendered to HTML and text. The formula
is evaluated here independently of parsers.indicators: the contract's text, split on
``+``, ``sum(glob)`` expanded over the template's keys.
"""

from __future__ import annotations

import csv
import fnmatch
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from layouts.render import render_html
from parsers import parse_bytes, parse_file
from parsers.indicators import combine, definitions, formula_keys
from parsers.report import Indicator
from parsers.templates import keys
from tests.conftest import FIXTURES, load_expected
from tests.test_properties import filled_template

CONTRACT = Path(__file__).resolve().parents[1] / "parsers" / "data" / "indicators.csv"
# Of the reports read by OCR (15–30 s each) one stands for all: the formula sees only
# the cells, whichever reader gave them.
OCR_KEPT = "laoshan_2021_tables.png.expected.json"


def _ocr(exp: Path) -> bool:
    return exp.parent.name == "scans" or "_scanned" in exp.name


def _template_fixtures() -> list[Path]:
    out = []
    for exp in sorted(FIXTURES.glob("*/*.expected.json")):
        if load_expected(exp).get("template") in ("2019", "2021") and (
                not _ocr(exp) or exp.name == OCR_KEPT):
            out.append(exp)
    return out


def formula_value(formula: str, cells: dict, template: str):
    """The contract's formula over cells (key -> number or None), or absent (None)."""
    terms: list[str] = []
    for term in (t.strip() for t in formula.split("+")):
        if term.startswith("sum(") and term.endswith(")"):
            terms += [k for k in keys(template) if fnmatch.fnmatchcase(k, term[4:-1])]
        else:
            terms.append(term)
    if any(t not in cells for t in terms) or all(cells[t] is None for t in terms):
        return None
    return sum(cells[t] or 0 for t in terms)


def _assert_formulas(report, template: str) -> None:
    cells = {k: c.value for k, c in report.cells.items()}
    rows = list(csv.DictReader(CONTRACT.read_text(encoding="utf-8").splitlines()))
    for r in rows:
        if not r["from_cells"]:
            got = report.indicators.get(r["key"])
            assert got is None or got.source == "text", r["key"]
            continue
        want = formula_value(r["from_cells"], cells, template)
        got = report.indicators.get(r["key"])
        if want is None:
            assert got is None, (r["key"], got)
        else:
            assert got is not None and got.source == "cells", r["key"]
            assert abs(got.value - want) < 1e-6, (r["key"], got.value, want)
            assert got.evidence == r["from_cells"]


@pytest.mark.parametrize("exp", _template_fixtures(), ids=lambda p: f"{p.parent.name}/{p.name[:-14]}")
def test_every_formula_equals_its_cells(exp):
    e = load_expected(exp)
    report = parse_file(exp.parent / e["source"])
    assert report.template == e["template"]
    _assert_formulas(report, report.template)


def test_the_fixtures_cover_both_templates_and_most_indicators():
    reports = [parse_file(p.parent / load_expected(p)["source"])
               for p in _template_fixtures() if not _ocr(p)][:12]
    assert {r.template for r in reports} == {"2019", "2021"}
    given_by_cells = {k for r in reports for k, v in r.indicators.items() if v.source == "cells"}
    assert given_by_cells == {k for k, d in definitions().items() if d.from_cells}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filled_template())
def test_random_templates_indicators_equal_their_formulas(doc):
    template, cells, agency, year = doc
    report = parse_bytes(render_html(cells, template, agency, year).encode(), "report.html")
    _assert_formulas(report, template)


def test_seed_indicators_by_hand():
    chengyang = parse_file(FIXTURES / "seeds" / "000_594d41d03b487b01.txt")
    ind = chengyang.indicators
    assert ind["requests_received"].value == 365  # the table's, not the text's 360
    assert ind["requests_received"].evidence == "applications.new_received.total"
    assert ind["lawsuits"].evidence == (
        "review.litigation_direct.total + review.litigation_after_review.total")
    # the 8 不予公开 reasons of the 2019 template add up to requests_denied
    denied = formula_keys("sum(applications.denied_*.total)", "2019")
    assert len(denied) == 8
    assert ind["requests_denied"].value == sum(chengyang.cells[k].value or 0 for k in denied)


def test_incomplete_report_leaves_its_indicators_absent():
    short = parse_file(FIXTURES / "seeds" / "004_d2ad60042d5dec0f.txt")  # stops inside table 三
    assert "requests_received" in short.indicators
    assert "lawsuits" not in short.indicators  # table 四 is not in the document
    assert all(v.source in ("cells", "text") for v in short.indicators.values())


def test_a_template_report_never_takes_a_formula_indicator_from_its_text():
    text = Indicator(99, "text", "共收到政府信息公开申请99件")
    assert combine({}, {}, {"requests_received": text}, template="2019") == {}
    assert combine({}, {}, {"requests_received": text}, template="legacy") == {"requests_received": text}
    assert combine({}, {}, {"proactive_items": Indicator(5, "text", "…")}, template="2019")
