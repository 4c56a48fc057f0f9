"""A per-document time and memory budget, enforced in a child process: a hang and a bomb
among good documents end in one error each, and the rest of the build is unaffected."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from parsers import Budget, BudgetExceeded, ParseError, parse_bytes, parse_limited
from parsers.budget import _workers
from tests.archive_fixture import FIXTURES, fixture_documents, make_db
from tests.fixtures.make_hostile import pdf_flate_bomb, pdf_many_glyphs

FAST = Budget(seconds=4, memory_mb=512)


@pytest.fixture(scope="module")
def hang() -> bytes:
    return pdf_many_glyphs(25_000, pages=160)  # most of a minute, under every guard


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return pdf_flate_bomb(2048)


def _worker_pid() -> int | None:
    w = _workers.get(os.getpid())
    return w.process.pid if w and w.alive() else None


def test_a_good_document_reads_the_same_within_the_budget():
    data = (FIXTURES / "office" / "laoshan_2021.docx").read_bytes()
    inside, outside = parse_limited(data, "x.docx", budget=FAST), parse_bytes(data, "x.docx")
    assert inside.to_dict() == outside.to_dict()
    first = _worker_pid()
    parse_limited(data, "x.docx", budget=FAST)
    assert _worker_pid() == first  # one long-lived worker, not a fork per document


def test_a_hang_is_stopped_at_the_time_budget(hang):
    parse_limited(b"warm up", "x.txt", budget=FAST)
    before = _worker_pid()
    t = time.monotonic()
    with pytest.raises(BudgetExceeded, match=r"over the time budget: stopped after 4 s"):
        parse_limited(hang, "hang.pdf", budget=FAST)
    assert time.monotonic() - t < FAST.seconds + 3
    assert before is not None
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left running
        os.kill(before, 0)
    assert parse_limited("2020年\n".encode(), "x.txt", budget=FAST).year == 2020  # a new worker


def test_a_bomb_is_stopped_at_the_memory_budget(bomb):
    t = time.monotonic()
    with pytest.raises(BudgetExceeded, match=r"memory budget of 512 MiB"):
        parse_limited(bomb, "bomb.pdf", budget=FAST)
    assert time.monotonic() - t < FAST.seconds + 3


def test_errors_stay_document_errors():
    with pytest.raises(ParseError, match="empty file"):
        parse_limited(b"", "x.txt", budget=FAST)
    with pytest.raises(ParseError) as e:
        parse_limited(b"%PDF-1.4 junk", "x.pdf", budget=FAST)
    assert not isinstance(e.value, BudgetExceeded)


def test_the_budget_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("NIANBAO_PARSE_SECONDS", "7.5")
    monkeypatch.setenv("NIANBAO_PARSE_MEMORY_MB", "900")
    assert Budget.from_env() == Budget(7.5, 900)
    monkeypatch.setenv("NIANBAO_PARSE_SECONDS", "soon")
    assert Budget.from_env().seconds == Budget().seconds


def test_nianbao_parse_names_the_limit(tmp_path, hang):
    path = tmp_path / "hang.pdf"
    path.write_bytes(hang)
    t = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "archive.cli", "parse", "--parse-seconds", "3", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.strip() == f"nianbao: cannot parse {path}: over the time budget: stopped after 3 s"
    assert time.monotonic() - t < 30


def test_a_hang_and_a_bomb_among_good_documents_in_a_build(tmp_path, monkeypatch, hang, bomb):
    good = [p for p in fixture_documents() if p.suffix in (".txt", ".html", ".docx")]
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "hang.pdf").write_bytes(hang)
    (hostile / "bomb.pdf").write_bytes(bomb)
    monkeypatch.setenv("NIANBAO_PARSE_SECONDS", "10")  # good documents well inside it, loaded or not
    monkeypatch.setenv("NIANBAO_PARSE_MEMORY_MB", "512")
    clean = sqlite3.connect(make_db(tmp_path / "clean", good))
    mixed_db = make_db(tmp_path / "mixed", [good[0], hostile / "hang.pdf", *good[1:3], hostile / "bomb.pdf",
                                            *good[3:]])
    mixed = sqlite3.connect(mixed_db)
    query = "select r.title, c.key, c.value from cells c join reports r on r.id = c.report_id order by 1, 2"
    assert mixed.execute(query).fetchall() == clean.execute(query).fetchall()
    assert mixed.execute("select count(*) from reports").fetchone() == clean.execute(
        "select count(*) from reports").fetchone()
    errors = dict(mixed.execute("select url, parse_error from documents where parse_error is not null"))
    assert any(u.endswith("hang.pdf") and "over the time budget" in e for u, e in errors.items()), errors
    assert any(u.endswith("bomb.pdf") and "memory budget of 512 MiB" in e for u, e in errors.items()), errors


def _scan_in_a_forked_child(path: str) -> int:
    return len(parse_limited((FIXTURES / path).read_bytes(), path, budget=Budget(120)).cells)


def test_a_worker_forked_from_a_process_that_read_a_scan():
    """A process forked after OCR (a build's pool, forked from a threaded parent) holds the
    parent's ONNX session; its own limited worker must not free it (that waits for ever on
    threads a fork does not copy) but make its own."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from parsers import recognise

    recognise.ppocr_v4(0)  # a session and its thread pool in this process
    with ProcessPoolExecutor(1, mp_context=mp.get_context("fork")) as pool:  # not daemonic, as the build's
        cells = pool.submit(_scan_in_a_forked_child, "scans/laoshan_2021_tables.png").result(timeout=240)
    assert cells > 150


def test_a_native_allocation_failure_is_the_memory_budget():
    """ONNX Runtime under the cap raises its own Fail, not MemoryError: still the budget."""
    from parsers.budget import _out_of_memory

    assert _out_of_memory(RuntimeError("[ONNXRuntimeError] : 1 : FAIL : Failed to allocate memory for requested buffer"))
    assert _out_of_memory(ValueError("reading page 2")) is False
