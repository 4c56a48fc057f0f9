"""A 2021 report printing the 2019 single （六）其他处理 row (the contract keys it
``applications.other_handling.*`` in both templates): read, checked, rendered and summed in
the form the report printed, never both forms at once."""

from __future__ import annotations

import sqlite3

from layouts.render import render_html, render_text, span_tables
from parsers import parse_bytes, parse_file
from parsers.checks import outcome_rows, run_checks
from parsers.narrative import cell_keys
from parsers.templates import APPLICANT_COLUMNS, keys, printed_keys, unprinted_rows
from tests.archive_fixture import make_db
from tests.fixtures.make_html_fixtures import hanweb_cells
from tests.fixtures.make_office_fixtures import hybrid_cells

PARTS = ("other_no_correction", "other_unpaid_fee", "other_misc")
A = "applications"


def _outcome(report) -> dict:
    return {c.scope: c for c in report.checks if c.check == "outcome_sum"}


def test_the_contract_allows_the_single_row_in_both_templates():
    assert f"{A}.other_handling.total" in keys("2019") and f"{A}.other_handling.total" in keys("2021")
    assert f"{A}.other_handling.total" not in printed_keys("2021")
    assert f"{A}.other_misc.total" not in printed_keys("2021", whole=True)
    assert unprinted_rows("2019", []) == set()  # 2019 has one form only


def test_word_report_with_the_2019_row_keeps_its_seven_cells(fixtures):
    for name in ("shinan_2021_other_row.docx", "shinan_2021_other_row.pdf"):
        report = parse_file(fixtures / "office" / name)
        assert report.template == "2021"
        got = {c: report.cells[f"{A}.other_handling.{c}"].value for c in APPLICANT_COLUMNS}
        assert got == {"natural_person": 11, "commercial": 1, "research": 0, "social_welfare": 0,
                       "legal_service": 0, "other_org": 1, "total": 13}
        assert not any(k.split(".")[1] in PARTS for k in report.cells)
        outcome = _outcome(report)
        assert all(c.ok is True for c in outcome.values()), outcome
        assert (outcome["total"].expected, outcome["total"].actual) == (124, 124)
        row_total = {c.scope for c in report.checks if c.check == "row_total"}
        assert "other_handling" in row_total and not row_total & set(PARTS)  # no "missing" noise
        assert not report.warnings


def test_outcome_sum_uses_one_form_never_both():
    three = hanweb_cells()
    single = hybrid_cells()
    assert outcome_rows("2021", three).count("other_handling") == 0
    assert set(PARTS) <= set(outcome_rows("2021", three))
    assert "other_handling" in outcome_rows("2021", single)
    assert not set(PARTS) & set(outcome_rows("2021", single))
    both = {**three, **{k: v for k, v in single.items() if ".other_handling." in k}}
    checks = {c.scope: c for c in run_checks(both, "2021") if c.check == "outcome_sum"}
    assert checks["total"].ok is True and checks["total"].actual == 124  # 13 counted once
    wrong = {**both, f"{A}.other_handling.total": 20}
    checks = {c.scope: c for c in run_checks(wrong, "2021") if c.check == "outcome_sum"}
    assert checks["total"].ok is False and checks["total"].actual == 131


def test_rendering_prints_the_form_the_cells_hold():
    def labels(cells):
        rows = dict(span_tables(cells, "2021"))["三、收到和处理政府信息公开申请情况"]
        return [c.text for row in rows for c in row]

    assert "（六）其他处理" in labels(hybrid_cells()) and "3.其他" not in labels(hybrid_cells())
    assert "3.其他" in labels(hanweb_cells())
    text = render_text(hybrid_cells(), "2021", "青岛市市南区人民政府", 2021)
    assert "（六）其他处理\t\t11\t1" in text


def test_round_trip_of_both_forms_in_html_and_text():
    for cells in (hybrid_cells(), hanweb_cells()):
        for data, name in ((render_html(cells, "2021", "青岛市市南区人民政府", 2021).encode(), "r.html"),
                           (render_text(cells, "2021", "青岛市市南区人民政府", 2021,
                                        one_cell_per_line=True).encode(), "r.txt")):
            report = parse_bytes(data, name)
            assert {k: c.value for k, c in report.cells.items()} == cells, name
            assert report.template == "2021" and not report.failing_checks


def test_a_group_label_row_over_the_three_rows_is_not_the_single_row():
    """（六）其他处理 on a row of its own with empty cells, then 1./2./3. (a CMS that split
    the rowspan): a label, not the 2019 row printed empty."""
    cells = hanweb_cells()
    page = render_html(cells, "2021", "青岛市崂山区人民政府", 2021)
    at = page.index('<tr><td rowspan="3">（六）其他处理</td>')
    page = (page[:at] + '<tr><td colspan="2">（六）其他处理</td>' + "<td></td>" * 7 + "</tr>"
            + page[at:].replace('<td rowspan="3">（六）其他处理</td>', '<td rowspan="3"></td>', 1))
    report = parse_bytes(page.encode(), "r.html")
    assert not any(".other_handling." in k for k in report.cells)
    assert {k: c.value for k, c in report.cells.items()} == cells


def test_numbers_of_a_row_the_template_lacks_are_named():
    """A 2021 report keeping 2019's 政府集中采购 row in table 二: its numbers have no 2021
    key, and the report says so instead of dropping them silently."""
    page = render_html(hybrid_cells(), "2021", "青岛市市南区人民政府", 2021).replace(
        "</table>", '<tr><td>政府集中采购</td><td colspan="3">12</td></tr></table>', 1)
    report = parse_bytes(page.encode(), "r.html")
    assert any("not in the 2021 template" in w and "active.procurement" in w for w in report.warnings)


def test_narrative_reads_the_form_printed():
    assert cell_keys("other_handling", "2021") == [f"{A}.{p}.total" for p in PARTS]
    assert cell_keys("other_handling", "2021", hybrid_cells()) == [f"{A}.other_handling.total"]
    page = render_html(hybrid_cells(), "2021", "青岛市市南区人民政府", 2021).replace(
        "<p>本年度工作情况如下。</p>", "<p>本年度共收到政府信息公开申请134件，其他处理13件。</p>")
    report = parse_bytes(page.encode(), "r.html")
    said = [c for c in report.checks if c.check == "narrative" and c.scope == "other_handling"]
    assert said and said[0].ok is True and said[0].expected == 13


def test_summaries_count_the_single_row_once(tmp_path, fixtures):
    db = make_db(tmp_path, [fixtures / "office" / "shinan_2021_other_row.docx",
                            fixtures / "office" / "laoshan_2021.docx"])
    conn = sqlite3.connect(db)
    other, = conn.execute("select other from summary_outcomes_by_year where year = 2021").fetchone()
    assert other == 13 + 13
    wide = dict(conn.execute("select agency, other_handling from table3_totals"))
    assert sorted(v for v in wide.values() if v is not None) == [13]


def test_report_page_lays_out_the_form_printed():
    from archive.web.plugin import official_tables

    def shown(cells):
        stored = {k: {"value": v, "raw": str(v), "ocr": 0} for k, v in cells.items()}
        table = official_tables(stored, "2021", {})[1]
        return {c["key"] for row in table["rows"] for c in row if c["key"]}, \
            [c["text"] for row in table["rows"] for c in row]

    keys_shown, texts = shown(hybrid_cells())
    assert f"{A}.other_handling.total" in keys_shown and "3.其他" not in texts
    keys_shown, texts = shown(hanweb_cells())
    assert f"{A}.other_misc.total" in keys_shown and f"{A}.other_handling.total" not in keys_shown


def test_the_single_row_says_where_it_was_printed(fixtures):
    """Its cells stand where Word and the PDF print them (read again with python-docx and
    pdfplumber: tests/where_checks.py)."""
    from tests import where_checks as wc

    docx = (fixtures / "office" / "shinan_2021_other_row.docx").read_bytes()
    wc.docx_cells_hold_raw(parse_bytes(docx, "x.docx"), docx)
    pdf = (fixtures / "office" / "shinan_2021_other_row.pdf").read_bytes()
    assert wc.pdf_boxes_hold_raw(parse_bytes(pdf, "x.pdf"), pdf) > 0
