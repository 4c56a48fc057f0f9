"""The coverage grid page (``/-/coverage``): agencies × years, the missing reports visible."""

from __future__ import annotations

from typing import Any

from datasette.utils.asgi import Response

LABELS = {
    "current": ("✔", "已归档 report archived"),
    "withdrawn": ("W", "已撤下 archived, since withdrawn by the site"),
    "replaced": ("R", "仅有旧版本 only an older version archived"),
    "missing": ("✘", "缺失：已过1月31日截止日期 missing: the deadline has passed"),
    "not_due": ("…", "未到期 not yet due"),
}


async def coverage_grid(db, report_url, agency_url) -> dict[str, Any]:
    """Rows of the grid: one per agency, one cell per year of the whole span."""
    rows = [dict(r) for r in await db.execute(
        "select c.agency, c.year, c.status, c.report_id, c.deadline, c.as_of, a.parent_region "
        "from coverage c left join agencies a on a.name = c.agency "
        "order by a.parent_region, c.agency, c.year")]
    years = sorted({r["year"] for r in rows})
    agencies: dict[str, dict[str, Any]] = {}
    for r in rows:
        a = agencies.setdefault(r["agency"], {"name": r["agency"], "url": agency_url(r["agency"]),
                                              "region": r["parent_region"], "cells": {},
                                              "missing": 0})
        a["cells"][r["year"]] = {**r, "mark": LABELS[r["status"]][0],
                                 "title": f"{r['year']}: {LABELS[r['status']][1]}"
                                          f" (deadline {r['deadline']})",
                                 "url": report_url(r["report_id"]) if r["report_id"] else None}
        a["missing"] += r["status"] == "missing"
    # registry agencies without a single report: no first year to count from, so no row
    empty = [{"name": r["name"], "url": agency_url(r["name"]), "site": r["site"]}
             for r in await db.execute(
                 "select a.name, a.site from agencies a where a.site is not null and not exists "
                 "(select 1 from reports r where r.agency = a.name) order by a.name")]
    return {"years": years, "agencies": list(agencies.values()), "empty": empty,
            "as_of": rows[0]["as_of"] if rows else None,
            "missing": sum(a["missing"] for a in agencies.values()),
            "legend": [(k, *v) for k, v in LABELS.items()]}


async def coverage_page(datasette, request, db, report_url, agency_url) -> Response:
    context = await coverage_grid(db, report_url, agency_url)
    context["database"] = db.name
    context["missing_url"] = datasette.urls.path(f"/{db.name}/missing_reports")
    return Response.html(await datasette.render_template("coverage.html", context, request=request))
