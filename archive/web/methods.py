"""Only the methods a published, read-only archive answers: GET and HEAD everywhere, POST
only where Datasette's own CSRF-protected forms post (log out, the messages page); any
other method or POST is 405 Method Not Allowed, never a 500 and a traceback in the log
(``TRACE /`` and a POST to a canned query were both)."""

from __future__ import annotations

from datasette import hookimpl

READ = {"GET", "HEAD"}
POST_PATHS = {"/-/logout", "/-/messages"}  # Datasette's forms; asgi-csrf checks their token


def allowed(method: str, path: str) -> bool:
    return method in READ or (method == "POST" and path.rstrip("/") in POST_PATHS)


async def not_allowed(scope, receive, send) -> None:
    body = b"405 Method Not Allowed: this archive answers GET and HEAD\n"
    await send({"type": "http.response.start", "status": 405, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"allow", b"GET, HEAD"),
        (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body if scope.get("method") != "HEAD" else b""})


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def checked(scope, receive, send):
            if scope.get("type") == "http" and not allowed(scope.get("method", "GET"), scope.get("path", "/")):
                await not_allowed(scope, receive, send)
                return
            await app(scope, receive, send)

        return checked

    return wrap
