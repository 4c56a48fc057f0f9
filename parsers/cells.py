"""A table cell's image → the images of its text lines, for a line recogniser.

Recognisers read one line at a time best, tightly cropped. A scanned cell also holds
what is not text: remnants of the ruling lines, specks of sensor noise, the edge of
a seal. Lines are built from glyph-sized blobs only; a small blob is kept only where
it stands beside a glyph (a decimal point, the dot of 1.), so a speck in an empty
part of the cell is not read as 。 or ·.
"""

from __future__ import annotations

from PIL import Image, ImageOps

GLYPH = 25  # glyph height in px on pages prepared at 300 dpi (7 pt text)
INK = 128
CORE = 70  # print has strokes darker than this somewhere; a seal's halo does not
CORE_SMALL = 110


def ink(inner):
    """Dark pixels of a cell, less thin strokes touching its border: remnants of the
    ruling lines, which recognisers read as | or 站 in a blank cell."""
    import numpy as np
    from scipy import ndimage

    dark = np.asarray(inner) < INK
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


def _glyph_boxes(dark, grey, glyph: float) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of the blobs that are text: glyph-sized, or small beside a glyph.

    A blob with no dark core is not print: the grey halo a seal's red ink leaves
    once dropped, or a smudge. A thin bar along the crop's edge is what is left of
    a ruling line.
    """
    from scipy import ndimage

    labels, n = ndimage.label(dark, structure=[[1, 1, 1], [1, 1, 1], [1, 1, 1]])
    if n == 0:
        return []
    cores = ndimage.minimum(grey, labels, range(1, n + 1))
    height, width = dark.shape
    boxes = []
    for sl, core in zip(ndimage.find_objects(labels), cores, strict=True):
        if sl is None:
            continue
        x0, y0, x1, y1 = sl[1].start, sl[0].start, sl[1].stop, sl[0].stop
        h, w = y1 - y0, x1 - x0
        if core > (CORE_SMALL if max(h, w) < 0.4 * glyph else CORE):  # blur greys a 、 or a .
            continue
        if h <= 6 and w >= 1.5 * glyph and (y0 <= 6 or y1 >= height - 6):
            continue
        if w <= 6 and h >= glyph and (x0 <= 6 or x1 >= width - 6):
            continue
        boxes.append((x0, y0, x1, y1))
    big = [b for b in boxes if max(b[3] - b[1], b[2] - b[0]) >= 0.4 * glyph]
    kept = list(big)
    for b in boxes:
        if b in big or (b[3] - b[1]) * (b[2] - b[0]) < 4:
            continue
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        for g in big:
            if g[1] - 0.3 * glyph <= cy <= g[3] + 0.3 * glyph and (
                g[0] - 0.6 * glyph <= cx <= g[2] + 0.6 * glyph
            ):
                kept.append(b)
                break
    return kept


def _bands(boxes, glyph: float) -> list[list[tuple[int, int, int, int]]]:
    """Boxes grouped into text lines by their vertical overlap."""
    lines: list[list[tuple[int, int, int, int]]] = []
    for b in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        cy = (b[1] + b[3]) / 2
        for line in lines:
            top, bottom = min(x[1] for x in line), max(x[3] for x in line)
            if top - 0.15 * glyph <= cy <= bottom + 0.15 * glyph:
                line.append(b)
                break
        else:
            lines.append([b])
    lines.sort(key=lambda line: min(x[1] for x in line))
    merged: list[list[tuple[int, int, int, int]]] = []
    for line in lines:  # a glyph in pieces (the bar of a 5 over its bowl) is one line
        if merged:
            top = min(x[1] for x in merged[-1])
            if max(x[3] for x in line) - top <= 1.2 * glyph:
                merged[-1].extend(line)
                continue
        merged.append(line)
    return merged


def line_images(page, box: tuple[int, int, int, int], glyph: float = GLYPH, pad: int = 4) -> list:
    """The text lines of the cell at ``box`` on a prepared greyscale page, top to bottom,
    each cropped to its ink, cleaned of what is not text and padded with white."""
    import numpy as np

    x0, y0, x1, y1 = box
    inner = page.crop((x0 + 3, y0 + 3, max(x0 + 4, x1 - 3), max(y0 + 4, y1 - 3)))
    dark = ink(inner)
    if int(dark.sum()) <= 15:
        return []
    boxes = _glyph_boxes(dark, np.asarray(inner), glyph)
    if not boxes:
        return []
    keep = np.zeros_like(dark)
    for bx0, by0, bx1, by1 in boxes:
        keep[by0:by1, bx0:bx1] = True
    pixels = np.asarray(inner).copy()
    pixels[~(keep & (pixels < 200))] = 255  # whiten all but the text's strokes and their edges
    pixels[dark & ~keep] = 255
    clean = Image.fromarray(pixels)
    out = []
    bands = [
        (min(b[0] for b in line), min(b[1] for b in line), max(b[2] for b in line), max(b[3] for b in line))
        for line in _bands(boxes, glyph)
    ]
    tallest = max(b[3] - b[1] for b in bands)
    for lx0, ly0, lx1, ly1 in bands:
        if ly1 - ly0 < 0.3 * glyph and lx1 - lx0 < 0.3 * glyph:
            continue
        if ly1 - ly0 < 0.6 * glyph <= 0.8 * tallest:  # a fragment between two lines of text
            continue
        out.append(ImageOps.expand(clean.crop((lx0, ly0, lx1, ly1)), border=pad, fill=255))
    return out



def text_lines(page, glyph: float = GLYPH, pad: int = 4) -> list[tuple[float, object]]:
    """(centre y, image) of each line of text on a page whose tables are whitened out.

    Report bodies are one column of paragraphs, straightened by ``scan.prepare``: rows
    of ink, grouped, are the lines. No text detector is needed (PP-OCR's costs some
    7 s and 450 MB a page here).
    """
    import numpy as np
    from scipy import ndimage

    dark = np.asarray(page) < INK
    dark = ndimage.binary_opening(dark, structure=np.ones((2, 2)))  # specks are no text
    labels, _ = ndimage.label(dark.any(axis=1))
    out = []
    for sl in ndimage.find_objects(labels):
        y0, y1 = sl[0].start, sl[0].stop
        if y1 - y0 < 0.4 * glyph:
            continue
        size = max(glyph, 0.8 * (y1 - y0))  # body text is larger than a table's
        for img in line_images(page, (0, y0 - 4, page.width, y1 + 4), size, pad):
            out.append(((y0 + y1) / 2, img))
    return out
