"""ReportSpider: from a start page to the annual-report column, and every report in it.

Outside the column only links towards it (年报, failing that 政府信息公开) and links
titled as annual reports are followed, a few levels deep at most. Inside the column
(reached through a 年报 link, or a page whose title, heading or breadcrumb names it)
every link naming a year or 报告 is a candidate, as are year and category
sub-columns; the fetched page decides whether it is a document (archived, its
attachments fetched) or a list (read in turn). Pagination of every kind is followed
on column lists. A page budget and depth limits bound a wrong turn.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import scrapy

from crawler import cms, lists, pages, registry, render, scripts, url_policy
from crawler.extensions import counts_of
from crawler.items import DocumentItem
from crawler.links import (
    is_attachment,
    is_candidate,
    is_next_page,
    is_page_link,
    is_report_link,
    is_subcolumn,
    label,
    names_column,
    towards_column,
    year_of,
)
from crawler.middlewares import policy_of, refuse
from crawler.store import Fetch, now_iso
from crawler.stores import store_for
from parsers.encoding import decode
from parsers.kind import other_kind


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


_CARRIED = ("nav_depth", "sub_depth", "column", "page_url", "link_text", "guessed", "start")


class ReportSpider(scrapy.Spider):
    name = "reports"
    family = "auto"  # which CMS patterns to read list pages with
    max_depth = 3  # navigation levels from the start page to the report column
    max_sub_depth = 4  # list levels below the column (year, category, pages)

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
        self.candidates: set[str] = set()  # possible reports that answered
        self.requested: set[str] = set()
        self.left_out: dict[str, set[str]] = {}  # "pages" / "depth" -> URLs a budget refused
        self.refused: dict[str, set[str]] = {}  # reason -> URLs the URL policy refused

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.page_budget = crawler.settings.getint("NIANBAO_PAGE_BUDGET", 2000)
        spider.max_depth = crawler.settings.getint("NIANBAO_NAV_DEPTH", spider.max_depth)
        spider.max_sub_depth = crawler.settings.getint("NIANBAO_COLUMN_DEPTH", spider.max_sub_depth)
        mode = crawler.settings.get("NIANBAO_SCRIPTS", "engine")
        spider.script_mode = mode if mode != "engine" or scripts.available() else "rules"
        spider.script_budget = crawler.settings.getfloat("NIANBAO_SCRIPT_BUDGET", scripts.BUDGET_SECONDS)
        spider.list_interface = crawler.settings.getbool("NIANBAO_LIST_INTERFACE", True)
        handlers = crawler.settings.getdict("DOWNLOAD_HANDLERS")
        spider.can_render = (crawler.settings.getbool("NIANBAO_RENDER", True) and render.available()
                             and "RenderHandler" in str(handlers.get("http", "")))
        return spider

    # -- requests ----------------------------------------------------------
    def start_requests(self):
        for url in self.start_urls:  # judged by its content: a report's own page is kept
            request = self._page(url, {"nav_depth": 0, "sub_depth": 0, "start": True})
            if request is None:
                self.list_failures.append(url)  # a start URL the policy refuses: nothing crawled
            yield request

    async def start(self):
        for request in self.start_requests():
            yield request

    def failed(self, failure) -> None:
        request = failure.request
        reason = describe(failure)
        if "challenge" in reason:
            return  # counted by ChallengeMiddleware
        if reason.startswith("refused ("):
            return  # counted by the URL policy
        if "robots.txt" in reason:
            self.skipped.append(request.url)  # policy, not failure
            return
        if request.meta.get("guessed") and reason == "HTTP 404":
            return  # a page number guessed from 共N页 that the site does not have
        self.failures.append((request.url, reason))
        if (request.callback == self.parse and not request.meta.get("candidate")) or request.meta.get("playwright"):
            self.list_failures.append(request.url)
        self.logger.warning("failed %s: %s", request.url, reason)

    def _allowed(self, url: str) -> bool:
        """The URL policy (crawler.url_policy), before any budget: a refusal is counted."""
        reason = url_policy.refusal(url, policy_of(self))
        if reason is not None:
            refuse(self.crawler, url, reason)
        return reason is None

    def _within_budget(self, url: str) -> bool:
        """Every distinct URL (a list-interface call: URL and form) counts against the
        site's page budget."""
        if not self._allowed(url):
            return False
        if url in self.requested:
            return True  # the duplicate filter drops it at no cost
        if len(self.requested) >= getattr(self, "page_budget", 2000):
            self._leave_out("pages", url)
            return False
        self.requested.add(url)
        return True

    def _leave_out(self, budget: str, url: str) -> None:
        if not self._allowed(url):
            return  # refused, not left out: the crawl is no less complete for it
        if url not in self.requested:
            self.left_out.setdefault(budget, set()).add(url)

    @property
    def budget_stops(self) -> dict[str, int]:
        """Links each budget left unfollowed (and never reached another way)."""
        return {k: len(v - self.requested) for k, v in self.left_out.items() if v - self.requested}

    def _page(self, url: str, meta: dict, candidate: bool = False) -> scrapy.Request | None:
        """A page to read: a list, or (``candidate``) a list or a document, by its content."""
        if not self._within_budget(url):
            return None
        meta = {k: meta[k] for k in _CARRIED if k in meta} | {"candidate": candidate}
        if candidate:  # may be an archived document: ask only whether it changed
            return self._fetch(url, self.parse, meta)
        return scrapy.Request(url, callback=self.parse, errback=self.failed, meta=meta)

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

    def _document(self, link: cms.Link, page_url: str, callback=None) -> scrapy.Request | None:
        if not self._within_budget(link.url):
            return None
        return self._fetch(link.url, callback or self.save_report, {"page_url": page_url, "link_text": link.text})

    # -- callbacks ---------------------------------------------------------
    def parse(self, response):
        meta = response.meta
        body = self._archived_body(response)
        if not hasattr(response, "text") and not body.lstrip().startswith(b"<"):
            if meta.get("candidate") or meta.get("start"):  # a candidate that is no page: a document after all
                self.candidates.add(response.url)
                yield self._item(response, "report")
            return
        text, _ = decode(body, response.headers.get("Content-Type", b"").decode("latin-1"))
        tree = cms.page_tree(text)
        family = self.family if self.family != "auto" else cms.cms_family(text)
        entries = cms.links(tree, response.url)
        entries += self._script_links(text, tree, response.url, entries)
        extra_pages: list[str] = []
        if family == "hanweb":
            entries += cms.hanweb_records(text, response.url)
            extra_pages += cms.hanweb_proxy_pages(text, response.url)
        if family == "trs":
            extra_pages += cms.trs_pages(text, response.url)
        refused = [e for e in entries if not self._on_site(e.url)]
        entries = [e for e in entries if self._on_site(e.url)]
        column = bool(meta.get("column")) or pages.says_column(tree)
        if meta.get("start") and not meta.get("candidate"):
            # the start page is judged like a candidate: a report's own page (its breadcrumb
            # names 年报) is kept; a portal or column page is only read
            listed = {e.url for e in entries if e.url != response.url and not is_attachment(e.url)
                      and (is_candidate(e.text) or is_subcolumn(e.text, e.url))}
            prose = pages.prose_chars(tree)
            article = is_report_link(pages.title(tree)) or (
                column and prose >= pages.PROSE_CHARS and (len(listed) < 3 or prose >= 400))
            if article:
                yield from self._article(response, tree, entries, refused)
                if len(listed) < 3 and not extra_pages:
                    return
        if meta.get("candidate"):
            if response.status == 304:  # archived before as a document, unchanged
                yield from self._article(response, tree, entries, refused)
                return
            listed = {e.url for e in entries if e.url != response.url and not is_attachment(e.url)
                      and (is_candidate(e.text) or is_subcolumn(e.text, e.url))}
            prose = pages.prose_chars(tree)
            titled = is_report_link(pages.title(tree))
            article = titled or (prose >= pages.PROSE_CHARS and (len(listed) < 3 or prose >= 400))
            listy = (len(listed) >= 3 or bool(extra_pages)
                     or (column and bool(listed) and prose < pages.PROSE_CHARS)
                     or (not article and bool(lists.script_filled(tree, text, len(listed)))))
            if article or not listy:
                yield from self._article(response, tree, entries, refused)
            if not listy or (article and not column):
                return
        article = meta.get("candidate") and article or meta.get("start") and column and bool(
            is_report_link(pages.title(tree)))
        decide = self._column if column else self._outside
        for _ in decide(refused, response.url, meta):  # what it would follow there: counted as refused
            pass
        requests = decide(entries, response.url, meta)
        found = False
        for request in requests:
            if request is not None:
                found = True
                yield request
        if column or found:
            paged = False
            for url, guessed in self._pagination(text, entries, response.url, extra_pages):
                paged = True
                request = self._page(url, dict(meta, guessed=guessed, column=column))
                if request is not None:
                    yield request
            if column and not paged and not article:
                yield from self._scripted_list(response, body, text, tree, entries, meta)

    # -- inline scripts and lists that scripts fill --------------------------
    def _script_links(self, text: str, tree, url: str, entries: list[cms.Link]) -> list[cms.Link]:
        """Links the page's inline scripts produce (the sandbox), or the literal rule."""
        known = {e.url for e in entries}
        self._engine_ran = False
        if self.script_mode == "engine":
            found, outcome = scripts.script_links(tree, url, self.script_budget)
            if outcome.scripts:  # crawl stats: pages run in the sandbox, and their time
                self.crawler.stats.inc_value("nianbao/script_pages")
                self.crawler.stats.inc_value("nianbao/script_ms", round(outcome.seconds * 1000))
            if outcome.error:
                self.logger.warning("scripts of %s: %s", url, outcome.error)
            self._engine_ran = outcome.scripts > 0 and not outcome.error
        elif self.script_mode == "rules":
            found = cms.script_attachments(text, url)
        else:
            found = []
        return [link for link in found if link.url not in known and not known.add(link.url)]

    def _scripted_list(self, response, body: bytes, text: str, tree, entries: list[cms.Link], meta: dict):
        """A column list whose documents a script loads: its CMS's list interface where it is
        a known one, else the page rendered in the browser; if neither, say so."""
        # the list's entries: candidates and the notices beside them (a stated count counts both)
        shown = sum(1 for e in entries if is_candidate(e.text) or (other_kind(label(e.text)) and year_of(e.text)))
        reason = lists.script_filled(tree, text, shown)
        if not reason:
            return
        carried = {k: meta[k] for k in _CARRIED if k in meta} | {"column": True, "list_url": response.url}
        calls = lists.trs_search(text, response.url, lists.stated(text)[0]) if self.list_interface else []
        for i, (method, url, form) in enumerate(calls):
            key = url + ("#" + "&".join(f"{k}={v}" for k, v in sorted(form.items())) if form else "")
            if not self._within_budget(key):
                continue
            self.crawler.stats.inc_value("nianbao/list_interface_calls")
            call_meta = carried | ({"fallback": True, "render_body": body,
                                    "render_type": response.headers.get("Content-Type", b"").decode("latin-1")}
                                   if i == 0 else {})
            if method == "POST":
                yield scrapy.FormRequest(url, formdata=form, callback=self.parse_listing,
                                         errback=self.listing_failed, meta=call_meta)
            else:
                yield scrapy.Request(url, callback=self.parse_listing, errback=self.listing_failed, meta=call_meta)
        if not calls:
            yield from self._render(response.url, body, response.headers.get("Content-Type", b"").decode("latin-1"),
                                    carried, reason)

    def _render(self, url: str, body: bytes, content_type: str, meta: dict, reason: str):
        if not self.can_render:
            why = "rendering is off" if not self.crawler.settings.getbool("NIANBAO_RENDER", True) else \
                "no Chromium or scrapy-playwright to render it"
            self.failures.append((url, f"list filled by script ({reason}), not read: {why}"))
            self.list_failures.append(url)
            self.logger.warning("list filled by script at %s (%s), not read: %s", url, reason, why)
            return
        self.crawler.stats.inc_value("nianbao/lists_rendered")
        yield render.render_request(url, body, content_type or "text/html", self.parse_rendered,
                                    self.failed, {k: meta[k] for k in (*_CARRIED, "list_url") if k in meta})

    def parse_listing(self, response):
        """A list interface's answer: its documents are candidates of the column."""
        meta = response.meta
        found, _total = lists.listing(response.text if hasattr(response, "text") else "", response.url)
        entries = [e for e in found if self._on_site(e.url)]
        if not entries and meta.get("fallback"):  # not the interface we took it for
            yield from self._render(meta["list_url"], meta["render_body"], meta.get("render_type", ""),
                                    meta, "the list interface answered no documents")
            return
        for request in self._column(entries, meta["list_url"], meta):
            if request is not None:
                yield request

    def listing_failed(self, failure):
        meta = failure.request.meta
        if meta.get("fallback"):  # the guessed interface is not there: the browser reads the list
            self.logger.info("list interface %s failed (%s): rendering %s", failure.request.url,
                             describe(failure), meta["list_url"])
            yield from self._render(meta["list_url"], meta["render_body"], meta.get("render_type", ""),
                                    meta, "the list interface failed")
            return
        self.failed(failure)

    async def parse_rendered(self, response):
        """The list as the browser shows it once its scripts ran, and the pages its
        click-only pager leads to."""
        meta = response.meta
        page = meta.pop("playwright_page", None)
        shown = [response.text]
        if page is not None:
            try:
                shown += await render.click_through(page, self.crawler.settings.getint("NIANBAO_RENDER_CLICKS", 50))
            finally:
                await page.close()
        for html in shown:
            tree = cms.page_tree(html)
            entries = [e for e in cms.links(tree, response.url) if self._on_site(e.url)]
            for request in self._column(entries, response.url, meta):
                if request is not None:
                    yield request
            for url, guessed in self._pagination(html, entries, response.url, []):
                request = self._page(url, dict(meta, guessed=guessed, column=True))
                if request is not None:
                    yield request

    def _column(self, entries: list[cms.Link], page_url: str, meta: dict):
        """Inside the report column: candidates, sub-columns; the fetched page decides."""
        depth = meta.get("sub_depth", 0)
        for link in entries:
            if is_attachment(link.url):
                if is_candidate(link.text) or is_report_link(link.text):
                    yield self._document(link, page_url)
                continue
            sub = is_subcolumn(link.text, link.url)
            if not (sub or is_candidate(link.text)):
                continue
            if depth >= self.max_sub_depth:
                self._leave_out("depth", link.url)
                continue
            yield self._page(link.url, {"page_url": page_url, "link_text": link.text,
                                        "column": sub or names_column(link.text) or is_report_link(link.text),
                                        "sub_depth": depth + 1,
                                        "nav_depth": meta.get("nav_depth", 0)}, candidate=True)

    def _outside(self, entries: list[cms.Link], page_url: str, meta: dict):
        """Outside the column: links titled as reports, and the way to the column."""
        depth = meta.get("nav_depth", 0)
        for link in entries:
            if not is_report_link(link.text):
                continue
            if is_attachment(link.url):
                yield self._document(link, page_url)
            else:
                yield self._page(link.url, {"page_url": page_url, "link_text": link.text,
                                            "column": True, "sub_depth": 1, "nav_depth": depth},
                                 candidate=True)
        for rank, link in towards_column(entries):
            if depth >= self.max_depth:
                self._leave_out("depth", link.url)
                continue
            yield self._page(link.url, {"page_url": page_url, "link_text": link.text,
                                        "column": rank == 2, "nav_depth": depth + 1, "sub_depth": 0},
                             candidate=rank == 2)

    def _pagination(self, text: str, entries: list[cms.Link], url: str, extra: list[str]):
        """(url, guessed) of a list's further pages, however the CMS writes them."""
        pager = [e.url for e in entries
                 if is_next_page(e.text) or (is_page_link(e.text) and cms.is_numbered(e.url))]
        ruled = [] if getattr(self, "_engine_ran", False) else cms.script_pages(text, url)  # the sandbox read them
        for page in [*extra, *pager, *ruled]:
            if cms.first_page_alias(page) not in self.requested:  # index.shtml?pageNo=1 is index.shtml
                yield page, False
        for page in cms.numbered_pages(pager, text, url):
            yield page, True

    def _article(self, response, tree, entries: list[cms.Link], refused: list[cms.Link] = ()):
        """A document page: the report itself, or the page its attachments hang from. A
        page that names another kind (a notice) is kept, its attachments are not fetched."""
        self.candidates.add(response.url)
        title = pages.title(tree)
        attachments = [link for link in entries if is_attachment(link.url)]
        if other_kind(title) or other_kind(response.meta.get("link_text")):
            attachments = []
        attachments = [a for a in attachments if not other_kind(label(a.text))]
        yield self._item(response, "page" if attachments else "report")
        for link in refused:  # attachments the policy refuses (file:, another host): counted
            if is_attachment(link.url) and not other_kind(label(link.text)):
                self._allowed(link.url)
        for link in attachments:
            request = self._document(link, response.url)
            if request is not None:
                yield request
        # a report page whose tables are pictures: the pictures go with it (role figure)
        if not attachments and is_report_link(title) and not pages.has_tables(tree):
            for url in pages.pictures(tree, response.url):
                request = self._document(cms.Link(url, ""), response.url, self.save_figure)
                if request is not None:
                    yield request

    def save_report(self, response):
        self.candidates.add(response.url)
        yield self._item(response, "report")

    def save_figure(self, response):
        yield self._item(response, "figure")

    # -- helpers -----------------------------------------------------------
    def _on_site(self, url: str) -> bool:
        """An http(s) link on the site's domains (the policy decides the rest when it is asked)."""
        where = url_policy.origin(url)
        return where is not None and url_policy.on_domains(where[0], policy_of(self).domains)

    def closed(self, reason: str) -> None:
        self.crawl_record = {
            "site": self.site_name, "crawl_id": store_for(self.crawler.settings).crawl_id,
            "run": self.crawler.settings.get("NIANBAO_RUN") or store_for(self.crawler.settings).crawl_id,
            "started": self.started, "finished": now_iso(), "finish_reason": reason,
            # a budget-bounded crawl saw less: what it missed is not withdrawn
            "complete": reason == "finished" and not self.list_failures and not self.budget_stops,
            "seen": sorted(self.seen), "failed": sorted(url for url, _ in self.failures),
            # what the site's health record counts (archive/build/health.py)
            **counts_of(self.crawler), "errors": len(self.failures), "challenges": len(self.challenges),
            "list_failures": len(self.list_failures), "budget_stops": dict(self.budget_stops),
            "refused": {why: sorted(urls) for why, urls in sorted(self.refused.items())},
        }
        store_for(self.crawler.settings).record_crawl(self.site_name, self.crawl_record)

    def record_again(self, extra: dict) -> None:
        """The crawl record with what was judged after it was written (crawler.monitors)."""
        self.crawl_record = {**self.crawl_record, **extra}
        store_for(self.crawler.settings).record_crawl(self.site_name, self.crawl_record)

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
