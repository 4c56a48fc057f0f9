"""Spidermon's checks of one site's crawl, run as it closes; their verdicts go into the
crawl record (``monitors``: check -> why it failed), where the build's health table
(archive/build/health.py) reads them beside the trend of the site's earlier crawls.

What one crawl can judge by itself is judged here, by Spidermon (SPIDERMON_* settings in
crawler/settings.py): it finished, it fetched something, its list pages were read, no
budget stopped it, no anti-bot challenge blocked it. What needs the earlier crawls and the
parse (fewer reports than before, failed N runs in a row) is the build's.
"""

from __future__ import annotations

from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import FinishReasonMonitor
from spidermon.core.actions import Action

from crawler.extensions import counts_of


@monitors.name("crawl")
class CrawlMonitor(Monitor):
    """What the spider saw (crawler.spiders.base.ReportSpider's own accounts)."""

    @monitors.name("fetched")
    def test_fetched_something(self):
        """A worker of a distributed crawl may rightly fetch nothing: the others did."""
        if self.data.crawler.settings.get("REDIS_URL"):
            self.skipTest("a worker of a distributed crawl")
        self.assertGreater(counts_of(self.data.crawler)["pages"], 0, "no page could be fetched")

    @monitors.name("list_pages")
    def test_list_pages_read(self):
        failed = list(getattr(self.data.spider, "list_failures", []))
        self.assertFalse(failed, f"{len(failed)} list page(s) could not be read, first {failed[:1]}")

    @monitors.name("budget")
    def test_no_budget_reached(self):
        stops = dict(getattr(self.data.spider, "budget_stops", {}))
        self.assertFalse(stops, "budget reached: " + ", ".join(f"{k} ({n} links not followed)"
                                                                 for k, n in sorted(stops.items())))

    @monitors.name("challenges")
    def test_no_challenge(self):
        seen = list(getattr(self.data.spider, "challenges", []))
        self.assertFalse(seen, f"{len(seen)} anti-bot challenge(s), first {seen[:1]}")


class RecordVerdicts(Action):
    """The failed checks, by name, into the site's crawl record (the spider wrote it as it
    closed; Spidermon's own signal handler runs after)."""

    def run_action(self):
        spider = self.data.spider
        verdicts = {r.monitor.name: r.reason for r in self.result.monitors_failed_results}
        spider.monitor_verdicts = verdicts
        record_again = getattr(spider, "record_again", None)
        if record_again is not None:
            record_again({"monitors": verdicts})


class CrawlHealth(MonitorSuite):
    monitors = [FinishReasonMonitor, CrawlMonitor]
    monitors_finished_actions = [RecordVerdicts]
