"""The baseline: a CrawlSpider that follows every on-site link (what one writes first)."""

from __future__ import annotations

from urllib.parse import urlparse

from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

from crawler.links import is_attachment


class FollowEverything(CrawlSpider):
    name = "follow_everything"
    rules = (Rule(LinkExtractor(deny_extensions=[]), callback="keep", follow=True),)

    def __init__(self, url: str = "", **kwargs) -> None:
        self.start_urls = [url]
        self.allowed_domains = [urlparse(url).hostname or ""]
        super().__init__(**kwargs)

    def keep(self, response):
        if is_attachment(response.url) or b"<table" in response.body[:200000]:
            yield {"url": response.url}
