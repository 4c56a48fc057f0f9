"""What a fetched page is, from its content: inside the report column or not, an
article (a document to archive) or a list (links to read).

Link texts are ambiguous (``2022年度报告`` is a year's sub-column on one portal and a
report on the next), so the page they lead to decides.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

from lxml import etree

from parsers.labels import clean

_COLUMN_WORDS = re.compile(r"年报|年度报告")
_CRUMB_ATTR = re.compile(r"crumb|position|location|weizhi|dqwz|curpos|path|daohang|mianbao", re.I)
_CRUMB_TEXT = re.compile(r"当前位置|您的位置|您现在的位置|所在位置|现在位置")
_SENTENCE = re.compile(r"[。，；！？]")
_SKIP = {"script", "style", "noscript", "select", "option", "a"}
PROSE_CHARS = 60  # an article has at least a few sentences outside its links


def title(tree: etree._Element | None) -> str:
    """The page's own title: its first heading, else <title> less the site's name."""
    if tree is None:
        return ""
    for tag in ("h1", "h2"):
        for h in tree.iter(tag):
            text = clean(h.text_content())
            if text:
                return text
    t = tree.find(".//title")
    text = clean(t.text_content()) if t is not None else ""
    return re.split(r"\s*[-_|—–]\s*|\s{2,}", text)[0] if text else ""


def breadcrumb(tree: etree._Element | None) -> str:
    """The 当前位置 trail, where the page says which column it belongs to."""
    if tree is None:
        return ""
    trails = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
        if attrs.strip() and _CRUMB_ATTR.search(attrs):
            text = clean(el.text_content())
            if 0 < len(text) <= 150:
                trails.append(text)
        own = el.text or ""
        if _CRUMB_TEXT.search(own):  # an unmarked trail: the element that says 当前位置
            text = clean(el.text_content())
            trails.append(text if len(text) <= 150 else clean(own))
    return " ".join(trails)


def says_column(tree: etree._Element | None) -> bool:
    """A page whose title, heading or breadcrumb names the annual-report column."""
    if tree is None:
        return False
    heads = [title(tree), breadcrumb(tree)]
    heads += [clean(el.text_content()) for el in tree.iter("title")]
    return any(_COLUMN_WORDS.search(h) for h in heads if h)


def prose_chars(tree: etree._Element | None) -> int:
    """Characters of sentences outside links: an article has many, a list almost none."""
    if tree is None:
        return 0
    body = tree.find(".//body")
    return _prose(body if body is not None else tree)


def _prose(el: etree._Element) -> int:
    total = 0
    texts = [el.text] if isinstance(el.tag, str) and el.tag not in _SKIP else []
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _SKIP:
            total += _prose(child)
        texts.append(child.tail)
    return total + sum(len(t.strip()) for t in texts
                       if t and _SENTENCE.search(t) and len(t.strip()) >= 8)


def is_article(tree: etree._Element | None) -> bool:
    return prose_chars(tree) >= PROSE_CHARS


_TABLE_LABELS = re.compile(r"本年新收|本年新制作|本年制发|处理决定数量|结果维持|结果纠正|上一年项目数量")
_CHROME_FILE = re.compile(r"logo|banner|icon|qr|ewm|erweima|weixin|weibo|jiucuo|dzjg|badge|gongan|beian|btn",
                          re.I)
_CHROME_BOX = re.compile(r"logo|banner|nav|menu|head|foot|share|print|qr|ewm|toolbar|copyright|friend|links",
                         re.I)
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff")
MAX_PICTURES = 20


def has_tables(tree: etree._Element | None) -> bool:
    """Whether the page's text holds the standard tables (their labels)."""
    body = tree.find(".//body") if tree is not None else None
    return body is not None and bool(_TABLE_LABELS.search(body.text_content()))


def pictures(tree: etree._Element | None, base: str) -> list[str]:
    """The pictures of a page's content, in page order: not logos, badges or QR codes, not
    in its header, menus or footer."""
    if tree is None:
        return []
    out: list[str] = []
    for img in tree.iter("img"):
        src = (img.get("src") or img.get("data-src") or "").strip()
        url = urljoin(base, src)
        if not src or not urlparse(url).path.lower().endswith(PICTURE_SUFFIXES):
            continue
        name = urlparse(url).path.rsplit("/", 1)[-1]
        boxes = [f"{a.get('class') or ''} {a.get('id') or ''}" for a in (img, *img.iterancestors())]
        if _CHROME_FILE.search(name) or any(_CHROME_BOX.search(b) for b in boxes) or url in out:
            continue
        out.append(url)
    return out[:MAX_PICTURES]
