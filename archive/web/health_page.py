"""The fleet's health page (``/-/health``): every site's latest crawl, its last success, the
trend of the reports its crawls listed, and its alarms (the build's ``site_health`` table)."""

from __future__ import annotations

import json
from typing import Any

from datasette.utils.asgi import Response

TREND_RUNS = 12  # crawls drawn in a site's trend
WIDTH, HEIGHT = 96, 22


def sparkline(values: list[int]) -> str:
    """SVG polyline points of the reports per run (the page draws them without script)."""
    if not values:
        return ""
    top = max(values) or 1
    step = WIDTH / max(1, len(values) - 1)
    return " ".join(f"{i * step:.1f},{HEIGHT - 2 - (v / top) * (HEIGHT - 4):.1f}" for i, v in enumerate(values))


async def fleet(db) -> dict[str, Any]:
    if "site_health" not in await db.table_names():
        return {"sites": [], "alarmed": 0, "failed": 0, "missing_table": True}
    trends: dict[str, list[int]] = {}
    for r in await db.execute("select site, reports from site_health order by site, started"):
        trends.setdefault(r["site"], []).append(r["reports"])
    sites = []
    for r in await db.execute("select * from site_health where latest = 1"):
        row = dict(r)
        trend = trends.get(row["site"], [])[-TREND_RUNS:]
        sites.append({**row, "alarms": json.loads(row["alarms"]) if row["alarms"] else [],
                      "failures": json.loads(row["failures"]) if row["failures"] else {},
                      "trend": trend, "points": sparkline(trend), "runs": len(trends.get(row["site"], []))})
    sites.sort(key=lambda s: (-len(s["alarms"]), s["status"] != "failed", s["site"]))
    return {"sites": sites, "alarmed": sum(1 for s in sites if s["alarms"]),
            "failed": sum(1 for s in sites if s["status"] == "failed"), "missing_table": False,
            "width": WIDTH, "height": HEIGHT}


async def health_page(datasette, request, db) -> Response:
    context = await fleet(db)
    context["database"] = db.name
    context["table_url"] = datasette.urls.table(db.name, "site_health")
    return Response.html(await datasette.render_template("health.html", context, request=request))
