"""Replica district sites served on loopback, for the crawler's tests and the demo.

No real site is reachable from tests, so the project serves imitations of the
CMSs it crawls (TRS WCM, Hanweb, a home-grown GBK site) over real HTTP, each
with the reports it is known to hold (``Site.expected``).
"""

from replica.bundle import build_sites
from replica.server import Hit, ReplicaServer
from replica.sites import ExpectedReport, Resource, Site

__all__ = ["ExpectedReport", "Hit", "ReplicaServer", "Resource", "Site", "build_sites"]
