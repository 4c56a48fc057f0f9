"""Whether the crawler may fetch a URL: the one rule for start URLs, links, redirects,
attachments and figures.

A page of a crawled site is written by someone else: it may link ``file:///etc/passwd``,
an ``ftp://`` server, a ``data:`` URL, the cloud metadata address 169.254.169.254 or a
machine of the crawler's own network. Only ``http``/``https`` URLs on the site's own
domains are fetched, and never on a private, loopback or link-local address unless the
operator started the crawl there (the replica sites and the demo live on 127.0.0.x): then
only that host and port. Names are resolved and every address they resolve to is checked,
so a site's name pointing at 127.0.0.1 is refused like the literal address.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
OTHER_HOST = "other host"
PRIVATE = "private address"
NO_HOST = "no host"


@dataclass(frozen=True)
class Policy:
    """The domains a crawl may fetch from, and the start URLs' own private origins."""

    domains: tuple[str, ...]
    private_origins: frozenset[tuple[str, int]] = frozenset()


def origin(url: str) -> tuple[str, int] | None:
    """(host, port) of an http(s) URL, the port filled in; None for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        return None
    return parts.hostname.lower().rstrip("."), port or DEFAULT_PORTS[scheme]


def literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names by itself: 10.0.0.1, [::1], and the forms a browser or
    inet_aton reads as IPv4 (127.1, 0x7f000001, 2130706433)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefx." for c in host.lower()):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def is_private_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Not a public unicast address (IPv4 inside IPv6 judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if mapped is not None and is_private_address(mapped):
            return True
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
            or address.is_multicast or address.is_unspecified)


@lru_cache(maxsize=1024)
def resolve(host: str) -> tuple[str, ...]:
    """Every address the name resolves to (empty when it does not resolve)."""
    try:
        return tuple(sorted({i[4][0] for i in socket.getaddrinfo(host, None)}))
    except (OSError, UnicodeError):
        return ()


def is_private_host(host: str) -> bool:
    """A host that is, or resolves to, a private, loopback or link-local address."""
    literal = literal_address(host)
    if literal is not None:
        return is_private_address(literal)
    return any(is_private_address(ipaddress.ip_address(a.split("%")[0])) for a in resolve(host))


def policy_for(start_urls: list[str], domains: list[str] | None = None) -> Policy:
    """The policy of a crawl from these start URLs (their hosts are its domains)."""
    origins = [o for o in (origin(u) for u in start_urls) if o is not None]
    hosts = domains if domains is not None else [h for h, _ in origins]
    private = frozenset(o for o in origins if is_private_host(o[0]))
    return Policy(tuple(sorted({h.lower().rstrip(".") for h in hosts if h})), private)


def on_domains(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def refusal(url: str, policy: Policy, resolver=is_private_host) -> str | None:
    """None when the URL may be fetched, else why not: ``scheme file`` (any scheme but
    http/https), ``no host``, ``private address``, ``other host``."""
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    if scheme not in SCHEMES:
        return f"scheme {scheme or 'none'}"[:40]
    where = origin(url)
    if where is None:
        return NO_HOST
    host = where[0]
    literal = literal_address(host)
    if literal is not None and is_private_address(literal):  # 10.x, [::1]: said as what they are
        return None if where in policy.private_origins else PRIVATE
    if not on_domains(host, policy.domains):
        return OTHER_HOST
    if where in policy.private_origins:
        return None
    return PRIVATE if resolver(host) else None
