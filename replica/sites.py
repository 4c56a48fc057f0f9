"""What a replica site is: resources by URL, plus the reports it is known to hold.

A Site is mutable while it is served (``put``/``remove``) so that a test can
publish, change or withdraw a report between two crawls. ``expected`` is the
ground truth a crawl of the site is judged against.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

FAULTS = (None, "timeout", "reset", "error500", "redirect_loop")


@dataclass
class Resource:
    """One response. ``fault`` spoils the first ``fail_times`` requests (0: all of them)."""

    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None
    fail_times: int = 0
    delay: float = 5.0  # seconds the "timeout" fault stalls before closing
    modified: float = field(default_factory=lambda: float(int(time.time())))
    faults_served: int = field(default=0, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; one of {FAULTS}")


# A dynamic resource: request parameters (query and form body merged) -> response.
Handler = Callable[[dict[str, str]], Resource]


@dataclass(frozen=True)
class ExpectedReport:
    """An annual report the site holds, as a parser should read it.

    ``path`` is the document the cells come from (the detail page for an inline
    HTML report, else the attachment); ``page_path`` is the list page linking it.
    ``agency`` is the agency the document itself names; ``template`` is "2019",
    "2021" or "legacy" (a pre-2019 report with no standard tables).
    """

    path: str
    agency: str
    year: int
    template: str
    fmt: str  # html | pdf | docx | doc
    page_path: str
    title: str = ""  # link text on the list page
    date: str = ""  # date shown on the list page
    detail_path: str = ""  # the article page linking an attachment ("" if none)
    cells: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Site:
    """A replica of one district site, served on 127.0.0.<host_index>."""

    name: str
    cms: str  # trs | hanweb | generic
    agency: str
    host_index: int
    resources: dict[str, Resource]
    expected: list[ExpectedReport]
    list_path: str = "/"  # the annual-report column
    start_path: str = ""  # where an operator would start the crawl ("" = / for generic sites)
    list_pages: list[str] = field(default_factory=list)  # every page of that column
    distractors: list[str] = field(default_factory=list)  # listed there, not reports
    disallowed: list[str] = field(default_factory=list)  # robots.txt forbids; never fetch
    handlers: dict[str, Handler] = field(default_factory=dict)
    latency: float = 0.0  # seconds added before every answer
    charset: str = "utf-8"
    server_header: str = "nginx"
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def start(self) -> str:
        """The generic crawler starts at the root unless told otherwise; TRS and Hanweb
        crawls start at the report column."""
        return self.start_path or ("/" if self.cms == "generic" else self.list_path)

    def put(self, path: str, resource: Resource) -> None:
        """Publish or replace; a changed body gets a later Last-Modified than the old one."""
        with self._lock:
            old = self.resources.get(path)
            if old is not None and old.body != resource.body and resource.modified <= old.modified:
                resource.modified = old.modified + 1
            self.resources[path] = resource

    def remove(self, path: str) -> None:
        with self._lock:
            self.resources.pop(path, None)

    def lookup(self, path: str, query: str, params: dict[str, str]) -> Resource | None:
        """Exact path+query, then a dynamic handler, then the path alone."""
        with self._lock:
            exact = self.resources.get(f"{path}?{query}") if query else None
            handler = self.handlers.get(path)
            plain = self.resources.get(path)
        if exact is not None:
            return exact
        if handler is not None:
            return handler(params)
        return plain
