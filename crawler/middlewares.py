"""Downloader middlewares: the rules a polite, careful archive crawler keeps."""

from __future__ import annotations

import ipaddress
import re
import socket
from functools import lru_cache
from urllib.parse import urljoin, urlparse

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.stores import store_for

_CHALLENGE = re.compile(
    rb"__jsl_clearance|acw_sc__v2|\$_ts|_\$[a-z]{2}\(|document\.cookie\s*=|location\.reload|challenge-platform",
    re.I,
)


def is_challenge(status: int, body: bytes) -> bool:
    """Anti-bot pages: 412/521 answers, or a tiny page that only sets a cookie by script."""
    if status in (412, 521):
        return True
    return status == 200 and len(body) < 8192 and b"<script" in body.lower() and bool(_CHALLENGE.search(body))


class _CrawlerAware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class ChallengeMiddleware(_CrawlerAware):
    """Report JS cookie challenges per site instead of archiving them as documents."""

    def process_response(self, request, response, spider=None):
        if is_challenge(response.status, response.body):
            self.stats.inc_value("nianbao/challenges")
            challenges = getattr(self.crawler.spider, "challenges", None)
            if challenges is not None:
                challenges.append(request.url)
            raise IgnoreRequest(f"anti-bot challenge ({response.status}) at {request.url}")
        return response


@lru_cache(maxsize=1024)
def is_private_host(host: str) -> bool:
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            addresses = {ipaddress.ip_address(i[4][0]) for i in socket.getaddrinfo(host, None)}
        except (socket.gaierror, UnicodeError):
            return False
    return any(a.is_private or a.is_loopback or a.is_link_local or a.is_reserved for a in addresses)


class PrivateAddressMiddleware(_CrawlerAware):
    """Never follow a link or redirect into a private or loopback address, unless the
    crawl itself started on one (tests and the demo run on 127.0.0.1)."""

    def process_request(self, request, spider=None):
        starts = getattr(self.crawler.spider, "start_urls", None) or []
        if any(is_private_host(urlparse(u).hostname or "") for u in starts):
            return None
        if is_private_host(urlparse(request.url).hostname or ""):
            self.stats.inc_value("nianbao/blocked_private")
            raise IgnoreRequest(f"private address refused: {request.url}")
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Retries that also slow the whole domain down: each retry doubles its delay."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.max_delay = settings.getfloat("BACKOFF_MAX_DELAY", 60.0)

    def _retry(self, request, reason):
        retried = super()._retry(request, reason)
        if retried is not None and self.crawler.engine is not None:
            key = request.meta.get("download_slot") or urlparse(request.url).hostname
            slot = self.crawler.engine.downloader.slots.get(key)
            if slot is not None:
                slot.delay = min(self.max_delay, max(slot.delay * 2, 0.5))
        return retried


class WarcMiddleware(_CrawlerAware):
    """Every response, list pages included, goes to the crawl's WARC file."""

    def process_response(self, request, response, spider=None):
        if urlparse(request.url).path == "/robots.txt" or request.meta.get("playwright"):
            return response  # a rendered page is the browser's DOM; its bytes were archived when fetched
        headers = [(k.decode("latin-1"), b", ".join(v).decode("latin-1")) for k, v in response.headers.items()]
        req_headers = [(k.decode("latin-1"), b", ".join(v).decode("latin-1")) for k, v in request.headers.items()]
        store = store_for(self.crawler.settings)
        request.meta["warc"] = store.write_warc(request.url, response.status, headers, response.body, req_headers)
        return response


class RedirectLoopMiddleware:
    """A redirect back to a URL of its own chain is a loop: fail it loudly, for the summary,
    instead of letting the duplicate filter drop it without a word."""

    def process_response(self, request, response, spider=None):
        if 300 <= response.status < 400 and b"Location" in response.headers:
            target = urljoin(request.url, response.headers[b"Location"].decode("latin-1"))
            if target in request.meta.get("redirect_urls", []) or target == request.url:
                raise IgnoreRequest(f"redirect loop at {target}")
        return response
