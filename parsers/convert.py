"""Old binary Word files (DOC, WPS) -> DOCX with LibreOffice headless."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from parsers.guards import DocumentError

TIMEOUT = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(data: bytes, suffix: str = ".doc") -> bytes:
    exe = soffice()
    if exe is None:
        raise DocumentError(
            "needs libreoffice to read DOC/WPS files (apt-get install libreoffice-writer-nogui)"
        )
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        src = Path(tmp) / f"in{suffix}"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"  # own profile: parallel conversions do not collide
        try:
            proc = subprocess.run(
                [
                    exe,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                capture_output=True,
                timeout=TIMEOUT,
            )
        except subprocess.TimeoutExpired as e:
            raise DocumentError(f"libreoffice took more than {TIMEOUT}s to convert it") from e
        out = Path(tmp) / "in.docx"
        if proc.returncode != 0 or not out.exists():
            reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [
                "no output"
            ]
            raise DocumentError(f"libreoffice could not convert it: {reason[0]}")
        return out.read_bytes()
