"""The packages import one way: no circle among the project's modules, and each room
imports only the rooms its ``__init__`` names (function-level imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("parsers", "layouts", "crawler", "replica", "archive")

# a room -> the rooms (prefixes) of the project it must never import
FORBIDDEN = {
    "parsers": ("layouts", "crawler", "replica", "archive"),
    "layouts": ("crawler", "replica", "archive"),
    "crawler": ("layouts", "replica", "archive"),
    "replica": ("archive",),
    "archive.schema": ("archive.",),  # but itself
    "archive.agencies": ("archive.", "parsers", "layouts", "replica"),
    "archive.build": ("archive.web", "archive.release", "archive.cli", "layouts", "replica"),
    "archive.release": ("archive.web", "archive.cli", "archive.build.", "layouts", "replica"),
    "archive.web": ("archive.build", "archive.cli", "archive.release.snapshot", "crawler", "replica"),
}
# exceptions a room's __init__ states: the release stamps the parser version it was made with
ALLOWED = {"archive.release": ("archive.build.parser_version",)}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "__pycache__" in path.parts or "data" in path.relative_to(ROOT).parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_function_level_imports():
    graph = _graph()
    assert "archive.build.run" in graph["archive.cli"]  # imported inside the build command
    assert "archive.web.serve" in graph["archive.cli"]


def test_no_module_imports_itself_through_others():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_each_room_imports_only_what_its_init_allows(room):
    wrong = []
    for name, targets in _graph().items():
        if name != room and not name.startswith(room + "."):
            continue
        for target in targets:
            if target in ALLOWED.get(room, ()) or target == room or target.startswith(room + "."):
                continue
            if any(target == f or target.startswith(f if f.endswith(".") else f + ".") or
                   (f.endswith(".") and target == f[:-1]) for f in FORBIDDEN[room]):
                wrong.append(f"{name} -> {target}")
    assert wrong == []
