"""Rows broken across pages: cells right with and without parsers.pagebreak's join.

Each template is exported by LibreOffice to PDF with the tables pushed down by
0..N short paragraphs, on A5 portrait with centred cells and on Letter landscape
(the layout of the other fixtures), so that page breaks fall at every height
through the tables. Each PDF is parsed twice: page by page as before (join
disabled) and with the join. Needs LibreOffice; about 3 minutes on 2 cores.

    .venv/bin/python benchmarks/rowsplit_sweep.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import parsers.pagebreak  # noqa: E402
from parsers import parse_file  # noqa: E402
from tests.fixtures.make_html_fixtures import expected  # noqa: E402
from tests.fixtures.make_office_fixtures import DOCS, build_docx, soffice  # noqa: E402


def right(pdf: Path, cells: dict) -> int:
    got = {k: c.value for k, c in parse_file(pdf).cells.items()}
    return sum(1 for k, v in cells.items() if k in got and got[k] == v)


def main() -> None:
    join = parsers.pagebreak.join_split
    totals: dict[str, list[int]] = {}
    for layout, a5, leads in (("A5", True, range(0, 13)), ("Letter", False, range(0, 25, 2))):
        for name, (cells, template, agency, year) in DOCS.items():
            exp = expected(cells, template, source="x.pdf", agency=agency, year=year, published=None)
            for lead in leads:
                with tempfile.TemporaryDirectory() as tmp:
                    src = Path(tmp) / f"{name}.docx"
                    build_docx(src, cells, template, agency, year, a5=a5, lead=lead)
                    pdf = soffice(src, "pdf", Path(tmp))
                    parsers.pagebreak.join_split = lambda before, after: None
                    before = right(pdf, exp["cells"])
                    parsers.pagebreak.join_split = join
                    after = right(pdf, exp["cells"])
                n = len(exp["cells"])
                print(f"{layout:6} {name} lead {lead:2}: page by page {before}/{n}, joined {after}/{n}")
                t = totals.setdefault(layout, [0, 0, 0, 0, 0])
                t[0] += 1
                t[1] += before < n
                t[2] += before
                t[3] += after
                t[4] += n
    for layout, (docs, split, before, after, n) in totals.items():
        print(f"{layout}: {docs} PDFs, {split} lose cells page by page; {before}/{n} -> {after}/{n}")


if __name__ == "__main__":
    main()
