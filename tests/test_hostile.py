"""Several hundred hostile inputs of every format through ``nianbao parse``, generated here:
no traceback, no hang past the budget, no memory past the cap, no silent empty result."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.make_hostile import mutants, pathological

ROOT = Path(__file__).resolve().parents[1]
SECONDS, MEMORY_MB = 20, 1024
SLACK = 5  # seconds: a worker killed at the budget, and the next one forked


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> tuple[list[dict], dict, Path]:
    corpus = tmp_path_factory.mktemp("hostile")
    for name, data, _ in mutants():
        (corpus / name).write_bytes(data)
    for name, data in pathological().items():
        (corpus / f"pathological_{name}").write_bytes(data)
    out = subprocess.run([sys.executable, "-m", "tests.hostile_runner", str(corpus), str(SECONDS), str(MEMORY_MB)],
                         cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stderr == ""  # nothing printed past the CLI's own lines (no library chatter either)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    return [r for r in lines if "name" in r], lines[-1]["peaks"], corpus


def test_several_hundred_inputs_of_every_format(results):
    rows, _, _ = results
    assert len(rows) >= 300
    suffixes = {Path(r["name"]).suffix for r in rows}
    assert {".txt", ".html", ".pdf", ".docx", ".doc", ".xlsx", ".xls", ".ofd", ".png", ".jpeg",
            ".gif", ".bmp", ".tiff", ".webp"} <= suffixes


def test_no_traceback_and_one_line_naming_the_file(results):
    rows, _, corpus = results
    for r in rows:
        assert r["exit"] in (0, 1), r  # 2 would be an internal error: a parser bug
        assert "Traceback" not in r["stderr"], r
        if r["exit"] == 1:
            prefix = f"nianbao: cannot parse {corpus / r['name']}: "
            assert r["stderr"].startswith(prefix) and r["stderr"].count("\n") == 1, r
            assert len(r["stderr"]) > len(prefix) + 5, r  # a reason


def test_no_hang_past_the_budget(results):
    rows, _, _ = results
    slow = [(r["seconds"], r["name"]) for r in rows if r["seconds"] > SECONDS + SLACK]
    assert not slow


def test_no_memory_past_the_cap(results):
    rows, peaks, _ = results
    # every worker, the killed ones too; a fork starts with the runner's own pages
    assert peaks["children_max_rss_mib"] <= MEMORY_MB + peaks["runner_rss_mib"], peaks
    assert all(r["worker_hwm_mib"] <= MEMORY_MB + peaks["runner_rss_mib"] for r in rows)


def test_no_silent_empty_result(results):
    rows, _, _ = results
    for r in rows:
        if r["name"].startswith("intact_"):
            assert r["exit"] == 0 and r["cells"], r  # the controls: every report read
        elif r["exit"] == 0 and not r["cells"] and not r["name"].startswith(("random_", "pathological_")):
            assert r["warnings"], r  # a report's remains with no cell say why


def test_each_pathological_document_ends_in_its_own_error(results):
    rows, _, _ = results
    got = {r["name"].removeprefix("pathological_"): r for r in rows if r["name"].startswith("pathological_")}
    expected = {
        "pages_100000.pdf": "100000 pages, more than 300",
        "glyphs_300000.pdf": "characters, more than 60,000 on one page",
        "flate_bomb.pdf": f"memory budget of {MEMORY_MB} MiB",
        "huge_page.pdf": "too large to render",
        "jpeg_10000x10000.jpg": "10000 × 10000 pixels",
        "png_10000x10000.png": "10000 × 10000 pixels",
        "merge_17_billion.xlsx": "covers 17,179,869,184 cells",
        "billion_laughs.docx": "entity amplification",
        "reference_loop.pdf": "corrupt PDF",
    }
    for name, reason in expected.items():
        assert got[name]["exit"] == 1 and reason in got[name]["stderr"], got[name]
    for name in ("attributes_1000000.html", "nested_200000.html", "one_line_20mb.txt",
                 "blank_lines_5000000.txt", "nested_100000.docx"):
        assert got[name]["exit"] in (0, 1) and got[name]["seconds"] < SECONDS, got[name]
