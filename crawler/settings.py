"""Scrapy settings: polite by default (robots.txt, per-domain delay, AutoThrottle)."""

import os

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

CONTACT = os.environ.get("NIANBAO_CONTACT", "https://github.com/nianbao/nianbao")
USER_AGENT = f"nianbao/0.1 (+{CONTACT}; archive of 政府信息公开工作年度报告)"

ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = float(os.environ.get("NIANBAO_DOWNLOAD_DELAY", "1.0"))
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 60 * 1024 * 1024
REDIRECT_MAX_TIMES = 5

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
BACKOFF_MAX_DELAY = 60.0

# the address a name resolves to is checked again when the connection is made
TWISTED_DNS_RESOLVER = "crawler.resolver.CheckedResolver"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.UrlPolicyMiddleware": 40,  # every request, start URLs and redirects too
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.ChallengeMiddleware": 560,
    "crawler.middlewares.RedirectPolicyMiddleware": 640,
    "crawler.middlewares.RedirectLoopMiddleware": 650,
    "crawler.middlewares.WarcMiddleware": 890,
}
ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}
EXTENSIONS = {"crawler.extensions.Progress": 500, "spidermon.contrib.scrapy.extensions.Spidermon": 510}
# Spidermon judges each site's crawl as it closes (crawler/monitors.py); verdicts go in the crawl record
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["crawler.monitors.CrawlHealth"]
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished"]

NIANBAO_ARCHIVE = os.environ.get("NIANBAO_ARCHIVE", "nianbao.archive")
NIANBAO_PROGRESS_INTERVAL = 5.0

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("NIANBAO_LOG_LEVEL", "INFO")

# Inline scripts run in an embedded QuickJS sandbox (crawler/scripts.py): "engine", or
# "rules" for the regular expressions alone; seconds a page's scripts may take in all.
NIANBAO_SCRIPTS = os.environ.get("NIANBAO_SCRIPTS", "engine")
NIANBAO_SCRIPT_BUDGET = 0.5
# Lists that scripts fill: read the CMS's list interface where it is a known one, else
# render the page in the system Chromium (crawler/render.py, scrapy-playwright).
NIANBAO_LIST_INTERFACE = True
NIANBAO_RENDER = True
# http and https only: a page linking file:///etc/passwd, ftp://, s3:// or data: gets nothing
# (crawler/url_policy.py refuses them first; without a handler Scrapy could not fetch them anyway)
DOWNLOAD_HANDLERS = {"http": "crawler.render.RenderHandler", "https": "crawler.render.RenderHandler",
                     "file": None, "ftp": None, "s3": None, "data": None}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20000
