"""The end-of-crawl account, per site: what was fetched, archived and parsed, and why
anything is missing (errors, challenges, a budget that stopped the crawl, URLs refused)."""

from __future__ import annotations

import sqlite_utils


def reports_per_site(db_path: str) -> dict[str, int]:
    db = sqlite_utils.Database(db_path)
    if "reports" not in db.table_names():
        return {}
    return {row[0]: row[1] for row in db.execute("select site, count(*) from reports group by site")}


def render(runs, per_site: dict[str, int], build_errors: list[str]) -> str:
    lines = [f"{'site':<20}{'pages':>7}{'candidates':>12}{'documents':>11}{'reports':>9}"
             f"{'errors':>8}{'challenges':>12}"]
    for run in runs:
        lines.append(
            f"{run.site:<20}{run.pages:>7}{run.candidates:>12}{run.documents:>11}"
            f"{per_site.get(run.site, 0):>9}{len(run.errors):>8}{len(run.challenges):>12}"
        )
        refused = getattr(run, "refused", {})
        if refused:
            lines.append("    refused   " + ", ".join(f"{reason} {n}" for reason, n in sorted(refused.items())))
        for kind, left in sorted(run.budget_stops.items()):
            limit = "page budget" if kind == "pages" else "depth limit"
            lines.append(f"    budget    {limit} reached: {left} links not followed")
        for url, reason in run.errors[:10]:
            lines.append(f"    error     {url}: {reason}")
        for url in run.challenges[:5]:
            lines.append(f"    challenge {url}")
    for error in build_errors[:20]:
        lines.append(f"    unreadable {error}")
    lines.append("pages: responses received; candidates: possible reports fetched; documents: "
                 "archived; reports: parsed as annual reports (in the database); refused: links and redirects "
                 "the URL policy did not fetch (not http/https, another host, a private address)")
    return "\n".join(lines)
