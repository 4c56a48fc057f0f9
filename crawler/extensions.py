"""A progress line: pages fetched, documents archived, reports found."""

from __future__ import annotations

import sys

from scrapy import signals
from twisted.internet import task


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
        stats = self.crawler.stats
        spider = self.crawler.spider
        return (
            f"[{getattr(spider, 'site_name', spider.name)}] pages {stats.get_value('response_received_count', 0)}"
            f"  documents {stats.get_value('nianbao/reports', 0) + stats.get_value('nianbao/pages', 0)}"
            f"  reports found {len(getattr(spider, 'candidates', ()))}"
        )

    def opened(self, spider=None) -> None:
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def show(self) -> None:
        print(self.line(), file=sys.stderr, flush=True)

    def closed(self, spider=None, reason=None) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.show()
