"""The fleet's health: the ``site_health`` table, one row per site and crawl run.

Each row counts what that run of the site saw (pages, candidates, documents, errors,
anti-bot challenges, budget hits, time taken: the crawl record, crawler/store.py), how
many of the reports in the database it listed, the checks Spidermon failed as the crawl
closed (crawler/monitors.py), and the alarms that need the site's earlier runs
(``data/alarms.csv``): a site that used to yield reports and now yields none, or less
than half as many, or that failed N runs in a row. Derived from the archive alone, like
every table: the same archive gives the same rows.
"""

from __future__ import annotations

import csv
import json
import statistics
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import sqlite_utils

HISTORY = 5  # earlier good runs whose median is "what the site used to yield"
COUNTS = ("pages", "candidates", "documents", "errors", "challenges", "list_failures")


@dataclass(frozen=True)
class Alarm:
    name: str
    threshold: float
    zh: str
    en: str


@cache
def alarms() -> dict[str, Alarm]:
    path = Path(__file__).parent / "data" / "alarms.csv"
    with path.open(encoding="utf-8") as f:
        return {r["alarm"]: Alarm(r["alarm"], float(r["threshold"]), r["zh"], r["en"]) for r in csv.DictReader(f)}


def runs(crawls: list[dict]) -> list[dict]:
    """One record per site and run (the workers of a distributed run each wrote one), in
    order of their start."""
    merged: dict[tuple[str, str], dict] = {}
    for c in crawls:
        key = (c["site"], c.get("run") or c["crawl_id"])
        r = merged.get(key)
        if r is None:
            merged[key] = r = {"site": c["site"], "run": key[1], "started": c["started"], "finished": c["finished"],
                               "complete": c.get("complete", False), "finish_reason": c.get("finish_reason"),
                               "seen": set(c.get("seen", [])), "budget_hits": 0, "monitors": {},
                               **{k: None for k in COUNTS}}
        else:
            r["started"], r["finished"] = min(r["started"], c["started"]), max(r["finished"], c["finished"])
            r["complete"] = r["complete"] and c.get("complete", False)
            r["seen"] |= set(c.get("seen", []))
            if c.get("finish_reason") != "finished":
                r["finish_reason"] = c.get("finish_reason")
        for k in COUNTS:
            if c.get(k) is not None:
                r[k] = (r[k] or 0) + c[k]
        r["budget_hits"] += sum((c.get("budget_stops") or {}).values())
        r["monitors"].update(c.get("monitors") or {})
    return sorted(merged.values(), key=lambda r: (r["site"], r["started"], r["run"]))


def _seconds(started: str, finished: str) -> float | None:
    try:
        return round((datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds(), 1)
    except (TypeError, ValueError):
        return None


def _baseline(history: list[dict]) -> float | None:
    """What the site used to yield: the median reports of its last good runs, those that
    finished whole and raised no alarm (so an alarm stays until the site yields again,
    never fades because the quiet runs became the norm)."""
    good = [r["reports"] for r in history if r["status"] == "ok" and not r.get("alarm_count")][-HISTORY:]
    return statistics.median(good) if good else None


def judge(history: list[dict], run: dict) -> list[dict]:
    """The alarms of ``run`` against the site's earlier runs (oldest first)."""
    rules = alarms()
    out = []
    baseline = _baseline(history) or 0
    if baseline >= rules["no_reports"].threshold and run["reports"] == 0:
        out.append(("no_reports", {"baseline": baseline}))
    elif baseline and run["reports"] < rules["fewer_reports"].threshold * baseline:
        out.append(("fewer_reports", {"baseline": baseline, "reports": run["reports"]}))
    failing = 0
    for r in [*history, run][::-1]:
        if r["status"] != "failed":
            break
        failing += 1
    if failing >= rules["failing"].threshold:
        out.append(("failing", {"runs": failing}))
    return [{"alarm": name, "zh": rules[name].zh.format(**values), "en": rules[name].en.format(**values)}
            for name, values in out]


def rows(crawls: list[dict], listed: dict[str, set[str]]) -> list[dict]:
    """``listed``: site -> the URLs of its documents that are reports in the database."""
    out, history = [], {}
    for r in runs(crawls):
        earlier = history.setdefault(r["site"], [])
        row = {
            "site": r["site"], "run": r["run"], "started": r["started"], "finished": r["finished"],
            "seconds": _seconds(r["started"], r["finished"]),
            "status": "ok" if r["complete"] and not r["monitors"] else "failed",
            "finish_reason": r["finish_reason"],
            **{k: r[k] for k in COUNTS}, "budget_hits": r["budget_hits"],
            "reports": len(r["seen"] & listed.get(r["site"], set())),
            "failures": json.dumps(r["monitors"], ensure_ascii=False, sort_keys=True) if r["monitors"] else None,
        }
        row["baseline"] = _baseline(earlier)
        found = judge(earlier, row)
        row["alarms"] = json.dumps(found, ensure_ascii=False) if found else None
        row["alarm_count"] = len(found)
        # a success: a good run that raised no alarm (a run that lists nothing is no success)
        row["last_success"] = row["finished"] if row["status"] == "ok" and not found else (
            earlier[-1]["last_success"] if earlier else None)
        earlier.append(row)
        out.append(row)
    for runs_of_site in history.values():
        for i, row in enumerate(runs_of_site):
            row["latest"] = int(i == len(runs_of_site) - 1)
    return out


def create(db: sqlite_utils.Database, crawls: list[dict]) -> None:
    """The ``site_health`` table, written again whole (it is small: sites × runs)."""
    db.execute("drop table if exists site_health")
    db["site_health"].create(
        {"site": str, "run": str, "started": str, "finished": str, "seconds": float, "status": str,
         "finish_reason": str, **{k: int for k in COUNTS}, "budget_hits": int, "reports": int,
         "failures": str, "baseline": float, "alarms": str, "alarm_count": int, "last_success": str,
         "latest": int}, pk=("site", "run"))
    listed: dict[str, set[str]] = {}
    for site, url in db.execute("select site, url from reports where site is not null"):
        listed.setdefault(site, set()).add(url)
    db["site_health"].insert_all(rows(crawls, listed))
    db["site_health"].create_index(["latest", "site"])
