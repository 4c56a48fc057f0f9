"""A registry (sites.csv) for the replica sites as served: what the demo and the tests crawl."""

from __future__ import annotations

from crawler import registry
from replica.server import ReplicaServer

HEADER = "name,agency,division_code,level,parent_region,cms,start_urls"


def registry_csv(srv: ReplicaServer, names: list[str] | None = None) -> str:
    """One line per served site, its start URL on loopback; division code, level and
    region from the real registry's entry of the same name, where there is one."""
    known = {e.name: e for e in registry.load()}
    lines = [HEADER]
    for site in srv.sites.values():
        if names and site.name not in names:
            continue
        e = known.get(site.name)
        lines.append(",".join([
            site.name, site.agency, e.division_code if e else "", e.level if e else "",
            e.parent_region if e else "", site.cms, srv.url(site.name, site.start),
        ]))
    return "\n".join(lines) + "\n"
