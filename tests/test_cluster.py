"""nianbao build --scheduler: the parse on a real Dask cluster (a scheduler and two workers,
separate processes on 127.0.0.1) gives the local build's database byte for byte, with a
worker killed mid-build, and a build whose scheduler died resumes from the parse cache."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from archive.build.cluster import ClusterError, ClusterPool, for_workers, worker_path
from archive.build.parallel import WINDOW_PER_JOB, Task, parse_task
from archive.build.run import build
from archive.cli import cli
from crawler.store import ArchiveStore, Fetch
from tests.archive_fixture import TYPES, fixture_documents
from tests.dask_cluster import dask_cluster

COPIES = 4  # 40 documents: each fixture under four URLs (four PDFs, four DOCX among them)


def _archive(root, copies: int = COPIES):
    """The fixture documents as four sites published them: enough work to kill a worker in."""
    store = ArchiveStore(root / "archive", crawl_id="fixtures")
    for k in range(copies):
        for i, path in enumerate(fixture_documents()):
            data = path.read_bytes()
            store.record(Fetch(
                url=f"http://www.example.gov.cn/site{k}/{path.name}", sha256=store.put_blob(data),
                size=len(data), status=200, content_type=TYPES[path.suffix],
                fetched_at=f"2026-01-01T00:{k:02d}:{i:02d}+00:00", site=f"site{k}",
                page_url=f"http://www.example.gov.cn/site{k}/index.html", link_text=path.stem))
    return root / "archive"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Hook:
    """A progress bar that does something to the cluster when the n-th document is back."""

    def __init__(self, at: int, action) -> None:
        self.at, self.action, self.seen, self.done = at, action, 0, None

    def start(self, total: int) -> None:
        pass

    def advance(self, cached: bool) -> None:
        self.seen += 1
        if self.seen == self.at:
            self.done = self.action()

    def finish(self) -> None:
        pass


def test_cluster_build_is_the_local_build_with_a_worker_killed(tmp_path):
    archive = _archive(tmp_path)
    with dask_cluster(2) as cluster:
        def kill_busiest():
            busy = cluster.processing()
            name = max(busy, key=busy.get)
            cluster.kill_worker(name)
            return busy[name]

        hook = Hook(1, kill_busiest)
        remote = build(archive, tmp_path / "cluster.db", scheduler=cluster.address, progress=hook)
        left = len(cluster.client.scheduler_info(n_workers=-1)["workers"])
    assert hook.done and hook.done > 0, "the killed worker held documents it had not given back"
    assert left == 1
    local = build(archive, tmp_path / "local.db", jobs=1, use_cache=False)
    assert remote.parsed == local.parsed == 10 * COPIES
    assert remote.errors == local.errors
    assert _digest(tmp_path / "cluster.db") == _digest(tmp_path / "local.db")


def test_a_build_whose_scheduler_died_resumes_from_the_cache(tmp_path):
    # more documents than the build keeps in flight when the 12th is back (two one-thread
    # workers), so some are still to be sent when the scheduler dies, however fast the
    # workers are (with 40, all could be parsed and back before the kill)
    at, in_flight = 12, 2 * WINDOW_PER_JOB
    archive = _archive(tmp_path, copies=-(-(at + in_flight + 10) // len(fixture_documents())))
    with dask_cluster(2) as cluster:
        with pytest.raises(ClusterError, match="scheduler"):
            build(archive, tmp_path / "n.db", scheduler=cluster.address, progress=Hook(at, cluster.kill_scheduler))
    assert not (tmp_path / "n.db").exists()
    with dask_cluster(2) as cluster:
        result = CliRunner().invoke(cli, ["build", "--db", str(tmp_path / "n.db"), "--archive", str(archive),
                                          "--scheduler", cluster.address, "--no-progress"])
    assert result.exit_code == 0, result.output
    cached = int(result.output.split(" parsed, ")[1].split(" from cache")[0])
    assert cached >= at, result.output
    build(archive, tmp_path / "local.db", jobs=1, use_cache=False)
    assert _digest(tmp_path / "n.db") == _digest(tmp_path / "local.db")


def test_a_frozen_scheduler_stops_the_build(tmp_path, monkeypatch):
    """A stopped scheduler keeps its connections open: the build asks it, gets no answer,
    and stops with one line instead of waiting for ever."""
    import archive.build.cluster as cluster_module

    monkeypatch.setattr(cluster_module, "ASK_EVERY", 0.5)
    monkeypatch.setattr(cluster_module, "ANSWER_WITHIN", 3.0)
    archive = _archive(tmp_path, copies=6)
    with dask_cluster(2) as cluster:
        try:
            with pytest.raises(ClusterError, match="stopped answering"):
                build(archive, tmp_path / "n.db", scheduler=cluster.address,
                      progress=Hook(3, cluster.freeze_scheduler))
        finally:
            cluster.freeze_scheduler(False)
    assert not (tmp_path / "n.db").exists()


def test_workers_reach_the_archive_by_url(tmp_path):
    """--worker-archive: the archive where the workers see it (here an fsspec file:// URL)."""
    archive = _archive(tmp_path)
    with dask_cluster(1) as cluster:
        build(archive, tmp_path / "url.db", scheduler=cluster.address, use_cache=False,
              worker_archive=archive.resolve().as_uri())
    build(archive, tmp_path / "local.db", jobs=1, use_cache=False)
    assert _digest(tmp_path / "url.db") == _digest(tmp_path / "local.db")


def test_no_scheduler_is_one_line_and_status_1(tmp_path):
    archive = _archive(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--db", str(tmp_path / "n.db"), "--archive", str(archive),
                                      "--scheduler", "tcp://127.0.0.1:9", "--no-progress"])
    assert result.exit_code == 1
    assert "cannot reach the scheduler at tcp://127.0.0.1:9" in result.output


def test_paths_as_the_workers_see_them(tmp_path):
    blob = tmp_path / "archive" / "blobs" / "ab" / "abc"
    assert worker_path(str(blob), tmp_path / "archive", None) == str(blob)
    assert worker_path(str(blob), tmp_path / "archive", "s3://bucket/nb/") == "s3://bucket/nb/blobs/ab/abc"
    task = Task("k", str(blob), "http://x/1.html", "text/html", (str(blob),))
    moved = for_workers(task, tmp_path / "archive", "/mnt/archive")
    assert moved.key == "k" and moved.blob == moved.figures[0] == "/mnt/archive/blobs/ab/abc"
    gone = parse_task(Task("k", (tmp_path / "none").as_uri(), "http://x/1.html", "text/html"))
    assert gone.error == "archived bytes missing" and not gone.cacheable


def test_the_pool_runs_only_the_parse(tmp_path):
    with pytest.raises(TypeError):
        ClusterPool.submit(object.__new__(ClusterPool), print, 1)
