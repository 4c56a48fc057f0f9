"""The DNS resolver the crawler connects through: the address a name resolves to when the
connection is made is checked again, so a name that resolved to a public address when the
URL policy looked and to 127.0.0.1 a moment later (DNS rebinding) is still refused."""

from __future__ import annotations

import ipaddress

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from crawler.url_policy import is_private_address

_GRANTED: set[str] = set()  # names of the start URLs that are private (the replica, the demo)


def grant(hosts: set[str]) -> None:
    """Names a crawl in this process started on, which may resolve to private addresses."""
    _GRANTED.update(h.lower() for h in hosts)


def check(name: str, address: str) -> str:
    """The address, or DNSLookupError when a name not granted resolves to a private one."""
    try:
        private = is_private_address(ipaddress.ip_address(address))
    except ValueError:
        return address
    if private and name.lower().rstrip(".") not in _GRANTED:
        raise DNSLookupError(f"{name} resolved to the private address {address}: refused")
    return address


class CheckedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, every answer checked (cached ones too)."""

    def getHostByName(self, name: str, timeout=()):  # noqa: N802 (Twisted's name)
        return super().getHostByName(name, timeout).addCallback(lambda address: check(name, address))
