"""The build's plan: every version of every document URL, in the one order rows are written.

Computed from the manifests and crawl records alone (no parsing), so the full
and the incremental build agree on it: which versions exist, their state, and
the events each report brings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from archive.build.history import Version, versions, withdrawals
from crawler.store import ArchiveStore, Fetch

DOCUMENT_TYPES = ("html", "pdf", "msword", "officedocument", "wps", "text/plain", "octet-stream", "ofd",
                  "ms-excel", "image/")


@dataclass
class Step:
    url: str
    version: Version
    status: str  # current | replaced | withdrawn
    gone: tuple[str, str] | None  # (when, crawl id) for a withdrawn last version
    last: bool
    figures: tuple[str, ...] = ()  # sha256 of the pictures the page shows (role figure)

    @property
    def doc_id(self) -> str:
        return f"{self.version.sha256[:16]}-{hashlib.sha256(self.url.encode()).hexdigest()[:8]}"

    @property
    def parsed(self) -> bool:
        """A page that only links the report is kept, not parsed."""
        return self.version.first.role == "report"


def is_document(fetch: Fetch) -> bool:
    return fetch.status == 200 and any(t in (fetch.content_type or "") for t in DOCUMENT_TYPES)


def figures_of(history: dict) -> dict[str, tuple[str, ...]]:
    """page URL -> the latest bytes of each picture it showed (the crawler archives a
    report page's pictures with role ``figure``), in the order of their URLs."""
    shown: dict[str, list[tuple[str, str]]] = {}
    for url, found in history.items():
        latest = found[-1].first
        if latest.role == "figure" and latest.page_url:
            shown.setdefault(latest.page_url, []).append((url, found[-1].sha256))
    return {page: tuple(sha for _, sha in sorted(pictures)) for page, pictures in shown.items()}


def build_plan(store: ArchiveStore) -> list[Step]:
    fetches = [f for f in store.fetches() if is_document(f)]
    history = versions(fetches)
    gone = withdrawals(history, store.crawls())
    figures = figures_of(history)
    steps = []
    for url in sorted(history, key=lambda u: (history[u][0].first_seen, u)):
        for v in history[url]:
            last = v is history[url][-1]
            status = ("withdrawn" if url in gone else "current") if last else "replaced"
            steps.append(Step(url, v, status, gone.get(url) if last else None, last,
                              figures.get(url, ()) if v.first.role == "report" else ()))
    return steps


def events_for(step: Step, rid: str) -> list[dict]:
    """The events of the report a version brought: added or changed, and withdrawn."""
    v = step.version
    out = [{"at": v.first_seen, "crawl_id": v.first.crawl_id, "site": v.first.site, "url": step.url,
            "event": "added" if v.number == 1 else "changed", "report_id": rid}]
    if step.last and step.gone:
        at, crawl = step.gone
        out.append({"at": at, "crawl_id": crawl, "site": v.first.site, "url": step.url,
                    "event": "withdrawn", "report_id": rid})
    return out
