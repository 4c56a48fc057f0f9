"""Lists whose documents a script loads, and the CMS list interfaces that serve them.

A TRS 年报 column may print its ten newest reports and load the rest from the site's search
interface into an ``ms-repeat`` template; other sites print an empty ``v-for`` list and a
pager. Such a list is recognised by its content (a bound list template with no items, or a
stated count above what the page shows), then read through the CMS's interface where it is
a known one (TRS ``fjdzapp/search`` and ``was5/web/search``, channel from
``<meta name="ChnlId">``), else rendered in a browser (crawler/render.py).
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import urlencode, urljoin

from lxml import etree

from crawler.cms import Link
from parsers.labels import clean

# attributes that repeat an element over a script's data, in the view libraries CMS templates use
REPEAT_ATTRS = ("ms-repeat", "ms-for", "v-for", "x-for", "ng-repeat", "data-ng-repeat", "wx:for", "th:each")
BOUND_HREF = ("ms-attr-href", ":href", "v-bind:href", "ng-href", "x-bind:href", "data-href", "data-bind")
TEMPLATE_TYPES = ("text/html", "text/template", "text/x-template", "text/x-handlebars-template",
                  "text/x-jsrender", "text/x-tmpl", "text/x-dot-template", "text/x-art-template")
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\$\{.*?\}|<%.*?%>|\{@.*?\}")
_COUNT = re.compile(
    r"""\b(?:recordCount|totalRecord|recordTotal|totalCount|total_count|totalNum|docCount)\s*["']?\s*[:=]\s*["']?(\d+)"""
    r"|共\s*(\d+)\s*条",
    re.I,
)
_PAGES = re.compile(r"""\b(?:pageCount|totalPage|totalPages|countPage|page_count)\s*["']?\s*[:=]\s*["']?(\d+)"""
                    r"|共\s*(\d+)\s*页", re.I)


def list_template(tree: etree._Element | None) -> str:
    """The kind of script-bound list template holding links, if the page has one
    (``ms-repeat``, ``v-for`` …, or a ``<script type="text/html">`` template)."""
    if tree is None:
        return ""
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        attr = next((a for a in REPEAT_ATTRS if el.get(a) is not None), None)
        if attr is None:
            continue
        for a in el.iter("a"):
            href = a.get("href") or ""
            if any(a.get(b) is not None for b in BOUND_HREF) or _PLACEHOLDER.search(href):
                return attr
    for el in tree.iter("script", "template"):
        kind = (el.get("type") or "").lower()
        body = el.text or "" if el.tag == "script" else etree.tostring(el, encoding="unicode")
        if (el.tag == "template" or kind in TEMPLATE_TYPES) and "<a" in body and _PLACEHOLDER.search(body):
            return kind or "template"
    return ""


def stated(text: str) -> tuple[int, int]:
    """(documents, pages) the page says its list holds, 0 where it says nothing."""
    plain = re.sub(r"<[^>]+>|&nbsp;", " ", text)
    docs = _COUNT.search(text) or _COUNT.search(plain)
    pages = _PAGES.search(text) or _PAGES.search(plain)
    return _number(docs), _number(pages)


def _number(m: re.Match | None) -> int:
    return int(next(g for g in m.groups() if g)) if m else 0


def script_filled(tree: etree._Element | None, text: str, shown: int) -> str:
    """Why this list's documents are loaded by script ("" when the page shows them all):
    a bound template and nothing listed, or a count above what the page shows."""
    template = list_template(tree)
    docs, pages = stated(text)
    if template and not shown:
        return f"a {template} list template with no items"
    if docs > shown and (template or "<script" in text.lower()):
        return f"{docs} documents stated, {shown} in the page"
    if template and pages > 1:
        return f"a {template} list template over {pages} pages"
    return ""


# -- TRS search interface (WCM's WAS / 福建 digital-government search) -------------
_CHNL_META = re.compile(r"""<meta\s+name=["']ChnlId["']\s+content=["'](\d+)["']""", re.I)
_CHNL_SQL = re.compile(r"chnlid\s*=\s*(\d+)", re.I)
_SEARCH_ID = re.compile(r"""\b(?:searchId|channelid|channelId)\s*["']?\s*[:=]\s*["']?(\d{3,})""")
_PREPAGE = re.compile(r"""\bprepage\s*["']?\s*[:=]\s*["']?(\d+)""", re.I)
PER_REQUEST = 100  # documents asked for in one call: a column of a few hundred in a few calls


def trs_search(text: str, url: str, count: int) -> list[tuple[str, str, dict[str, str]]]:
    """(method, url, form) of the search-interface calls that list the channel's documents;
    [] when the page does not name its channel and search channel."""
    chnl = _CHNL_META.search(text) or _CHNL_SQL.search(text)
    search = _SEARCH_ID.search(text)
    if not chnl or not search:
        return []
    form = {"channelid": search.group(1), "classsql": f"chnlid={chnl.group(1)}",
            "sortfield": "-docorderpri,-docreltime", "prepage": str(PER_REQUEST)}
    calls = max(1, math.ceil(count / PER_REQUEST)) if count else 1
    if "was5" in text:
        endpoint = urljoin(url, "/was5/web/search")
        return [("GET", f"{endpoint}?{urlencode(dict(form, templet='docs.jsp', page=str(p)))}", {})
                for p in range(1, calls + 1)]
    endpoint = urljoin(url, "/fjdzapp/search")
    return [("POST", endpoint, dict(form, page=str(p))) for p in range(1, calls + 1)]


_URL_KEYS = ("chnldocurl", "docpuburl", "docurl", "url", "link", "href", "puburl")
_TITLE_KEYS = ("doctitle", "title", "title2", "name", "docname", "subject")
_TOTAL_KEYS = ("count", "total", "recordcount", "totalcount", "totalrecord")


def _loads(text: str):
    try:
        return json.loads(text)
    except ValueError:
        pass
    fixed = re.sub(r"(?<=[:\[,])\s*'([^'\\]*)'", lambda m: json.dumps(m.group(1)), text)  # was5's quoting
    try:
        return json.loads(fixed)
    except ValueError:
        return None


def listing(text: str, base: str) -> tuple[list[Link], int]:
    """The documents a list interface answered (any JSON whose objects carry a URL and a
    title under the names CMSs use), and the total it states (0 if none)."""
    data = _loads(text.strip())
    out: list[Link] = []
    total = 0

    def walk(node, depth: int = 0) -> None:
        nonlocal total
        if depth > 6:
            return
        if isinstance(node, dict):
            low = {str(k).lower(): v for k, v in node.items()}
            href = next((low[k] for k in _URL_KEYS if isinstance(low.get(k), str) and low[k].strip()), None)
            title = next((low[k] for k in _TITLE_KEYS if isinstance(low.get(k), str) and low[k].strip()), None)
            if href and title:
                out.append(Link(urljoin(base, href.strip()), clean(re.sub(r"<[^>]+>", "", title))))
                return
            for k in _TOTAL_KEYS:
                if not total and str(low.get(k, "")).isdigit():
                    total = int(low[k])
            for v in node.values():
                walk(v, depth + 1)
        elif isinstance(node, list):
            for v in node[:2000]:
                walk(v, depth + 1)

    walk(data)
    return out, total
