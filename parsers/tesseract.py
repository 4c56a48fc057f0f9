"""Debian's tesseract (chi_sim) as the OCR engine: the project's first, now the fallback.

Cells are read whole (psm 6) from a tight crop, then again by digit-only passes
where chi_sim gave a misread number (和 for 1); body text is read page-wide
(psm 3) at the scale where its glyphs are some 28 px.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from parsers.cells import ink
from parsers.guards import DocumentError
from parsers.labels import clean, norm
from parsers.values import is_value

LANG = "chi_sim"
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


def _join(words: list[Word]) -> str:
    """CJK has no spaces between words; keep the order tesseract read the lines in."""
    words = sorted(words, key=lambda w: (w.line, w.left))
    return clean("".join(w.text for w in words))


def crop(image, box: tuple[int, int, int, int], pad: int = 20):
    """The cell's ink, tightly cropped and padded: tesseract misses a lone digit in a wide cell."""
    import numpy as np
    from PIL import Image, ImageOps

    x0, y0, x1, y1 = box
    inner = image.crop((x0 + 3, y0 + 3, max(x0 + 4, x1 - 3), max(y0 + 4, y1 - 3)))
    dark = ink(inner)
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


def numeric_looking(text: str) -> bool:
    """Short, or mostly digits: a number chi_sim misread (和 for 1, 2D5507 for 25567)."""
    n = norm(text)
    return len(n) <= 2 or sum(ch.isdigit() for ch in n) * 2 >= len(n)


def _has_ink(crop) -> bool:
    import numpy as np

    return int((np.asarray(crop) < 128).sum()) > 15


def read_cells(exe: str, crops: list) -> list[str]:
    """chi_sim for every cell, then digits again where it gave no number.

    chi_sim reads a lone 1, 2 or 5 as a character (和, 艺, 束); a digits-only
    pass over the short cells that are not values, or empty but inked, fixes it.
    """
    texts = [_join(ws) for ws in _ocr(exe, crops, 6)]
    for config in _DIGIT_PASSES:
        retry = [
            i
            for i, t in enumerate(texts)
            if (t and not is_value(t) and numeric_looking(t)) or (not t and _has_ink(crops[i]))
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


def paragraphs(words: list[Word]) -> list[tuple[float, str]]:
    """(top, text) of each line the words make, top to bottom."""
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    ordered = sorted(by_line.values(), key=lambda ws: min(w.y for w in ws))
    return [(min(w.y for w in ws), t) for ws in ordered if (t := _join(ws))]


def page_words(exe: str, page, scale: float = TEXT_SCALE) -> list[Word]:
    """Body text, OCR'd at the scale where its glyphs are some 28 px (see GLYPH_PX)."""
    from PIL import Image

    small = page.resize((round(page.width * scale), round(page.height * scale)), Image.LANCZOS)
    (words,) = _ocr(exe, [small], 3)
    for w in words:
        w.x, w.y, w.left = w.x / scale, w.y / scale, round(w.left / scale)
    return words
