"""What a page's inline scripts write: pager links, attachment URLs, HTML they insert.

Sites write pagers with ``document.write`` in loops and ternaries, and name a report's
original PDF/OFD (全真版, 原件) only in script arrays and variables. Regular expressions meet
a new spelling on every site, so the page's own inline scripts run here in QuickJS, embedded
and sandboxed: no network, no file system, a wall-time and memory limit per page, and a stub
browser (``sandbox.js``) that records what the scripts hand to the page. External scripts
are not fetched; names they would define resolve to recording stubs.
docs/crawling.md compares this with reading scripts by rules.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from importlib.resources import files
from urllib.parse import urljoin, urlparse

from lxml import etree

from crawler.cms import Link, links, page_tree
from crawler.links import is_attachment

BUDGET_SECONDS = 0.5  # CPU seconds per page, all its scripts together (QuickJS's interrupt clock)
MEMORY_BYTES = 64 * 1024 * 1024
MAX_SOURCE = 512 * 1024  # characters of inline script evaluated per page
_JS_TYPES = {"", "text/javascript", "application/javascript", "text/ecmascript", "application/x-javascript",
             "javascript", "module"}
_HAN = re.compile(r"[\u3400-\u9fff]")
_URLISH = re.compile(r"^[^\s<>\"'{}|\\^`]+$")


@dataclass(frozen=True)
class Outcome:
    """What the scripts produced: written HTML, the (label, string) values they handed to
    the page (arguments, assignments, globals), and why evaluation stopped early, if it did."""

    html: str = ""
    values: tuple[tuple[str, str], ...] = ()
    error: str = ""
    seconds: float = 0.0
    scripts: int = 0


def inline_scripts(tree: etree._Element | None) -> list[str]:
    """The page's inline scripts in page order (not templates, JSON or external files)."""
    if tree is None:
        return []
    out = []
    for el in tree.iter("script"):
        kind = (el.get("type") or "").strip().lower().split(";")[0]
        if el.get("src") or kind not in _JS_TYPES:
            continue
        text = el.text or ""
        if text.strip():
            out.append(text)
    return out


_PRELUDE: str | None = None


def _prelude() -> str:
    global _PRELUDE
    if _PRELUDE is None:
        _PRELUDE = files("crawler").joinpath("sandbox.js").read_text(encoding="utf-8")
    return _PRELUDE


def available() -> bool:
    try:
        import quickjs  # noqa: F401
    except ImportError:
        return False
    return True


def evaluate(scripts: list[str], url: str, budget: float = BUDGET_SECONDS,
             memory: int = MEMORY_BYTES) -> Outcome:
    """Run ``scripts`` in one fresh sandbox as the page at ``url`` would, each on its own (a
    failing script does not stop the next, as in a browser), then the callbacks they queued."""
    import quickjs

    start, cpu = time.perf_counter(), time.process_time()
    scripts = [s for s in scripts if s.strip()]
    if not scripts:
        return Outcome()
    source, kept = 0, []
    for s in scripts:
        if source + len(s) > MAX_SOURCE:
            break
        kept.append(s)
        source += len(s)
    ctx = quickjs.Context()
    ctx.set_memory_limit(memory)
    ctx.set_max_stack_size(1024 * 1024)
    error = "" if len(kept) == len(scripts) else f"scripts over {MAX_SOURCE} characters not run"

    def remaining() -> float:  # CPU time, as QuickJS counts it: a loaded machine does not starve a page
        return budget - (time.process_time() - cpu)

    try:
        ctx.set_time_limit(max(remaining(), 0.01))
        ctx.eval(f"var __PAGE = {json.dumps(url)};")
        ctx.eval(_prelude())
        ctx.eval("var __KNOWN = Object.getOwnPropertyNames(globalThis);")
        for s in kept:
            if remaining() <= 0:
                error = f"time budget of {budget:g} s spent"
                break
            ctx.set_time_limit(min(remaining(), budget / 2))  # one endless script leaves time for the rest
            try:
                ctx.eval("with (__scope) {\n" + s + "\n}")
            except quickjs.JSException as e:
                message = str(e).splitlines()[0] if str(e) else type(e).__name__
                if "interrupted" in message:
                    error = f"a script ran past {budget / 2:g} s and was stopped"
                elif "out of memory" in message:
                    error = f"memory limit of {memory >> 20} MiB reached"
                    break
                # a syntax or runtime error ends that script only, as in a browser
        if remaining() > 0 and not error.startswith("memory"):
            ctx.set_time_limit(remaining())
            try:
                ctx.eval("__run_later();")
            except quickjs.JSException:
                error = error or f"time budget of {budget:g} s spent"
        ctx.set_time_limit(max(remaining(), 0.05) + 0.2)
        raw = ctx.eval(
            "(function(){ var names = Object.getOwnPropertyNames(globalThis);"
            " for (var i = 0; i < names.length; i++) { var k = names[i];"
            "  if (__KNOWN.indexOf(k) >= 0) continue; var v; try { v = globalThis[k]; } catch (e) { continue; }"
            "  if (typeof v !== 'function') __rec(v, k); }"
            " return JSON.stringify({w: __out.written.join(''), v: __out.values}); })()"
        )
    except quickjs.JSException as e:
        return Outcome(error=f"sandbox failed: {str(e).splitlines()[0] if str(e) else e!r}",
                       seconds=time.perf_counter() - start, scripts=len(kept))
    data = json.loads(raw)
    values = tuple((str(a), str(b)) for a, b in data["v"])
    return Outcome(data["w"], values, error, time.perf_counter() - start, len(kept))


def _name(url: str) -> str:
    return urlparse(url).path.rsplit("/", 1)[-1]


def produced_links(outcome: Outcome, base: str) -> list[Link]:
    """Links the scripts wrote (HTML) and attachment URLs they handed to the page, with the
    label the script gave each (an attachment array's ``name``), else the file's name."""
    out: list[Link] = links(page_tree(f"<div>{outcome.html}</div>"), base) if outcome.html.strip() else []
    seen = {link.url for link in out}
    found: dict[str, str] = {}  # attachment URL -> the best label any occurrence gave it
    for label, value in outcome.values:
        v = value.strip()
        if "<" in v and "href" in v.lower():
            out += [link for link in links(page_tree(f"<div>{v}</div>"), base) if link.url not in seen]
            seen.update(link.url for link in out)
            continue
        if not _looks_like_url(v, label):
            continue
        url = urljoin(base, v)
        if urlparse(url).scheme not in ("http", "https") or not is_attachment(url) or url in seen:
            continue
        named = bool(label) and label != v and bool(_HAN.search(label))  # a display name, not a variable
        if named or url not in found:
            found[url] = label if named else found.get(url, "")
    out += [Link(url, text or _name(url)) for url, text in found.items()]
    return out


def _looks_like_url(value: str, label: str) -> bool:
    """A URL, not a display name or a fragment a script is still assembling: no spaces or
    markup, and a path (``/`` in it): ``原件.pdf`` and ``".docx"`` are not where a file is."""
    if not value or len(value) > 2000 or value == label or not _URLISH.match(value):
        return False
    if value.startswith(("javascript:", "#", "data:", "mailto:")):
        return False
    return "/" in value


def script_links(tree: etree._Element | None, base: str, budget: float = BUDGET_SECONDS) -> tuple[list[Link], Outcome]:
    """The links a page's inline scripts produce, and the evaluation's account."""
    scripts = inline_scripts(tree)
    if not scripts:
        return [], Outcome()
    outcome = evaluate(scripts, base, budget)
    return produced_links(outcome, base), outcome
