"""Plain text -> Document.

Two layouts come out of text extraction: a table row per line with tab-separated
cells, and one cell per line (each line starting with a tab, a blank line ending
the row, an untabbed line continuing the cell above it).
"""

from __future__ import annotations

from parsers.document import Document, Row
from parsers.labels import clean


def _is_blank(line: str) -> bool:
    return "\t" not in line and not line.strip(" \u3000\r\f\v\xa0")


def read_text(text: str) -> Document:
    doc = Document()
    pending: list[str] = []  # cells of a one-cell-per-line row
    last = "blank"

    def flush() -> None:
        if pending:
            doc.items.append(Row(pending))
            pending.clear()

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _is_blank(line):
            flush()
            last = "blank"
        elif line.startswith("\t") and "\t" not in line[1:]:
            pending.append(clean(line[1:]))
            last = "cell"
        elif "\t" in line:
            flush()
            doc.items.append(Row(clean(c) for c in line.split("\t")))
            last = "row"
        elif last == "cell":
            pending[-1] = f"{pending[-1]}\n{clean(line)}".strip()
        else:
            flush()
            doc.items.append(clean(line))
            last = "para"
    flush()
    return doc
