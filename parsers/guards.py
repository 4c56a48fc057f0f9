"""Limits that keep one hostile or broken file from taking the run down."""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a real report is a few MB
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200  # deflate rarely beats 100:1 on real Office XML
MAX_PAGES = 300


# what reading a member of a damaged zip raises: bad deflate data, an unknown "version needed"
ZIP_READ_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, NotImplementedError)


class DocumentError(Exception):
    """A document that cannot be read; the message says why, for the operator."""


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Open an Office zip container, refusing corrupt files and zip bombs."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except ZIP_READ_ERRORS as e:
        raise DocumentError(f"corrupt zip container: {e}") from e
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_ZIP_RATIO:
        raise DocumentError(
            f"refused: unpacks to {total // 2**20} MiB from {len(data) // 1024} KiB (zip bomb?)"
        )
    if any(i.flag_bits & 0x1 for i in infos):
        raise DocumentError("encrypted zip container")
    return archive


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError as e:
        raise DocumentError(f"not a Word document: no {name}") from e
    if info.file_size > MAX_UNZIPPED_BYTES:
        raise DocumentError(f"{name} too large")
    try:
        return archive.read(info)
    except ZIP_READ_ERRORS as e:
        raise DocumentError(f"corrupt {name}: {e}") from e


def read_file(path: str | os.PathLike) -> bytes:
    """A document's bytes from disk, or a DocumentError naming why they cannot be read."""
    try:
        return Path(path).read_bytes()
    except IsADirectoryError as e:
        raise DocumentError("is a directory") from e
    except OSError as e:
        raise DocumentError(e.strerror or str(e)) from e
