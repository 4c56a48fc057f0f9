"""Downloader middlewares: the rules a polite, careful archive crawler keeps."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler import url_policy
from crawler.resolver import grant
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


def policy_of(spider) -> url_policy.Policy:
    """The spider's URL policy (built once from its start URLs and allowed domains)."""
    policy = getattr(spider, "url_policy", None)
    if policy is None:
        policy = url_policy.policy_for(list(getattr(spider, "start_urls", None) or []),
                                       list(getattr(spider, "allowed_domains", None) or []) or None)
        try:
            spider.url_policy = policy
        except AttributeError:
            pass
    grant({host for host, _ in policy.private_origins})
    return policy


def refuse(crawler, url: str, reason: str) -> None:
    """Count a refused URL once per reason, on the spider (for the summary) and in the stats."""
    refused = getattr(crawler.spider, "refused", None)
    if refused is not None:
        if url in refused.setdefault(reason, set()):
            return
        refused[reason].add(url)
    crawler.stats.inc_value(f"nianbao/refused/{reason}")


class UrlPolicyMiddleware(_CrawlerAware):
    """Every request, start URLs and redirects included, passes crawler.url_policy: http(s)
    only, the site's domains only, no private address unless the crawl started there."""

    def process_request(self, request, spider=None):
        reason = url_policy.refusal(request.url, policy_of(self.crawler.spider))
        if reason is None:
            return None
        refuse(self.crawler, request.url, reason)
        raise IgnoreRequest(f"refused ({reason}): {request.url}")


class RedirectPolicyMiddleware(_CrawlerAware):
    """A redirect the policy refuses (file:, ftp:, another host, a private address) is
    counted as refused here, before Scrapy's redirect middleware sees it."""

    def process_response(self, request, response, spider=None):
        if 300 <= response.status < 400 and b"Location" in response.headers:
            target = urljoin(request.url, response.headers[b"Location"].decode("latin-1").strip())
            reason = url_policy.refusal(target, policy_of(self.crawler.spider))
            if reason is not None:
                refuse(self.crawler, target, reason)
                raise IgnoreRequest(f"refused ({reason}): redirect from {request.url} to {target}")
        return response


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
