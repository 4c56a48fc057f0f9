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
