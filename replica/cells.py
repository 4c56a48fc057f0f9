"""Known cell values for the replica reports, taken from the project's fixtures.

Every report a replica site holds is rendered from cells we already know, so a
crawl can be checked number by number. Scaling all cells by an integer keeps the
template's arithmetic (sums, balances) intact while giving each report its own
numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
FIXTURES = DATA / "fixtures"  # links into tests/fixtures; copies of them in an installed wheel

Cells = dict[str, int | float | None]


def fixture_bytes(relative: str) -> bytes:
    """Bytes of a test fixture (the replica reuses them verbatim)."""
    return (FIXTURES / relative).read_bytes()


def _expected_cells(path: Path) -> Cells:
    return json.loads(path.read_text("utf-8"))["cells"]


def source_cells(source: str) -> Cells:
    """Cells of a named source: ``seed:000`` (a seed report) or ``hanweb`` (2021 fixture)."""
    if source == "hanweb":
        return _expected_cells(FIXTURES / "html" / "hanweb_2021.expected.json")
    if source.startswith("seed:"):
        name = source.split(":", 1)[1]
        return _expected_cells(next((FIXTURES / "seeds").glob(f"{name}_*.expected.json")))
    raise ValueError(f"unknown cell source {source!r}")


def scaled(cells: Cells, factor: int) -> Cells:
    """All values times ``factor``; blanks stay blank, money keeps two decimals."""
    out: Cells = {}
    for key, value in cells.items():
        if value is None:
            out[key] = None
        elif isinstance(value, float):
            out[key] = round(value * factor, 2)
        else:
            out[key] = value * factor
    return out


def cells_for(source: str, factor: int = 1) -> Cells:
    return scaled(source_cells(source), factor)
