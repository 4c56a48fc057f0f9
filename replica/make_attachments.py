"""Build the replica's office attachments into ``data/`` (needs python-docx and LibreOffice).

Run once from the repo root: ``python -m replica.make_attachments``.
The outputs are committed, so serving the replica needs neither.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from replica.attachments import GENERATED
from replica.cells import DATA


def main(names: list[str] | None = None) -> None:
    """Build every attachment, or only those named (the others keep their bytes)."""
    from tests.fixtures.make_office_fixtures import build_docx, scan, soffice

    DATA.mkdir(exist_ok=True)
    for a in GENERATED.values():
        if names and a.file not in names:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / f"{Path(a.file).stem}.docx"
            build_docx(src, a.cells(), a.template, a.agency, a.year)
            if a.fmt == "docx":
                out = src
            elif a.fmt == "pdf":
                out = soffice(src, "pdf", Path(tmp) / "out")
                if a.file.endswith("_scanned.pdf"):
                    scan(out, Path(tmp) / "scanned.pdf")
                    out = Path(tmp) / "scanned.pdf"
            else:
                out = soffice(src, "doc:MS Word 97", Path(tmp) / "out")
            (DATA / a.file).write_bytes(out.read_bytes())
        print(f"wrote {DATA / a.file}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
