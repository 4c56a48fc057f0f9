"""Scans whose row labels OCR misreads: cells right and documents whole, before and after
the unread rows are placed by the template's row order (parsers.row_order).

Every scan is read by OCR once (``parsers.parse.read``); the same Document is then built
twice, once with placement off (the baseline: the project before) and once with it on,
and the cells compared with the ``.expected.json``. The scans are ``scans_misread/`` (labels
of table 三 smeared, faded or scribbled over before scanning:
tests/fixtures/make_scan_fixtures.py misread) and the untouched ``scans/``, where
placement must change nothing.

Run: .venv/bin/python benchmarks/misread_labels.py   (~4 min on 2 cores: the OCR)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers import parse  # noqa: E402

FOLDERS = ("scans_misread", "scans")


def score(report, exp: dict) -> tuple[int, int, bool]:
    got = {k: c.value for k, c in report.cells.items()}
    right = sum(1 for k, v in exp["cells"].items() if k in got and got[k] == v)
    whole = right == len(exp["cells"]) and set(got) <= set(exp["cells"])
    return right, len(exp["cells"]), whole


def main() -> None:
    place = parse.row_order.place
    for folder in FOLDERS:
        totals = {"before": [0, 0, 0], "after": [0, 0, 0]}
        for e in sorted((ROOT / "tests" / "fixtures" / folder).glob("*.pdf.expected.json")):
            exp = json.loads(e.read_text("utf-8"))
            data = (e.parent / exp["source"]).read_bytes()
            doc = parse.read(data, exp["source"])
            line = [exp["source"]]
            for name, placer in (("before", lambda *a: ([], [])), ("after", place)):
                parse.row_order.place = placer
                right, n, whole = score(parse.build(doc, exp["source"]), exp)
                totals[name][0] += right
                totals[name][1] += n
                totals[name][2] += whole
                line.append(f"{name} {right}/{n}{' whole' if whole else ''}")
            parse.row_order.place = place
            print("  ".join(line))
        for name, (right, n, whole) in totals.items():
            docs = len(list((ROOT / "tests" / "fixtures" / folder).glob("*.pdf.expected.json")))
            print(f"{folder} {name}: cells {right}/{n} ({100 * right / n:.1f} %), "
                  f"documents whole {whole}/{docs}")


if __name__ == "__main__":
    main()
