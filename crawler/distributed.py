"""Several crawler processes, one frontier: scrapy-redis scheduler and duplicate filter,
plus what they lack for a fleet of workers.

- Keys are per run and per site (``nianbao:<run>:<spider>:requests``), so a new run
  starts clean while the workers of one run share everything.
- A worker whose queue is empty stays while another worker was active in the last
  ``NIANBAO_REDIS_IDLE_GRACE`` seconds: that one may still push requests.
- Each worker holds few requests at a time (CONCURRENT_REQUESTS 4), the rest stay in
  the shared queue for whoever is free.
- The per-domain delay holds across all workers (a slot time kept in Redis), so more
  workers never mean more load on one site.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from urllib.parse import urlparse

import redis
from scrapy import signals
from scrapy.core.downloader import Downloader
from scrapy.exceptions import DontCloseSpider, NotConfigured

KEY_TTL = 7 * 24 * 3600
_RESERVE = """
local at = math.max(tonumber(ARGV[1]), tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], tostring(at + tonumber(ARGV[2])), 'EX', 3600)
return tostring(at)
"""


def redis_settings(url: str, run: str, delay: float) -> dict:
    """Settings of a worker; the per-domain ``delay`` is kept by SharedSlotDownloader
    alone (a local delay or AutoThrottle on top would bunch requests of two workers)."""
    return {
        "NIANBAO_SHARED_DELAY": delay,
        "DOWNLOADER": "crawler.distributed.SharedSlotDownloader",
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "REDIS_URL": url,
        "NIANBAO_RUN": run,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"nianbao:{run}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"nianbao:{run}:%(spider)s:dupefilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.FifoQueue",
        # the engine pulls requests while it has free slots: a greedy worker would drain
        # the shared queue into its own memory and leave the others idle
        "CONCURRENT_REQUESTS": 4,
        "EXTENSIONS": {"crawler.extensions.Progress": 500, "crawler.distributed.SharedIdle": 510},
    }


def worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class SharedIdle:
    def __init__(self, crawler, client: redis.Redis, run: str, grace: float) -> None:
        self.crawler = crawler
        self.redis = client
        self.run = run
        self.grace = grace
        self.me = worker_id()

    @classmethod
    def from_crawler(cls, crawler):
        url = crawler.settings.get("REDIS_URL")
        if not url:
            raise NotConfigured
        ext = cls(crawler, redis.from_url(url), crawler.settings.get("NIANBAO_RUN", "run"),
                  crawler.settings.getfloat("NIANBAO_REDIS_IDLE_GRACE", 6.0))
        # an idle engine asks its scheduler again only on its heartbeat (5 s by default):
        # a worker waiting for work from the others should ask sooner
        from scrapy.core.engine import ExecutionEngine

        ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = crawler.settings.getfloat("NIANBAO_REDIS_POLL", 1.0)
        crawler.signals.connect(ext.active, signal=signals.response_received)
        crawler.signals.connect(ext.active, signal=signals.request_scheduled)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def _key(self, what: str) -> str:
        return f"nianbao:{self.run}:{self.crawler.spider.name}:{what}"

    def active(self, *args, **kwargs) -> None:
        self.redis.hset(self._key("active"), self.me, time.time())

    def idle(self, spider=None) -> None:
        now = time.time()
        others = {
            k.decode(): float(v) for k, v in self.redis.hgetall(self._key("active")).items()
            if k.decode() != self.me
        }
        if any(now - t < self.grace for t in others.values()):
            raise DontCloseSpider  # a busy colleague may still push requests

    def closed(self, spider=None, reason=None) -> None:
        for what in ("active", "requests", "dupefilter"):
            self.redis.expire(self._key(what), KEY_TTL)


class SharedSlotDownloader(Downloader):
    """Scrapy's downloader, with the per-domain delay kept for the whole fleet.

    The wait is taken when a request really leaves (its concurrency slot held), not in
    a middleware: middlewares run before the slot queue, and requests that waited there
    would then go out together.
    """

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        url = crawler.settings.get("REDIS_URL")
        self.shared_delay = crawler.settings.getfloat("NIANBAO_SHARED_DELAY", 0.0)
        self.redis = redis.from_url(url) if url else None
        self.reserve = self.redis.register_script(_RESERVE) if self.redis else None

    async def _download(self, slot, request):
        if self.reserve is not None and self.shared_delay > 0:
            slot.transferring.add(request)  # the slot stays taken while it waits its turn
            try:
                host = urlparse(request.url).hostname or ""
                now = time.time()
                at = float(self.reserve(keys=[f"nianbao:slot:{host}"], args=[now, self.shared_delay]))
                if at > now:
                    await asyncio.sleep(at - now)
            finally:
                slot.transferring.discard(request)
        return await super()._download(slot, request)
