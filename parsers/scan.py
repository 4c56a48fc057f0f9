"""A scanned page made fit to read: red seal dropped, straightened, noise removed.

Small agencies print the report, stamp the seal on the last page and scan it at
200 dpi, a degree or two askew, with sensor noise and JPEG's blocks. The grid finder
wants straight ruling lines and the recognisers want dark glyphs on white paper:
this module gives them that, and nothing else.
"""

from __future__ import annotations

from PIL import Image

MAX_SKEW = 4.0  # degrees; a page further askew was scanned sideways, not skewed
INK = 160  # grey level below which a pixel is ink (paper ~240, toner ~40)


def drop_seal(rgb: Image.Image) -> Image.Image:
    """Greyscale with the seal's red ink gone and the print under it kept.

    Red ink reflects red light: in the red channel the seal is as pale as paper while
    black print (black times red is black) stays dark. So where a seal is, red or next
    to red (JPEG smears colour over a few pixels), the red channel stands in for the
    grey level; elsewhere the luminance is kept. Only red in a seal's shape goes: a
    red letterhead (红头) or rule is wide and flat, and stays as print.
    """
    import numpy as np

    rgb = rgb.convert("RGB")
    grey = np.asarray(rgb.convert("L")).copy()
    arr = np.asarray(rgb, dtype=np.int16)
    r = arr[..., 0]
    red = (r - np.maximum(arr[..., 1], arr[..., 2]) > 40) & (r > 100)
    if red.sum() < 200:
        return Image.fromarray(grey)
    from scipy import ndimage

    seal = _seal_regions(red)
    if not seal.any():
        return Image.fromarray(grey)
    near = ndimage.binary_dilation(red, iterations=4) & seal
    grey[near] = r[near].astype(np.uint8)
    grey[near & (r > 185)] = 255  # the seal's ink itself
    return Image.fromarray(grey)


def _seal_regions(red):
    """Where the red ink forms a seal: a blob, round or oval, at least ~6 % of the page's
    longer side across (a 30–45 mm seal on an A4 page is 10–20 %)."""
    import numpy as np
    from scipy import ndimage

    step = 4
    small = red[::step, ::step]
    blobs, _ = ndimage.label(ndimage.binary_dilation(small, iterations=3))
    least = 0.06 * max(red.shape) / step
    out = np.zeros_like(red)
    for sl in ndimage.find_objects(blobs):
        if sl is None:
            continue
        h, w = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if min(h, w) >= least and 0.6 <= w / h <= 1.7:
            y0, y1 = max(0, (sl[0].start - 2) * step), (sl[0].stop + 2) * step
            x0, x1 = max(0, (sl[1].start - 2) * step), (sl[1].stop + 2) * step
            out[y0:y1, x0:x1] = True
    return out


def skew_angle(grey: Image.Image) -> float:
    """The page's skew in degrees, by the angle that makes ink rows sharpest.

    Ruling lines and text lines are horizontal on a straight page: the profile of
    ink per row then has the highest peaks (largest sum of squared differences).
    """
    import numpy as np

    def sharpness(img: Image.Image, angle: float) -> float:
        rows = np.asarray(img.rotate(angle, resample=Image.BILINEAR), dtype=np.float32).sum(axis=1)
        return float((np.diff(rows) ** 2).sum())

    def best(img: Image.Image, angles) -> float:
        return max(angles, key=lambda a: sharpness(img, a))

    ink = grey.point(lambda v: 255 if v < INK else 0)
    coarse = ink.reduce(4)
    angle = best(coarse, np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.25))
    fine = ink.reduce(2)
    return float(best(fine, np.arange(angle - 0.25, angle + 0.26, 0.05)))


def deskew(grey: Image.Image) -> Image.Image:
    angle = skew_angle(grey)
    if abs(angle) < 0.05:
        return grey
    return grey.rotate(angle, resample=Image.BICUBIC, fillcolor=255)


def denoise(grey: Image.Image) -> Image.Image:
    """Median-filtered, paper pushed to white: sensor noise and specks go, strokes stay."""
    import numpy as np
    from PIL import ImageFilter

    arr = np.asarray(grey.filter(ImageFilter.MedianFilter(3)), dtype=np.int32)
    # stretch so that paper is 255 and toner near 0; the grid finder and recognisers
    # both read dark-on-white
    paper = int(np.percentile(arr, 90))
    ink = int(np.percentile(arr, 0.5))
    if paper - ink < 40:
        return grey
    arr = (arr - ink) * 255 // max(1, paper - ink - 10)
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def prepare(page: Image.Image) -> Image.Image:
    """A page image (any mode) → straight, clean greyscale."""
    return straighten(page)[0]


def straighten(page: Image.Image) -> tuple[Image.Image, float]:
    """``prepare``'s page and the angle it was turned by (for unstraightened)."""
    grey = drop_seal(page) if page.mode in ("RGB", "RGBA", "P", "CMYK", "YCbCr") else page.convert("L")
    grey = denoise(grey)
    angle = skew_angle(grey)
    if abs(angle) < 0.05:
        return grey, 0.0
    return grey.rotate(angle, resample=Image.BICUBIC, fillcolor=255), angle


def unstraightened(box, angle: float, size: tuple[int, int]) -> tuple[float, float, float, float]:
    """A box of the straightened page, on the page as it was scanned: its corners turned
    back about the centre as ``Image.rotate(angle)`` took them (it maps each output pixel
    to its source by the same matrix), and the box around them."""
    import math

    if not angle:
        return tuple(float(v) for v in box)
    t = -math.radians(angle)
    cos, sin = math.cos(t), math.sin(t)
    cx, cy = size[0] / 2, size[1] / 2
    x0, y0, x1, y1 = box
    xs, ys = [], []
    for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
        xs.append(cos * (x - cx) + sin * (y - cy) + cx)
        ys.append(-sin * (x - cx) + cos * (y - cy) + cy)
    return min(xs), min(ys), max(xs), max(ys)
