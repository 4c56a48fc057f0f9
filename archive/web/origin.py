"""One origin for every page: with ``nianbao serve --public-url https://nianbao.example.org``
each request reaches Datasette as a request to that origin, so the absolute links Datasette
writes (JSON ``next_url``, alternate links, redirects) name the archive's own address
whatever ``Host`` or ``X-Forwarded-*`` header a visitor sent."""

from __future__ import annotations

from urllib.parse import urlsplit


def fixed_origin(app, public_url: str):
    """``app`` seeing every HTTP request as one to ``public_url``'s scheme and host."""
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"--public-url must be http(s)://host[:port], not {public_url!r}")
    host = parts.netloc.encode("idna" if not parts.netloc.isascii() else "ascii")
    dropped = {b"host", b"x-forwarded-host", b"x-forwarded-proto", b"forwarded"}

    async def fixed(scope, receive, send):
        if scope.get("type") in ("http", "websocket"):
            headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in dropped]
            scope = dict(scope, scheme=parts.scheme, headers=[*headers, (b"host", host)])
        await app(scope, receive, send)

    return fixed
