"""Every fixture document parses to exactly its hand-checked cells, metadata and checks."""

from __future__ import annotations

import pytest

from parsers import parse_file
from tests.conftest import expected_files, load_expected

CASES = expected_files("seeds") + expected_files("html")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.split(".")[0])
def test_document_parses_exactly(path):
    exp = load_expected(path)
    report = parse_file(path.parent / exp["source"])
    got = {k: c.value for k, c in report.cells.items()}
    assert got == exp["cells"]
    assert report.year == exp["year"]
    assert report.template == exp["template"]
    assert report.agency == exp["agency"]
    assert report.published == exp["published"]
    assert report.failing_checks == sorted(exp["failing_checks"])


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.split(".")[0])
def test_raw_text_is_kept_beside_value(path):
    exp = load_expected(path)
    report = parse_file(path.parent / exp["source"])
    for key, cell in report.cells.items():
        assert isinstance(cell.raw, str), key
        if cell.value is not None:
            assert cell.raw.strip(), key


def test_incomplete_report_leaves_missing_cells_absent(fixtures):
    report = parse_file(next((fixtures / "seeds").glob("004_*.txt")))
    assert "applications.total_processed.total" not in report.cells
    assert "active.regulations.made" not in report.cells
    balance = [c for c in report.checks if c.check == "balance"]
    assert balance and all(c.ok is None for c in balance)
    assert all("not evaluated" in c.note for c in balance)


def test_contradicting_totals_are_read_as_printed(fixtures):
    """Seed 003 prints totals of 0 that contradict its columns: no 'correction'."""
    report = parse_file(next((fixtures / "seeds").glob("003_*.txt")))
    assert report.cells["applications.new_received.natural_person"].value == 13
    assert report.cells["applications.new_received.total"].value == 0
    row_total = {c.scope: c for c in report.checks if c.check == "row_total"}
    assert row_total["new_received"].ok is False
    assert (row_total["new_received"].expected, row_total["new_received"].actual) == (0, 14)


def test_page_break_phantom_columns_resolved_by_arithmetic(fixtures):
    """Seed 002: after the page break rows carry an extra empty column on either side."""
    report = parse_file(next((fixtures / "seeds").glob("002_*.txt")))
    c = {k: v.value for k, v in report.cells.items()}
    assert [
        c[f"applications.carried_forward.{x}"] for x in ("natural_person", "commercial", "total")
    ] == [1, 1, 2]
    assert [
        c[f"applications.other_handling.{x}"] for x in ("natural_person", "commercial", "total")
    ] == [4, 1, 5]


def test_hanweb_2021_reads_three_other_handling_rows(fixtures):
    report = parse_file(fixtures / "html" / "hanweb_2021.html")
    assert report.template == "2021"
    assert report.cells["applications.other_no_correction.total"].value == 7
    assert report.cells["applications.other_unpaid_fee.total"].value == 2
    assert report.cells["applications.other_misc.total"].value == 4
    assert "applications.other_handling.total" not in report.cells
    assert report.cells["active.fees.amount_wan"].value == 1253.47
