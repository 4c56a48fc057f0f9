"""A released table as a Parquet file, streamed from SQLite in batches.

Repeated text (agencies, cell keys, report ids in the long cells table) is stored
dictionary-encoded in the Arrow schema, so readers get categoricals and a million
reports' cells stay a few bytes a cell; zstd for the pages.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from archive.release.released import Released

BATCH = 200_000  # rows read from SQLite and written as one row group
_TYPES = {"int64": pa.int64(), "float64": pa.float64(), "string": pa.string()}


def arrow_schema(table: Released) -> pa.Schema:
    fields = []
    for c in table.columns:
        kind = pa.dictionary(pa.int32(), pa.string()) if c.dictionary else _TYPES[c.arrow]
        meta = {k: v for k, v in (("zh", c.zh), ("en", c.en), ("unit", c.unit)) if v}
        fields.append(pa.field(c.name, kind, metadata=meta or None))
    return pa.schema(fields, metadata={"table": table.table, "zh": table.zh, "en": table.en})


def select_sql(table: Released) -> str:
    """The rows in primary-key order where there is one (the file reads the same every release)."""
    order = f" order by {', '.join(f'[{k}]' for k in table.primary_key)}" if table.primary_key else ""
    return f"select {', '.join(f'[{c.name}]' for c in table.columns)} from [{table.table}]{order}"


def write_parquet(conn: sqlite3.Connection, table: Released, path: Path, batch: int = BATCH) -> int:
    """Write the table; return its row count. Memory is one batch, not the table."""
    schema = arrow_schema(table)
    cursor = conn.execute(select_sql(table))
    rows = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        while chunk := cursor.fetchmany(batch):
            columns = list(zip(*chunk, strict=True))
            writer.write_batch(pa.record_batch(
                [pa.array(values, type=f.type) for values, f in zip(columns, schema, strict=True)],
                schema=schema))
            rows += len(chunk)
        if rows == 0:
            writer.write_table(schema.empty_table())
    return rows
