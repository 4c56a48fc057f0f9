"""DOCX -> Document: body paragraphs and tables, merged cells (gridSpan, vMerge)."""

from __future__ import annotations

from lxml import etree

from parsers.document import Document, SpanCell, grid_rows
from parsers.guards import DocumentError, open_zip, read_member
from parsers.labels import clean
from parsers.where import at

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def _text(el: etree._Element) -> str:
    parts = []
    for node in el.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}p"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append(" ")
        elif node is not el:
            parts.append("\n")
    return "".join(parts)


def paragraph_text(p: etree._Element) -> str:
    """A w:p's text, its lines joined by a space."""
    return " ".join(clean(line) for line in _text(p).split("\n") if clean(line))


def _cell_text(tc: etree._Element) -> str:
    return " ".join(clean(line) for line in _text(tc).split("\n") if clean(line))


def _int(el: etree._Element | None, default: int = 1) -> int:
    if el is None:
        return default
    try:
        return max(0, int(el.get(f"{W}val", default)))
    except ValueError:
        return default


def table_rows(tbl: etree._Element, table: int | None = None) -> list[tuple[str, ...]]:
    """The table's rows on its grid (``table``: its number in the document, for where
    each cell stands)."""
    return grid_rows(table_cells(tbl, table), len(tbl.findall(f"{W}tr")))


def table_cells(tbl: etree._Element, table: int | None = None) -> list[tuple[int, int, SpanCell]]:
    """(row, column, cell) of each w:tc placed on the grid; a vMerge continuation extends
    the cell above."""
    placed: list[tuple[int, int, SpanCell]] = []
    open_merges: dict[int, SpanCell] = {}  # column -> the cell a vMerge continues
    rows = tbl.findall(f"{W}tr")
    for r, tr in enumerate(rows):
        c = _int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        for tc in tr.findall(f"{W}tc"):
            pr = tc.find(f"{W}tcPr")
            span = max(1, _int(pr.find(f"{W}gridSpan") if pr is not None else None))
            merge = pr.find(f"{W}vMerge") if pr is not None else None
            continues = merge is not None and merge.get(f"{W}val", "continue") == "continue"
            if continues and c in open_merges:
                open_merges[c].rowspan += 1
            else:
                where = {"table": table, "row": r + 1, "col": c + 1} if table else None
                cell = SpanCell(at(_cell_text(tc), where), 1, span)
                placed.append((r, c, cell))
                if merge is not None:
                    open_merges[c] = cell
                else:
                    open_merges.pop(c, None)
            c += span
    return placed


def document_body(data: bytes) -> etree._Element:
    """The w:body of a DOCX, in which tables and paragraphs are counted."""
    archive = open_zip(data)
    xml = read_member(archive, "word/document.xml")
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as e:
        raise DocumentError(f"corrupt word/document.xml: {e}") from e
    body = root.find(f"{W}body")
    if body is None:
        raise DocumentError("not a Word document: no body")
    return body


def read_docx(data: bytes) -> Document:
    body = document_body(data)
    doc = Document(format="docx")
    tables = {tbl: i for i, tbl in enumerate(body.iter(f"{W}tbl"), 1)}
    paragraphs = {p: i for i, p in enumerate(body.iter(f"{W}p"), 1)}

    def walk(container: etree._Element) -> None:
        for el in container:
            if el.tag == f"{W}p":
                for line in _text(el).split("\n"):
                    if clean(line):
                        doc.items.append(at(clean(line), {"paragraph": paragraphs[el]}))
            elif el.tag == f"{W}tbl":
                if el.find(f".//{W}tc/{W}tbl") is not None:  # layout table: read its contents
                    for tc in el.iter(f"{W}tc"):
                        if tc.getparent().getparent() is el:
                            walk(tc)
                else:
                    doc.items.extend(table_rows(el, tables[el]))
            elif el.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                inner = el.find(f"{W}sdtContent") if el.tag == f"{W}sdt" else el
                if inner is not None:
                    walk(inner)

    walk(body)
    return doc
