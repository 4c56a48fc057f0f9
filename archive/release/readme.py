"""The README inside a release: its files and a one-line load for pandas, R and DuckDB.

The load lines are data the tests run (``LOADS``), so the README never shows a line that
does not load the release.
"""

from __future__ import annotations

# (tool, language of the code block, one line run in the release folder)
LOADS = (
    ("pandas", "python", 'import pandas as pd; cells = pd.read_parquet("cells.parquet")'),
    ("R (arrow)", "r", 'cells <- arrow::read_parquet("cells.parquet")'),
    ("DuckDB", "python",
     'import duckdb; duckdb.sql("select r.year, count(*) from \'reports.parquet\' r group by r.year order by 1").show()'),
    ("DuckDB (command line)", "sh",
     "duckdb -c \"select key, sum(value) from 'cells.parquet' group by key order by key\""),
)


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return str(n)


def readme(name: str, date: str, version: str, reports: int, resources: list[dict]) -> str:
    files = "\n".join(f"| `{r['path']}` | {_size(r.get('bytes', r.get('x-bytes', 0)))} | {r['title']} |" for r in resources)
    loads = "\n\n".join(f"{tool}:\n\n```{lang}\n{line}\n```" for tool, lang, line in LOADS)
    return f"""# {name}

政府信息公开工作年度报告数据 — China's government information-disclosure annual reports as
data: {reports} reports, released {date} (parser version {version}). Licence CC-BY-4.0; cite
as `CITATION.cff` says.

## Files

| file | size | what |
|---|---:|---|
{files}
| `datapackage.json` | | Frictionless Data Package: every file's size and sha256, every table's columns with types, units and descriptions, primary and foreign keys (`frictionless validate datapackage.json`) |
| `SHA256SUMS` | | `sha256sum -c SHA256SUMS` |

The Parquet files are the database's tables as they are (`nianbao.db`, SQLite): `cells` is
long (one row per number: report, key `table.row.column`, value, the text as printed),
the `table*` files are wide (one row per report, one column per cell; their CSV copies open
in Excel). Repeated text (report ids, keys, agencies) is dictionary-encoded: pandas reads
those columns as categoricals. `codebook.csv` describes every column in Chinese and English.

## Load it in one line

{loads}

## The archived pages

`{name}.wacz` (where the release has one) holds the crawl's WARCs with their CDXJ index and
page list (Webrecorder's WACZ): open it in ReplayWeb.page, or replay it with pywb
(`wb-manager init nianbao && wb-manager add --unpack-wacz nianbao {name}.wacz && wayback`).
"""
