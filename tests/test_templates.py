from pathlib import Path

import pytest

from parsers.templates import keys, labels, metrics

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "spec" / "metrics.csv"
BUNDLED = Path(__file__).resolve().parents[1] / "parsers" / "data" / "metrics.csv"
SHARED_INDICATORS = SHARED.with_name("indicators.csv")
BUNDLED_INDICATORS = BUNDLED.with_name("indicators.csv")


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ not beside the checkout")
def test_bundled_metrics_is_the_shared_contract():
    assert BUNDLED.read_bytes() == SHARED.read_bytes()


@pytest.mark.skipif(not SHARED_INDICATORS.exists(), reason="shared/ not beside the checkout")
def test_bundled_indicators_is_the_shared_contract():
    assert BUNDLED_INDICATORS.read_bytes() == SHARED_INDICATORS.read_bytes()


def test_template_sizes():
    assert len([k for k in keys("2019") if k.startswith("active.")]) == 22
    assert len([k for k in keys("2021") if k.startswith("active.")]) == 10
    assert len([k for k in keys("2019") if k.startswith("review.")]) == 15
    assert len(metrics()) == 226


def test_every_row_of_metrics_has_a_label():
    for table in ("active", "applications"):
        known = {lab.key for lab in labels(table, "row")}
        rows = {k.split(".")[1] for k in metrics() if k.startswith(table + ".")}
        assert rows <= known, rows - known


def test_every_active_column_has_a_label():
    known = {lab.key for lab in labels("active", "column")}
    cols = {k.split(".")[2] for k in metrics() if k.startswith("active.")}
    assert cols <= known, cols - known
