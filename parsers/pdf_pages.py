"""A PDF page as the reader takes it: its characters, ruling lines and size, in pdfplumber's dicts.

Two sources give pages in this form: pdfplumber (pdfminer, below) and PDFium
(parsers.pdfium_pages). pdfplumber's own table and text functions take either.
"""

from __future__ import annotations

import io
from collections.abc import Container, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from parsers.guards import MAX_PAGES, DocumentError

Obj = dict  # a pdfplumber object: a character or an edge


@dataclass
class Page:
    number: int  # from 1
    width: float
    height: float
    chars: list[Obj] = field(default_factory=list)  # in the order they are drawn
    edges: list[Obj] = field(default_factory=list)  # of lines, then rectangles, then curves


class Unreadable(Exception):
    """A page whose characters PDFium does not give as pdfminer draws them: pdfplumber reads it."""


@contextmanager
def plumber_errors():
    """Turn pdfminer's many exceptions for broken or locked files into one, with a reason."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        yield
    except DocumentError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise DocumentError("encrypted PDF (password required)") from e
    except Exception as e:  # pdfminer raises anything from KeyError to struct.error on junk
        cause = e.__cause__ or (e.args[0] if e.args and isinstance(e.args[0], Exception) else e)
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise DocumentError("encrypted PDF (password required)") from e
        raise DocumentError(f"corrupt PDF: {type(cause).__name__} {cause}".strip()[:200]) from e


def plumber_page(page) -> Page:
    """A pdfplumber page's objects (the page is released after)."""
    out = Page(page.page_number, page.width, page.height, page.chars, page.edges)
    page.close()
    return out


@contextmanager
def plumber_open(data: bytes):
    """A pdfplumber PDF, its errors turned into DocumentError."""
    import pdfplumber

    with plumber_errors(), pdfplumber.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise DocumentError(f"{len(pdf.pages)} pages, more than {MAX_PAGES}")
        yield pdf


def plumber_pages(data: bytes, skip: Container[int] = ()) -> Iterator[Page]:
    """Every page read by pdfplumber, but those (0-based) in ``skip``."""
    with plumber_open(data) as pdf:
        for i, page in enumerate(pdf.pages):
            if i in skip:
                continue
            with plumber_errors():
                read = plumber_page(page)
            yield read
