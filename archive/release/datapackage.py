"""The release's ``datapackage.json`` (Frictionless Data Package, v1 profile): every file
with its size and sha256, and every table's schema with types, units, the codebook's
words and the primary and foreign keys, so a tool can check the data it loads."""

from __future__ import annotations

import hashlib
from pathlib import Path

from archive.release.released import Column, Released

LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
MEDIA = {".parquet": "application/vnd.apache.parquet", ".csv": "text/csv", ".db": "application/vnd.sqlite3",
         ".json": "application/json", ".cff": "application/x-yaml", ".md": "text/markdown",
         ".wacz": "application/wacz+zip", "": "text/plain"}


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# frictionless reads Parquet through pandas, where an integer column holding nulls is float
# and a null is NaN; pandas' rows do not always box it as the ``np.nan`` the reader looks
# for, and the null would read as the text "nan" of no integer. Said as a missing value of
# those fields only (no integer is ever written "nan"; text fields keep "nan" as text).
_PARQUET_INT_MISSING = ["", "nan"]


def _field(c: Column, parquet: bool = False) -> dict:
    field = {"name": c.name, "type": c.kind, "title": c.zh, "description": c.en}
    if parquet and c.kind == "integer":
        field["missingValues"] = _PARQUET_INT_MISSING
    if c.wording:
        field["description"] += f" (template: {c.wording})"
    if c.unit:
        field["unit"] = c.unit
    if c.dictionary:
        field["x-encoding"] = "dictionary"
    return {k: v for k, v in field.items() if v != ""}


def table_schema(table: Released, csv_copy: bool = False) -> dict:
    schema: dict = {"fields": [_field(c, parquet=not csv_copy) for c in table.columns]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys and not csv_copy:
        schema["foreignKeys"] = [{"fields": list(a), "reference": {"resource": ref, "fields": list(b)}}
                                 for a, ref, b in table.foreign_keys]
    return schema


def file_resource(folder: Path, name: str, path: str, title: str, **more) -> dict:
    file = folder / path
    suffix = "".join(Path(path).suffixes[-1:])
    # frictionless-py 5 reads Parquet through pyarrow and counts its bytes as None, failing
    # any "bytes" given: the size of those goes in "x-bytes" (the hash it leaves unchecked)
    size = "x-bytes" if suffix == ".parquet" else "bytes"
    return {"name": name, "path": path, "title": title,
            "format": suffix.lstrip(".") or "txt", "mediatype": MEDIA.get(suffix, "application/octet-stream"),
            size: file.stat().st_size, "hash": f"sha256:{file_hash(file)}", **more}


def table_resource(folder: Path, table: Released, path: str, csv_copy: bool = False) -> dict:
    name = f"{table.table}_csv" if csv_copy else table.table
    more: dict = {"profile": "tabular-data-resource", "schema": table_schema(table, csv_copy),
                  "description": f"{table.zh} {table.en}".strip()}
    if csv_copy:
        more |= {"encoding": "utf-8-sig", "dialect": {"delimiter": ",", "header": True}}
    title = f"{table.table}: {table.en}" + (" (CSV copy, opens in Excel)" if csv_copy else "")
    return file_resource(folder, name, path, title, **more)


def csv_resource(folder: Path, name: str, path: str, title: str, fields: dict[str, str]) -> dict:
    """A plain CSV the release writes itself (codebook, crawls): its columns' types given."""
    return file_resource(folder, name, path, title, profile="tabular-data-resource",
                         encoding="utf-8-sig", schema={"fields": [{"name": k, "type": v} for k, v in fields.items()]})


def datapackage(name: str, date: str, version: str, resources: list[dict], sources: list[dict],
                reports: int) -> dict:
    return {
        "profile": "data-package",
        "name": name,
        "id": name,
        "title": "nianbao: 政府信息公开工作年度报告 China's government information-disclosure annual reports as data",
        "description": f"{reports} annual reports archived byte for byte and read into tables: every "
                       "number of the standard tables, with the consistency checks.",
        "version": date,
        "created": f"{date}T00:00:00Z",
        "licenses": [LICENCE],
        "sources": sources,
        "contributors": [{"title": "nianbao contributors", "role": "author"}],
        "keywords": ["government transparency", "政府信息公开", "open data", "China"],
        "x-parser-version": version,
        "resources": resources,
    }
