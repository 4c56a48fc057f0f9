"""Answers kept in memory by ``nianbao serve``: the published database is immutable, so a
page's answer is the same until the file is replaced, and a public archive is asked for
the same pages (the home page, the reports table, a popular search, the canned queries)
again and again.

Only GET answers with status 200, no Set-Cookie and at most ``max_body`` bytes are kept,
keyed by scheme, Host, path, query string and the request's cookies (the language switch and
Datasette's CSRF token change the page; Datasette writes absolute links from the scheme and
Host, so one visitor's Host header must never shape the page another visitor is served); at most ``max_bytes`` in all, least recently
used first out. A new database file means a new server process, so nothing stale
survives a release. Downloads of the database file itself stream past the cache.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

Scope = dict[str, Any]


class ResponseCache:
    def __init__(self, app, max_bytes: int = 256 << 20, max_body: int = 2 << 20) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_body = max_body
        self.entries: OrderedDict[tuple, tuple[dict, bytes]] = OrderedDict()
        self.size = 0
        self.hits = 0

    @staticmethod
    def key(scope: Scope) -> tuple | None:
        if scope.get("type") != "http" or scope.get("method") != "GET":
            return None
        headers = scope.get("headers", [])
        cookies = b"; ".join(v for k, v in headers if k == b"cookie")
        host = b",".join(v for k, v in headers if k == b"host").lower()
        return scope.get("scheme", "http"), host, scope.get("path", ""), scope.get("query_string", b""), cookies

    async def __call__(self, scope: Scope, receive, send) -> None:
        key = self.key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        kept = self.entries.get(key)
        if kept is not None:
            self.entries.move_to_end(key)
            self.hits += 1
            start, body = kept
            await send({**start, "headers": [*start.get("headers", []), (b"x-nianbao-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict | None = None
        chunks: list[bytes] = []
        keep = True

        async def capture(message: dict) -> None:
            nonlocal start, keep
            if message["type"] == "http.response.start":
                start = message
                keep = message.get("status") == 200 and not any(
                    k.lower() == b"set-cookie" for k, _ in message.get("headers", []))
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                if message.get("more_body") or sum(map(len, chunks)) > self.max_body:
                    keep = False  # streamed (the database download) or too large: not kept
            await send(message)

        await self.app(scope, receive, capture)
        if keep and start is not None:
            self._store(key, start, b"".join(chunks))

    def _store(self, key: tuple, start: dict, body: bytes) -> None:
        if key in self.entries:  # two requests for one page answered at once
            self.size -= len(self.entries.pop(key)[1])
        self.entries[key] = (start, body)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            _, (_, old) = self.entries.popitem(last=False)
            self.size -= len(old)
