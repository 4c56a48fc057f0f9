"""Every document item goes to the archive at once: nothing found is lost if the crawl dies."""

from __future__ import annotations

from crawler.items import DocumentItem
from crawler.store import Fetch, now_iso
from crawler.stores import store_for


class ArchivePipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.store = store_for(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: DocumentItem, spider=None):
        if item["body"] is None:  # revalidated: the archived bytes stand
            digest, size = item["sha256"], item["size"]
            self.crawler.stats.inc_value("nianbao/not_modified")
        else:
            digest, size = self.store.put_blob(item["body"]), len(item["body"])
        warc = item.get("warc") or (None, None)
        self.store.record(Fetch(
            url=item["url"], sha256=digest, size=size, status=item["status"],
            content_type=item.get("content_type") or "", fetched_at=now_iso(), role=item["role"],
            page_url=item.get("page_url"), link_text=item.get("link_text"), site=item.get("site"),
            headers=item.get("headers") or {}, warc_file=warc[0], warc_offset=warc[1],
        ))
        self.crawler.stats.inc_value(f"nianbao/{item['role']}s")
        return item
