"""nianbao sites check: each registry entry probed over real HTTP, without a crawl."""

from __future__ import annotations

import json
import subprocess

from replica import ReplicaServer, build_sites
from replica.registry import registry_csv
from tests.crawl_helpers import NIANBAO
from tests.redis_server import free_port


def test_sites_check_on_the_replicas_and_broken_entries(tmp_path):
    with ReplicaServer(build_sites()) as srv:
        csv = registry_csv(srv)
        csv += f"gone,某区人民政府,,,,auto,{srv.url('yicheng', '/no/such/page.html')}\n"
        csv += f"closed,某县人民政府,,,,auto,http://127.0.0.1:{free_port()}/\n"
        registry = tmp_path / "sites.csv"
        registry.write_text(csv, encoding="utf-8")
        srv.clear_log()
        proc = subprocess.run([*NIANBAO, "sites", "check", "--all", "--registry", str(registry), "--json",
                               "--timeout", "5"], capture_output=True, text=True, timeout=300)
        hits = {name: len(srv.hits(name)) for name in srv.sites}
        text = subprocess.run([*NIANBAO, "sites", "check", "--site", "muping", "--registry", str(registry)],
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1  # the broken entries fail the check
    results = {r["site"]: r for r in json.loads(proc.stdout)}
    sites = {s.name: s for s in build_sites()}
    for name, site in sites.items():
        r = results[name]
        assert r["ok"] and r["status"] == 200 and r["robots"] == "allowed", r
        assert r["column_url"].endswith(site.list_path), r
        assert r["candidates"] >= 1
        assert hits[name] <= 9  # a probe, not a crawl: robots.txt and at most 8 pages
    assert results["chengyang"]["cms"] == "trs" and results["laoshan"]["cms"] == "hanweb"
    assert results["muping"]["column_depth"] == 2 and results["fushan"]["column_depth"] == 3
    assert results["gone"]["error"] == "start URL answered HTTP 404" and not results["gone"]["ok"]
    assert results["closed"]["error"].startswith("start URL unreachable") and not results["closed"]["ok"]
    assert text.returncode == 0 and text.stdout.startswith("muping") and "candidates" in text.stdout


def test_registry_names_qingdao_unverified():
    from crawler import registry

    entries = {e.name: e for e in registry.load()}
    qingdao = {"qingdao", "shinan", "shibei", "licang", "laoshan", "chengyang", "huangdao", "jimo",
               "jiaozhou", "pingdu", "laixi"}
    assert qingdao <= set(entries)
    assert all(entries[n].division_code.startswith("3702") for n in qingdao)
    assert all(e.verified in ("yes", "no") for e in entries.values())
