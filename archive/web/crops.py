"""Crops of an archived page around a cell: the evidence a number was read from.

Rendered from the archived bytes on demand, never stored in the database: a PDF page
(text layer or scan) by pypdfium2, a picture by Pillow, an OFD page drawn from its
glyphs and ruling lines (no OFD renderer is packaged). The crop spans the page's width
and a band around the cell, so the row's label and the column's header above it are
in view, and the cell's box is drawn on it. Boxes are in the document's own terms
(parsers.where): points from the page's top-left corner, or the picture's pixels.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache

SCALE = 2.0  # pixels per point: 144 dpi, digits some 20 px high
ABOVE, BELOW = 110.0, 50.0  # points of context above and below the cell (the header is above)
MARGIN = 24.0  # points kept left and right of the widest box, when the page is wider
BOX_COLOUR = (220, 30, 30)
MAX_SIDE = 4000  # pixels: a crop is never larger


class CropError(Exception):
    """The archived bytes cannot show this place (the page is missing, the file unreadable)."""


def band(page_size: tuple[float, float], boxes: Sequence[Sequence[float]],
         above: float = ABOVE, below: float = BELOW) -> tuple[float, float, float, float]:
    """The region shown: the page's width, from ``above`` over the highest box to ``below``
    under the lowest, clamped to the page."""
    width, height = page_size
    top = max(0.0, min(b[1] for b in boxes) - above)
    bottom = min(height, max(b[3] for b in boxes) + below)
    return 0.0, top, width, max(bottom, top + 1)


def _draw(image, boxes: Sequence[Sequence[float]], origin: tuple[float, float], scale: float):
    from PIL import ImageDraw

    image = image.convert("RGB")
    draw = ImageDraw.Draw(image)
    width = max(2, round(scale * 1.2))
    for b in boxes:
        x0, y0 = (b[0] - origin[0]) * scale, (b[1] - origin[1]) * scale
        x1, y1 = (b[2] - origin[0]) * scale, (b[3] - origin[1]) * scale
        draw.rectangle((x0 - width, y0 - width, x1 + width, y1 + width), outline=BOX_COLOUR, width=width)
    return image


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")  # optimize=True: 1.4 % smaller, 4x the time (benchmarks/bench_evidence.py)
    return out.getvalue()


def _fit(scale: float, region: tuple[float, float, float, float]) -> float:
    longest = max(region[2] - region[0], region[3] - region[1]) * scale
    return scale if longest <= MAX_SIDE else scale * MAX_SIDE / longest


def pdf_crop(data: bytes, page: int, boxes: Sequence[Sequence[float]], scale: float = SCALE,
             whole: bool = False) -> bytes:
    """PNG of a PDF page's band around ``boxes`` (points, top-left origin), boxes drawn;
    ``whole``: the whole page."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise CropError(f"the archived PDF cannot be opened: {e}") from e
    try:
        if not 1 <= page <= len(pdf):
            raise CropError(f"the archived PDF has {len(pdf)} pages, not a page {page}")
        p = pdf[page - 1]
        width, height = p.get_size()
        region = (0.0, 0.0, width, height) if whole else band((width, height), boxes)
        scale = _fit(scale, region)
        # pypdfium2 crops by margins cut from the left, bottom, right and top
        image = p.render(scale=scale, crop=(region[0], height - region[3], width - region[2], region[1])).to_pil()
        return _png(_draw(image, boxes, (region[0], region[1]), scale))
    finally:
        pdf.close()


def picture_crop(data: bytes, frame: int, boxes: Sequence[Sequence[float]], whole: bool = False) -> bytes:
    """PNG of a picture's band around ``boxes`` (its pixels), boxes drawn."""
    from PIL import Image, ImageSequence

    try:
        img = Image.open(io.BytesIO(data))
        frames = list(ImageSequence.Iterator(img))
    except Exception as e:  # Pillow raises many kinds on a broken picture
        raise CropError(f"the archived picture cannot be opened: {e}") from e
    if not 1 <= frame <= len(frames):
        raise CropError(f"the archived picture has {len(frames)} frames, not a frame {frame}")
    picture = frames[frame - 1].convert("RGB")
    px_per_pt = max(1.0, picture.width / 1240)  # a page-wide picture: its pixels per A4 point x2
    region = (0.0, 0.0, *picture.size) if whole else band(
        picture.size, boxes, ABOVE * px_per_pt, BELOW * px_per_pt)
    crop = picture.crop(tuple(round(v) for v in region))
    scale = _fit(1.0, region)
    if scale < 1:
        crop = crop.resize((round(crop.width * scale), round(crop.height * scale)))
    return _png(_draw(crop, boxes, (region[0], region[1]), scale))


def ofd_crop(data: bytes, page: int, boxes: Sequence[Sequence[float]], scale: float = SCALE,
             whole: bool = False) -> bytes:
    """PNG of an OFD page drawn from its text objects and ruling lines (points), boxes drawn."""
    from PIL import Image, ImageDraw

    from parsers.guards import DocumentError
    from parsers.ofd_reader import page_objects

    try:
        size, chars, edges = page_objects(data, page)
    except DocumentError as e:
        raise CropError(str(e)) from e
    region = (0.0, 0.0, *size) if whole else band(size, boxes)
    scale = _fit(scale, region)
    w, h = round((region[2] - region[0]) * scale), round((region[3] - region[1]) * scale)
    image = Image.new("RGB", (max(1, w), max(1, h)), "white")
    draw = ImageDraw.Draw(image)

    def xy(x: float, y: float) -> tuple[float, float]:
        return (x - region[0]) * scale, (y - region[1]) * scale

    for e in edges:
        draw.line((*xy(e["x0"], e["top"]), *xy(e["x1"], e["bottom"])), fill=(0, 0, 0), width=1)
    for x0, top, _x1, bottom, text in chars:
        size_px = max(6, round((bottom - top) * scale))
        draw.text(xy(x0, top), text, fill=(0, 0, 0), font=_font(size_px))
    return _png(_draw(image, boxes, (region[0], region[1]), scale))


_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
          "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@lru_cache(maxsize=64)
def _font(size: int):
    from PIL import ImageFont

    for path in _FONTS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()
