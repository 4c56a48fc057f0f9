"""ReportSpider: list pages -> report links -> documents, without crawling the site whole.

A page is a list when it links reports; its reports are fetched, its hidden
pagination (TRS script, Hanweb datastore) followed. A page with no report links
is navigation: only links to the annual-report column (年报) or, failing that,
the disclosure portal (政府信息公开) are followed, a few levels deep at most.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import scrapy

from crawler import cms, registry
from crawler.items import DocumentItem
from crawler.links import column_rank, is_attachment, is_next_page, is_report_link
from crawler.store import Fetch, now_iso
from crawler.stores import store_for
from parsers.encoding import decode


def describe(failure) -> str:
    """One short reason for the summary, whatever Twisted wrapped the error in."""
    error = failure.value
    status = getattr(getattr(error, "response", None), "status", None)
    if status:
        return f"HTTP {status}"
    for _ in range(3):  # ResponseNeverReceived([Failure(ConnectionLost)]) and the like
        args = getattr(error, "args", ())
        reasons = getattr(error, "reasons", None) or (args[0] if args and isinstance(args[0], list) else None)
        if not reasons or not hasattr(reasons[0], "value"):
            break
        error = reasons[0].value
    name = type(error).__name__
    if "Timeout" in name:
        return "timed out"
    if name in ("ConnectionLost", "ConnectionDone", "ConnectionRefusedError", "ResponseNeverReceived"):
        return f"connection failed ({name})"
    if name == "DNSLookupError":
        return "DNS lookup failed"
    wrapped = re.search(r"Failure [\w.]*?(\w+): ", str(error))  # a Failure list in a message
    if wrapped:
        return f"connection failed ({wrapped.group(1)})"
    return str(error) or name


class ReportSpider(scrapy.Spider):
    name = "reports"
    family = "auto"  # which CMS patterns to read list pages with
    max_depth = 3  # navigation levels from the start page to the report column

    def __init__(self, url: str | None = None, site: str | None = None, cms: str | None = None,
                 sites: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        if site:
            entry = registry.find(site, sites)
            self.start_urls = list(entry.start_urls)
            self.site_name = entry.name
            self.family = cms or (entry.cms if self.family == "auto" else self.family)
        elif url:
            self.start_urls = [url]
            self.site_name = kwargs.get("site_name") or urlparse(url).hostname or url
            self.family = cms or self.family
        else:
            raise ValueError("give url=START_URL or site=NAME (from the registry)")
        self.allowed_domains = sorted({urlparse(u).hostname or "" for u in self.start_urls})
        self.name = f"{self.name}-{self.site_name}"  # one frontier per site when shared in Redis
        self.failures: list[tuple[str, str]] = []
        self.challenges: list[str] = []
        self.skipped: list[str] = []
        self.seen: set[str] = set()  # documents that answered (200 or 304) in this crawl
        self.list_failures: list[str] = []  # list pages that failed: the crawl saw less
        self.started = now_iso()
        self._known: dict[str, Fetch] | None = None
        self.candidates: set[str] = set()

    # -- requests ----------------------------------------------------------
    def start_requests(self):
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, meta={"nav_depth": 0})

    async def start(self):
        for request in self.start_requests():
            yield request

    def failed(self, failure) -> None:
        request = failure.request
        reason = describe(failure)
        if "challenge" in reason:
            return  # counted by ChallengeMiddleware
        if "robots.txt" in reason:
            self.skipped.append(request.url)  # policy, not failure
            return
        self.failures.append((request.url, reason))
        if request.callback == self.parse:
            self.list_failures.append(request.url)
        self.logger.warning("failed %s: %s", request.url, reason)

    # -- revalidation: known documents are asked for only if they changed --------
    @property
    def known(self) -> dict[str, Fetch]:
        if self._known is None:
            self._known = store_for(self.crawler.settings).latest()
        return self._known

    def _fetch(self, url: str, callback, meta: dict) -> scrapy.Request:
        """A document request, conditional (ETag / Last-Modified) when it was archived before."""
        headers = {}
        previous = self.known.get(url)
        if previous is not None:
            h = {k.lower(): v for k, v in previous.headers.items()}
            if "etag" in h:
                headers["If-None-Match"] = h["etag"]
            if "last-modified" in h:
                headers["If-Modified-Since"] = h["last-modified"]
            meta = dict(meta, handle_httpstatus_list=[304])
        return scrapy.Request(url, callback=callback, errback=self.failed, headers=headers, meta=meta)

    def _archived_body(self, response) -> bytes:
        """The body, or for 304 Not Modified the bytes archived before."""
        if response.status == 304:
            return store_for(self.crawler.settings).blob(self.known[response.url].sha256)
        return response.body

    def _document(self, link: cms.Link, page_url: str) -> scrapy.Request:
        self.candidates.add(link.url)
        return self._fetch(link.url, self.save_report, {"page_url": page_url, "link_text": link.text})

    # -- callbacks ---------------------------------------------------------
    def parse(self, response):
        if not hasattr(response, "text") and not response.body.lstrip().startswith(b"<"):
            return
        text, _ = decode(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        tree = cms.page_tree(text)
        family = self.family if self.family != "auto" else cms.cms_family(text)
        entries = cms.links(tree, response.url)
        if family == "hanweb":
            entries += cms.hanweb_records(text, response.url)
            for url in cms.hanweb_proxy_pages(text, response.url):
                yield scrapy.Request(url, callback=self.parse, errback=self.failed, meta=response.meta)
        if family == "trs":
            for url in cms.trs_pages(text, response.url):
                yield scrapy.Request(url, callback=self.parse, errback=self.failed, meta=response.meta)
        entries = [e for e in entries if self._on_site(e.url)]
        reports = [e for e in entries if is_report_link(e.text)]
        for link in reports:
            if is_attachment(link.url):
                yield self._document(link, response.url)
            else:
                self.candidates.add(link.url)
                yield self._fetch(link.url, self.parse_detail,
                                  {"page_url": response.url, "link_text": link.text})
        for link in entries:
            if is_next_page(link.text):
                yield scrapy.Request(link.url, callback=self.parse, errback=self.failed, meta=response.meta)
        depth = response.meta.get("nav_depth", 0)
        if not reports and depth < self.max_depth:
            yield from self._navigate(entries, depth)

    def _navigate(self, entries: list[cms.Link], depth: int):
        ranked = [(column_rank(e.text, e.url), e) for e in entries]
        best = max((r for r, _ in ranked), default=0)
        for rank, link in ranked:
            if rank and rank == best:
                yield scrapy.Request(link.url, callback=self.parse, errback=self.failed,
                                     meta={"nav_depth": depth + 1})

    def parse_detail(self, response):
        """A report's page: the report itself, or the page its attachments hang from."""
        body = self._archived_body(response)
        text, _ = decode(body, response.headers.get("Content-Type", b"").decode("latin-1"))
        attachments = [
            link for link in cms.links(cms.page_tree(text), response.url)
            if is_attachment(link.url) and self._on_site(link.url)
        ]
        role = "page" if attachments else "report"
        yield self._item(response, role)
        for link in attachments:
            yield self._document(link, response.url)

    def save_report(self, response):
        yield self._item(response, "report")

    # -- helpers -----------------------------------------------------------
    def _on_site(self, url: str) -> bool:
        host = urlparse(url).hostname or ""
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def closed(self, reason: str) -> None:
        store_for(self.crawler.settings).record_crawl(self.site_name, {
            "site": self.site_name, "crawl_id": store_for(self.crawler.settings).crawl_id,
            "run": self.crawler.settings.get("NIANBAO_RUN") or store_for(self.crawler.settings).crawl_id,
            "started": self.started, "finished": now_iso(), "finish_reason": reason,
            "complete": reason == "finished" and not self.list_failures,
            "seen": sorted(self.seen), "failed": sorted(url for url, _ in self.failures),
        })

    def _item(self, response, role: str) -> DocumentItem:
        self.seen.add(response.url)
        headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        previous = self.known.get(response.url)
        if response.status == 304 and previous is not None:  # unchanged: no bytes to store
            return DocumentItem(
                url=response.url, body=None, sha256=previous.sha256, size=previous.size,
                status=304, headers={**previous.headers, **headers},
                content_type=previous.content_type, role=previous.role,
                page_url=response.meta.get("page_url") or previous.page_url,
                link_text=response.meta.get("link_text") or previous.link_text,
                site=self.site_name, warc=response.meta.get("warc"),
            )
        return DocumentItem(
            url=response.url, body=response.body, status=response.status, headers=headers,
            content_type=headers.get("Content-Type", ""), role=role,
            page_url=response.meta.get("page_url"), link_text=response.meta.get("link_text"),
            site=self.site_name, warc=response.meta.get("warc"),
        )
