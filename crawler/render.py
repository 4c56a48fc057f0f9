"""List pages that scripts fill, rendered in a real headless Chromium (scrapy-playwright).

A rendered page is a normal Scrapy Request (``meta["playwright"]``), so the downloader
middlewares — the URL policy among them — apply to it. The page is not fetched a second
time: its document is served to the browser from the bytes the crawl already has. Every
request the page's scripts make (a list interface, a script file) on its own host is turned
into a Scrapy Request too (policy, page budget, politeness and the WARC apply); images,
fonts, styles and anything on another host are refused, and the browser has no network of
its own (NO_NETWORK). The browser starts on the first page that needs it, not with every crawl.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import os
import shutil
from urllib.parse import urlparse

import scrapy
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

RESOURCES = ("document", "xhr", "fetch", "script")  # what a list's scripts may load
# The browser itself never reaches the network: every request a page makes is routed
# (page_init) through Scrapy and the URL policy, or refused. What routes do not see — a
# WebSocket, a WebRTC candidate, a DNS lookup of a hostile name — goes to a proxy that does
# not resolve, through no name resolution at all: a rendered page's script opening
# ws://10.0.0.1/ or ws://127.0.0.1:6379/ connects nowhere (tests/test_security.py).
NO_NETWORK = ["--proxy-server=http://no-network.invalid:1", "--proxy-bypass-list=<-loopback>",
              "--host-resolver-rules=MAP * ~NOTFOUND", "--force-webrtc-ip-handling-policy=disable_non_proxied_udp"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-extensions", "--disable-sync", "--no-first-run", "--mute-audio",
                 "--disable-component-update", "--disable-default-apps",
                 *NO_NETWORK]


def chromium() -> str | None:
    """The system's Chromium (NIANBAO_CHROMIUM, else chromium on PATH): Playwright's own
    browser download is not used."""
    named = os.environ.get("NIANBAO_CHROMIUM")
    if named:
        return named if os.path.exists(named) else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def available() -> bool:
    return importlib.util.find_spec("scrapy_playwright") is not None and chromium() is not None


def render_request(url: str, body: bytes, content_type: str, callback, errback, meta: dict,
                   wait_ms: int = 10000) -> scrapy.Request:
    """A request that renders ``url`` from ``body`` (the page as fetched) and waits until
    its scripts have stopped loading."""
    from scrapy_playwright.page import PageMethod

    host = urlparse(url).hostname or ""
    return scrapy.Request(url, callback=callback, errback=errback, dont_filter=True, meta={
        **meta, "playwright": True, "nianbao_render_body": body, "nianbao_render_type": content_type,
        "download_slot": f"{host}#render",  # its own slot: the page's own requests must not wait on it
        "playwright_page_methods": [PageMethod("wait_for_load_state", "networkidle", timeout=wait_ms)],
        "playwright_include_page": True,  # the callback pages through a pager drawn for clicks
    })


_FIND_NEXT = """() => {
  const words = /^(下一页|下页|后页|>|›|»|next)$/i;
  document.querySelectorAll("[data-nianbao-next]").forEach(e => e.removeAttribute("data-nianbao-next"));
  for (const el of document.querySelectorAll("a, button, span, li, input[type=button]")) {
    const text = (el.textContent || el.value || "").trim();
    const href = (el.getAttribute("href") || "").trim();
    if (words.test(text) && (!href || href === "#" || href.startsWith("javascript"))) {
      el.setAttribute("data-nianbao-next", "1");
      return true;
    }
  }
  return false;
}"""


async def click_through(page, limit: int, wait_ms: int = 10000) -> list[str]:
    """The list's further pages where its pager is drawn for clicks (下一页 with no link):
    click it, let the page's scripts load, keep the DOM; stop when nothing changes."""
    seen = [await page.content()]
    for _ in range(limit):
        if not await page.evaluate(_FIND_NEXT):
            break
        before = await page.evaluate("() => document.body ? document.body.innerHTML : ''")
        try:
            await page.click("[data-nianbao-next]", timeout=wait_ms)
            # the load state is already reached: wait for the list to change, then for quiet
            await page.wait_for_function("(b) => document.body && document.body.innerHTML !== b",
                                         arg=before, timeout=wait_ms)
            await page.wait_for_load_state("networkidle", timeout=wait_ms)
        except Exception:  # a control that does nothing, a timeout: what was seen stays
            break
        html = await page.content()
        if html == seen[-1]:
            break
        seen.append(html)
    return seen[1:]


async def page_init(page, request, crawler) -> None:
    """Route everything the page loads: its document from the crawl's bytes, its own-host
    scripts and data requests through Scrapy, the rest refused."""
    from scrapy.utils.defer import maybe_deferred_to_future

    url, host = request.url, urlparse(request.url).hostname
    body = request.meta.pop("nianbao_render_body", b"")
    content_type = request.meta.get("nianbao_render_type") or "text/html"
    spider = crawler.spider

    async def route(r) -> None:
        asked = r.request
        if asked.url.split("#")[0] == url and asked.is_navigation_request():
            await r.fulfill(status=200, headers={"content-type": content_type}, body=body)
            return
        if asked.resource_type not in RESOURCES or urlparse(asked.url).hostname != host:
            await r.abort()
            return
        post = asked.post_data_buffer or b""
        within = getattr(spider, "_within_budget", None)
        if within is not None and not within(asked.url + ("#" + post.decode("latin-1") if post else "")):
            await r.abort()
            return
        headers = {k: v for k, v in asked.headers.items()
                   if k.lower() in ("content-type", "accept", "x-requested-with", "referer")}
        sub = scrapy.Request(asked.url, method=asked.method, body=post, headers=headers, dont_filter=True,
                             meta={"nianbao_rendered_for": url, "dont_redirect": False})
        try:
            response = await maybe_deferred_to_future(crawler.engine.download(sub))
        except Exception:  # refused by the URL policy, failed, timed out: the page goes without
            await r.abort()
            return
        answer = {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        answer.pop("content-encoding", None)
        answer.pop("content-length", None)
        await r.fulfill(status=response.status, headers=answer, body=response.body)

    await page.route("**/*", route)


class RenderHandler(HTTP11DownloadHandler):
    """Plain HTTP for every request; the rendered ones go to scrapy-playwright's handler,
    created (and Chromium started, with the routing of ``page_init``) on the first page
    that needs it, so a crawl without scripted lists never loads Playwright."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler=crawler)
        self._crawler_ref = crawler
        self._browser = None
        self._starting = asyncio.Lock()

    async def _playwright(self):
        async with self._starting:
            if self._browser is None:
                from scrapy import signals
                from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

                handler = ScrapyPlaywrightDownloadHandler(self._crawler_ref)
                for starter in ("_maybe_launch_in_thread", "_engine_started"):  # started here, now
                    self._crawler_ref.signals.disconnect(getattr(handler, starter), signals.engine_started)
                options = dict(handler.config.launch_options)
                options.setdefault("headless", True)
                options.setdefault("args", CHROMIUM_ARGS)
                if chromium() and "executable_path" not in options:
                    options["executable_path"] = chromium()
                handler.config.launch_options = options
                await handler._launch()
                self._browser = handler
        return self._browser

    async def download_request(self, request):
        if request.meta.get("playwright"):
            handler = await self._playwright()
            request.meta["playwright_page_init_callback"] = functools.partial(page_init, crawler=self._crawler_ref)
            return await handler.download_request(request)
        return await super().download_request(request)

    async def close(self) -> None:
        if self._browser is not None:
            await self._browser.close()
        await super().close()
