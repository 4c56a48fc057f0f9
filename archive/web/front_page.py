"""The front page (``/``): a search box over the reports' text, what the archive holds, the
national series by year, last year's coverage by province, the latest reports, and the
tables below (the reports table first).

Everything that adds up reports is read from the ``front_*`` tables the build computes
(archive/build/front.py), so the page costs a few small reads at any size of archive.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import NotFound

from archive.web.plugin import agency_url, report_url, reports_database

FRONT_TABLES = ("front_figures", "front_series", "front_coverage", "front_latest")
# the charted series: (column of front_series, the indicator naming it, or its own zh/en,
# the column counting the agencies it rests on, the number format, the table's short heading)
SERIES = (
    ("requests_received", "requests_received", None, "received_agencies", "wan", ("收到申请", "received")),
    ("granted_share", None, ("公开或部分公开的比例", "share granted in full or in part"),
     "share_agencies", "percent", ("公开比例", "granted")),
    ("reconsiderations", "reconsiderations", None, "reconsideration_agencies", "wan", ("行政复议", "reconsid.")),
    ("lawsuits", "lawsuits", None, "lawsuit_agencies", "wan", ("行政诉讼", "lawsuits")),
)


def number(value: Any, kind: str = "count") -> str:
    """1234567 -> 1,234,567 (a count, "wan" too: only the charts write 万); a share -> 62.5%;
    nothing -> —."""
    if value is None:
        return "—"
    if kind == "percent":
        return f"{value:.1f}%"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def series_view(rows: list[dict], names: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """The charts (one per number, every year from the first to the last, a year without
    the number a gap, not a 0) and the table beside them."""
    by_year = {r["year"]: r for r in rows}
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    columns, charts = [], []
    for column, indicator, own, counted, kind, short in SERIES:
        zh, en = names.get(indicator or "") or own or (column, column)
        values, notes = [], []
        for y in years:
            r = by_year.get(y) or {}
            given = r.get(counted) or 0
            values.append(r.get(column) if given else None)
            notes.append(f"{given} 个机关 agencies" if given else "没有机关给出 no agency gives it")
        columns.append({"key": column, "zh": zh, "en": en, "kind": kind, "counted": counted,
                        "short": short})
        title = f"{zh}（{years[0]}–{years[-1]}）" if years else zh
        charts.append({"key": column, "zh": zh, "en": en,
                       "spec": {"labels": [str(y) for y in years], "title": title, "format": kind,
                                "series": [{"name": zh, "values": values, "notes": notes}]}})
    table = []
    for y in years:
        r = by_year.get(y) or {}
        table.append({"year": y, "agencies": r.get("agencies"),
                      "cells": [{"text": number(r.get(c["key"]) if r.get(c["counted"]) else None, c["kind"]),
                                 "agencies": r.get(c["counted"]) or 0} for c in columns]})
    return {"years": years, "charts": charts, "columns": columns, "table": table}


async def _rows(db, sql: str, params=None) -> list[dict]:
    return [dict(r) for r in await db.execute(sql, params or [])]


async def table_list(datasette, db) -> list[dict]:
    """Every visible table: those the metadata describes in its order (the reports table
    first), then the rest by name; with the row counts kept beside the file."""
    described = list((datasette.metadata("tables", database=db.name) or {}).keys())
    hidden = set(await db.hidden_table_names())
    names = [t for t in await db.table_names() if t not in hidden]
    order = {name: i for i, name in enumerate(["reports", *described])}
    counts = await db.table_counts() if not db.is_mutable else {}  # cached: Datasette counted them first
    tables = []
    for name in sorted(names, key=lambda t: (order.get(t, len(order)), t)):
        meta = datasette.metadata(database=db.name, table=name, fallback=False) or {}
        tables.append({"name": name, "title": meta.get("title"), "count": counts.get(name),
                       "url": datasette.urls.table(db.name, name)})
    return tables


async def front(datasette) -> dict[str, Any]:
    """What the front page shows, or ``{"missing": [...]}`` for a database built before the
    front page's tables existed."""
    try:
        db = await reports_database(datasette)
    except NotFound:
        return {}
    links = {
        "reports": datasette.urls.table(db.name, "reports"),
        "agencies": datasette.urls.path("/-/agency/"),
        "coverage": datasette.urls.path("/-/coverage"),
        "health": datasette.urls.path("/-/health"),
        "missing": datasette.urls.query(db.name, "missing_reports"),
        "series": datasette.urls.query(db.name, "indicator_series"),
        "database": datasette.urls.database(db.name),
        "download": datasette.urls.database(db.name) + ".db",
    }
    out: dict[str, Any] = {"database": db.name, "links": links, "tables": await table_list(datasette, db),
                           "views": len(await db.view_names())}
    present = set(await db.table_names())
    missing = [t for t in FRONT_TABLES if t not in present]
    if missing:
        return {**out, "missing": missing}
    figures = (await _rows(db, "select * from front_figures"))[0]
    checked = figures["reports_checked"] or 0
    figures["passing_share"] = 100.0 * (figures["reports_passing"] or 0) / checked if checked else None
    names = {r["key"]: (r["zh"], r["en"]) for r in await db.execute(
        "select key, zh, en from indicator_definitions")} if "indicator_definitions" in present else {}
    coverage = await _rows(db, "select * from front_coverage")
    totals = {k: sum(r[k] or 0 for r in coverage) for k in ("agencies", "with_report", "missing")}
    year = coverage[0]["year"] if coverage else None
    latest = await _rows(db, "select * from front_latest")
    for r in latest:
        r["url"] = report_url(datasette, r["id"])
        r["agency_url"] = agency_url(datasette, r["agency"]) if r["agency"] else None
    return {**out, "figures": figures, "number": number,
            "series": series_view(await _rows(db, "select * from front_series order by year"), names),
            "coverage": {"year": year, "deadline": f"{year + 1}-01-31" if year else None,
                         "provinces": coverage, "totals": totals},
            "latest": latest}


@hookimpl
def extra_template_vars(view_name, datasette):
    if view_name != "index":
        return None

    async def front_vars():
        return {"front": await front(datasette)}

    return front_vars
