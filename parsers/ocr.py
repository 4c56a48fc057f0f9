"""Scanned PDF (no text layer) -> Document, by OCR (Debian's tesseract, chi_sim).

Table grids come from the image itself: ruling lines are found by morphology,
the regions they enclose are the cells (merged cells included), and their edges
give each cell's row and column span. The page is OCR'd once, with the lines
whitened out, and each word goes to the cell holding its centre. The Document
is marked ``ocr`` so every cell read this way says so.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from parsers.document import Document, box_rows
from parsers.guards import MAX_PAGES, DocumentError
from parsers.labels import clean, norm
from parsers.values import is_value

DPI = 300
LANG = "chi_sim"
_SNAP = 12  # pixels at 300 dpi
TEXT_SCALE = 2 / 3  # body text at 300 dpi stands ~40 px; 200 dpi reads better
GLYPH_PX = 28  # tesseract misreads a lone 7 at 42 px as 'a', reads it at 28


@dataclass
class Word:
    text: str
    x: float
    y: float
    line: tuple[int, int, int]
    left: int


def tesseract() -> str | None:
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True).stdout.split()
    return exe if LANG in langs else None


def _ocr(exe: str, images: list, psm: int, lang: str = LANG, *config: str) -> list[list[Word]]:
    """Words of each image; one tesseract process for the lot (the model loads once)."""
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="nianbao-ocr-") as tmp:
        paths = []
        for i, image in enumerate(images):
            paths.append(Path(tmp) / f"{i:05d}.png")
            image.save(paths[-1])
        listing = Path(tmp) / "images.txt"
        listing.write_text("\n".join(str(p) for p in paths) + "\n")
        target = str(listing) if len(paths) > 1 else str(paths[0])
        proc = subprocess.run(
            [exe, target, "stdout", "-l", lang, "--psm", str(psm), *config, "tsv"],
            capture_output=True,
            text=True,
            timeout=600,
        )
    if proc.returncode != 0:
        raise DocumentError(f"tesseract failed: {proc.stderr.strip()[-200:]}")
    out: list[list[Word]] = [[] for _ in images]
    for r in csv.DictReader(io.StringIO(proc.stdout), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (r.get("text") or "").strip()
        if not text or r.get("level") != "5":
            continue
        left, top, w, h = (int(r[k]) for k in ("left", "top", "width", "height"))
        line = (int(r["block_num"]), int(r["par_num"]), int(r["line_num"]))
        page = int(r["page_num"]) - 1
        if 0 <= page < len(out):
            out[page].append(Word(text, left + w / 2, top + h / 2, line, left))
    return out


def find_tables(dark):
    """[(table bbox, [cell bboxes])] from the ruling lines of a binarised page."""
    import numpy as np
    from scipy import ndimage

    h = ndimage.binary_opening(dark, structure=np.ones((1, 60)))
    v = ndimage.binary_opening(dark, structure=np.ones((60, 1)))
    lines = ndimage.binary_dilation(h | v, iterations=2)
    labels, n = ndimage.label(lines)
    tables = []
    for i, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        (y0, y1), (x0, x1) = (sl[0].start, sl[0].stop), (sl[1].start, sl[1].stop)
        if y1 - y0 < 40 or x1 - x0 < 200:
            continue
        region = labels[y0:y1, x0:x1] == i
        holes, _ = ndimage.label(~region)
        cells = []
        for csl in ndimage.find_objects(holes):
            if csl is None:
                continue
            cy0, cy1, cx0, cx1 = csl[0].start, csl[0].stop, csl[1].start, csl[1].stop
            touches = cy0 == 0 or cx0 == 0 or cy1 == y1 - y0 or cx1 == x1 - x0
            if touches or cy1 - cy0 < 8 or cx1 - cx0 < 8:
                continue
            cells.append((x0 + cx0, y0 + cy0, x0 + cx1, y0 + cy1))
        if len(cells) >= 2:
            tables.append(((x0, y0, x1, y1), cells, h[y0:y1, x0:x1] | v[y0:y1, x0:x1]))
    return sorted(tables, key=lambda t: t[0][1])


def _join(words: list[Word]) -> str:
    """CJK has no spaces between words; keep the order tesseract read the lines in."""
    words = sorted(words, key=lambda w: (w.line, w.left))
    return clean("".join(w.text for w in words))


def _ink(inner):
    """Dark pixels of a cell, less thin strokes touching its border: remnants of the
    ruling lines, which tesseract reads as | or 站 in a blank cell."""
    import numpy as np
    from scipy import ndimage

    dark = np.asarray(inner) < 128
    labels, _ = ndimage.label(dark)
    border = set(np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])))
    height, width = dark.shape
    for i, sl in enumerate(ndimage.find_objects(labels), start=1):
        if i not in border or sl is None:
            continue
        h, w = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if (w <= 5 and h >= 0.6 * height) or (h <= 5 and w >= 0.6 * width):  # a line, not a stroke
            dark[labels == i] = False
    return dark


def _crop(image, box: tuple[int, int, int, int], pad: int = 20):
    """The cell's ink, tightly cropped and padded: tesseract misses a lone digit in a wide cell."""
    import numpy as np
    from PIL import Image, ImageOps

    x0, y0, x1, y1 = box
    inner = image.crop((x0 + 3, y0 + 3, max(x0 + 4, x1 - 3), max(y0 + 4, y1 - 3)))
    dark = _ink(inner)
    ys, xs = np.nonzero(dark)
    if len(xs) <= 15:  # blank (line remnants aside)
        return ImageOps.expand(Image.new("L", (8, 8), 255), border=pad, fill=255)
    pixels = np.asarray(inner).copy()
    pixels[(pixels < 128) & ~dark] = 255  # whiten the remnants, keep the glyphs' grey edges
    inner = Image.fromarray(pixels).crop((int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1))
    if inner.height <= 60:  # one line: glyphs some 28 px high read best
        scale = GLYPH_PX / inner.height
        inner = inner.resize((max(1, round(inner.width * scale)), GLYPH_PX), Image.LANCZOS)
    return ImageOps.expand(inner, border=pad, fill=255)


def _numeric_looking(text: str) -> bool:
    """Short, or mostly digits: a number chi_sim misread (和 for 1, 2D5507 for 25567)."""
    n = norm(text)
    return len(n) <= 2 or sum(ch.isdigit() for ch in n) * 2 >= len(n)


def _has_ink(crop) -> bool:
    import numpy as np

    return int((np.asarray(crop) < 128).sum()) > 15


def _read_cells(exe: str, crops: list) -> list[str]:
    """chi_sim for every cell, then digits again where it gave no number.

    chi_sim reads a lone 1, 2 or 5 as a character (和, 艺, 束); a digits-only
    pass over the short cells that are not values, or empty but inked, fixes it.
    """
    texts = [_join(ws) for ws in _ocr(exe, crops, 6)]
    for config in _DIGIT_PASSES:
        retry = [
            i
            for i, t in enumerate(texts)
            if (t and not is_value(t) and _numeric_looking(t)) or (not t and _has_ink(crops[i]))
        ]
        for i, words in zip(retry, _ocr(exe, [crops[i] for i in retry], *config), strict=True):
            text = _join(words)
            if text and is_value(text):
                texts[i] = text
    return texts


_DIGIT_PASSES = (
    (7, "eng", "-c", "tessedit_char_whitelist=0123456789.-"),
    (10, "eng"),
    (8, "eng"),
)


def _paragraphs(words: list[Word]) -> list[str]:
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    ordered = sorted(by_line.values(), key=lambda ws: min(w.y for w in ws))
    return [t for t in (_join(ws) for ws in ordered) if t]


def _page_words(exe: str, page, scale: float = TEXT_SCALE) -> list[Word]:
    """Body text, OCR'd at the scale where its glyphs are some 28 px (see GLYPH_PX)."""
    from PIL import Image

    small = page.resize((round(page.width * scale), round(page.height * scale)), Image.LANCZOS)
    (words,) = _ocr(exe, [small], 3)
    for w in words:
        w.x, w.y, w.left = w.x / scale, w.y / scale, round(w.left / scale)
    return words


def read_scanned_pdf(data: bytes) -> Document:
    import numpy as np
    import pypdfium2 as pdfium

    exe = tesseract()
    if exe is None:
        raise DocumentError(
            "scanned PDF (no text layer): needs tesseract-ocr with chi_sim "
            "(apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
        )
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise DocumentError(f"corrupt or encrypted PDF: {e}") from e
    if len(pdf) > MAX_PAGES:
        raise DocumentError(f"{len(pdf)} pages, more than {MAX_PAGES}")
    doc = Document(format="pdf", ocr=True)
    from PIL import Image

    for index in range(len(pdf)):
        image = pdf[index].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
        pixels = np.asarray(image)
        tables = find_tables(pixels < 160)
        page = pixels.copy()
        for (x0, y0, x1, y1), _, _ in tables:
            page[y0:y1, x0:x1] = 255  # tables are read cell by cell below
        words = _page_words(exe, Image.fromarray(page))
        crops = [_crop(image, c) for _, cells, _ in tables for c in cells]
        texts = iter(_read_cells(exe, crops))
        top = 0
        for (_, y0, _, y1), cells, _ in tables:
            doc.items.extend(_paragraphs([w for w in words if top <= w.y < y0]))
            doc.items.extend(box_rows(cells, [next(texts) for _ in cells], _SNAP))
            top = y1
        doc.items.extend(_paragraphs([w for w in words if w.y >= top]))
    return doc
