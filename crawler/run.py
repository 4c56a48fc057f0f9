"""Run spiders in-process (the nianbao CLI) and report per site."""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.extensions import counts_of
from crawler.spiders.base import ReportSpider
from crawler.spiders.families import GenericSpider, HanwebSpider, SiteSpider, TrsSpider
from crawler.stores import close_all

SPIDERS = {"trs": TrsSpider, "hanweb": HanwebSpider, "generic": GenericSpider, "auto": ReportSpider}


@dataclass
class SiteRun:
    site: str
    pages: int = 0
    documents: int = 0
    candidates: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    list_failures: list[str] = field(default_factory=list)
    finish_reason: str = ""
    budget_stops: dict[str, int] = field(default_factory=dict)  # what a budget left out
    refused: dict[str, int] = field(default_factory=dict)  # URLs the URL policy refused, per reason


@dataclass
class Target:
    """One crawl: a registry site by name, or a start URL."""

    site: str | None = None
    url: str | None = None
    cms: str = "auto"
    name: str | None = None


def settings_for(archive: str, overrides: dict | None = None):
    settings = get_project_settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("NIANBAO_ARCHIVE", archive, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def crawl(targets: list[Target], archive: str, overrides: dict | None = None,
          sites_file: str | None = None) -> list[SiteRun]:
    """Crawl the targets concurrently (one spider each) into the archive folder."""
    settings = settings_for(archive, overrides)
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    for t in targets:
        if t.site:
            cls, kwargs = SiteSpider, {"site": t.site, "sites": sites_file}
        else:
            cls, kwargs = SPIDERS.get(t.cms, ReportSpider), {"url": t.url, "site_name": t.name}
        crawler = process.create_crawler(cls)
        crawlers.append(crawler)
        process.crawl(crawler, **kwargs)
    process.start()
    close_all()
    runs = []
    for crawler in crawlers:
        spider, stats = crawler.spider, crawler.stats
        counts = counts_of(crawler)
        runs.append(SiteRun(
            site=getattr(spider, "site_name", "?"),
            pages=counts["pages"], documents=counts["documents"], candidates=counts["candidates"],
            budget_stops=dict(getattr(spider, "budget_stops", {})),
            refused={reason: len(urls) for reason, urls in sorted(getattr(spider, "refused", {}).items())},
            errors=list(getattr(spider, "failures", [])),
            challenges=list(getattr(spider, "challenges", [])),
            list_failures=list(getattr(spider, "list_failures", [])),
            finish_reason=stats.get_value("finish_reason", ""),
        ))
    return runs
