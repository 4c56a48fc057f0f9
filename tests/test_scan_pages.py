"""A scanned report's pages read side by side (parsers.scan_pages): the same Report as read
page after page, in as many processes as there are free cores, one in a worker process."""

from __future__ import annotations

import multiprocessing

import pytest

from parsers import parse_file, recognise
from parsers.scan_pages import PAGE_JOBS_ENV, page_jobs, read_pages_in_parallel
from tests.conftest import FIXTURES, load_expected

SCAN = FIXTURES / "scans" / "yicheng_2019_scan200.pdf"


@pytest.mark.skipif(not recognise.available(), reason="rapidocr_onnxruntime missing")
def test_pages_side_by_side_give_the_serial_report(monkeypatch):
    import parsers.ocr

    used = []

    def spy(data, pages, jobs, read):
        used.append((pages, jobs))
        return read_pages_in_parallel(data, pages, jobs, read)

    monkeypatch.setattr(parsers.ocr, "read_pages_in_parallel", spy)
    monkeypatch.setenv(PAGE_JOBS_ENV, "1")
    serial = parse_file(SCAN).to_dict()
    assert used == []
    monkeypatch.setenv(PAGE_JOBS_ENV, "2")
    side_by_side = parse_file(SCAN).to_dict()
    assert used == [(2, 2)]  # both pages, in two processes
    assert side_by_side == serial
    expected = load_expected(SCAN.with_name(SCAN.name + ".expected.json"))["cells"]
    exact = sum(1 for k, v in expected.items() if side_by_side["cells"].get(k, {}).get("value", "absent") == v)
    assert exact / len(expected) >= 0.98


def test_how_many_page_processes(monkeypatch):
    monkeypatch.setenv(PAGE_JOBS_ENV, "3")
    assert page_jobs(10) == 3 and page_jobs(2) == 2 and page_jobs(1) == 1
    monkeypatch.delenv(PAGE_JOBS_ENV)
    assert 1 <= page_jobs(10) <= multiprocessing.cpu_count()


def _in_a_worker(queue) -> None:
    queue.put(page_jobs(10))


def test_a_worker_process_reads_its_pages_in_turn(monkeypatch):
    """A build's or a cluster's worker: its siblings have the other cores."""
    monkeypatch.delenv(PAGE_JOBS_ENV, raising=False)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_in_a_worker, args=(queue,))
    child.start()
    assert queue.get(timeout=60) == 1
    child.join()


def test_an_accelerator_is_used_when_onnx_runtime_has_one(monkeypatch):
    monkeypatch.delenv(recognise.DEVICE_ENV, raising=False)
    assert recognise.providers(["CPUExecutionProvider"]) == ["CPUExecutionProvider"]
    gpu = ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"]
    assert recognise.providers(gpu) == ["CUDAExecutionProvider", "CPUExecutionProvider"]
    monkeypatch.setenv(recognise.DEVICE_ENV, "cpu")
    assert recognise.providers(gpu) == ["CPUExecutionProvider"]
    import onnxruntime

    session = recognise.ppocr_v4().session  # on this machine: what its ONNX Runtime offers
    assert session.get_providers()[-1] == "CPUExecutionProvider"
    assert set(session.get_providers()) <= set(onnxruntime.get_available_providers())
