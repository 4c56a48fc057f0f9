"""A progress line per site, counting what the end-of-crawl summary counts.

``pages`` are responses received, ``candidates`` the possible reports fetched (the
build decides which are reports), ``documents`` what was archived.
"""

from __future__ import annotations

import sys

from scrapy import signals
from twisted.internet import task


def counts_of(crawler) -> dict[str, int]:
    """pages fetched, candidates fetched, documents archived: one definition for the
    progress line and the summary."""
    stats = crawler.stats
    return {
        "pages": stats.get_value("response_received_count", 0),
        "candidates": len(getattr(crawler.spider, "candidates", ())),
        "documents": sum(stats.get_value(f"nianbao/{role}s", 0) for role in ("report", "page", "figure")),
    }


class Progress:
    def __init__(self, crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, crawler.settings.getfloat("NIANBAO_PROGRESS_INTERVAL", 5.0))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        spider = self.crawler.spider
        counts = counts_of(self.crawler)
        return (f"[{getattr(spider, 'site_name', spider.name)}] pages fetched {counts['pages']}"
                f"  candidates fetched {counts['candidates']}  documents archived {counts['documents']}")

    def opened(self, spider=None) -> None:
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def show(self) -> None:
        print(self.line(), file=sys.stderr, flush=True)

    def closed(self, spider=None, reason=None) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.show()
