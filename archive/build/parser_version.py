"""The parser's version: what a cached parse was made with.

A cached Report is only as good as the code that made it. Rather than trust
people to bump a number, the version is a digest of everything a parse depends
on: the parsers' source and data files, the versions of the libraries that
read the formats, and the external tools (LibreOffice, tesseract) present.
Change any of them and every document is parsed again.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import parsers

# bumped by hand only when a parse changes for a reason the digest cannot see
SERIES = "1"
LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "trafilatura", "lxml", "charset-normalizer",
             "opencc", "numpy", "scipy", "pillow", "warcio",
             "onnxruntime", "onnxruntime-gpu")  # the OCR's runtime, on CPU or GPU


def _source_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _library_versions() -> list[str]:
    out = []
    for name in LIBRARIES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=absent")
    return out


def _tools() -> list[str]:
    out = [f"soffice={'yes' if shutil.which('soffice') or shutil.which('libreoffice') else 'no'}"]
    tesseract = shutil.which("tesseract")
    version = "absent"
    if tesseract:
        try:
            run = subprocess.run([tesseract, "--version"], capture_output=True, text=True, timeout=10)
            version = (run.stdout or run.stderr).splitlines()[0].strip() if (run.stdout or run.stderr) else "?"
            langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=10)
            version += " chi_sim" if "chi_sim" in langs.stdout else ""
        except (OSError, subprocess.SubprocessError):
            version = "unusable"
    out.append(f"tesseract={version}")
    return out


@lru_cache(maxsize=1)
def parser_version() -> str:
    """``SERIES-<12 hex digits>``: equal for two builds only when their parses are."""
    h = hashlib.sha256()
    h.update(_source_digest(Path(parsers.__file__).resolve().parent).encode())
    for item in _library_versions() + _tools():
        h.update(item.encode() + b"\n")
    return f"{SERIES}-{h.hexdigest()[:12]}"
