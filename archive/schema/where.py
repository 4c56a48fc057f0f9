"""A cell's place in its document (parsers.where) as columns of the database, and back.

The build writes them, the web reads them to draw the evidence; one spelling here so
the two agree. Boxes and line ranges are JSON arrays; what has no column of its own
(``also``: further parts on other pages, ``figure``: which picture of a page) goes in
``where_more`` as JSON. An HTML cell's XPath is kept from its table on (``tbody/tr[4]/td[2]``,
read back as ``path_in_table``): the table is the page's ``where_table``-th, and a CMS
page's path to it (90 characters a cell on real pages) would double the cells' bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

# column -> the key of the where dict it holds
COLUMNS = {
    "where_page": "page",
    "where_box": "box",
    "where_unit": "unit",
    "where_table": "table",
    "where_row": "row",
    "where_col": "col",
    "where_path": "path",
    "where_paragraph": "paragraph",
    "where_sheet": "sheet",
    "where_cell": "cell",
    "where_lines": "lines",
}
MORE = "where_more"
_JSON = {"box", "lines"}
TYPES: dict[str, type] = {
    "where_page": int, "where_box": str, "where_unit": str, "where_table": int, "where_row": int,
    "where_col": int, "where_path": str, "where_paragraph": int, "where_sheet": str,
    "where_cell": str, "where_lines": str, MORE: str,
}


_IN_TABLE = re.compile(r"^.*/table(?:\[\d+\])?/(.+)$")
IN_TABLE = "path_in_table"


def in_table(path: str) -> str:
    """The part of a cell's XPath below its (innermost) table."""
    m = _IN_TABLE.match(path)
    return m.group(1) if m else path


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def where_columns(where: Mapping[str, Any] | None) -> dict[str, Any]:
    """The columns' values for a where dict (all None when the place is not known)."""
    out: dict[str, Any] = dict.fromkeys([*COLUMNS, MORE])
    if not where:
        return out
    known = set(COLUMNS.values())
    for column, key in COLUMNS.items():
        value = where.get(key)
        out[column] = _dumps(value) if key in _JSON and value is not None else value
    if "table" in where and where.get("path"):
        out["where_path"] = in_table(where["path"])
    elif where.get(IN_TABLE):
        out["where_path"] = where[IN_TABLE]
    rest = {k: v for k, v in where.items() if k not in known and k != IN_TABLE}
    out[MORE] = _dumps(rest) if rest else None
    return out


def where_from_columns(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The where dict of a row holding the columns (None when it holds no place)."""
    out: dict[str, Any] = {}
    for column, key in COLUMNS.items():
        value = row[column] if column in row.keys() else None
        if value is None:
            continue
        out[key] = json.loads(value) if key in _JSON else value
    if "table" in out and "path" in out:
        out[IN_TABLE] = out.pop("path")
    more = row[MORE] if MORE in row.keys() else None
    if more:
        out.update(json.loads(more))
    return out or None


def describe(where: Mapping[str, Any] | None) -> str:
    """A short reading of a place for people: 第3页 (page 3), 表2 第4行 第5列, Sheet1!D5, 第57行."""
    if not where:
        return ""
    if "page" in where:
        head = f"第{where['page']}页 page {where['page']}"
        if where.get("figure"):
            head = f"图{where['figure']} picture {where['figure']}, " + head
        more = "".join(f" + 第{a['page']}页" for a in where.get("also", []))
        return head + more
    if "sheet" in where:
        return f"{where['sheet']}!{where.get('cell', '')}"
    if "table" in where:
        return (f"表{where['table']} 第{where.get('row')}行 第{where.get('col')}列 "
                f"table {where['table']}, row {where.get('row')}, column {where.get('col')}")
    if "lines" in where:
        a, b = where["lines"]
        return f"第{a}行 line {a}" if a == b else f"第{a}–{b}行 lines {a}–{b}"
    if "paragraph" in where:
        return f"第{where['paragraph']}段 paragraph {where['paragraph']}"
    if "path" in where:
        return str(where["path"])
    return ""
