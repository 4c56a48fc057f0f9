"""Versions and withdrawals, from the fetch log and the crawl records.

Sites revise reports and delete them. The archive keeps every version: a new
sha256 at a known URL is a new version; a URL that the latest finished crawl
of its site did not see is withdrawn (never deleted). A crawl that was killed
or lost list pages says nothing about withdrawals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from crawler.store import Fetch


@dataclass
class Version:
    url: str
    sha256: str
    first: Fetch  # the fetch that brought these bytes
    first_seen: str
    last_seen: str
    fetches: int
    number: int  # 1 for the first version of its URL
    replaced_at: str | None = None  # when the next version was first seen


def versions(fetches: Iterable[Fetch]) -> dict[str, list[Version]]:
    """URL -> its versions in order; fetches must come oldest first."""
    out: dict[str, list[Version]] = {}
    for f in fetches:
        if f.status not in (200, 304) or not f.sha256:
            continue
        history = out.setdefault(f.url, [])
        if history and history[-1].sha256 == f.sha256:
            v = history[-1]
            v.last_seen, v.fetches = f.fetched_at, v.fetches + 1
        elif f.status == 200:
            if history:
                history[-1].replaced_at = f.fetched_at
            history.append(Version(f.url, f.sha256, f, f.fetched_at, f.fetched_at, 1, len(history) + 1))
    return out


def merge_runs(crawls: list[dict]) -> list[dict]:
    """The workers of one distributed run each saw part of a site: their records make one."""
    runs: dict[tuple[str, str], dict] = {}
    for c in crawls:
        key = (c["site"], c.get("run") or c["crawl_id"])
        if key not in runs:
            runs[key] = dict(c, seen=set(c.get("seen", [])))
            continue
        r = runs[key]
        r["started"] = min(r["started"], c["started"])
        r["finished"] = max(r["finished"], c["finished"])
        r["complete"] = r["complete"] and c.get("complete", False)
        r["seen"] |= set(c.get("seen", []))
    return list(runs.values())


def withdrawals(history: dict[str, list[Version]], crawls: list[dict]) -> dict[str, tuple[str, str]]:
    """URL -> (when, crawl id) for URLs the latest finished crawls of their site no longer saw."""
    by_site: dict[str, list[dict]] = {}
    for c in merge_runs(crawls):
        if c.get("complete"):
            by_site.setdefault(c["site"], []).append(c)
    out: dict[str, tuple[str, str]] = {}
    for url, vs in history.items():
        site = vs[0].first.site
        since = vs[0].first_seen
        gone: tuple[str, str] | None = None
        for c in sorted(by_site.get(site or "", []), key=lambda c: c["started"]):
            if c["finished"] < since:
                continue
            if url in c["seen"]:
                gone = None
            elif gone is None:
                gone = (c["started"], c["crawl_id"])
        if gone is not None:
            out[url] = gone
    return out
