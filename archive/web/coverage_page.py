"""The coverage grid page (``/-/coverage``): agencies × years, the missing reports visible."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from datasette.utils.asgi import Response

LABELS = {
    "current": ("✔", "已归档 report archived"),
    "withdrawn": ("W", "已撤下 archived, since withdrawn by the site"),
    "replaced": ("R", "仅有旧版本 only an older version archived"),
    "missing": ("✘", "缺失：已过1月31日截止日期 missing: the deadline has passed"),
    "not_due": ("…", "未到期 not yet due"),
}


PAGE = 200  # agencies per page: a province's 14 000 would be a page of megabytes


async def coverage_grid(db, report_url, agency_url, region: str | None = None,
                        page: int = 1) -> dict[str, Any]:
    """Rows of the grid: one per agency, one cell per year of the whole span; PAGE agencies
    at a time, of one region or all, in the order region, agency."""
    listed = [(r[1] or "", r[0]) for r in await db.execute(
        "select c.agency, a.parent_region from (select distinct agency from coverage) c "
        "left join agencies a on a.name = c.agency")]
    regions = Counter(reg for reg, _ in listed)
    chosen = sorted(x for x in listed if region is None or x[0] == region)
    pages = max(1, -(-len(chosen) // PAGE))
    page = min(max(page, 1), pages)
    names = [name for _, name in chosen[(page - 1) * PAGE:page * PAGE]]
    rows = [dict(r) for r in await db.execute(
        "select c.agency, c.year, c.status, c.report_id, c.deadline, c.as_of, a.parent_region "
        "from coverage c left join agencies a on a.name = c.agency "
        "where c.agency in (select value from json_each(:names)) "
        "order by a.parent_region, c.agency, c.year", {"names": json.dumps(names, ensure_ascii=False)})]
    span = (await db.execute("select min(year), max(year), max(as_of) from coverage")).first()
    years = list(range(span[0], span[1] + 1)) if span[0] is not None else []
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
    missing = (await db.execute("select count(*) from coverage where status = 'missing'")).first()[0]
    # registry agencies without a single report: no first year to count from, so no row
    empty = [{"name": r["name"], "url": agency_url(r["name"]), "site": r["site"]}
             for r in await db.execute(
                 "select a.name, a.site from agencies a where a.site is not null and not exists "
                 "(select 1 from reports r where r.agency = a.name) order by a.name")]
    return {"years": years, "agencies": list(agencies.values()), "empty": empty,
            "as_of": span[2], "missing": missing,
            "legend": [(k, *v) for k, v in LABELS.items()],
            "regions": sorted(regions.items()) if len(listed) > PAGE else [],
            "region": region, "page": page, "pages": pages, "shown": len(chosen)}


async def coverage_page(datasette, request, db, report_url, agency_url) -> Response:
    try:
        page = int(request.args.get("page") or 1)
    except ValueError:
        page = 1
    context = await coverage_grid(db, report_url, agency_url, request.args.get("region"), page)
    context["database"] = db.name
    context["missing_url"] = datasette.urls.path(f"/{db.name}/missing_reports")
    here = datasette.urls.path("/-/coverage")

    def link(region: str | None, page: int = 1) -> str:
        args = {k: v for k, v in (("region", region), ("page", page if page > 1 else None)) if v is not None}
        return here + ("?" + urlencode(args) if args else "")

    context["link"] = link
    return Response.html(await datasette.render_template("coverage.html", context, request=request))
