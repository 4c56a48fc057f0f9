"""The text of a set of PDF characters, as pdfplumber reads it, in one pass.

pdfplumber's extract_text (a table cell) and Page.extract_text_lines (the
lines between tables, each with the box of its characters) build a
WordExtractor, word and line dicts and a TextMap for every call: after
PDFium, most of a PDF parse's remaining time. These functions give the same
strings and boxes for upright characters with pdfplumber's
default settings (x and y tolerance 3, no layout, ligatures expanded);
characters of any other kind go to pdfplumber itself. tests/test_pdf_text.py
holds them to pdfplumber's output on every PDF fixture and on generated pages.

pdfplumber's steps, kept here: characters clustered into lines by their top
(a value joins the cluster of the value below it when within the tolerance),
each line ordered by x0 (ties in drawn order), split into words at a space
character or where a character starts left of the previous one, more than
the tolerance right of its end, or more than the tolerance above or below it;
then the words clustered into lines by their top the same way.
"""

from __future__ import annotations

from itertools import groupby

TOLERANCE = 3.0  # pdfplumber's DEFAULT_X_TOLERANCE and DEFAULT_Y_TOLERANCE
Line = tuple[str, tuple[float, float, float, float]]  # a printed line's text and box
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def _clusters(values: list[float]) -> dict[float, int]:
    """pdfplumber's make_cluster_dict: each distinct value's cluster, numbered upwards."""
    out: dict[float, int] = {}
    number = -1
    last = None
    for v in sorted(set(values)):
        if last is None or v > last + TOLERANCE:
            number += 1
        out[v] = number
        last = v
    return out


def _words(chars: list[dict]) -> list[tuple[str, float, list[dict]]]:
    """(text, top, characters) of each word, in pdfplumber's order: line by line, left to right."""
    ids = _clusters([c["top"] for c in chars])
    by_line = sorted(chars, key=lambda c: ids[c["top"]])  # stable: drawn order within a line
    words: list[tuple[str, float, list[dict]]] = []
    for _, line in groupby(by_line, key=lambda c: ids[c["top"]]):
        word: list[dict] = []
        prev = None
        for c in sorted(line, key=lambda c: c["x0"]):
            if c["text"].isspace():
                if word:
                    words.append(_word(word))
                word, prev = [], None
                continue
            if prev is not None and (
                c["x0"] < prev["x0"]
                or c["x0"] > prev["x1"] + TOLERANCE
                or abs(c["top"] - prev["top"]) > TOLERANCE
            ):
                words.append(_word(word))
                word = []
            word.append(c)
            prev = c
        if word:
            words.append(_word(word))
    return words


def _word(chars: list[dict]) -> tuple[str, float, list[dict]]:
    text = "".join(_LIGATURES.get(c["text"], c["text"]) for c in chars)
    return text, min(c["top"] for c in chars), chars


def _plain(chars: list[dict]) -> bool:
    """Characters these functions read as pdfplumber does: upright, each with its text."""
    return all(c["upright"] and c["text"] for c in chars)


def cell_text(chars: list[dict]) -> str:
    """pdfplumber.utils.extract_text(chars): words clustered into lines by top."""
    if not chars:
        return ""
    if not _plain(chars):
        from pdfplumber.utils import extract_text

        return extract_text(chars)
    words = _words(chars)
    ids = _clusters([w[1] for w in words])
    lines = groupby(sorted(words, key=lambda w: ids[w[1]]), key=lambda w: ids[w[1]])
    return "\n".join(" ".join(w[0] for w in line) for _, line in lines)


def text_lines(chars: list[dict], bbox: tuple[float, float, float, float]) -> list[Line]:
    """Page.extract_text_lines() of a page cropped to bbox (pdfplumber's chars_to_textmap and
    TextMap.extract_text_lines, its words taken as drawn: a line is a run of consecutive words
    in one cluster): each line's text and the box of the characters that make it."""
    if not chars:
        return []
    if not _plain(chars):
        from pdfplumber.utils import chars_to_textmap

        x0, top, x1, bottom = bbox
        textmap = chars_to_textmap(
            chars, layout_bbox=bbox, layout_width=x1 - x0, layout_height=bottom - top
        )
        found = textmap.extract_text_lines(strip=True, return_chars=False)
        return [(x["text"], (x["x0"], x["top"], x["x1"], x["bottom"])) for x in found]
    words = _words(chars)
    ids = _clusters([w[1] for w in words])
    out: list[Line] = []
    for _, run in groupby(words, key=lambda w: ids[w[1]]):
        line = list(run)
        inked = [c for w in line for c in w[2]]
        box = (
            min(c["x0"] for c in inked),
            min(c["top"] for c in inked),
            max(c["x1"] for c in inked),
            max(c["bottom"] for c in inked),
        )
        out.append((" ".join(w[0] for w in line), box))
    return out
