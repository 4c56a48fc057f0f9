"""Which release is the newest: ``latest.json`` in the releases folder, written by a
release and read by the web's home page (so the web need not import the release code)."""

from __future__ import annotations

import json
from pathlib import Path

LATEST = "latest.json"


def latest(out_dir: str | Path) -> dict | None:
    """The newest release's description, or None."""
    path = Path(out_dir) / LATEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
