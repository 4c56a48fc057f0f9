"""The fleet's health as the CLI prints it: a line per alarm after the crawl summary,
``nianbao health``'s table, and their JSON (read from the database's ``site_health``)."""

from __future__ import annotations

import json

import sqlite_utils

ALARM_STATUS = 3  # exit status of a crawl (or nianbao health) that raised an alarm and failed nothing


def latest(db_path: str, sites: list[str] | None = None) -> list[dict]:
    """Each site's latest health row (alarms and failures decoded), by site name."""
    db = sqlite_utils.Database(db_path)
    if "site_health" not in db.table_names():
        return []
    rows = []
    for row in db.query("select * from site_health where latest = 1 order by site"):
        if sites is None or row["site"] in sites:
            rows.append(decoded(row))
    return rows


def trend(db_path: str, site: str) -> list[int]:
    db = sqlite_utils.Database(db_path)
    return [r[0] for r in db.execute("select reports from site_health where site = ? order by started", [site])]


def decoded(row: dict) -> dict:
    return {**row, "alarms": json.loads(row["alarms"]) if row["alarms"] else [],
            "failures": json.loads(row["failures"]) if row["failures"] else {}}


def alarm_lines(rows: list[dict]) -> list[str]:
    return [f"    ALARM     {r['site']}: {a['en']} ({a['zh']})" for r in rows for a in r["alarms"]]


def render(rows: list[dict], db_path: str) -> str:
    lines = [f"{'site':<20}{'last run':<22}{'status':<8}{'reports':>8}{'before':>8}"
             f"{'errors':>8}{'seconds':>9}  last success"]
    for r in rows:
        before = "" if r["baseline"] is None else f"{r['baseline']:g}"
        lines.append(f"{r['site']:<20}{r['started'][:19]:<22}{r['status']:<8}{r['reports']:>8}{before:>8}"
                     f"{r['errors'] if r['errors'] is not None else '':>8}"
                     f"{r['seconds'] if r['seconds'] is not None else '':>9}  {r['last_success'] or 'never'}")
        for check, why in sorted(r["failures"].items()):
            lines.append(f"    failed    {check}: {why}")
    lines += alarm_lines(rows)
    alarmed = sum(1 for r in rows if r["alarms"])
    lines.append(f"{len(rows)} sites, {alarmed} with an alarm ({db_path}; before: the median of the "
                 "reports of up to 5 earlier good runs)")
    return "\n".join(lines)
