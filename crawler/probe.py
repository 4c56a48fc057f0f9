"""Probe a registry entry without crawling it: does its start URL answer, may we fetch
it, which CMS is it, where is the report column, how many candidates does it list.

An operator adding districts to ``sites.csv`` wants to know which entries work before a
full crawl; a handful of requests per site answers that. The decisions are the
spider's own (``crawler.links``, ``crawler.pages``, ``crawler.cms``), so what the probe
finds is what a crawl would start from.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin, urlparse

from crawler import cms, pages, url_policy
from crawler.links import is_attachment, is_candidate, is_report_link, towards_column
from crawler.registry import SiteEntry
from crawler.settings import BOT_NAME, USER_AGENT
from parsers.encoding import decode

TIMEOUT = 15.0
_AGENT = USER_AGENT.encode("utf-8").decode("latin-1")
MAX_NAV = 3  # navigation levels from the start page to the column, as the spider
MAX_PAGES = 8  # pages a probe may fetch (robots.txt aside)


@dataclass
class Probe:
    site: str
    start_url: str
    status: int | None = None  # of the start URL, after redirects
    redirects: list[str] = field(default_factory=list)
    robots: str = ""  # allowed | disallowed | none (no robots.txt) | unreachable
    cms: str = ""
    column_url: str = ""
    column_depth: int | None = None  # navigation levels from the start page
    candidates: int = 0  # report candidates on the column's first page
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.column_url) and self.candidates > 0

    def line(self) -> str:
        if self.error:
            return f"{self.site:<16} FAIL  {self.error}"
        hops = f" via {len(self.redirects)} redirect(s)" if self.redirects else ""
        column = (f"column {self.column_url} (level {self.column_depth})" if self.column_url
                  else "no 年报 column found")
        return (f"{self.site:<16} {'ok  ' if self.ok else 'WARN'}  HTTP {self.status}{hops}  "
                f"robots {self.robots}  cms {self.cms}  {column}  candidates {self.candidates}")

    def to_dict(self) -> dict:
        return asdict(self) | {"ok": self.ok}


class Refused(ValueError):
    """A URL the crawler's URL policy refuses (crawler.url_policy)."""


class _Redirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, policy: url_policy.Policy) -> None:
        self.chain: list[str] = []
        self.policy = policy

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        reason = url_policy.refusal(newurl, self.policy)
        if reason is not None:
            raise Refused(f"redirect to {newurl} refused ({reason})")
        self.chain.append(f"{code} {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(redirects: _Redirects) -> urllib.request.OpenerDirector:
    """http and https only: urllib's default opener also reads file:, ftp: and data: URLs."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(), redirects,
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _get(url: str, timeout: float, policy: url_policy.Policy | None = None) -> tuple[int, str, bytes, str, list[str]]:
    """(status, final url, body, content type, redirects) of one GET the policy allows."""
    policy = policy or url_policy.policy_for([url])
    reason = url_policy.refusal(url, policy)
    if reason is not None:
        raise Refused(f"{url} refused ({reason})")
    redirects = _Redirects(policy)
    opener = _opener(redirects)
    # the same bytes Scrapy sends: the User-Agent's Chinese words as UTF-8
    request = urllib.request.Request(url, headers={"User-Agent": _AGENT})
    try:
        with opener.open(request, timeout=timeout) as r:
            return r.status, r.geturl(), r.read(8 * 2**20), r.headers.get("Content-Type", ""), redirects.chain
    except urllib.error.HTTPError as e:
        return e.code, url, e.read(), e.headers.get("Content-Type", ""), redirects.chain


def _robots(url: str, timeout: float) -> tuple[str, urllib.robotparser.RobotFileParser | None]:
    robots_url = urljoin(url, "/robots.txt")
    try:
        status, _, body, _, _ = _get(robots_url, timeout)
    except (OSError, ValueError):
        return "unreachable", None
    if status >= 400:
        return "none", None
    parser = urllib.robotparser.RobotFileParser(robots_url)
    parser.parse(body.decode("utf-8", "replace").splitlines())
    return ("allowed" if parser.can_fetch(BOT_NAME, url) else "disallowed"), parser


def probe(entry: SiteEntry, timeout: float = TIMEOUT) -> Probe:
    """A few requests: robots.txt, the start page, the way to the column (at most 3 hops)."""
    url = entry.start_urls[0] if entry.start_urls else ""
    result = Probe(entry.name, url)
    if not url:
        result.error = "no start URL in the registry"
        return result
    policy = url_policy.policy_for(list(entry.start_urls))
    reason = url_policy.refusal(url, policy)
    if reason is not None:
        result.error = f"start URL refused ({reason}): {url}"
        return result
    result.robots, parser = _robots(url, timeout)
    if result.robots == "disallowed":
        result.error = f"robots.txt forbids {url}"
        return result
    try:
        status, final, body, content_type, result.redirects = _get(url, timeout, policy)
    except (OSError, ValueError) as e:
        result.error = f"start URL unreachable: {getattr(e, 'reason', e)}"
        return result
    result.status = status
    if status >= 400:
        result.error = f"start URL answered HTTP {status}"
        return result
    text, _ = decode(body, content_type)
    result.cms = cms.cms_family(text)
    host = urlparse(final).hostname
    seen, queue, fetched = {url, final}, [(0, final, text)], 1
    while queue:  # breadth first over the links towards the column, as the spider goes
        depth, page_url, text = queue.pop(0)
        tree = cms.page_tree(text)
        entries = [e for e in cms.links(tree, page_url)
                   if urlparse(e.url).hostname == host and url_policy.refusal(e.url, policy) is None]
        if result.cms == "hanweb":
            entries += cms.hanweb_records(text, page_url)
        if pages.says_column(tree):
            result.column_url, result.column_depth = page_url, depth
            result.candidates = len({e.url for e in entries
                                     if is_candidate(e.text) or is_report_link(e.text)})
            return result
        for _, link in towards_column(entries):
            if (depth == MAX_NAV or link.url in seen or is_attachment(link.url)
                    or fetched >= MAX_PAGES or (parser and not parser.can_fetch(BOT_NAME, link.url))):
                continue
            seen.add(link.url)
            fetched += 1
            try:
                status, final, body, content_type, _ = _get(link.url, timeout, policy)
            except (OSError, ValueError) as e:
                result.error = f"{link.url} unreachable: {getattr(e, 'reason', e)}"
                return result
            if status < 400:
                queue.append((depth + 1, final, decode(body, content_type)[0]))
    return result
