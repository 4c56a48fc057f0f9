"""The evidence of one number: where the parser read it, shown from the archived original.

``/-/evidence/<report>/<key>`` shows a cell (``/-/evidence/<report>/narrative:<scope>``
the sentence a narrative check read, ``indicator:<key>`` an indicator's cells, row or
sentence, ``legacy:<row_no>`` a row of a pre-2019 statistics table): for a page-based document (PDF, scan, picture,
OFD) a crop of the page around it with its box drawn (``….png``, ``?whole=1`` the whole
page), rendered from the archived bytes on demand and kept on disk beside the archive
(``<archive>/cache/evidence/``, or the plugin setting ``evidence_cache``); for HTML,
DOCX, DOC and spreadsheets the archived table with the cell highlighted; for text its
lines. The page also gives the line to paste into the corrections file. The database
says where (archive.schema.where); nothing here parses a report again.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import hashlib
import io
import json
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import markupsafe
from datasette.utils.asgi import NotFound, Response

from archive.schema.where import describe, where_from_columns
from archive.web import crops, highlight
from layouts.render import fmt
from parsers.templates import metrics

CACHE_VERSION = "1"  # crops drawn differently: a new name, the old files left to expire
NARRATIVE = "narrative:"
INDICATOR = "indicator:"
LEGACY = "legacy:"
_RENDER = threading.Lock()  # pdfium is not thread-safe, and a crop is CPU for one core anyway
PICTURE_FORMATS = ("image",)


@dataclass
class Evidence:
    report: dict[str, Any]
    target: str  # the cell key, or narrative:<scope>
    label: str  # what the number is, in the template's words (or the statement's sentence)
    raw: str | None
    value: float | None
    where: dict[str, Any] | None
    ocr: bool = False
    confidence: float | None = None
    corrected: int | None = None
    parser_value: float | None = None
    key: str | None = None  # the cell key (None for a sentence)

    @property
    def sha256(self) -> str:
        """The bytes the place is in: a picture of the page, or the report's document."""
        return (self.where or {}).get("sha256") or self.report["sha256"]

    @property
    def is_page(self) -> bool:
        return bool(self.where and self.where.get("box") and self.where.get("page"))


def evidence_path(datasette, rid: str, target: str, png: bool = False) -> str:
    return datasette.urls.path(f"/-/evidence/{quote(rid, safe='')}/{quote(target, safe=':')}"
                               + (".png" if png else ""))


def cell_label(key: str) -> str:
    m = metrics().get(key)
    return f"{m.row_label} · {m.column_label}" if m else key


async def load(db, rid: str, target: str) -> Evidence:
    report = (await db.execute(
        "select r.id, r.title, r.agency, r.year, r.format, r.template, r.sha256, r.url, d.content_type "
        "from reports r left join documents d on d.id = r.document_id where r.id = ?", [rid])).first()
    if report is None:
        raise NotFound(f"No report {rid}")
    report = dict(report)
    if target.startswith(NARRATIVE):
        scope = target[len(NARRATIVE):]
        row = (await db.execute(
            "select scope, ok, expected, actual, note, where_json from checks where report_id = ? "
            "and check_name = 'narrative' and scope = ?", [rid, scope])).first()
        if row is None:
            raise NotFound(f"Report {rid} has no narrative check {scope}")
        where = json.loads(row["where_json"]) if row["where_json"] else None
        return Evidence(report, target, row["note"] or scope, row["note"], row["actual"], where)
    if target.startswith(INDICATOR):
        key = target[len(INDICATOR):]
        row = (await db.execute(
            "select i.*, d.zh, d.en from indicators i left join indicator_definitions d on d.key = i.indicator "
            "where i.report_id = ? and i.indicator = ?", [rid, key])).first()
        if row is None:
            raise NotFound(f"Report {rid} gives no indicator {key}")
        row = dict(row)
        label = " · ".join(x for x in (row.get("zh"), row.get("en")) if x) or key
        return Evidence(report, target, f"{label} ({row['source']})", row["evidence"],
                        row["value"], where_from_columns(row), corrected=row.get("corrected"),
                        parser_value=row.get("parser_value"), key=key)
    if target.startswith(LEGACY):
        number = target[len(LEGACY):]
        row = (await db.execute("select * from legacy_rows where report_id = ? and cast(row_no as text) = ?",
                                [rid, number])).first()
        if row is None:
            raise NotFound(f"Report {rid} has no statistics table row {number}")
        row = dict(row)
        label = " · ".join(x for x in (row["label"], row["unit"], row["column_header"]) if x)
        return Evidence(report, target, label, row["raw"], row["value"], where_from_columns(row))
    row = (await db.execute("select * from cells where report_id = ? and key = ?", [rid, target])).first()
    if row is None:
        raise NotFound(f"Report {rid} has no cell {target}")
    row = dict(row)
    return Evidence(report, target, cell_label(target), row["raw"], row["value"], where_from_columns(row),
                    bool(row["ocr"]), row.get("confidence"), row.get("corrected"), row.get("parser_value"),
                    key=target)


# -- the crop --------------------------------------------------------------------


def cache_dir(configured: str | None, archive: Path | None) -> Path | None:
    """Where crops are kept: the setting, else beside the archive, else a temporary folder
    (a read-only archive still serves crops)."""
    for candidate in ([Path(configured)] if configured else []) + (
            [archive / "cache" / "evidence"] if archive else []) + [
            Path(tempfile.gettempdir()) / "nianbao-evidence"]:
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            probe = candidate / ".writable"
            probe.write_bytes(b"")
            return candidate
        except OSError:
            continue
    return None


def crop_png(ev: Evidence, data: bytes, whole: bool = False) -> bytes:
    """The crop of the place on its page (the parts on the same page boxed)."""
    w = ev.where or {}
    boxes = [w["box"]] + [a["box"] for a in w.get("also", []) if a.get("page") == w["page"]]
    with _RENDER:
        if w.get("unit") == "px" or ev.report["format"] in PICTURE_FORMATS or w.get("sha256"):
            return crops.picture_crop(data, w["page"], boxes, whole)
        if ev.report["format"] == "ofd":
            return crops.ofd_crop(data, w["page"], boxes, whole=whole)
        return crops.pdf_crop(data, w["page"], boxes, whole=whole)


def cached(folder: Path | None, name: str, make: Callable[[], bytes]) -> bytes:
    if folder is None:
        return make()
    path = folder / name[:2] / name
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass
    return data


def cache_name(ev: Evidence, kind: str) -> str:
    place = json.dumps(ev.where, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(f"{CACHE_VERSION}\n{ev.sha256}\n{ev.report['format']}\n{place}\n{kind}".encode())
    return digest.hexdigest() + (".png" if kind.startswith("png") else ".html")


# -- the archived table or text ---------------------------------------------------


def table_view(ev: Evidence, data: bytes, docx: Callable[[], bytes]) -> markupsafe.Markup:
    """The highlighted table or text; ``docx``: the DOCX a DOC was read through."""
    w = ev.where or {}
    fmt = ev.report["format"]
    if "sheet" in w:
        return highlight.sheet_table(data, fmt, w)
    if "lines" in w:
        from parsers.encoding import decode

        return highlight.text_lines(decode(data, ev.report["content_type"])[0], w["lines"])
    if "table" in w and fmt == "html":
        return highlight.html_table(data, ev.report["content_type"], w)
    if "table" in w and fmt in ("docx", "doc"):
        return highlight.docx_table(docx(), w)
    if "paragraph" in w and fmt in ("docx", "doc"):
        return _sentence(highlight.paragraph_text(docx(), w["paragraph"]), ev.raw)
    if "path" in w and fmt == "html":
        return _sentence(highlight.html_element_text(data, ev.report["content_type"], w["path"]), ev.raw)
    raise highlight.NotShown(f"no view of a {fmt} document at {describe(w) or 'an unknown place'}")


def _sentence(text: str, quote_: str | None) -> markupsafe.Markup:
    """A paragraph with the check's sentence («…» in its note) marked where it stands."""
    sentence = (quote_ or "").split("«", 1)[-1].split("»", 1)[0]
    start = text.find(sentence) if sentence else -1
    if start < 0:
        return markupsafe.Markup('<p class="evidence-text">{}</p>').format(text)
    return markupsafe.Markup('<p class="evidence-text">{}<mark class="evidence-cell" id="evidence-cell">{}</mark>{}</p>').format(
        text[:start], sentence, text[start + len(sentence):])


def to_docx(data: bytes) -> bytes:
    from parsers.convert import to_docx as convert

    return convert(data, ".doc")


# -- the correction line ------------------------------------------------------------


def correction_line(ev: Evidence, evidence_url: str, today: str | None = None) -> str | None:
    """A line of corrections.csv to edit and propose: the value as it reads now."""
    if ev.key is None:
        return None
    value = "" if ev.value is None else (str(int(ev.value)) if float(ev.value).is_integer() else str(ev.value))
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(
        [ev.report["sha256"], ev.key, value, f"原件为… the original reads … (printed {ev.raw or ''!s})", "",
         today or dt.date.today().isoformat(), evidence_url])
    return out.getvalue()


# -- the routes ------------------------------------------------------------------------


async def evidence_response(datasette, request, db, blob: Callable[[str], Path | None],
                            folder: Path | None, report_url: Callable[[str], str]) -> Response:
    rid = unquote(request.url_vars["id"])
    target = unquote(request.url_vars["target"])
    ev = await load(db, rid, target)
    png = bool(request.url_vars.get("png"))
    path = blob(ev.sha256)
    if path is None:
        return Response.html(
            f"<!DOCTYPE html><meta charset='utf-8'><title>Evidence unavailable</title><p>The archived bytes "
            f"{markupsafe.escape(ev.sha256)} are not in this copy of the archive: the evidence of "
            f"{markupsafe.escape(target)} cannot be shown.</p>", status=404)
    if png:
        if not ev.is_page:
            raise NotFound(f"{target} of {rid} is not on a page image")
        whole = request.args.get("whole") == "1"
        try:
            data = await asyncio.to_thread(cached, folder, cache_name(ev, "png-whole" if whole else "png"),
                                           lambda: crop_png(ev, path.read_bytes(), whole))
        except crops.CropError as e:
            return Response.text(f"{target} of {rid}: {e}", status=422)
        return Response(data, content_type="image/png",
                        headers={"Cache-Control": "max-age=86400", "X-Content-Type-Options": "nosniff"})
    view = None
    problem = None
    if ev.where and not ev.is_page:
        try:
            fragment = await asyncio.to_thread(
                cached, folder, cache_name(ev, "html"),
                lambda: str(table_view(ev, path.read_bytes(), lambda: to_docx(path.read_bytes()))).encode())
            view = markupsafe.Markup(fragment.decode())
        except Exception as e:  # a broken or different file: say so, the page still answers
            problem = f"{type(e).__name__}: {e}"[:300]
    page_url = evidence_path(datasette, rid, target)
    context = {
        "ev": ev,
        "value_text": fmt(ev.value, ev.key or "") if ev.value is not None else "",
        "parser_text": fmt(ev.parser_value, ev.key or "") if ev.parser_value is not None else "",
        "where_text": describe(ev.where),
        "crop_url": evidence_path(datasette, rid, target, png=True) if ev.is_page else None,
        "view": view,
        "problem": problem,
        "report_url": report_url(rid),
        "original_url": datasette.urls.path(f"/-/original/{quote(rid, safe='')}"),
        "correction": correction_line(ev, datasette.absolute_url(request, page_url)),
        "where_json": json.dumps(ev.where, ensure_ascii=False) if ev.where else None,
        "database": db.name,
    }
    if request.args.get("embed") == "1":  # the view alone, for the review queue's side-by-side frames
        return Response.html(await datasette.render_template("evidence_embed.html", context, request=request),
                             headers={"Content-Security-Policy": "frame-ancestors 'self'"})
    return Response.html(await datasette.render_template("evidence.html", context, request=request))
