"""Pictures of a report (JPG, PNG, GIF, BMP, TIFF, WebP) -> Document, by the scan OCR path.

Some agencies publish the tables as pictures, inline or as attachments. Pillow
opens them; each frame is a page. Glyphs are brought to the size the OCR path is
tuned for (a page at 300 dpi), since a picture's dpi, if it says one, is seldom true.
"""

from __future__ import annotations

import io
import warnings

from parsers.document import Document
from parsers.guards import MAX_PAGES, DocumentError

MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
MAX_PIXELS = 60_000_000  # a long picture of a whole report is ~20 Mpx; more is a bomb
TARGET_GLYPH = 25  # px: table text at 300 dpi, what parsers.cells is tuned for


def image_kind(data: bytes) -> str | None:
    """The raster format the bytes start with, or None."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:2] == b"BM" and data[6:10] == b"\0\0\0\0":  # "BM", file size, reserved zeros
        return "BMP"
    return None


def glyph_height(grey) -> float | None:
    """Typical height of the text's glyphs: the upper quartile of glyph-like blob heights
    (a CJK character is often several blobs; digits are one, full height)."""
    import numpy as np
    from scipy import ndimage

    labels, n = ndimage.label(np.asarray(grey) < 128)
    heights = []
    for sl in ndimage.find_objects(labels):
        if sl is None:
            continue
        h, w = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if 4 <= h <= 150 and 0.25 <= w / h <= 2.5:
            heights.append(h)
    if len(heights) < 20:
        return None
    return float(np.percentile(heights, 75))


def _frames(data: bytes, kind: str):
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():  # the size is checked below, before any pixel is decoded
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
        if img.width * img.height > MAX_PIXELS:
            raise DocumentError(f"{kind} image of {img.width} × {img.height} pixels, more than "
                                f"{MAX_PIXELS // 10**6} million: not a page")
        img.load()
    except DocumentError:
        raise
    except Image.DecompressionBombError as e:
        raise DocumentError(f"{kind} image too large: {e}") from e
    except Exception as e:  # Pillow's decoders raise many kinds on hostile input
        if "truncated" in str(e).lower():
            raise DocumentError(f"truncated {kind} image") from e
        raise DocumentError(f"corrupt {kind} image: {e}") from e
    if getattr(img, "n_frames", 1) > MAX_PAGES:
        raise DocumentError(f"{img.n_frames} frames, more than {MAX_PAGES}")
    try:
        for frame in ImageSequence.Iterator(img):
            yield frame.convert("RGB")
    except Exception as e:
        raise DocumentError(f"truncated or corrupt {kind} image: {e}") from e


def _normalised(page):
    """The picture scaled so that its glyphs are about TARGET_GLYPH px high."""
    return _scaled(page)[0]


def _scaled(page):
    """(``_normalised``'s picture, the picture's pixels per pixel of it)."""
    from PIL import Image

    h = glyph_height(page.convert("L"))
    scale = min(4.0, max(0.5, TARGET_GLYPH / h)) if h else 1.0
    scale = min(scale, (MAX_PIXELS / (page.width * page.height)) ** 0.5)  # never past the cap
    if abs(scale - 1) < 0.1:
        return page, 1.0
    size = (round(page.width * scale), round(page.height * scale))
    return page.resize(size, Image.LANCZOS), page.width / size[0]


def read_image(data: bytes, kind: str | None = None) -> Document:
    from parsers.ocr import engine, read_pages

    kind = kind or image_kind(data) or "image"
    ocr = engine()
    scaled = [_scaled(p) for p in _frames(data, kind)]
    return read_pages([p for p, _ in scaled], "image", ocr, [s for _, s in scaled], "px")
