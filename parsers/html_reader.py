"""HTML page -> Document: paragraphs in reading order, tables as expanded rows.

Handles what district CMSs publish: TRS/Hanweb tables with rowspan/colspan,
Word-pasted markup (MsoNormal spans, <o:p>), layout tables wrapping the report
table, one table split into several <table>s, mislabelled GBK pages, tables whose
markup the CMS lost (a <p> per cell: parsers.loose_cells).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from parsers.body import article_lines
from parsers.document import Document, SpanCell, expand, place
from parsers.encoding import decode_page
from parsers.labels import clean
from parsers.loose_cells import Blank, join_cells
from parsers.where import at

_BLOCK = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "center",
    "dd",
    "dt",
    "dl",
    "form",
    "tr",
    "td",
    "th",
    "caption",
    "hr",
    "body",
    "main",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "address",
}
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "select", "button")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_META_TITLE = ("ArticleTitle", "title", "Title", "og:title")
_META_DATE = ("PubDate", "pubdate", "publishdate", "firstpublishedtime", "article:published_time")


def _span(value: str | None) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    return int(m.group(1)) if m else 1


def _cell_text(el: etree._Element) -> str:
    parts: list[str] = []

    def walk(e: etree._Element) -> None:
        if isinstance(e.tag, str):
            if e.tag in _BLOCK or e.tag == "br":
                parts.append("\n")
            if e.text:
                parts.append(e.text)
            for child in e:
                walk(child)
            if e.tag in _BLOCK:
                parts.append("\n")
        if e.tail and e is not el:
            parts.append(e.tail)

    walk(el)
    return " ".join(clean(p) for p in "".join(parts).split("\n") if clean(p))


def _direct_rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


LAYOUT_CELL_CHARS = 200  # no label of the templates is this long; an article is


def _is_layout(table: etree._Element, rows: list[etree._Element]) -> bool:
    """Pages laid out with tables: nested tables, one-column tables, or cells holding prose."""
    if table.xpath(".//table"):
        return True
    cells = [td for tr in rows for td in tr.xpath("./td|./th")]
    if all(len(tr.xpath("./td|./th")) <= 1 for tr in rows):
        return True
    return any(len(td.text_content()) > LAYOUT_CELL_CHARS for td in cells)


class _Walker:
    """``places``: each table's number and each element's XPath, taken from the page as
    served (before hidden parts are dropped), for where its text stands."""

    def __init__(self, places: dict[etree._Element, tuple[int | None, str]] | None = None) -> None:
        self.doc = Document()
        self.buffer: list[str] = []
        self.places = places or {}
        self.blocks: list[etree._Element] = []  # the block elements the walk is inside

    def flush(self) -> None:
        block = self.blocks[-1] if self.blocks else None
        path = self.places.get(block, (None, None))[1] if block is not None else None
        for line in "".join(self.buffer).split("\n"):
            if clean(line):
                self.doc.items.append(at(clean(line), {"path": path} if path else None))
        self.buffer.clear()

    def table(self, table: etree._Element) -> None:
        self.flush()
        rows = _direct_rows(table)
        if _is_layout(table, rows):  # a layout table: read what its cells hold
            for tr in rows:
                for cell in tr.xpath("./td|./th"):
                    self.blocks.append(cell)
                    self.walk_children(cell)
                    self.flush()
                    self.blocks.pop()
            return
        number = self.places.get(table, (None, None))[0]
        spans = [
            [
                SpanCell(_cell_text(td), _span(td.get("rowspan")), _span(td.get("colspan")),
                         self.cell_where(number, td))
                for td in tr.xpath("./td|./th")
            ]
            for tr in rows
        ]
        self.doc.items.extend(expand(spans))

    def cell_where(self, table: int | None, td: etree._Element) -> dict | None:
        path = self.places.get(td, (None, None))[1]
        if table is None or path is None:
            return None
        return {"table": table, "path": path}

    def walk_children(self, el: etree._Element) -> None:
        if el.text:
            self.buffer.append(el.text)
        for child in el:
            self.walk(child)

    def walk(self, el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table":
            self.table(el)
        elif tag == "br":
            self.buffer.append("\n")
        elif tag in _BLOCK:
            self.flush()
            before = len(self.doc.items)
            self.blocks.append(el)
            self.walk_children(el)
            self.flush()
            self.blocks.pop()
            if tag == "p" and len(self.doc.items) == before and el.find(".//img") is None:
                path = self.places.get(el, (None, None))[1]  # an empty cell, maybe
                self.doc.items.append(Blank({"path": path} if path else None))  # type: ignore[arg-type]
        elif tag:
            self.walk_children(el)
        if el.tail:
            self.buffer.append(el.tail)


_IN_TAG_FFFD = re.compile(r"<[^<>]*\ufffd[^<>]*>")


MAX_TAG_CHARS = 16_384  # libxml2 checks each attribute against the others: a million take hours
_LONG_TAG = re.compile(r"<([A-Za-z][\w:.-]*)(\s[^<>]{" + str(MAX_TAG_CHARS) + ",})>")


def _short_tag(m: re.Match[str]) -> str:
    """A tag cut to its first MAX_TAG_CHARS of attributes, at an attribute's end."""
    attrs = m.group(2)[:MAX_TAG_CHARS]
    return f"<{m.group(1)}{attrs[: attrs.rfind(' ')] if ' ' in attrs[1:] else ''}>"


MAX_ATTRIBUTES = 64  # a CMS's tag has a handful; thousands are junk that slows every step
_KEPT = ("rowspan", "colspan", "style", "class", "id", "name", "content", "property", "charset",
         "http-equiv", "href", "src", "title")


def _cap_attributes(root: etree._Element) -> None:
    """A tag with thousands of attributes keeps only those the reader looks at."""
    for el in root.iter():
        if isinstance(el.tag, str) and len(el.attrib) > MAX_ATTRIBUTES:
            kept = {k: el.attrib[k] for k in _KEPT if k in el.attrib}
            el.attrib.clear()
            el.attrib.update(kept)


def _meta(root: etree._Element, names: tuple[str, ...]) -> str | None:
    for name in names:
        for attr in ("name", "property"):
            found = root.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            if found and clean(found[0]):
                return clean(found[0])
    return None


def _places(root: etree._Element) -> dict[etree._Element, tuple[int | None, str]]:
    """(table number, XPath) of every table, cell and block of the page as served."""
    tree = root.getroottree()
    out: dict[etree._Element, tuple[int | None, str]] = {}
    tables = 0
    for el in root.iter("table", "td", "th", *_BLOCK):
        if el.tag == "table":
            tables += 1
            out[el] = (tables, tree.getpath(el))
        else:
            out[el] = (None, tree.getpath(el))
    return out


def element_text(el: etree._Element) -> str:
    """An element's text as a table cell reads it (block children and <br> as spaces)."""
    return _cell_text(el)


def table_grid(table: etree._Element) -> list[tuple[etree._Element, int, int, int, int]]:
    """(cell element, row, column, rowspan, colspan) of a table's cells on its grid, 0-based,
    as the reader places them."""
    rows = _direct_rows(table)
    spans = [[SpanCell("", _span(td.get("rowspan")), _span(td.get("colspan")))
              for td in tr.xpath("./td|./th")] for tr in rows]
    elements = [td for tr in rows for td in tr.xpath("./td|./th")]
    return [(td, r, c, cell.rowspan, cell.colspan) for td, (r, c, cell) in zip(elements, place(spans), strict=True)]


def page_tree(data: bytes, content_type: str | None = None) -> etree._Element | None:
    """The page's lxml tree as served, in which a cell's ``path`` and table number are
    counted (None: no markup to read)."""
    return _page(data, content_type)[0]


def _page(data: bytes, content_type: str | None) -> tuple[etree._Element | None, str | None]:
    """(the page's tree, the warning naming bytes not valid in its charset, if any)."""
    decoded = decode_page(data, content_type)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decoded.text)
    if not text.strip():
        return None, decoded.warning
    if decoded.warning:  # a bad byte inside a tag (<td\ufffd>) must not undo the table
        text = _IN_TAG_FFFD.sub(lambda m: m.group().replace("\ufffd", ""), text)
    text = _CONTROL.sub("", text)
    text = _LONG_TAG.sub(_short_tag, text)
    try:
        return lxml.html.document_fromstring(text), decoded.warning
    except (etree.ParserError, ValueError):  # nothing but stray closing tags or comments
        return None, decoded.warning


def read_html(data: bytes, content_type: str | None = None) -> Document:
    root, warning = _page(data, content_type)
    if root is None:
        return Document()
    places = _places(root)
    for el in root.xpath("|".join(f"//{t}" for t in _DROP)):
        el.drop_tree()
    _cap_attributes(root)
    for el in root.xpath("//*[contains(translate(@style,' ',''),'display:none')]"):
        el.drop_tree()
    walker = _Walker(places)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    doc = walker.doc
    doc.items = join_cells(doc.items)  # a table whose markup the CMS lost: a <p> per cell
    doc.format = "html"
    if warning:
        doc.warnings.append(warning)
    doc.body = article_lines(root)
    title = _meta(root, _META_TITLE) or clean(root.findtext(".//title") or "")
    if title:
        doc.hints["title"] = title
    date = _meta(root, _META_DATE)
    if date:
        doc.hints["published"] = date
    return doc
