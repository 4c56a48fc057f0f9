"""No answer larger than MAX_ANSWER_BYTES leaves the public instance: a query of a few
rows of huge values (``SELECT zeroblob(20000000)`` was a 114 MiB JSON answer) is answered
with a short error instead. Streams — the database file download, CSV with ``_stream=1``,
which Datasette bounds with ``max_csv_mb`` — pass as they are."""

from __future__ import annotations

from datasette import hookimpl

MAX_ANSWER_BYTES = 16 << 20


def too_large(size: int) -> bytes:
    return (f"400 answer too large: {size:,} bytes, at most {MAX_ANSWER_BYTES >> 20} MiB are sent; ask for "
            "fewer rows or columns (_size=, LIMIT), stream CSV (_stream=1), or download the database\n").encode()


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def capped(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            held: dict = {}

            async def checked(message):
                if message["type"] == "http.response.start":
                    held["start"] = message  # sent with the first body, once its size is known
                    return
                if "start" in held:
                    start = held.pop("start")
                    body = message.get("body", b"")
                    if not message.get("more_body") and len(body) > MAX_ANSWER_BYTES:
                        error = too_large(len(body))
                        await send({"type": "http.response.start", "status": 400, "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(error)).encode())]})
                        await send({"type": "http.response.body", "body": error})
                        held["refused"] = True
                        return
                    await send(start)
                if not held.get("refused"):
                    await send(message)

            await app(scope, receive, checked)
            if "start" in held:  # an answer with no body message
                await send(held.pop("start"))

        return capped

    return wrap
