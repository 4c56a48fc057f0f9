"""Reading what scripts write: embedded JavaScript engines against each other, and the
crawler's ways of reading scripted pages and lists against each other, on the replica sites.

Part 1 runs every replica page that has inline scripts (and the real 平潭 pages in
shared/real/legacy) through the sandbox prelude in each engine installed (QuickJS, the
one the crawler uses; dukpy; mini-racer): links found, time per page, pages whose scripts
failed, and whether an endless script is stopped. Part 2 crawls the script-heavy replica
sites (平潭, 沭阳县) with the crawler's settings: rules or the sandbox for inline scripts, the
list interface or the browser for lists that scripts fill. Reports found are report
documents fetched (as bench_crawl counts them); pages are the replica server's log.

Run: .venv/bin/python benchmarks/compare_script_reading.py   (pip install -e '.[bench]' for
dukpy and mini-racer). docs/crawling.md keeps the figures.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler import cms, scripts  # noqa: E402
from replica import ReplicaServer, build_sites  # noqa: E402

REAL = ROOT.parent / "shared" / "real" / "legacy"
ENDLESS = ["while (true) {}"]

# one engine run in a child process: prelude, the page's scripts each in try/catch, the record
CHILD = r"""
import json, sys, time
engine, prelude, url, srcs, budget = json.loads(sys.stdin.read())
def program():
    body = "".join("try { with (__scope) {\n" + s + "\n} } catch (e) { __out.errors.push(String(e)); }\n" for s in srcs)
    return ("var __PAGE = " + json.dumps(url) + ";\n" + prelude + "\n" + body +
            "try { __run_later(); } catch (e) {}\n JSON.stringify({w: __out.written.join(''), v: __out.values, e: __out.errors.length})")
import importlib
mod = importlib.import_module({"quickjs": "quickjs", "dukpy": "dukpy", "mini-racer": "py_mini_racer"}[engine])
quickjs = dukpy = mod  # imported before the clock starts
MiniRacer = getattr(mod, "MiniRacer", None)
t = time.perf_counter()
try:
    if engine == "quickjs":
        ctx = quickjs.Context(); ctx.set_time_limit(budget); ctx.set_memory_limit(64 << 20)
        out = ctx.eval(program())
    elif engine == "dukpy":
        out = dukpy.evaljs(program())
    else:
        out = MiniRacer().eval(program(), timeout=int(budget * 1000), max_memory=64 << 20)
    res = json.loads(out); res["error"] = ""
except Exception as e:
    res = {"w": "", "v": [], "e": 0, "error": type(e).__name__ + ": " + str(e).splitlines()[0][:120] if str(e) else type(e).__name__}
res["seconds"] = time.perf_counter() - t
sys.stdout.write(json.dumps(res)); sys.stdout.flush()
import os; os._exit(0)
"""


def installed(engine: str) -> bool:
    module = {"quickjs": "quickjs", "dukpy": "dukpy", "mini-racer": "py_mini_racer"}[engine]
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def run_engine(engine: str, url: str, srcs: list[str], budget: float = 2.0, timeout: float = 20) -> dict:
    payload = json.dumps([engine, scripts._prelude(), url, srcs, budget])
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD], input=payload, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"w": "", "v": [], "error": f"still running after {timeout:g} s (killed)", "seconds": timeout}
    if proc.returncode or not proc.stdout:
        return {"w": "", "v": [], "error": f"exit {proc.returncode}: {proc.stderr.strip()[-120:]}", "seconds": 0}
    return json.loads(proc.stdout)


def pages() -> list[tuple[str, str, list[str]]]:
    """(name, url, inline scripts) of every replica page with scripts, and the real pages."""
    out = []
    for site in build_sites():
        for path, res in site.resources.items():
            if not res.content_type.startswith("text/html"):
                continue
            tree = cms.page_tree(res.body.decode(site.charset, "replace"))
            srcs = scripts.inline_scripts(tree)
            if srcs:
                out.append((f"{site.name}{path}", f"http://{site.name}.example{path}", srcs))
    for f in sorted(REAL.glob("*.html")):
        srcs = scripts.inline_scripts(cms.page_tree(f.read_text(encoding="utf-8")))
        out.append((f"real/{f.name}", "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/x.htm", srcs))
    return out


def engines_part() -> None:
    todo = pages()
    print(f"Part 1: {len(todo)} pages with inline scripts ({sum(len(s) for _, _, s in todo)} scripts)")
    print(f"{'engine':<12}{'pages':>6}{'links':>7}{'same':>6}{'failed':>8}{'mean ms':>9}{'max ms':>8}  endless script")
    reference: dict[str, set] = {}
    for engine in ("quickjs", "dukpy", "mini-racer"):
        if not installed(engine):
            print(f"{engine:<12} not installed")
            continue
        times, links, same, failed = [], 0, 0, 0
        for name, url, srcs in todo:
            res = run_engine(engine, url, srcs)
            outcome = scripts.Outcome(res["w"], tuple((a, b) for a, b in res["v"]))
            found = {(x.url, x.text) for x in scripts.produced_links(outcome, url)}
            if engine == "quickjs":
                reference[name] = found
            same += found == reference.get(name)
            links += len(found)
            failed += bool(res["error"])
            times.append(res["seconds"] * 1000)
        loop = run_engine(engine, "http://x.example/", ENDLESS, budget=0.5, timeout=10)
        stopped = f"stopped in {loop['seconds']:.2f} s" if "killed" not in loop["error"] else loop["error"]
        print(f"{engine:<12}{len(todo):>6}{links:>7}{same:>6}{failed:>8}{statistics.mean(times):>9.1f}"
              f"{max(times):>8.1f}  {stopped}")
    print("(time is the engine's run in a fresh child process, prelude included, process start excluded;"
          " 'same': pages whose links equal QuickJS's)")


def crawl(url: str, cms_name: str, archive: Path, settings: dict) -> subprocess.CompletedProcess:
    base = {"LOG_LEVEL": "ERROR", "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "NIANBAO_PROGRESS_INTERVAL": 60}
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); from crawler.run import crawl, Target;"
        f"crawl([Target(url={url!r}, cms={cms_name!r})], {str(archive)!r}, {dict(base, **settings)!r})"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600)


MODES = (
    ("rules, interface", {"NIANBAO_SCRIPTS": "rules"}),
    ("sandbox, interface", {}),
    ("sandbox, browser", {"NIANBAO_LIST_INTERFACE": False}),
    ("sandbox, neither", {"NIANBAO_LIST_INTERFACE": False, "NIANBAO_RENDER": False}),
)


def crawls_part(names: tuple[str, ...] = ("pingtan", "shuyang")) -> None:
    sites = [s for s in build_sites() if s.name in names]
    for site in sites:
        site.latency = 0.05
    print("\nPart 2: crawls, replica latency 50 ms per request")
    print(f"{'site':<10}{'mode':<22}{'found':>6}{'of':>4}{'pages':>7}{'time s':>8}{'s/page':>8}")
    with ReplicaServer(sites) as srv, tempfile.TemporaryDirectory() as tmp:
        for site in srv.sites.values():
            expected = {e.path for e in site.expected}
            for n, (label, settings) in enumerate(MODES):
                srv.clear_log()
                t0 = time.perf_counter()
                crawl(srv.url(site.name, site.start), site.cms, Path(tmp) / f"{site.name}-{n}", settings)
                seconds = time.perf_counter() - t0
                hits = srv.hits(site.name)
                found = len(expected & {h.path for h in hits if h.status == 200})
                print(f"{site.name:<10}{label:<22}{found:>6}{len(expected):>4}{len(hits):>7}{seconds:>8.1f}"
                      f"{seconds / max(len(hits), 1):>8.2f}")
    print("(time: the whole crawl, process start included; s/page: crawl time over pages fetched)")


if __name__ == "__main__":
    engines_part()
    crawls_part()
