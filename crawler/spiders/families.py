"""Thin spiders per CMS family; ``site`` reads the family from the registry."""

from crawler.spiders.base import ReportSpider


class TrsSpider(ReportSpider):
    """TRS WCM: index.shtml lists, createPageHTML pagination, tYYYYMMDD_N.shtml details."""

    name = "trs"
    family = "trs"


class HanwebSpider(ReportSpider):
    """Hanweb/大汉: <datastore> record lists and dataproxy.jsp pagination."""

    name = "hanweb"
    family = "hanweb"


class GenericSpider(ReportSpider):
    """Any site: from the root or the disclosure portal to the 年报 column, and no further."""

    name = "generic"
    family = "generic"


class SiteSpider(ReportSpider):
    """A site of the registry by name: scrapy crawl site -a site=chengyang."""

    name = "site"
