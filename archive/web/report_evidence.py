"""What the report page shows of each number's trace: its evidence link, its correction,
the carryover check against the previous and the next year's report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archive.schema.where import where_from_columns
from archive.web.evidence import INDICATOR, LEGACY, NARRATIVE, evidence_path
from layouts.render import fmt


def _number(value) -> str:
    return fmt(value) if value is not None else ""


async def report_evidence(datasette, db, rid: str, cells: dict[str, dict],
                          report_url: Callable[[str], str]) -> dict[str, Any]:
    links = {}
    for key, c in cells.items():
        links[key] = {
            "evidence": evidence_path(datasette, rid, key) if where_from_columns(c) else None,
            "corrected": c.get("corrected"),
            "parser_text": _number(c.get("parser_value")),
            "confidence": c.get("confidence"),
        }
    placed = " or ".join(f"{c} is not null" for c in ("where_page", "where_table", "where_path", "where_sheet",
                                                         "where_lines", "where_paragraph"))
    indicators = {r[0]: evidence_path(datasette, rid, INDICATOR + r[0]) for r in await db.execute(
        f"select indicator from indicators where report_id = ? and ({placed})", [rid])}
    legacy = {r[0]: evidence_path(datasette, rid, f"{LEGACY}{r[0]}") for r in await db.execute(
        f"select row_no from legacy_rows where report_id = ? and ({placed})", [rid])}
    sentences = {r["scope"]: evidence_path(datasette, rid, NARRATIVE + r["scope"]) for r in await db.execute(
        "select scope from checks where report_id = ? and check_name = 'narrative' and where_json is not null", [rid])}

    async def carryover(sql: str) -> list[dict]:
        rows = [dict(r) for r in await db.execute(sql, [rid])]
        for r in rows:
            r["other_url"] = report_url(r["other"])
            r["expected_text"], r["actual_text"] = _number(r["expected"]), _number(r["actual"])
        return rows

    against_last = await carryover(
        "select k.scope, k.ok, k.expected, k.actual, k.note, k.other_report as other, o.year as other_year, "
        "o.title as other_title from checks k left join reports o on o.id = k.other_report "
        "where k.report_id = ? and k.check_name = 'carryover' order by k.rowid")
    against_next = await carryover(
        "select k.scope, k.ok, k.expected, k.actual, k.note, k.report_id as other, o.year as other_year, "
        "o.title as other_title from checks k left join reports o on o.id = k.report_id "
        "where k.other_report = ? and k.check_name = 'carryover' order by k.report_id, k.rowid")
    corrections = [dict(r) for r in await db.execute(
        "select line, key, value, value_text, parser_value, reason, who, date, evidence, status, message "
        "from corrections where report_id = ? order by line", [rid])]
    for c in corrections:
        c["value_text"] = c["value_text"] or "空 blank"
        c["parser_text"] = _number(c["parser_value"])
        c["evidence_url"] = evidence_path(datasette, rid, c["key"] if "." in c["key"] else INDICATOR + c["key"])
    return {"cells": links, "sentence_links": sentences, "indicator_links": indicators, "legacy_links": legacy, "carryover": against_last,
            "carried_into": against_next, "corrections": corrections}
