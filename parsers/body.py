"""The report article of an HTML page, without the site around it (trafilatura).

Tables are read by the table model, so they are left out here; layout tables
(tables holding tables, common on Hanweb sites) are unwrapped first, or
trafilatura would flatten the whole article into one table cell.
"""

from __future__ import annotations

import copy

import trafilatura
from lxml import etree

_LAYOUT_TAGS = {
    "table": "div",
    "tbody": "div",
    "thead": "div",
    "tfoot": "div",
    "tr": "div",
    "td": "div",
    "th": "div",
}


def article_lines(root: etree._Element) -> list[str] | None:
    tree = copy.deepcopy(root)
    for table in tree.xpath("//table[.//table]"):
        for el in [table, *table.xpath(".//*")]:
            if el.tag in _LAYOUT_TAGS and not el.xpath("ancestor-or-self::table[not(.//table)]"):
                el.tag = _LAYOUT_TAGS[el.tag]
    for table in tree.xpath("//table"):
        table.drop_tree()  # keeps the text that follows it
    html = etree.tostring(tree, encoding="unicode", method="html")
    text = trafilatura.extract(
        html, favor_recall=True, include_tables=False, include_comments=False, deduplicate=False
    )
    if not text:
        return None
    return [line.strip() for line in text.splitlines() if line.strip()]
