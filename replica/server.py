"""Serve replica sites over real HTTP on loopback, each on its own 127.0.0.N address.

A crawler under test sees distinct hosts (per-host politeness, robots.txt and
allowed domains all apply) without any network. The server logs every request
and can misbehave on purpose (timeouts, resets, 500s, redirect loops) so that
retries and error handling are tested against real sockets.
"""

from __future__ import annotations

import hashlib
import html
import socket
import struct
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from replica.sites import Resource, Site

NO_RESPONSE = 0  # Hit.status when the connection was dropped without an answer


@dataclass(frozen=True)
class Hit:
    site: str
    method: str
    path: str  # path with query, as requested
    status: int  # 0: no response (reset / timeout fault)
    time: float


def etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest() + '"'


def _not_found(site: Site, path: str) -> Resource:
    text = (
        f'<!DOCTYPE html><html><head><meta charset="{site.charset}">'
        f"<title>404 页面不存在_{html.escape(site.agency)}</title></head><body>"
        '<div class="error"><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p>'
        f'<p>{html.escape(path)}</p><p><a href="/">返回首页</a></p></div>'
        f'<div class="footer">版权所有：{html.escape(site.agency)}</div></body></html>'
    )
    return Resource(
        text.encode(site.charset, "replace"),
        f"text/html; charset={site.charset}",
        status=404,
    )


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Site, replica: ReplicaServer) -> None:
        self.site = site
        self.replica = replica
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up mid-answer are expected here; stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections are closed after this
    server: _SiteServer

    def version_string(self) -> str:
        return self.server.site.server_header

    def log_message(self, format: str, *args: object) -> None:
        """The replica keeps its own log (ReplicaServer.hits)."""

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        self._serve(head=False)

    def _log(self, status: int) -> None:
        self.server.replica._record(
            Hit(self.server.site.name, self.command, self.path, status, time.time())
        )

    def _params(self, query: str) -> dict[str, str]:
        params = dict(parse_qsl(query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            form = self.rfile.read(length).decode("utf-8", "replace")
            params.update(parse_qsl(form, keep_blank_values=True))
        return params

    def _serve(self, head: bool) -> None:
        site, replica = self.server.site, self.server.replica
        parts = urlsplit(self.path)
        path, query = parts.path or "/", parts.query
        params = self._params(query)
        if site.latency:
            replica._stopping.wait(site.latency)
        resource = site.lookup(path, query, params) or _not_found(site, path)
        fault = replica._take_fault(resource)
        if fault in ("timeout", "reset"):
            self._log(NO_RESPONSE)
            if fault == "timeout":
                replica._stopping.wait(resource.delay)
            self._drop(abortive=fault == "reset")
            return
        if fault == "error500":
            self._answer(_error500(site), head)
            return
        if fault == "redirect_loop":
            target = path if query == "loop=1" else f"{path}?loop=1"  # A -> B -> A ...
            self._answer(Resource(b"", "text/html", status=302, headers={"Location": target}), head)
            return
        if resource.status == 200 and self._not_modified(resource):
            self._answer(resource, head, status=304)
            return
        self._answer(resource, head)

    def _not_modified(self, resource: Resource) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or etag(resource.body) in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                return int(resource.modified) <= parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _answer(self, resource: Resource, head: bool, status: int | None = None) -> None:
        status = status or resource.status
        body = b"" if status == 304 else resource.body
        self.send_response(status)
        self.send_header("Content-Type", resource.content_type)
        if status in (200, 304):
            self.send_header("ETag", etag(resource.body))
            self.send_header("Last-Modified", formatdate(resource.modified, usegmt=True))
        for name, value in resource.headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self._log(status)
        if not head and body:
            self.wfile.write(body)

    def _drop(self, abortive: bool) -> None:
        """Close without answering; ``abortive`` sends a TCP RST (SO_LINGER 0)."""
        self.close_connection = True
        if abortive:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()


def _error500(site: Site) -> Resource:
    text = (
        f'<html><head><meta charset="{site.charset}"><title>500 Internal Server Error</title>'
        "</head><body><h1>500 Internal Server Error</h1><p>服务器繁忙，请稍后再试。</p>"
        "</body></html>"
    )
    return Resource(text.encode(site.charset, "replace"), "text/html", status=500)


class ReplicaServer:
    """``with ReplicaServer(sites) as srv:`` serves every site until the block ends.

    ``port=0`` picks a free port per site; a fixed port works too since every
    site has its own address (used by the demo for stable URLs).
    """

    def __init__(self, sites: Iterable[Site] | None = None, port: int = 0) -> None:
        if sites is None:
            from replica.bundle import build_sites

            sites = build_sites()
        self.sites: dict[str, Site] = {s.name: s for s in sites}
        self.port = port
        self._servers: dict[str, _SiteServer] = {}
        self._threads: list[threading.Thread] = []
        self._log: list[Hit] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self) -> ReplicaServer:
        self._stopping.clear()
        for site in self.sites.values():
            server = _SiteServer((f"127.0.0.{site.host_index}", self.port), site, self)
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"replica-{site.name}",
                daemon=True,
            )
            thread.start()
            self._servers[site.name] = server
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers stalled in latency/timeout waits
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def base_url(self, site_name: str) -> str:
        host, port = self._servers[site_name].server_address[:2]
        return f"http://{host}:{port}"

    def url(self, site_name: str, path: str = "/") -> str:
        return self.base_url(site_name) + path

    def site(self, site_name: str) -> Site:
        return self.sites[site_name]

    def hits(self, site: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self._log if site is None or h.site == site]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def _record(self, hit: Hit) -> None:
        with self._lock:
            self._log.append(hit)

    def _take_fault(self, resource: Resource) -> str | None:
        """The fault this request gets, counting it against ``fail_times``."""
        with self._lock:
            if resource.fault is None:
                return None
            if resource.fail_times and resource.faults_served >= resource.fail_times:
                return None
            resource.faults_served += 1
            return resource.fault
