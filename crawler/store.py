"""The archive on disk: every fetched document byte for byte.

    ARCHIVE/blobs/ab/abcdef…      content-addressed bytes (sha256), each stored once
    ARCHIVE/warc/<crawl>.warc.gz   every HTTP response, request and headers (warcio)
    ARCHIVE/manifests/<crawl>.jsonl one line per fetched document: url, sha256,
                                   fetch time, headers, the page it was linked from

Each crawler process writes its own WARC and manifest, so several processes
(the distributed crawl) never write to the same file; blobs are written by
rename, so the same bytes arriving twice are harmless. This layout is the
contract between the crawler (which writes it) and ``nianbao build``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Fetch:
    url: str
    sha256: str
    size: int
    status: int
    content_type: str
    fetched_at: str
    role: str = "report"  # report: a candidate report document; page: context kept for provenance
    page_url: str | None = None  # the page that linked it
    link_text: str | None = None
    site: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    warc_file: str | None = None
    warc_offset: int | None = None
    crawl_id: str | None = None  # filled in when read: the manifest it came from


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ArchiveStore:
    def __init__(self, root: str | Path, crawl_id: str | None = None) -> None:
        self.root = Path(root)
        self.crawl_id = crawl_id or f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        self._warc = None
        self._warc_file = None

    # -- writing -----------------------------------------------------------
    def put_blob(self, data: bytes) -> str:
        digest = sha256(data)
        path = self.blob_path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        return digest

    def write_warc(self, url: str, status: int, headers: list[tuple[str, str]], body: bytes,
                   request_headers: list[tuple[str, str]] | None = None) -> tuple[str, int]:
        """Append response (and request) records; return (file, offset of the response)."""
        from io import BytesIO

        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        if self._warc is None:
            folder = self.root / "warc"
            folder.mkdir(parents=True, exist_ok=True)
            self._warc_file = f"{self.crawl_id}.warc.gz"
            self._warc = open(folder / self._warc_file, "ab")  # noqa: SIM115 - kept open for the crawl
        writer = WARCWriter(self._warc, gzip=True)
        offset = self._warc.tell()
        http = StatusAndHeaders(f"{status} {_REASONS.get(status, 'OK')}", headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http)
        writer.write_record(record)
        if request_headers is not None:
            req = StatusAndHeaders(f"GET {url} HTTP/1.1", request_headers, is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
        self._warc.flush()
        return self._warc_file, offset

    def record(self, fetch: Fetch) -> None:
        folder = self.root / "manifests"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"{self.crawl_id}.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps(asdict(fetch), ensure_ascii=False, sort_keys=True) + "\n")

    def close(self) -> None:
        if self._warc is not None:
            self._warc.close()
            self._warc = None

    # -- reading -----------------------------------------------------------
    def blob_path(self, digest: str) -> Path:
        return self.root / "blobs" / digest[:2] / digest

    def blob(self, digest: str) -> bytes:
        return self.blob_path(digest).read_bytes()

    def latest(self) -> dict[str, Fetch]:
        """The last fetch of every document URL that had content (for revalidation)."""
        out: dict[str, Fetch] = {}
        for fetch in self.fetches():
            if fetch.status in (200, 304) and fetch.sha256:
                out[fetch.url] = fetch
        return out

    def record_crawl(self, site: str, record: dict) -> None:
        """How one site's crawl ended and which documents it saw: withdrawals are judged
        only against crawls that finished."""
        folder = self.root / "crawls" / self.crawl_id
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{site}.json.tmp"
        tmp.write_text(json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1), "utf-8")
        os.replace(tmp, folder / f"{_safe(site)}.json")

    def crawls(self) -> list[dict]:
        out = []
        for path in sorted((self.root / "crawls").glob("*/*.json")):
            try:
                out.append(json.loads(path.read_text(encoding="utf-8")))
            except ValueError:
                continue
        return sorted(out, key=lambda c: (c.get("started", ""), c.get("site", "")))

    def fetches(self) -> Iterator[Fetch]:
        """Every manifest line of every crawl, oldest first (a stable order for builds)."""
        rows: list[Fetch] = []
        for path in sorted((self.root / "manifests").glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    try:
                        rows.append(Fetch(**{**json.loads(line), "crawl_id": path.stem}))
                    except (ValueError, TypeError):
                        continue  # a line cut short by a killed crawl
        rows.sort(key=lambda f: (f.fetched_at, f.url))
        yield from rows


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)


_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 404: "Not Found"}
