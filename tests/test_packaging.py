"""pip install on a clean Debian 12 (pip 23.0.1): every dependency there, metadata shipped.

pip before 23.3 does not normalise extra names: justext asks for ``lxml[html_clean]``,
lxml provides ``html-clean``, and Debian's pip silently installs no lxml_html_clean, so
trafilatura cannot be imported. Such requirements must be declared by the project.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import sqlite_utils
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"]]


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_extra_an_old_pip_would_miss_is_declared():
    declared = {_name(r.name) for r in _declared()}
    missed: list[str] = []
    todo, seen = [r.name for r in _declared()], set()
    while todo:
        name = todo.pop()
        if _name(name) in seen:
            continue
        seen.add(_name(name))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker and not req.marker.evaluate({"extra": ""}):
                continue
            todo.append(req.name)
            for extra in req.extras:
                try:
                    target = metadata.distribution(req.name)
                except metadata.PackageNotFoundError:
                    continue
                provided = target.metadata.get_all("Provides-Extra") or []
                if extra in provided:
                    continue  # spelt as provided: old pip finds it
                for needed in target.requires or []:
                    r = Requirement(needed)
                    if r.marker and any(r.marker.evaluate({"extra": e}) for e in provided
                                        if _name(e) == _name(extra)):
                        todo.append(r.name)
                        if _name(r.name) not in declared:
                            missed.append(f"{dist.metadata['Name']} -> {req.name}[{extra}] -> {r.name}")
    assert not missed, missed


def _wheel_site(tmp_path: Path) -> Path:
    """The project built as a wheel (not editable) from a copy of the source tree and
    installed into a folder of its own."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "metadata.yml"):
        shutil.copy(ROOT / name, src / name)
    for package in ("archive", "parsers", "layouts", "crawler", "replica", "tests/fixtures"):
        shutil.copytree(ROOT / package, src / package, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(src)],
                   check=True, capture_output=True, timeout=300)
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                    *map(str, wheels.glob("*.whl"))], check=True, capture_output=True, timeout=300)
    return site


def _run_installed(site: Path, code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env={**env, "PYTHONPATH": str(site)},
                          capture_output=True, text=True, timeout=900)


def test_the_installed_wheel_runs_and_serves_with_its_metadata(tmp_path):
    site = _wheel_site(tmp_path)
    assert (site / "archive" / "web" / "metadata.yml").read_bytes() == (ROOT / "metadata.yml").read_bytes()
    assert (site / "archive" / "web" / "templates" / "report.html").is_file()
    assert not (site / "replica" / "data" / "fixtures" / "seeds").is_symlink()
    from tests.archive_fixture import fixture_documents, make_archive

    archive = make_archive(tmp_path, fixture_documents()[:3])
    check = (
        "import asyncio, archive.web.serve as s, archive.cli as c\n"
        f"assert c.__file__.startswith({str(site)!r}), c.__file__\n"
        "from click.testing import CliRunner\n"
        f"r = CliRunner().invoke(c.cli, ['build', '--db', {str(tmp_path / 'n.db')!r}, '--archive', "
        f"{str(archive)!r}, '--no-progress'])\n"
        "assert r.exit_code == 0, r.output\n"
        f"ds = s.datasette_instance({str(tmp_path / 'n.db')!r})\n"
        "page = asyncio.run(ds.client.get('/n/applications_by_outcome.json?_shape=array'))\n"
        "assert page.status_code == 200, page.status_code\n"
        "print(len(page.json()), r.output.strip())\n"
    )
    run = _run_installed(site, check, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "3 reports from 3 documents" in run.stdout
    # the main job from the wheel alone: the replica sites and the fixtures they serve ship
    demo = (
        "import sys, archive.cli as c, replica\n"
        f"assert replica.__file__.startswith({str(site)!r}), replica.__file__\n"
        "sys.argv = ['nianbao', 'demo', '--db', 'demo/nianbao.db', '--no-serve']\n"
        "c.cli()\n"
    )
    run = _run_installed(site, demo, tmp_path)
    assert run.returncode == 0, (run.stdout[-2000:], run.stderr[-2000:])

    db = sqlite_utils.Database(tmp_path / "demo" / "nianbao.db")
    assert db["reports"].count >= 19, run.stdout[-2000:]
