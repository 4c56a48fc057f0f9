"""Chinese first: Datasette's own words on every HTML page in Chinese, English a click away.

The people who browse the archive read Chinese; Datasette prints its interface in
English. Its visible phrases (``data/ui_zh.csv``, and a few patterns with numbers) are
put into Chinese as pages leave the server. ``/-/lang?to=en&next=URL`` (linked from every
page) sets a cookie and returns to the same URL in English; ``to=zh`` goes back. Data —
cell keys, values, CSV and JSON — is never touched.
"""

from __future__ import annotations

import csv
import html
import re
from functools import lru_cache
from http.cookies import SimpleCookie
from importlib import resources
from urllib.parse import parse_qs, quote, urlsplit

from datasette import Response, hookimpl

COOKIE = "nianbao_lang"
_PATTERNS = (
    (re.compile(r"^([\d,]+) rows? in ([\d,]+) tables?$"), r"\1 行，\2 个数据表"),
    (re.compile(r"^([\d,]+) rows? in ([\d,]+) hidden tables?$"), r"\1 行，\2 个隐藏表"),
    (re.compile(r"^([\d,]+) hidden tables?$"), r"\1 个隐藏表"),
    (re.compile(r"^([\d,]+) views?$"), r"\1 个视图"),
    (re.compile(r"^([\d,]+) rows?$"), r"\1 行"),
    (re.compile(r"^([\d,]+) rows?\s+sorted by (\S+)( descending)?$", re.S),
     lambda m: f"{m.group(1)} 行，按 {m.group(2)} {'降序' if m.group(3) else '升序'}排列"),
    (re.compile(r"^([\d,]+) rows? where (.*)$", re.S), r"\1 行，条件：\2"),
    (re.compile(r"^Sort by (\S+)$"), r"按 \1 排序"),
    (re.compile(r"^Custom SQL query returning ([\d,]+) rows?(.*)$", re.S), r"自定义SQL查询，返回 \1 行\2"),
    (re.compile(r"^· Queries took ([\d.]+)ms(.*)$", re.S),
     lambda m: f"· 查询用时 {m.group(1)} 毫秒 " + translate_text(m.group(2))),
    (re.compile(r"^from (\S+) in (\S+)$"), r"（\2 表的 \1）"),
    (re.compile(r"^\.\.\. and$"), "……以及"),
)
_TEXT = re.compile(r">([^<>]+)<")
_VALUE = re.compile(r'(<input[^>]*type="submit"[^>]*value=")(Apply|Search|Run SQL|Save query|Export CSV)(")')
_BUTTONS = {"Apply": "应用", "Search": "搜索", "Run SQL": "运行SQL", "Save query": "保存查询",
            "Export CSV": "导出CSV"}


@lru_cache(maxsize=1)
def phrases() -> dict[str, str]:
    text = resources.files("archive.web").joinpath("data/ui_zh.csv").read_text(encoding="utf-8")
    return {r["english"]: r["chinese"] for r in csv.DictReader(text.splitlines())}


def translate_text(text: str) -> str:
    """One text node: an exact phrase, a pattern with numbers, or unchanged."""
    stripped = " ".join(html.unescape(text).split())  # templates break phrases over lines
    if not stripped:
        return text
    found = phrases().get(stripped)
    if found is None:
        for pattern, replacement in _PATTERNS:
            if pattern.match(stripped):
                found = pattern.sub(replacement, stripped)
                break
    if found is None:
        return text
    lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return lead + html.escape(found, quote=False) + tail


def translate_page(page: str) -> str:
    """Text between tags only (never attributes, scripts' code or data cells' keys)."""
    head, sep, body = page.partition("<body")
    if not sep:
        return page
    # data cells (<td>) are never translated, nor code
    parts = re.split(r"(<script.*?</script>|<style.*?</style>|<pre.*?</pre>|<textarea.*?</textarea>"
                     r"|<td[ >].*?</td>)", body, flags=re.S)
    for i in range(0, len(parts), 2):
        parts[i] = _TEXT.sub(lambda m: ">" + translate_text(m.group(1)) + "<", parts[i])
        parts[i] = _VALUE.sub(lambda m: m.group(1) + _BUTTONS[m.group(2)] + m.group(3), parts[i])
    return head.replace('<html lang="en">', '<html lang="zh-CN">') + sep + "".join(parts)


def language(scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            cookie = SimpleCookie(value.decode("latin-1"))
            if COOKIE in cookie and cookie[COOKIE].value == "en":
                return "en"
    return "zh"


def switch_link(path: str, query: str, lang: str) -> str:
    here = path + (f"?{query}" if query else "")
    to, label = ("en", "English") if lang == "zh" else ("zh", "中文")
    return (f'<p class="lang-switch"><a href="/-/lang?to={to}&amp;next={html.escape(quote(here, safe=""))}">'
            f"{label}</a></p>")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def translated(scope, receive, send):
            # archived pages (/-/archived, /-/original) are other sites' bytes in their own charset
            if scope["type"] != "http" or scope.get("path", "").startswith(
                    ("/-/static", "/static", "/-/archived/", "/-/original/")):
                await app(scope, receive, send)
                return
            lang = language(scope)
            start: dict = {}
            chunks: list[bytes] = []

            async def capture(message):
                if message["type"] == "http.response.start":
                    headers = dict(message.get("headers") or [])
                    if b"text/html" not in headers.get(b"content-type", b""):
                        start["pass"] = True
                        await send(message)
                        return
                    start["message"] = message
                    return
                if start.get("pass"):
                    await send(message)
                    return
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                page = b"".join(chunks).decode("utf-8", "replace")
                if lang == "zh":
                    page = translate_page(page)
                page = page.replace("</footer>", switch_link(
                    scope.get("path", "/"), scope.get("query_string", b"").decode("latin-1"), lang) + "</footer>", 1)
                body = page.encode("utf-8")
                headers = [(k, v) for k, v in start["message"].get("headers", [])
                           if k.lower() not in (b"content-length", b"vary")]
                headers += [(b"content-length", str(len(body)).encode()), (b"vary", b"Cookie")]
                await send({**start["message"], "headers": headers})
                await send({"type": "http.response.body", "body": body})

            await app(scope, receive, capture)

        return translated

    return wrap


_STRIPPED = "".join(map(chr, range(0x21)))  # what a browser strips from a URL's ends: C0 and space
_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%#\[\]]")


def safe_next(target: str) -> str:
    """``target`` if a browser, given it as Location, stays on this site; else ``/``.

    Read as the browser reads it (WHATWG URL): tab, LF and CR removed wherever they are,
    C0 controls and spaces stripped from the ends, a backslash taken for a slash. What is
    left must be a path (``/…``, not ``//host`` nor ``scheme:``); it is sent with anything
    but URL characters percent-encoded, so no CR, LF or NUL reaches the header."""
    url = re.sub(r"[\t\n\r]", "", target).strip(_STRIPPED).replace("\\", "/")
    if not url.startswith("/") or url.startswith("//"):
        return "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return "/"
    return _UNSAFE.sub(lambda m: quote(m.group(0), safe=""), url)


async def set_language(request):
    args = parse_qs(request.query_string)
    to = (args.get("to") or ["zh"])[0]
    target = safe_next((args.get("next") or ["/"])[0])  # only back to this site
    response = Response.redirect(target)
    response.set_cookie(COOKIE, "en" if to == "en" else "zh", max_age=365 * 24 * 3600, samesite="lax")
    return response


@hookimpl
def register_routes():
    return [(r"^/-/lang$", set_language)]
