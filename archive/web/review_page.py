"""The review queue (``/-/review``): what most needs a human look, with its evidence.

Four lists, each worst first: reports whose tables fail their own arithmetic, cells OCR
read with low confidence (not yet confirmed or corrected), numbers the text states
otherwise than the tables, and carryover breaks between two years of one agency. Each
entry shows the crops of the cells involved side by side (and the sentence, for the
text) and the line to paste into the corrections file: the public site is read-only,
corrections come in as changes to that file (archive.build.corrections).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from datasette.utils.asgi import Response

from archive.schema.where import where_from_columns
from archive.web.evidence import NARRATIVE, Evidence, cell_label, correction_line, evidence_path
from layouts.render import fmt
from parsers.narrative import cell_keys as narrative_keys
from parsers.report import TABLE_CHECKS

LOW_CONFIDENCE = 0.9  # below this a cell read by OCR is worth a look (docs/evidence.md)
PER_PAGE = 20
SECTIONS = {
    "checks": ("报告自身勾稽关系未通过", "Reports failing their own checks"),
    "ocr": ("OCR识别把握较低的单元格", "Cells OCR read with low confidence"),
    "narrative": ("正文与表格不一致", "The text against the tables"),
    "carryover": ("与上一年度报告不衔接", "Carryover breaks between two years"),
}
# the cell a failing check is best seen at: its crop is a band of the page's width, so the
# total's crop shows the row it totals (balance: the four rows of the column)
_FOCUS = {
    "balance": lambda scope: [f"applications.{r}.{scope}" for r in
                              ("new_received", "carried_over", "total_processed", "carried_forward")],
    "row_total": lambda scope: [f"applications.{scope}.total"],
    "outcome_sum": lambda scope: [f"applications.total_processed.{scope}"],
    "review_total": lambda scope: [f"review.{scope}.total"],
}


async def _cells(db, rid: str, keys: list[str]) -> dict[str, dict]:
    if not keys:
        return {}
    rows = await db.execute(
        f"select * from cells where report_id = ? and key in ({', '.join('?' * len(keys))})", [rid, *keys])
    return {r["key"]: dict(r) for r in rows}


def _crop(datasette, request, report: dict, cell: dict | None, key: str, caption: str) -> dict[str, Any]:
    """One crop of an entry: its image (page-based documents) or link, and its correction line."""
    where = where_from_columns(cell) if cell else None
    page = bool(where and where.get("box"))
    url = evidence_path(datasette, report["id"], key)
    line = None
    if cell is not None:
        ev = Evidence(report, key, cell_label(key), cell["raw"], cell["value"], where, key=key)
        line = correction_line(ev, datasette.absolute_url(request, url))
    return {"caption": caption, "url": url, "img": evidence_path(datasette, report["id"], key, png=True) if page else None,
            "value": fmt(cell["value"], key) if cell and cell["value"] is not None else "",
            "raw": cell["raw"] if cell else None, "line": line, "absent": cell is None}


async def _report(db, rid: str) -> dict:
    row = (await db.execute("select id, title, agency, year, sha256, format, template from reports where id = ?",
                            [rid])).first()
    return dict(row) if row else {"id": rid, "sha256": "", "format": None}


async def failing_checks(datasette, request, db, offset: int) -> list[dict]:
    names = ", ".join(f"'{c}'" for c in TABLE_CHECKS)
    rows = await db.execute(
        f"select k.report_id, k.check_name, k.scope, k.expected, k.actual from checks k "
        f"join reports r on r.id = k.report_id where k.check_name in ({names}) and k.ok = 0 "
        "and r.state is not 'replaced' order by abs(k.expected - k.actual) desc, k.report_id, k.check_name, k.scope "
        "limit ? offset ?", [PER_PAGE, offset])
    out = []
    for r in rows:
        report = await _report(db, r["report_id"])
        keys = _FOCUS[r["check_name"]](r["scope"])
        cells = await _cells(db, report["id"], keys)
        out.append({"report": report, "title": f"{r['check_name']} ({r['scope']})",
                    "detail": f"合计 expected {fmt(r['expected'])}，分项 actual {fmt(r['actual'])}",
                    "crops": [_crop(datasette, request, report, cells.get(k), k, cell_label(k)) for k in keys]})
    return out


async def low_confidence(datasette, request, db, offset: int) -> list[dict]:
    rows = await db.execute(
        "select c.* from cells c join reports r on r.id = c.report_id where c.confidence < ? "
        "and c.corrected is null and r.state is not 'replaced' order by c.confidence, c.report_id, c.key "
        "limit ? offset ?", [LOW_CONFIDENCE, PER_PAGE, offset])
    out = []
    for cell in rows:
        cell = dict(cell)
        report = await _report(db, cell["report_id"])
        out.append({"report": report, "title": cell_label(cell["key"]),
                    "detail": f"识别把握 confidence {cell['confidence']:.3f}，读作 read as “{cell['raw']}”",
                    "crops": [_crop(datasette, request, report, cell, cell["key"], cell["key"])]})
    return out


async def narrative(datasette, request, db, offset: int) -> list[dict]:
    rows = await db.execute(
        "select k.report_id, k.scope, k.expected, k.actual, k.note, k.where_json from checks k "
        "join reports r on r.id = k.report_id where k.check_name = 'narrative' and k.ok = 0 "
        "and r.state is not 'replaced' order by k.report_id, k.scope limit ? offset ?", [PER_PAGE, offset])
    out = []
    for r in rows:
        report = await _report(db, r["report_id"])
        keys = narrative_keys(r["scope"], report.get("template") or "")[:3]
        cells = await _cells(db, report["id"], keys)
        crops = [_crop(datasette, request, report, cells.get(k), k, cell_label(k)) for k in keys]
        target = NARRATIVE + r["scope"]
        sentence = {"caption": "正文 the sentence", "url": evidence_path(datasette, report["id"], target),
                    "img": None, "value": fmt(r["actual"]), "raw": r["note"], "line": None, "absent": False}
        if r["where_json"] and '"box"' in r["where_json"]:
            sentence["img"] = evidence_path(datasette, report["id"], target, png=True)
        out.append({"report": report, "title": r["scope"],
                    "detail": f"表格 table {fmt(r['expected'])}，正文 text {fmt(r['actual'])}",
                    "crops": [*crops, sentence]})
    return out


async def carryover(datasette, request, db, offset: int) -> list[dict]:
    rows = await db.execute(
        "select k.report_id, k.other_report, k.scope, k.expected, k.actual from checks k "
        "join reports r on r.id = k.report_id where k.check_name = 'carryover' and k.ok = 0 "
        "order by r.agency, r.year, k.report_id, k.rowid limit ? offset ?", [PER_PAGE, offset])
    out = []
    for r in rows:
        report, previous = await _report(db, r["report_id"]), await _report(db, r["other_report"])
        this_key, last_key = f"applications.carried_over.{r['scope']}", f"applications.carried_forward.{r['scope']}"
        this = (await _cells(db, report["id"], [this_key])).get(this_key)
        last = (await _cells(db, previous["id"], [last_key])).get(last_key)
        out.append({"report": report, "title": f"carryover ({r['scope']})",
                    "detail": f"{previous.get('year')}年结转下年度 carried forward {fmt(r['expected'])}，"
                              f"{report.get('year')}年上年结转 carried over {fmt(r['actual'])}",
                    "crops": [_crop(datasette, request, previous, last, last_key, f"{previous.get('year')} {cell_label(last_key)}"),
                              _crop(datasette, request, report, this, this_key, f"{report.get('year')} {cell_label(this_key)}")]})
    return out


LISTS = {"checks": failing_checks, "ocr": low_confidence, "narrative": narrative, "carryover": carryover}


async def counts(db) -> dict[str, int]:
    names = ", ".join(f"'{c}'" for c in TABLE_CHECKS)
    one = {
        "checks": f"select count(*) from checks k join reports r on r.id = k.report_id where k.check_name in ({names}) "
                  "and k.ok = 0 and r.state is not 'replaced'",
        "ocr": "select count(*) from cells c join reports r on r.id = c.report_id where c.confidence < :low "
               "and c.corrected is null and r.state is not 'replaced'",
        "narrative": "select count(*) from checks k join reports r on r.id = k.report_id where k.check_name = 'narrative' "
                     "and k.ok = 0 and r.state is not 'replaced'",
        "carryover": "select count(*) from checks where check_name = 'carryover' and ok = 0",
    }
    return {name: (await db.execute(sql, {"low": LOW_CONFIDENCE})).first()[0] for name, sql in one.items()}


async def review_response(datasette, request, db, report_url: Callable[[str], str]) -> Response:
    section = request.args.get("section")
    raw = request.args.get("page") or "1"
    page = int(raw) if raw.isdigit() and 0 < int(raw) < 10**6 else 1
    shown = [section] if section in LISTS else list(LISTS)
    total = await counts(db)
    lists = []
    for name in shown:
        entries = await LISTS[name](datasette, request, db, (page - 1) * PER_PAGE if section else 0)
        for e in entries:
            e["report_url"] = report_url(e["report"]["id"])
        more = total[name] > (page * PER_PAGE if section else PER_PAGE)
        lists.append({"name": name, "zh": SECTIONS[name][0], "en": SECTIONS[name][1], "count": total[name],
                      "entries": entries,
                      "more_url": datasette.urls.path("/-/review?" + urlencode({"section": name, "page": page + 1 if section else 2}))
                      if more else None})
    context = {"lists": lists, "low": LOW_CONFIDENCE, "section": section, "page": page,
               "all_url": datasette.urls.path("/-/review"), "database": db.name}
    return Response.html(await datasette.render_template("review.html", context, request=request))
