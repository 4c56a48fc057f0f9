"""What CMS families print: list entries, hidden pagination, attachment links.

Each function takes a decoded page (lxml tree + its URL) and returns plain
values; the spiders decide what to fetch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import lxml.html
from lxml import etree

from parsers.labels import clean


@dataclass(frozen=True)
class Link:
    url: str
    text: str


def page_tree(text: str) -> etree._Element | None:
    try:
        return lxml.html.document_fromstring(text) if text.strip() else None
    except (etree.ParserError, ValueError):
        return None


def links(tree: etree._Element | None, base: str) -> list[Link]:
    """Every <a href> with its text (or title, which TRS lists use for long titles)."""
    if tree is None:
        return []
    out = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        text = clean(a.text_content()) or clean(a.get("title") or "")
        title = clean(a.get("title") or "")
        if title and len(title) > len(text):  # lists truncate long titles with …
            text = title
        out.append(Link(urljoin(base, href), text))
    return out


# -- TRS WCM ---------------------------------------------------------------
_CREATE_PAGE = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']""")


def trs_pages(text: str, url: str) -> list[str]:
    """index_1.shtml … named only in createPageHTML(total, current, "index", "shtml")."""
    m = _CREATE_PAGE.search(text)
    if not m:
        return []
    total, _current, prefix, ext = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
    return [urljoin(url, f"{prefix}_{i}.{ext}") for i in range(1, min(total, 500))]


# -- pagination other CMSs write ----------------------------------------------
_COUNT = re.compile(
    r"""\b(?:countPage|pageCount|totalPage|totalPages|page_count|pageTotal|pageSize_total|maxPage)\s*[=:]\s*['"]?(\d+)""",
    re.I,
)
_SCRIPT_HREF = re.compile(
    r"""["']([\w./?&=-]*?)["']\s*\+\s*\(?\s*[A-Za-z_$][\w$]*\s*(?:\+\s*(\d+)\s*)?\)?\s*\+\s*["']([\w.]*)["']"""
)
_PAGE_IN_URL = re.compile(
    r"(?:(?<=[_/])(?:index|list|default|more)?_?(\d{1,3})\.(?:s?html?|jsp|aspx?|php)$)"
    r"|(?:[?&](?:page|cur_page|curpage|pageno|pagenum|pageindex|currentpage|pn|p)=(\d{1,3})(?:&|$))",
    re.I,
)
_TOTAL_PAGES = re.compile(r"共\s*(\d{1,3})\s*页|第\s*\d{1,3}\s*页\s*/\s*共?\s*(\d{1,3})\s*页|\d{1,3}\s*/\s*(\d{1,3})\s*页")


def script_pages(text: str, url: str) -> list[str]:
    """Pages a script writes in a loop: ``for (i…countPage…) document.write("<a href='index_"
    + i + ".html'>")``. The loop's first page is the page itself."""
    out: list[str] = []
    for script in re.findall(r"<script[^>]*>(.*?)</script>", text, re.S | re.I):
        count = _COUNT.search(script)
        href = _SCRIPT_HREF.search(script) if count else None
        if not count or not href or not href.group(1):
            continue
        prefix, offset, suffix = href.group(1), int(href.group(2) or 0), href.group(3)
        total = min(int(count.group(1)), 500)
        out += [urljoin(url, f"{prefix}{k + offset}{suffix}") for k in range(1, total)]
    return out


_LITERAL = re.compile(r"""["']([^"'<>\s]{1,300}?\.(?:pdf|ofd|docx?|wps|xlsx?))["']""", re.I)


def script_attachments(text: str, url: str) -> list[Link]:
    """The rule for attachments named only in script: quoted literals ending in a document
    suffix (``{url: "/upload/a.pdf"}``). A URL the script assembles escapes it; the
    sandbox (crawler/scripts.py) does not."""
    out: list[Link] = []
    for script in re.findall(r"<script[^>]*>(.*?)</script>", text, re.S | re.I):
        for m in _LITERAL.finditer(script):
            value = m.group(1)
            if ("/" in value or value.isascii()) and not value.startswith(("javascript:", "data:")):
                link = Link(urljoin(url, value), value.rsplit("/", 1)[-1])
                if link not in out:
                    out.append(link)
    return out


def _page_number(url: str) -> tuple[int, tuple[int, int], str] | None:
    """(number, its span, path?query) of a page-number URL: index_3.html, ?page=3, cur_page=3."""
    parts = urlparse(url)
    where = parts.path + (f"?{parts.query}" if parts.query else "")
    m = _PAGE_IN_URL.search(where)
    if not m:
        return None
    group = 1 if m.group(1) else 2
    return int(m.group(group)), m.span(group), where


def is_numbered(url: str) -> bool:
    return _page_number(url) is not None


def first_page_alias(url: str) -> str | None:
    """The list itself when ``url`` is its page 1 spelled as a query (``index.shtml?pageNo=1``,
    as script-drawn pagers link it), else None."""
    parts = urlparse(url)
    query = parse_qs(parts.query, keep_blank_values=True)
    keys = [k for k in query if k.lower() in _PAGE_PARAMS and query[k] == ["1"]]
    if not keys:
        return None
    rest = [(k, v) for k, vs in query.items() if k not in keys for v in vs]
    return parts._replace(query=urlencode(rest)).geturl()


_PAGE_PARAMS = {"page", "cur_page", "curpage", "pageno", "pagenum", "pageindex", "currentpage", "pn", "p"}


def numbered_pages(page_links: list[str], text: str, url: str) -> list[str]:
    """A pager's page links, completed up to the page count it prints (共N页): a pager
    that shows five numbers at a time still leads to every page. The pages guessed
    (not linked) may not exist; the caller treats their failure as no loss."""
    numbered = [(u, n) for u in page_links if (n := _page_number(u))]
    stated = _TOTAL_PAGES.search(re.sub(r"<[^>]+>|&nbsp;", " ", text))
    if not numbered or not stated:
        return []
    total = min(int(next(g for g in stated.groups() if g)), 500)
    shown = {n[0] for _, n in numbered}
    _, (number, (start, end), where) = max(numbered, key=lambda un: un[1][0])
    zero_based = 0 in shown or number == total - 1  # index_1 is page 2 (TRS style)
    wanted = range(1, total) if zero_based else range(2, total + 1)
    return [urljoin(url, where[:start] + str(n) + where[end:]) for n in wanted if n not in shown]


# -- Hanweb (大汉) ------------------------------------------------------------
_DATASTORE = re.compile(r"<datastore>.*?</datastore>", re.S | re.I)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[=:]\s*(\d+)", re.I)
_PERPAGE = re.compile(r"perpage\s*[=:]\s*['\"]?(\d+)", re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)


def hanweb_records(text: str, url: str) -> list[Link]:
    """List entries held in <datastore><recordset><record><![CDATA[…]]> (page or dataproxy)."""
    out: list[Link] = []
    for store in _DATASTORE.findall(text) or ([text] if "<record" in text else []):
        for fragment in _RECORD.findall(store):
            out.extend(links(page_tree(f"<div>{fragment}</div>"), url))
    return out


def hanweb_proxy_pages(text: str, url: str) -> list[str]:
    """The dataproxy.jsp requests that return the records not printed in the page."""
    store = _DATASTORE.search(text)
    if not store:
        return []
    total_m = _TOTAL.search(text)
    nextgroup = _NEXTGROUP.search(store.group(0))
    if not total_m or not nextgroup:
        return []
    total = int(total_m.group(1) or total_m.group(2))
    shown = len(_RECORD.findall(store.group(0)))
    per = int(_PERPAGE.search(text).group(1)) if _PERPAGE.search(text) else max(shown, 1)
    href = re.search(r"""href=["']([^"']+)["']""", nextgroup.group(1))
    if not href or total <= shown:
        return []
    proxy = urljoin(url, href.group(1))
    parts = urlparse(proxy)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    pages = []
    for start in range(shown + 1, total + 1, per * 3):  # dataproxy serves three pages a call
        q = dict(params, startrecord=start, endrecord=min(total, start + per * 3 - 1), perpage=per)
        pages.append(parts._replace(query=urlencode(q)).geturl())
    return pages


def cms_family(text: str) -> str:
    if _CREATE_PAGE.search(text) or "TRS_Editor" in text:
        return "trs"
    if _DATASTORE.search(text) or "dataproxy.jsp" in text:
        return "hanweb"
    return "generic"
