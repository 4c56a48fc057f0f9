"""The archived copy of a page as it was captured: its WARC response record replayed.

``/-/archived/<report or document id>`` reads the record at the document's
``warc_file``/``warc_offset``: the captured status, the captured headers (the ones a
browser acts on as they were, the rest as ``X-Archive-Orig-*``, as pywb does), the body
as the site sent it, its links to other archived documents pointed at their archived
copies and the rest made absolute, and a one-line banner saying what this is. The page
runs sandboxed (no script, nothing loaded from its live site): it is another site's HTML.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote, urljoin

from warcio.archiveiterator import ArchiveIterator

WARC_NAME = re.compile(r"[\w.-]+\.warc(?:\.gz)?")
# captured headers a browser acts on, passed as they were; the others become X-Archive-Orig-*
KEPT = {"content-type", "content-language", "content-disposition", "last-modified", "etag"}
# consumed in the capture (the body is stored decoded of transfer and content coding)
DROPPED = {"content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive",
           "set-cookie", "content-security-policy", "strict-transport-security"}
POLICY = ("sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src 'self' data:; "
          "style-src 'self' 'unsafe-inline'; font-src 'self' data:; media-src 'self'; frame-src 'self'")
_ATTR = re.compile(rb"""(?P<pre>\s(?:href|src|action|background|data)\s*=\s*)(?P<q>["']?)(?P<url>(?(q)[^"'>]*|[^\s"'>]+))(?P=q)""",
                   re.IGNORECASE)
_TAG_WITH_ATTR = re.compile(rb"<(?:a|area|link|img|script|iframe|frame|form|embed|source|input|body|td|table|object)\b[^>]*>",
                            re.IGNORECASE)
_BASE = re.compile(rb"""<base\s[^>]*href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def read_record(warc: Path, offset: int) -> dict | None:
    """The response record at ``offset``: url, date, status, headers, body (decoded)."""
    with warc.open("rb") as f:
        f.seek(offset)
        for record in ArchiveIterator(f):
            if record.rec_type != "response" or record.http_headers is None:
                return None
            return {"url": record.rec_headers.get_header("WARC-Target-URI"),
                    "date": record.rec_headers.get_header("WARC-Date"),
                    "status": int(record.http_headers.get_statuscode() or 200),
                    "headers": list(record.http_headers.headers),
                    "body": record.content_stream().read()}
    return None


def charset(headers: list[tuple[str, str]], body: bytes) -> str:
    for name, value in headers:
        if name.lower() == "content-type" and "charset=" in value.lower():
            return value.lower().split("charset=")[-1].split(";")[0].strip().strip("\"'") or "utf-8"
    found = _CHARSET.search(body[:4096])
    return found.group(1).decode("ascii").lower() if found else "utf-8"


def links(body: bytes, base: str, encoding: str) -> dict[bytes, str]:
    """Each link value written in the page -> the absolute URL it names."""
    found = _BASE.search(body)
    if found:
        base = urljoin(base, found.group(1).decode("ascii", "replace"))
    out = {}
    for tag in _TAG_WITH_ATTR.finditer(body):
        for m in _ATTR.finditer(tag.group(0)):
            raw = m.group("url")
            text = html.unescape(raw.decode(encoding, "replace")).strip()
            if text and not text.startswith(("#", "javascript:", "mailto:", "data:", "tel:")):
                out[raw] = urljoin(base, text)
    return out


_NAVIGATION = re.compile(rb"<(?:a|area)\b", re.IGNORECASE)


def rewrite(body: bytes, targets: dict[bytes, str], archived: dict[str, str], missing: str | None = None) -> bytes:
    """Links to archived documents -> their archived copies; the rest absolute, except that
    with ``missing`` a link the reader follows (``<a>``, ``<area>``) to a web page the
    archive does not hold leads to ``missing?url=…`` (a page saying so, as a replay tool
    does) rather than silently onto today's live site. Works on the bytes
    (ASCII-compatible charsets: quotes and ``>`` never occur inside a GBK or UTF-8
    character), so everything else stays byte for byte as captured."""

    def one(tag: re.Match) -> bytes:
        navigation = missing is not None and _NAVIGATION.match(tag.group(0)) is not None

        def attr(m: re.Match) -> bytes:
            url = targets.get(m.group("url"))
            if url is None:
                return m.group(0)
            new = archived.get(url.split("#")[0])
            if new is None:
                new = (f"{missing}?url={quote(url, safe='')}"
                       if navigation and url.startswith(("http://", "https://")) else url)
            q = m.group("q") or b'"'
            return m.group("pre") + q + html.escape(new, quote=True).encode("ascii", "xmlcharrefreplace") + q

        return _ATTR.sub(attr, tag.group(0))

    return _TAG_WITH_ATTR.sub(one, body)


def banner(url: str, captured: str, report_href: str | None) -> bytes:
    """One line above the page, ASCII only (Chinese as character references), so it reads
    right whatever the page's charset."""
    back = f' · <a href="{html.escape(report_href)}" style="color:#fff">报告页 report page</a>' if report_href else ""
    text = (f'<div style="all:initial;display:block;font:13px sans-serif;background:#333;color:#fff;'
            f'padding:4px 8px">存档副本 Archived copy · 抓取于 captured {html.escape(captured)} · '
            f'{html.escape(url)}{back}</div>')
    return text.encode("ascii", "xmlcharrefreplace")


def http_date(warc_date: str) -> str:
    return format_datetime(datetime.fromisoformat(warc_date.replace("Z", "+00:00")), usegmt=True)


def _content_type(record: dict) -> str:
    return next((v for k, v in record["headers"] if k.lower() == "content-type"), "")


def _rewritable(record: dict) -> str | None:
    """The page's charset when its links are rewritten (HTML in an ASCII-compatible charset)."""
    body, content_type = record["body"], _content_type(record).lower()
    if "html" not in content_type and (content_type or body.lstrip()[:1] != b"<"):
        return None
    encoding = charset(record["headers"], body)
    return None if encoding.startswith(("utf-16", "utf-32")) else encoding


def page_links(record: dict) -> list[str]:
    """The absolute URLs the page links to (to look up which of them were archived)."""
    encoding = _rewritable(record)
    return sorted(set(links(record["body"], record["url"], encoding).values())) if encoding else []


def replay(record: dict, archived: dict[str, str], report_href: str | None = None,
           missing: str | None = None) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of the archived copy; ``archived`` maps the absolute URLs
    of archived documents to the paths of their archived copies; ``missing``: the path of
    the page that says a link's target is not in the archive."""
    headers: list[tuple[str, str]] = []
    for name, value in record["headers"]:
        low = name.lower()
        if low not in DROPPED:
            headers.append((name, value) if low in KEPT else (f"X-Archive-Orig-{name}", value))
    body = record["body"]
    encoding = _rewritable(record)
    if encoding:
        body = rewrite(body, links(body, record["url"], encoding), archived, missing)
        top = banner(record["url"], record["date"] or "", report_href)
        m = _BODY.search(body)
        body = body[:m.end()] + top + body[m.end():] if m else top + body
    headers += [("Memento-Datetime", http_date(record["date"])) if record["date"] else ("X-Archive", "1"),
                ("Link", f'<{record["url"]}>; rel="original"'),
                ("Content-Security-Policy", POLICY), ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "no-referrer")]
    return record["status"], headers, body


def warc_path(root: Path | None, warc_file: str | None) -> Path | None:
    """The WARC file a document names, if it is a plain file name in this archive's warc/."""
    if root is None or not warc_file or not WARC_NAME.fullmatch(warc_file):
        return None
    path = root / "warc" / warc_file
    return path if path.is_file() else None


def not_archived_page(url: str, archived_href: str | None) -> str:
    """The page a link to an unarchived address leads to: what it is, the address (a link
    only for http/https), and the capture when the archive has one after all."""
    live = url.startswith(("http://", "https://")) and len(url) <= 2048
    shown = html.escape(url[:2048])
    parts = ["<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>",
             "<meta name='robots' content='noindex'><title>不在存档中 Not in the archive</title></head><body>",
             "<h1>不在存档中 Not in the archive</h1>"]
    if archived_href:
        parts.append(f"<p>存档中有此地址的副本 The archive holds a copy of this address: "
                     f"<a href='{html.escape(archived_href)}'>{shown}</a></p>")
    else:
        parts.append("<p>存档页面的这个链接指向的页面没有被抓取。 The archived page links to an address the "
                     "crawl did not capture.</p>")
    if live:
        parts.append(f"<p>现网地址 On the live web (today's page, which may differ from what was linked): "
                     f"<a href='{shown}' rel='noopener noreferrer nofollow'>{shown}</a></p>")
    else:
        parts.append(f"<p>地址 Address: <code>{shown}</code></p>")
    parts.append("</body></html>")
    return "".join(parts)
