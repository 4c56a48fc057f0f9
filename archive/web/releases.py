"""Datasette: the latest release on the home page, its files under /-/releases/.

``nianbao serve --releases DIR`` (and the demo) point the plugin at the folder
``nianbao release`` writes; without it nothing here shows.
"""

from __future__ import annotations

import re
from pathlib import Path

from datasette import Response, hookimpl
from datasette.utils.asgi import NotFound

from archive.release.latest import latest


def _folder(datasette) -> Path | None:
    config = datasette.plugin_config("nianbao") or {}
    return Path(config["releases"]) if config.get("releases") else None


async def release_file(datasette, request):
    folder = _folder(datasette)
    name, file = request.url_vars["name"], request.url_vars["file"]
    if folder is None or not re.fullmatch(r"nianbao-\d{4}-\d{2}-\d{2}", name) or "/" in file:
        raise NotFound("No such release")
    path = folder / name / file
    if not path.is_file() or path.resolve().parent != (folder / name).resolve():
        raise NotFound("No such file in the release")
    types = {".csv": "text/csv; charset=utf-8", ".db": "application/octet-stream",
             ".cff": "text/plain; charset=utf-8", "": "text/plain; charset=utf-8"}
    return Response(path.read_bytes(), content_type=types.get(path.suffix, "application/octet-stream"),
                    headers={"Content-Disposition": f'attachment; filename="{file}"'})


@hookimpl
def register_routes(datasette):
    return [(r"^/-/releases/(?P<name>[^/]+)/(?P<file>[^/]+)$", release_file)]


@hookimpl
def extra_template_vars(view_name, datasette):
    if view_name != "index":
        return {}
    folder = _folder(datasette)
    info = latest(folder) if folder else None
    if info:
        info = dict(info, base=datasette.urls.path(f"/-/releases/{info['name']}/"))
    return {"latest_release": info}
