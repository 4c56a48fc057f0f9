"""nianbao build --jobs N: the same database whatever N, an honest progress line."""

from __future__ import annotations

import hashlib
import io

from click.testing import CliRunner

from archive.build.parallel import outcomes
from archive.build.plan import build_plan
from archive.build.progress import ProgressBar
from archive.build.run import build, task_for
from archive.cli import cli
from crawler.store import ArchiveStore
from tests.archive_fixture import make_archive


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_database_whatever_the_number_of_processes(tmp_path):
    archive = make_archive(tmp_path)
    one = build(archive, tmp_path / "one.db", use_cache=False, jobs=1)
    three = build(archive, tmp_path / "three.db", use_cache=False, jobs=3)
    assert one.parsed == three.parsed == 10
    assert one.errors == three.errors
    assert _digest(tmp_path / "one.db") == _digest(tmp_path / "three.db")


def test_results_come_back_in_the_order_asked(tmp_path):
    archive = make_archive(tmp_path)
    store = ArchiveStore(archive)
    tasks = [task_for(store, s) for s in build_plan(store)]
    tasks = [None, *tasks[:5], None, *tasks[5:], None]
    serial = list(outcomes(tasks, jobs=1))
    parallel = list(outcomes(tasks, jobs=2))
    assert [o is None for o in parallel] == [t is None for t in tasks]
    assert parallel == serial
    titles = [o.report().title for o in parallel if o is not None]
    assert len(titles) == 10 and all(titles)


def test_progress_line_counts_documents_and_cache(tmp_path):
    archive = make_archive(tmp_path)
    stream = io.StringIO()
    bar = ProgressBar(stream=stream, every=0.0)
    build(archive, tmp_path / "a.db", progress=bar)
    assert "10/10 documents (0 from cache" in stream.getvalue().splitlines()[-1]
    stream = io.StringIO()
    build(archive, tmp_path / "b.db", progress=ProgressBar(stream=stream, every=3600))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and "10/10 documents (10 from cache, 0.0 parsed/s)" in lines[0]


def test_cli_jobs(tmp_path):
    archive = make_archive(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--db", str(tmp_path / "n.db"), "--archive", str(archive),
                                      "--jobs", "2", "--no-cache", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "10 reports from 10 documents" in result.output and "10 parsed, 0 from cache" in result.output
