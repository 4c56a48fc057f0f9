"""A hostile site: a plain 年报 column whose entries, attachments, pictures and redirects
point where no crawler of this archive may go.

Whoever writes a site's pages can link ``file:///etc/passwd`` or a file of the crawler's
own archive, an ``ftp://`` server on the site's host, a ``data:`` URL, the cloud metadata
address, the crawler's own network (10.x, 192.168.x), loopback on another port or over
IPv6, and other hosts — titled as annual reports so that the crawler would follow them.
Beside them sits one real report, which the crawl must still archive. A ``Trap`` listens
where some of the links point and counts every connection it is offered, so a test can
tell "refused" from "tried and failed".
"""

from __future__ import annotations

import base64
import socket
import threading
from dataclasses import dataclass, field
from urllib.parse import quote

from replica.layout import esc, html_resource, redirect
from replica.seeds import SEEDS, build_seed_site
from replica.sites import Resource, Site


class Trap:
    """A TCP listener that accepts, records the peer and hangs up: nothing must reach it."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.host, self.port = host, self.sock.getsockname()[1]
        self.connections: list[tuple] = []
        self._thread = threading.Thread(target=self._serve, daemon=True, name=f"trap-{host}")

    @property
    def netloc(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def _serve(self) -> None:
        while True:
            try:
                conn, peer = self.sock.accept()
            except OSError:
                return
            self.connections.append(peer)
            conn.close()

    def __enter__(self) -> Trap:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


@dataclass
class Targets:
    """Where the hostile links point: filled in once the traps and the other site listen."""

    host: str  # the hostile site's own address (127.0.0.N)
    secret: str  # a local file's absolute path
    same_host_trap: str  # host:port on the hostile site's own address, another port
    v6_trap: str = ""  # [::1]:port, when this machine has IPv6 loopback
    other_site: str = ""  # base URL of another served site
    links: dict[str, str] = field(default_factory=dict)  # filled by build_hostile: title -> URL

    def entries(self) -> list[str]:
        """Every URL the column, its article and redirects point at that must never be fetched."""
        secret = quote(self.secret)
        urls = [
            "file:///etc/passwd", f"file://{self.host}{secret}", f"file:{secret}",
            f"ftp://{self.same_host_trap}/2019.pdf", "ftp://10.0.0.7/pub/2018.pdf",
            "data:text/html;base64," + base64.b64encode("<h1>2017年政府信息公开工作年度报告</h1>".encode()).decode(),
            "http://10.0.0.1/ndbg/2017.html", "http://169.254.169.254/latest/meta-data/",
            "http://192.168.1.1/ndbg/2015.pdf", f"http://{self.same_host_trap}/ndbg/2013.html",
            "http://0x7f000001/ndbg/2012.html", "http://evil.example/ndbg/2011.html",
            "s3://nianbao-archive/2010.pdf",
        ]
        if self.v6_trap:
            urls.append(f"http://{self.v6_trap}/ndbg/2014.html")
        if self.other_site:
            urls.append(f"{self.other_site}/ndbg/2016.html")
        return urls


REDIRECTS = {  # path on the hostile site -> where it redirects
    "/go/passwd.html": "file:///etc/passwd",
    "/go/ftp.html": "ftp://{same_host_trap}/",
    "/go/metadata.html": "http://169.254.169.254/latest/meta-data/",
    "/go/port.html": "http://{same_host_trap}/",
    "/go/other.html": "{other_site}/",
}


def scripted_list(agency: str, targets: Targets) -> str:
    """A list page whose ``v-for`` template is empty, so the crawl renders it; its script
    asks its own host for the list (the proof that it ran) and opens what a browser opens
    without asking the page's routes: WebSockets to the traps, an EventSource, a beacon,
    fetches and pictures of private addresses."""
    trap, v6 = targets.same_host_trap, targets.v6_trap or targets.same_host_trap
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(agency)}乡镇年度报告</title></head>
<body><h1>乡镇</h1><ul id="list"><li v-for="item in list"><a :href="item.url">{{{{item.title}}}}</a></li></ul>
<img src="http://169.254.169.254/latest/meta-data/x.png"><img src="http://{trap}/x.png">
<script>
fetch("list.json").then(r => r.json()).catch(() => null);
for (const u of ["ws://{trap}/", "ws://{v6}/", "wss://{trap}/"]) {{ try {{ new WebSocket(u); }} catch (e) {{}} }}
try {{ new EventSource("http://{trap}/events"); }} catch (e) {{}}
try {{ navigator.sendBeacon("http://{trap}/beacon", "x"); }} catch (e) {{}}
fetch("http://10.0.0.1/api/list").catch(() => null);
fetch("http://{trap}/api/list", {{mode: "no-cors"}}).catch(() => null);
</script></body></html>"""


def build_hostile(host_index: int, targets: Targets) -> Site:
    """The column of a seed publisher's site (its real report stays) with every hostile link
    beside it, an article whose attachments and picture are hostile, and redirects."""
    name, seed, agency, title, date = SEEDS[1]
    site = build_seed_site("hostile", seed, agency, title, date, host_index)
    column = site.list_path
    entries = targets.entries()
    year = 2019
    items = []
    for i, url in enumerate(entries):
        text = f"{agency}{year - i}年政府信息公开工作年度报告"
        targets.links[text] = url
        items.append(f'<li><a href="{esc(url)}">{esc(text)}</a><span>{year - i + 1}-01-20</span></li>')
    for i, (path, target) in enumerate(REDIRECTS.items()):
        location = target.format(same_host_trap=targets.same_host_trap, other_site=targets.other_site)
        if location.startswith("/"):
            continue  # no other site served
        site.resources[path] = redirect(location, status=302)
        items.append(f'<li><a href="{path}">{esc(agency)}{2000 - i}年政府信息公开工作年度报告</a></li>')
    article = "/zwgk/ndbg/2008/t20080125_1.html"
    secret = quote(targets.secret)
    site.resources[article] = html_resource(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(agency)}2007年政府信息公开工作年度报告'
        f'</title></head><body><h1>{esc(agency)}2007年政府信息公开工作年度报告</h1>'
        f"<p>{esc(agency)}2007年政府信息公开工作年度报告全文见附件。</p>"
        f'<p>附件：<a href="file://{targets.host}{secret}.pdf">2007年年度报告.pdf</a> '
        f'<a href="ftp://{targets.same_host_trap}/2007.docx">2007年年度报告.docx</a> '
        f'<a href="http://192.168.0.10/uploadfile/2007.doc">2007年年度报告.doc</a></p></body></html>')
    picture_page = "/zwgk/ndbg/2006/t20060125_1.html"
    site.resources[picture_page] = html_resource(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(agency)}2006年政府信息公开工作年度报告'
        f'</title></head><body><div class="content"><h1>{esc(agency)}2006年政府信息公开工作年度报告</h1>'
        f'<p><img src="file://{targets.host}{secret}.png"></p>'
        f'<p><img src="http://169.254.169.254/2006.jpg"></p></div></body></html>')
    scripted = "/zwgk/ndbg/xz/"  # a list its script fills: the crawl renders it in Chromium
    site.resources[scripted] = html_resource(scripted_list(agency, targets))
    site.resources[scripted + "list.json"] = Resource(b"[]", "application/json")
    items.append(f'<li><a href="{scripted}">乡镇</a></li>')
    items.append(f'<li><a href="{article}">{esc(agency)}2007年政府信息公开工作年度报告</a></li>')
    items.append(f'<li><a href="{picture_page}">{esc(agency)}2006年政府信息公开工作年度报告</a></li>')
    listing = site.resources[column].body.decode()
    site.resources[column] = html_resource(listing.replace('<ul class="list">', '<ul class="list">' + "".join(items), 1))
    return site
