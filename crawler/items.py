"""What the spiders hand to the archive pipeline."""

from __future__ import annotations

import scrapy


class DocumentItem(scrapy.Item):
    url = scrapy.Field()
    body = scrapy.Field()  # None when the server answered 304 Not Modified
    sha256 = scrapy.Field()  # of the archived bytes, for a 304
    size = scrapy.Field()
    status = scrapy.Field()
    headers = scrapy.Field()  # dict[str, str]
    content_type = scrapy.Field()
    role = scrapy.Field()  # report | page (links the report) | figure (a report page's picture)
    page_url = scrapy.Field()
    link_text = scrapy.Field()
    site = scrapy.Field()
    warc = scrapy.Field()  # (file, offset) of the WARC response record
