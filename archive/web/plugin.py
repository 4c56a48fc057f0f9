"""Datasette plugin: Chinese search, the report page, agency charts and the links to them.

Registered as the ``nianbao`` entry point. Configuration (metadata)::

    plugins:
      nianbao:
        archive: path/to/nianbao.archive   # default: <db stem>.archive beside the database
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode

import markupsafe
from datasette import hookimpl
from datasette.database import Database
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response, asgi_static
from jinja2 import ChoiceLoader, FileSystemLoader

from archive.schema import cjk
from archive.schema.chosen import chosen
from archive.web.check_help import check_help
from archive.web.coverage_page import coverage_page
from archive.web.health_page import health_page
from layouts.render import ACTIVE, fmt, span_tables
from parsers.checks import outcome_rows
from parsers.narrative import cell_keys as narrative_keys
from parsers.narrative import topics as narrative_topics
from parsers.templates import APPLICANT_COLUMNS, REVIEW_OUTCOMES, metrics, unprinted_rows

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
# /<db>/reports, /<db>/reports.json, /<db>/reports.csv: the pages with the table's search box
_REPORTS_PATH = re.compile(r"/[^/]+/reports(?:\.(?:json|csv))?$")
_VIEWS = ("table3_totals", "table4_review", "table2_2019", "table2_2021", "panel")
# (label, row prefix) of the outcome groups charted on the agency page, in printed order
OUTCOME_GROUPS = (
    ("予以公开", "granted"),
    ("部分公开", "partially_granted"),
    ("不予公开", "denied_"),
    ("无法提供", "unavailable_"),
    ("不予处理", "unprocessed_"),
    ("其他处理", "other_"),
)
# an agency's report of each year, chosen as the summaries choose them
CHOSEN_SQL = chosen("agency = :agency")
# the indicators the agency page shows per year, in this order (the panel has them all)
PAGE_INDICATORS = ("requests_received", "requests_answered", "requests_granted",
                   "requests_partially_granted", "requests_denied", "requests_not_held",
                   "reconsiderations", "lawsuits", "proactive_items")
SOURCE_NAMES = {"cells": "表格单元格 cells", "legacy_table": "统计表 legacy table", "text": "正文 text"}


# -- search ---------------------------------------------------------------------


def rewrite_search(query_string: bytes) -> bytes:
    """?_search=行政复议 -> ?_search="行政 政复 复议"&_q=行政复议, the phrase the index holds.

    Idempotent, so pagination links (which carry the rewritten query) keep the
    original the user typed in ``_q``.
    """
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    args = dict(pairs)
    if "_search" not in args or args.get("_searchmode") == "raw":
        return query_string
    typed, fts = args["_search"], cjk.query(args["_search"])
    previous = args.get("_q")
    if previous is not None and cjk.query(previous) == args["_search"]:
        typed, fts = previous, args["_search"]  # already rewritten: a pagination link
    out = [(k, v) for k, v in pairs if k not in ("_search", "_q")]
    if fts:
        out += [("_search", fts), ("_q", typed)]
    return urlencode(out).encode("ascii")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def rewritten(scope, receive, send):
            if scope.get("type") == "http" and _REPORTS_PATH.search(scope.get("path", "")):
                qs = rewrite_search(scope.get("query_string", b""))
                scope = dict(scope, query_string=qs)
            await app(scope, receive, send)

        return rewritten

    return wrap


@hookimpl
def extra_template_vars(view_name, table, request):
    # the search box shows what the user typed, not the spaced FTS phrase
    if view_name == "table" and table == "reports" and request is not None:
        typed = request.args.get("_q")
        if typed:
            return {"search": typed}
    return None


@hookimpl
def extra_body_script(view_name, table, request):
    # the "N rows where search matches …" heading names the typed query too
    if view_name == "table" and table == "reports" and request is not None:
        typed, fts = request.args.get("_q"), request.args.get("_search")
        if typed and fts:
            return (
                "(function(){var h=document.querySelector('.content h3');"
                f"if(h){{h.textContent=h.textContent.split({json.dumps(fts)})"
                f".join({json.dumps(typed)});}}}})();"
            )
    return None


# -- links ----------------------------------------------------------------------


def report_url(datasette, rid: str) -> str:
    return datasette.urls.path(f"/-/report/{quote(str(rid), safe='')}")


def agency_url(datasette, name: str) -> str:
    return datasette.urls.path(f"/-/agency/{quote(str(name), safe='')}")


def _link(href: str, text: Any) -> markupsafe.Markup:
    return markupsafe.Markup('<a href="{}">{}</a>').format(href, text)


@hookimpl
def render_cell(row, value, column, table, datasette):
    if isinstance(value, dict):  # an expanded foreign key
        value = value.get("value")
    if value in (None, ""):
        return None
    if table == "reports" and column == "title" and "id" in row.keys():
        return _link(report_url(datasette, row["id"]), value)
    if table == "reports" and column == "id":  # the row page (the table links its own pk)
        return _link(report_url(datasette, value), value)
    if column == "report" and (table is None or table in _VIEWS):
        return _link(report_url(datasette, value), value)
    if column == "agency" and (table is None or table == "reports" or table in _VIEWS):
        return _link(agency_url(datasette, value), value)
    if table == "agencies" and column == "name":
        return _link(agency_url(datasette, value), value)
    if table == "documents" and column == "sha256" and "id" in row.keys():
        return _link(datasette.urls.path(f"/-/original/{quote(row['id'], safe='')}"), value)
    if table == "cells" and column in ("value", "raw") and "report_id" in row.keys() and "key" in row.keys():
        from archive.web.evidence import evidence_path  # the number, shown where it was printed

        rid, key = (v.get("value") if isinstance(v, dict) else v for v in (row["report_id"], row["key"]))
        return _link(evidence_path(datasette, str(rid), str(key)), value)
    if table in ("indicators", "legacy_rows") and column in ("value", "raw") and "report_id" in row.keys():
        from archive.web.evidence import INDICATOR, LEGACY, evidence_path

        name = "indicator" if table == "indicators" else "row_no"
        if name in row.keys() and any(row[c] is not None for c in ("where_page", "where_table", "where_path",
                                                                   "where_sheet", "where_lines", "where_paragraph")
                                      if c in row.keys()):
            rid, part = (v.get("value") if isinstance(v, dict) else v for v in (row["report_id"], row[name]))
            target = (INDICATOR if table == "indicators" else LEGACY) + str(part)
            return _link(evidence_path(datasette, str(rid), target), value)
    if table in ("report_texts", "indicators", "legacy_rows") and column == "report_id":
        return _link(report_url(datasette, value), value)
    if table == "report_texts" and column in ("body", "sections") and isinstance(value, str):
        # kilobytes of text per row would bury the table; the report page shows it all
        text = value if column == "body" else " ".join(
            str(s.get("heading", "")) for s in _json_list(value))
        text = " ".join(text.split())
        more = f"… ({len(value):,} chars)" if len(text) > 40 else ""
        return text[:40] + more
    return None


def _json_list(text: str | None) -> list[dict]:
    try:
        items = json.loads(text or "[]")
    except ValueError:
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


# -- data access ----------------------------------------------------------------


async def reports_database(datasette) -> Database:
    """The published database that holds the reports table."""
    for db in datasette.databases.values():
        if not db.is_memory and await db.table_exists("reports"):
            return db
    raise NotFound("No database with a reports table")


def archive_dir(datasette, db: Database) -> Path | None:
    config = datasette.plugin_config("nianbao") or {}
    if config.get("archive"):
        return Path(config["archive"])
    return Path(db.path).with_suffix(".archive") if db.path else None


def blob_path(datasette, db: Database, sha256: str | None) -> Path | None:
    """The archived bytes, where this copy of the archive has them."""
    root = archive_dir(datasette, db)
    if not root or not sha256 or not re.fullmatch(r"[0-9a-f]{64}", sha256):
        return None
    path = root / "blobs" / sha256[:2] / sha256
    return path if path.is_file() else None


# -- the report page --------------------------------------------------------------


def check_keys(check: str, scope: str, template: str, present: Iterable[str] = ()) -> set[str]:
    """The cells a check adds up (parsers.checks), to highlight those of a failing one."""
    a = "applications"
    if check == "balance":
        return {f"{a}.{r}.{scope}" for r in
                ("new_received", "carried_over", "total_processed", "carried_forward")}
    if check == "row_total":
        return {f"{a}.{scope}.{c}" for c in APPLICANT_COLUMNS}
    if check == "outcome_sum":
        return {f"{a}.{r}.{scope}" for r in ["total_processed", *outcome_rows(template, present)]}
    if check == "review_total":
        return {f"review.{scope}.{o}" for o in REVIEW_OUTCOMES}
    if check == "narrative":
        return set(narrative_keys(scope, template, present))
    if check == "carryover":  # this report's side; the previous report's is on its own page
        return {f"{a}.carried_over.{scope}"}
    return set()


_TOKEN = re.compile(r"(9\d{8})(?:万元)?")


def official_tables(cells: dict[str, dict], template: str, flagged: dict[str, list[str]],
                    contradicted: dict[str, list[str]] | None = None) -> list[dict]:
    """Tables 二/三/四 laid out by layouts.render.span_tables, each value cell traced to its key.

    span_tables prints numbers; it is fed a numbered placeholder per key, and the
    printed placeholder tells which key (value, raw text, OCR, checks) goes in that cell.
    """
    keys = list(metrics())
    unused = unprinted_rows(template, cells)  # the form of a split row the report did not print
    tokens = {k: 900_000_000 + i for i, k in enumerate(keys) if k.rsplit(".", 1)[0] not in unused}
    out = []
    for (heading, rows), name in zip(span_tables(tokens, template),
                                     ("active", "applications", "review"), strict=True):
        grid = []
        for row in rows:
            line = []
            for cell in row:
                item: dict[str, Any] = {"text": cell.text, "rowspan": cell.rowspan,
                                        "colspan": cell.colspan, "key": None}
                m = _TOKEN.fullmatch(cell.text)
                if m:
                    key = keys[int(m.group(1)) - 900_000_000]
                    c = cells.get(key)
                    item.update(key=key, text=fmt(c["value"], key) if c else "",
                                raw=c["raw"] if c else None, ocr=bool(c and c["ocr"]),
                                absent=c is None, failing=flagged.get(key, []),
                                contradicted=(contradicted or {}).get(key, []))
                line.append(item)
            grid.append(line)
        out.append({"heading": heading, "name": name, "rows": grid})
    return out


async def report_page(datasette, request):
    rid = unquote(request.url_vars["id"])
    db = await reports_database(datasette)
    report = (await db.execute(
        "select r.*, t.body, t.sections from reports r left join report_texts t on t.report_id = r.id "
        "where r.id = ?", [rid])).first()
    if report is None:
        raise NotFound(f"No report {rid}")
    report = dict(report)
    cells = {r["key"]: dict(r) for r in await db.execute(
        "select * from cells where report_id = ?", [rid])}
    checks = [dict(r) for r in await db.execute(
        "select check_name, scope, ok, expected, actual, note from checks where report_id = ? "
        "order by coalesce(ok, 1), rowid", [rid])]
    evidence = await report_evidence(datasette, db, rid, cells)
    capture = (await db.execute("select warc_file from documents where id = ?", [report["document_id"]])).first()
    from archive.web.replay import warc_path

    replayable = capture is not None and warc_path(archive_dir(datasette, db), capture["warc_file"]) is not None
    template = report["template"] or ""
    indicators = [dict(r) for r in await db.execute(
        "select i.indicator, d.zh, d.en, i.value, i.source, i.evidence, i.parser_value, i.corrected from indicators i "
        "left join indicator_definitions d on d.key = i.indicator where i.report_id = ? "
        "order by d.position", [rid])]
    for i in indicators:
        i["value_text"], i["source_name"] = fmt(i["value"]), SOURCE_NAMES.get(i["source"], i["source"])
        i["parser_text"] = fmt(i["parser_value"]) if i["corrected"] and i["parser_value"] is not None else ""
    legacy = legacy_tables([dict(r) for r in await db.execute(
        "select * from legacy_rows where report_id = ? order by row_no", [rid])])
    flagged: dict[str, list[str]] = {}
    contradicted: dict[str, list[str]] = {}  # cells the report's own text states otherwise
    for c in checks:
        c["expected_text"], c["actual_text"] = fmt(c["expected"]), fmt(c["actual"])
        if c["ok"] == 0:
            marks = contradicted if c["check_name"] == "narrative" else flagged
            for key in check_keys(c["check_name"], c["scope"], template, cells):
                marks.setdefault(key, []).append(f"{c['check_name']} ({c['scope']})")
    narrative = [{**c, "topic": narrative_topics().get(c["scope"].split("#")[0])}
                 for c in checks if c["check_name"] == "narrative"]
    checks = [c for c in checks if c["check_name"] != "narrative"]
    tables = official_tables(cells, template, flagged, contradicted) if template in ACTIVE else []
    link_evidence(tables, evidence["cells"])
    sections = _json_list(report["sections"])
    context = {
        "report": report,
        "tables": tables,
        "other_cells": [] if tables else sorted(cells.items()),
        "checks": checks,
        "failing": [c for c in checks if c["ok"] == 0],
        "narrative": narrative,
        "check_help": check_help(),
        "narrative_failing": [c for c in narrative if c["ok"] == 0],
        "sections": sections,
        "warnings": [w for w in (report["warnings"] or "").splitlines() if w.strip()],
        "original_available": blob_path(datasette, db, report["sha256"]) is not None,
        "original_url": datasette.urls.path(f"/-/original/{quote(rid, safe='')}"),
        "replay_url": datasette.urls.path(f"/-/archived/{quote(rid, safe='')}") if replayable else None,
        "agency_url": agency_url(datasette, report["agency"]) if report["agency"] else None,
        "row_url": datasette.urls.row(db.name, "reports", tilde_encode(rid)),
        "cells_url": datasette.urls.table(db.name, "cells") + f"?report_id={quote(rid)}",
        "database": db.name,
        "indicators": indicators,
        "legacy_tables": legacy,
        **evidence,
    }
    return Response.html(await datasette.render_template("report.html", context, request=request))


def legacy_tables(rows: list[dict]) -> list[dict]:
    """The statistics tables of a pre-2019 report as printed, one dict per table: its
    header and rows, the year's column marked (the one the values were read from)."""
    tables: dict[int, dict] = {}
    for r in rows:
        t = tables.setdefault(r["table_no"], {"header": _json_strings(r["header"]), "rows": [],
                                             "column": r["column_header"]})
        printed = _json_strings(r["printed"]) or [r["label"], r["unit"], r["raw"]]
        at = next((i for i, c in enumerate(printed) if c == r["raw"] and i > 0), None)
        if t["header"] and r["column_header"]:
            heads = [h.replace(" ", "") for h in t["header"]]
            if r["column_header"] in heads:
                at = heads.index(r["column_header"]) + len(printed) - len(heads)
        t["rows"].append({"cells": printed, "year_at": at, "indicator": r["indicator"],
                          "label": r["label"], "row_no": r["row_no"]})
    return [tables[k] for k in sorted(tables)]


def _json_strings(text: str | None) -> list[str]:
    try:
        items = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(i) for i in items] if isinstance(items, list) else []


# -- the archived original ---------------------------------------------------------


async def original(datasette, request):
    """The archived bytes of a report (or any document), as the server sent them."""
    rid = unquote(request.url_vars["id"])
    db = await reports_database(datasette)
    row = (await db.execute(
        "select r.sha256, d.content_type, r.url from reports r "
        "left join documents d on d.id = r.document_id where r.id = ? "
        "union all select sha256, content_type, url from documents where id = ? limit 1",
        [rid, rid])).first()
    if row is None:
        raise NotFound(f"No report or document {rid}")
    path = blob_path(datasette, db, row["sha256"])
    if path is None:
        source = markupsafe.escape(row["url"] or "")
        return Response.html(
            "<!DOCTYPE html><meta charset='utf-8'><title>Original unavailable</title>"
            f"<p>The archived bytes of {markupsafe.escape(rid)} are not available in this copy "
            f"of the archive (sha256 {markupsafe.escape(row['sha256'] or '?')}).</p>"
            f"<p>Source: <a href='{source}'>{source}</a></p>",
            status=404,
        )
    name = (row["url"] or rid).rstrip("/").rsplit("/", 1)[-1] or rid
    return Response(
        path.read_bytes(),
        content_type=row["content_type"] or "application/octet-stream",
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(name, safe='')}",
            # archived pages are other sites' HTML: show them, never run them on this origin
            "Content-Security-Policy": "sandbox",
            "X-Content-Type-Options": "nosniff",
        },
    )


# -- the archived copy, replayed from the WARC --------------------------------------


def _closest(rows: list, when: str) -> dict[str, str]:
    """url -> id of the capture of each URL nearest in time to the page's own."""
    best: dict[str, tuple[float, str]] = {}
    for url, did, fetched in rows:
        gap = abs(_seconds(fetched) - _seconds(when))
        if url not in best or gap < best[url][0]:
            best[url] = (gap, did)
    return {url: did for url, (_, did) in best.items()}


def _seconds(stamp: str | None) -> float:
    from datetime import datetime

    try:
        return datetime.fromisoformat((stamp or "").replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


async def archived(datasette, request):
    """A report's (or any document's) page as it was captured: its WARC record replayed."""
    import asyncio

    from archive.web import replay

    rid = unquote(request.url_vars["id"])
    db = await reports_database(datasette)
    row = (await db.execute(
        "select d.id, d.url, d.warc_file, d.warc_offset, d.fetched_at, d.sha256, "
        "(select r.id from reports r where r.document_id = d.id limit 1) as report from documents d "
        "where d.id = ? or d.id = (select document_id from reports where id = ?) limit 1",
        [rid, rid])).first()
    if row is None:
        raise NotFound(f"No report or document {rid}")
    path = replay.warc_path(archive_dir(datasette, db), row["warc_file"])
    record = None
    if path is not None and row["warc_offset"] is not None:
        record = await asyncio.to_thread(replay.read_record, path, int(row["warc_offset"]))
    if record is None or record["url"] != row["url"]:
        why = ("its WARC record does not match the document" if record is not None
               else "its WARC record is not in this copy of the archive")
        bytes_link = (f"<p><a href='{datasette.urls.path('/-/original/' + quote(row['id'], safe=''))}'>"
                      "存档字节 the archived bytes</a></p>" if blob_path(datasette, db, row["sha256"]) else "")
        return Response.html(
            "<!DOCTYPE html><meta charset='utf-8'><title>Archived copy unavailable</title>"
            f"<p>The archived copy of {markupsafe.escape(rid)} cannot be replayed: {why} "
            f"({markupsafe.escape(row['warc_file'] or 'no WARC file')}).</p>{bytes_link}", status=404)
    wanted = replay.page_links(record)
    found: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        part = wanted[i:i + 500]
        rows = await db.execute(
            f"select url, id, fetched_at from documents where url in ({', '.join('?' * len(part))}) "
            "and warc_file is not null", part)
        found |= _closest([tuple(r) for r in rows], row["fetched_at"])
    targets = {url: datasette.urls.path(f"/-/archived/{quote(did, safe='')}") for url, did in found.items()}
    status, headers, body = replay.replay(record, targets, report_url(datasette, row["report"]) if row["report"] else None,
                                          missing=datasette.urls.path("/-/not-archived"))
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "application/octet-stream")
    return Response(body, status=status, content_type=content_type,
                    headers={k: v for k, v in headers if k.lower() != "content-type"})


async def not_archived(datasette, request):
    """Where an archived page's link to an address the crawl never captured leads: says so
    (404, as a replay tool does), offers the live address, or the capture if there is one."""
    from archive.web import replay

    url = request.args.get("url", "")
    if not url:
        raise NotFound("No url given")
    db = await reports_database(datasette)
    row = (await db.execute("select id from documents where url = ? and warc_file is not null "
                            "order by fetched_at desc limit 1", [url])).first()
    href = datasette.urls.path(f"/-/archived/{quote(row['id'], safe='')}") if row else None
    return Response.html(replay.not_archived_page(url, href), status=200 if row else 404,
                         headers={"Referrer-Policy": "no-referrer"})


# -- the agency pages ------------------------------------------------------------


async def agency_series(db: Database, name: str) -> dict[str, Any]:
    """Per year: applications received and processed outcomes (table 三 totals)."""
    rows = await db.execute(
        f"with chosen as ({CHOSEN_SQL}) select ch.year, ch.id, c.row, c.value from chosen ch "
        "left join cells c on c.report_id = ch.id and c.table_name = 'applications' "
        "and c.col = 'total' order by ch.year", {"agency": name})
    years: dict[int, dict[str, Any]] = {}
    for r in rows:
        y = years.setdefault(r["year"], {"report": r["id"], "new_received": None,
                                         **{g: None for _, g in OUTCOME_GROUPS}})
        row, value = r["row"], r["value"]
        if row is None or value is None:
            continue
        value = int(value) if float(value).is_integer() else value
        if row == "new_received":
            y["new_received"] = value
        for _, prefix in OUTCOME_GROUPS:
            if row == prefix or (prefix.endswith("_") and row.startswith(prefix)):
                y[prefix] = (y[prefix] or 0) + value
    labels = [str(y) for y in years]
    indicators = await indicator_series(db, name)
    return {
        "years": years,
        "indicators": indicators,
        "applications": indicators["chart"],
        "outcomes": {"labels": labels, "title": "本年度办理结果（总计）", "stacked": True,
                     "series": [{"name": label, "values": [v[p] for v in years.values()]}
                                for label, p in OUTCOME_GROUPS]},
    }


async def indicator_series(db: Database, name: str) -> dict[str, Any]:
    """The agency's indicators per year from its first report to its last (the panel: one
    report a year), every era; each point with its source and evidence for the hover."""
    rows = [dict(r) for r in await db.execute(
        "select p.year, p.report, p.template, i.indicator, i.value, i.source, i.evidence "
        "from panel p left join indicators i on i.report_id = p.report "
        "where p.agency = :agency and p.year is not null order by p.year", {"agency": name})]
    names = {r["key"]: dict(r) for r in await db.execute(
        "select key, zh, en from indicator_definitions order by position")}
    by_year: dict[int, dict[str, Any]] = {}
    for r in rows:
        y = by_year.setdefault(r["year"], {"report": r["report"], "template": r["template"], "values": {}})
        if r["indicator"] is not None:
            value = r["value"]
            value = int(value) if value is not None and float(value).is_integer() else value
            y["values"][r["indicator"]] = {"value": value, "source": r["source"], "evidence": r["evidence"]}
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    key = "requests_received"

    def point(year: int) -> dict | None:
        return by_year.get(year, {}).get("values", {}).get(key)

    def note(year: int) -> str:
        p = point(year)
        if p is None:
            return "没有报告 no report" if year not in by_year else "报告未给出 not given"
        return f"来源 {SOURCE_NAMES.get(p['source'], p['source'])}: {p['evidence']}"

    chart = {"labels": [str(y) for y in years],
             "title": f"{names.get(key, {}).get('zh', key)}（{years[0]}–{years[-1]}）" if years else "",
             "series": [{"name": "收到申请 requests received",
                         "values": [(point(y) or {}).get("value") for y in years],
                         "sources": [(point(y) or {}).get("source") for y in years],
                         "notes": [note(y) for y in years]}]}
    shown = [k for k in PAGE_INDICATORS if k in names]
    return {"chart": chart, "years": {y: by_year.get(y) for y in years},
            "columns": [{"key": k, **names[k]} for k in shown], "sources": SOURCE_NAMES}


async def agency_page(datasette, request):
    name = unquote(request.url_vars["name"])
    db = await reports_database(datasette)
    agency = (await db.execute("select * from agencies where name = ?", [name])).first()
    reports = [dict(r) for r in await db.execute(
        "select id, year, template, format, title, checks_failed, checks_failing from reports "
        "where agency = ? order by year, id", [name])]
    if agency is None and not reports:
        raise NotFound(f"No agency {name}")
    series = await agency_series(db, name)
    missing = [r["year"] for r in await db.execute(
        "select year from coverage where agency = ? and status = 'missing' order by year", [name])]
    printed = [dict(r) for r in await db.execute(
        "select printed, method, reports from agency_names where agency = ? and printed != agency "
        "order by printed", [name])]
    context = {
        "missing": missing,
        "printed_names": printed,
        "coverage_url": datasette.urls.path("/-/coverage"),
        "name": name,
        "agency": dict(agency) if agency else {},
        "reports": [{**r, "url": report_url(datasette, r["id"])} for r in reports],
        "series": series,
        "groups": OUTCOME_GROUPS,
        "row_url": datasette.urls.row(db.name, "agencies", tilde_encode(name)),
        "database": db.name,
    }
    return Response.html(await datasette.render_template("agency.html", context, request=request))


async def agency_index(datasette, request):
    db = await reports_database(datasette)
    rows = await db.execute(
        "select a.name, a.parent_region, a.level, count(r.id) as reports, min(r.year) as first, "
        "max(r.year) as last from agencies a left join reports r on r.agency = a.name "
        "group by a.name order by a.parent_region, a.name")
    agencies = [{**dict(r), "url": agency_url(datasette, r["name"])} for r in rows]
    return Response.html(await datasette.render_template(
        "agencies.html", {"agencies": agencies, "database": db.name}, request=request))


async def coverage(datasette, request):
    db = await reports_database(datasette)
    return await coverage_page(datasette, request, db, lambda rid: report_url(datasette, rid),
                               lambda name: agency_url(datasette, name))


async def health(datasette, request):
    return await health_page(datasette, request, await reports_database(datasette))


# -- the evidence of each number, corrections, the review queue ----------------------


async def evidence(datasette, request):
    from archive.web.evidence import cache_dir, evidence_response

    db = await reports_database(datasette)
    folder = cache_dir((datasette.plugin_config("nianbao") or {}).get("evidence_cache"),
                       archive_dir(datasette, db))
    return await evidence_response(datasette, request, db, lambda sha: blob_path(datasette, db, sha),
                                   folder, lambda rid: report_url(datasette, rid))


async def review(datasette, request):
    from archive.web.review_page import review_response

    db = await reports_database(datasette)
    return await review_response(datasette, request, db, lambda rid: report_url(datasette, rid))


async def report_evidence(datasette, db, rid: str, cells: dict[str, dict]) -> dict[str, Any]:
    """The report page's links to each number's evidence, its carryover checks both ways
    and the corrections applied to it."""
    from archive.web.report_evidence import report_evidence as gather

    return await gather(datasette, db, rid, cells, lambda r: report_url(datasette, r))


def link_evidence(tables: list[dict], links: dict[str, dict]) -> None:
    """Each value cell of the laid-out tables gets its evidence link and correction mark."""
    for table in tables:
        for row in table["rows"]:
            for item in row:
                if item.get("key") in links:
                    item.update(links[item["key"]])


@hookimpl
def register_routes(datasette):
    routes = [
        (r"^/-/coverage/?$", coverage),
        (r"^/-/health/?$", health),
        (r"^/-/report/(?P<id>[^/]+)$", report_page),
        (r"^/-/original/(?P<id>[^/]+)$", original),
        (r"^/-/archived/(?P<id>[^/]+)$", archived),
        (r"^/-/not-archived/?$", not_archived),
        (r"^/-/agency/?$", agency_index),
        (r"^/-/agency/(?P<name>[^/]+)$", agency_page),
        (r"^/-/evidence/(?P<id>[^/]+)/(?P<target>[^/]+?)(?P<png>\.png)?$", evidence),
        (r"^/-/review/?$", review),
    ]
    if not any(mount == "static" for mount, _ in getattr(datasette, "static_mounts", [])):
        # plain `datasette nianbao.db` without archive.web.serve: still serve charts.js and the CSS
        routes.append((r"^/static/(?P<path>.*)$", asgi_static(STATIC)))
    return routes


@hookimpl
def prepare_jinja2_environment(env):
    # Datasette looks for templates beside packaged plugins only; this one is a module, and
    # plain `datasette nianbao.db` (no --template-dir) must find report.html all the same
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(TEMPLATES))])


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/static/nianbao.css")]


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("/-/agency/"), "label": "机关图表 Agencies"},
            {"href": datasette.urls.path("/-/coverage"), "label": "报告覆盖（缺失的报告） Coverage"},
            {"href": datasette.urls.path("/-/health"), "label": "站点健康（警报） Site health"},
            {"href": datasette.urls.path("/-/review"), "label": "待复核 Review queue"}]

