"""Scans as small agencies make them, and pictures of tables, read by the OCR path.

The fixtures (tests/fixtures/make_scan_fixtures.py) are the LibreOffice PDFs of both
templates printed with a red seal on the last page and scanned at 200 dpi, askew, with
noise and JPEG; and the same reports as one long JPG or PNG picture.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from parsers import ParseError, parse_bytes, parse_file, recognise
from parsers.parse import sniff
from parsers.scan import drop_seal, skew_angle
from tests import where_checks
from tests.conftest import expected_files, load_expected
from tests.fixtures.make_scan_fixtures import SCANS as SCAN_SOURCES

SCANS = expected_files("scans")
MIN_EXACT = 0.98
needs_paddle = pytest.mark.skipif(not recognise.available(), reason="rapidocr_onnxruntime missing")


@needs_paddle
@pytest.mark.parametrize("path", SCANS, ids=[p.name.split(".expected")[0] for p in SCANS])
def test_degraded_scan_and_picture_read_cells_exactly(path):
    exp = load_expected(path)
    report = parse_file(path.parent / exp["source"])
    got = {k: c.value for k, c in report.cells.items()}
    exact = sum(1 for k, v in exp["cells"].items() if k in got and got[k] == v)
    wrong = {k: (v, got.get(k, "absent")) for k, v in exp["cells"].items() if got.get(k, "absent") != v}
    assert exact / len(exp["cells"]) >= MIN_EXACT, f"{exact}/{len(exp['cells'])} exact; wrong: {wrong}"
    assert all(c.ocr for c in report.cells.values())
    assert (report.year, report.template, report.kind) == (exp["year"], exp["template"], "annual_report")
    assert report.format == ("pdf" if exp["source"].endswith(".pdf") else "image")
    _boxes_are_where_the_cells_are(report, path.parent / exp["source"])


def _boxes_are_where_the_cells_are(report, source: Path) -> None:
    """Every OCR'd cell says where it stands and how sure the recogniser was: on a scanned
    PDF, in points, where the printed PDF it was scanned from has the same cell (turned
    by the scanner's skew); on a picture, in its pixels, on ink."""
    import numpy as np

    where_checks.every_cell_located(report, "page", "box", "unit")
    assert all(c.confidence is not None and 0 < c.confidence <= 1 for c in report.cells.values() if c.raw)
    name, suffix = source.name.split("_scan200")[0], source.suffix
    if suffix == ".pdf":
        import pypdfium2 as pdfium

        printed_pdf, angle = SCAN_SOURCES[name][0], SCAN_SOURCES[name][1]
        printed = parse_file(source.parents[1] / "office" / printed_pdf)
        pdf = pdfium.PdfDocument(str(source))
        sizes = {i + 1: pdf[i].get_size() for i in range(len(pdf))}
        where_checks.scan_boxes_where_printed(report, printed, sizes, angle)
        return
    picture = np.asarray(Image.open(source).convert("L"))
    for key, c in report.cells.items():
        x0, y0, x1, y1 = c.where["box"]
        assert c.where["unit"] == "px" and 0 <= x0 < x1 <= picture.shape[1] and 0 <= y0 < y1 <= picture.shape[0], key
        if c.raw:
            assert (picture[y0:y1, x0:x1] < 128).any(), f"{key}: no ink in its box"


def test_pictures_are_sniffed_as_images(fixtures):
    assert sniff((fixtures / "scans" / "laoshan_2021_tables.png").read_bytes()) == "image"
    assert sniff((fixtures / "scans" / "yicheng_2019_tables.jpg").read_bytes()) == "image"


@pytest.mark.parametrize("data", [b"", b"  \r\n\t "], ids=["empty", "whitespace"])
def test_empty_file_is_an_error(data):
    with pytest.raises(ParseError, match="empty file"):
        parse_bytes(data, "report.txt")


@pytest.mark.parametrize(
    "name,kind", [("laoshan_2021_tables.png", "PNG"), ("yicheng_2019_tables.jpg", "JPEG")]
)
def test_truncated_picture_names_the_reason(fixtures, name, kind):
    data = (fixtures / "scans" / name).read_bytes()
    with pytest.raises(ParseError, match=f"truncated {kind} image"):
        parse_bytes(data[: len(data) // 2], name)


@needs_paddle
def test_picture_without_text_says_so():
    from io import BytesIO

    buf = BytesIO()
    Image.new("RGB", (800, 600), (240, 240, 235)).save(buf, "PNG")
    with pytest.raises(ParseError, match="no text could be read"):
        parse_bytes(buf.getvalue(), "blank.png")


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")  # Pillow on a cut TIFF header
@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP"])
def test_cut_or_mangled_pictures_never_crash(fmt):
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), (250, 250, 250)).save(buf, fmt)
    data = buf.getvalue()
    for cut in (data[:12], data[:40], data[: len(data) // 2], data[:30] + b"\xff" * 200):
        with pytest.raises(ParseError, match="image"):
            parse_bytes(cut, f"x.{fmt.lower()}")


def test_corrupt_picture_is_an_error():
    with pytest.raises(ParseError, match="PNG image"):
        parse_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "x.png")


def _ruled_page(angle: float) -> Image.Image:
    from PIL import ImageDraw

    page = Image.new("L", (1600, 1200), 255)
    d = ImageDraw.Draw(page)
    for y in range(200, 1000, 40):
        d.line((150, y, 1450, y), fill=0, width=3)
    for x in range(150, 1500, 260):
        d.line((x, 200, x, 960), fill=0, width=3)
    return page.rotate(angle, resample=Image.BICUBIC, fillcolor=255)


@pytest.mark.parametrize("angle", [-1.8, 0.0, 1.3])
def test_skew_is_measured(angle):
    assert skew_angle(_ruled_page(angle)) == pytest.approx(-angle, abs=0.1)


def test_red_seal_is_dropped_and_print_under_it_kept():
    page = _ruled_page(0).convert("RGB")
    arr = bytearray(page.tobytes())
    w = page.width
    for y in range(300, 700):  # a red disc over the grid: ink multiplies
        for x in range(500, 900):
            i = (y * w + x) * 3
            r, g, b = arr[i], arr[i + 1], arr[i + 2]
            arr[i], arr[i + 1], arr[i + 2] = r * 214 // 255, g * 32 // 255, b * 44 // 255
    grey = drop_seal(Image.frombytes("RGB", page.size, bytes(arr)))
    assert grey.getpixel((600, 330)) > 200  # red ink on paper: gone
    assert grey.getpixel((600, 320)) < 100  # a ruling line under the seal: kept


def test_red_letterhead_is_kept():
    from PIL import ImageDraw

    page = Image.new("RGB", (1600, 1200), (245, 245, 240))
    ImageDraw.Draw(page).rectangle((200, 80, 1400, 160), fill=(214, 32, 44))  # 红头: wide, flat
    grey = drop_seal(page)
    assert grey.getpixel((800, 120)) < 120
