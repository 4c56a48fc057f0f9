"""Publish the database with Datasette: immutable, with the nianbao plugin, templates and metadata.

Used by ``nianbao serve`` and ``nianbao demo``; tests use ``datasette_instance`` directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

from archive.schema.codebook import describe, descriptions
from archive.schema.views import wide_columns

HERE = Path(__file__).resolve().parent
# the repository's metadata.yml: a link to it in the repository, a copy in an installed wheel
METADATA = HERE / "metadata.yml"
# enough to search and browse when the package is installed without the repository's metadata.yml
DEFAULT_METADATA: dict[str, Any] = {
    "title": "nianbao — 政府信息公开工作年度报告 as data",
    "license": "CC BY 4.0 (the data); the reports are public government information",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "databases": {"nianbao": {"tables": {"reports": {
        "fts_table": "reports_fts", "fts_pk": "rowid",
        "facets": ["year", "template", "agency", "checks_failing"], "sort_desc": "year",
    }}}},
}
# for a public instance (docs/scale.md, measured with benchmarks/load_datasette.py)
SETTINGS = {
    "allow_download": True,  # the whole SQLite file at /<db>.db: heavy questions are asked of a copy
    "truncate_cells_html": 200,  # headers, warnings: long text stays on the row page
    "facet_time_limit_ms": 500,
    "suggest_facets": False,  # a query per column on every table page: too slow on 100 000 reports
    # every main page's slowest query takes < 100 ms at 100 000 reports, but the limit counts
    # wall time, and under load a query's thread waits for the GIL: at 1 s one report page in
    # 11 000 failed, most likely so. 2.5 s still frees a thread held by arbitrary SQL soon (a client
    # sending slow SQL one query after another holds one thread however long the limit)
    "sql_time_limit_ms": 2500,
    "num_sql_threads": 4,  # one thread busy with a slow query leaves three for the pages
    # a page or query answers at most 1000 rows (Datasette's default, said here: the SQL limits of
    # archive/web/sql_limits.py and answer_size.py are measured against it); CSV streams stop at 100 MB
    "max_returned_rows": 1000,
    "max_csv_mb": 100,
    # the file never changes while it is served: browsers and a CDN may keep a page 10 minutes
    "default_cache_ttl": 600,
}


def load_metadata(db_name: str, path: Path = METADATA) -> dict[str, Any]:
    """metadata.yml, its one database renamed to this file's (demo.db is database "demo")."""
    meta = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    meta = dict(meta or DEFAULT_METADATA)
    databases = dict(meta.get("databases") or {})
    if len(databases) == 1 and db_name not in databases:
        databases = {db_name: next(iter(databases.values()))}
    meta["databases"] = databases
    for db in databases.values():
        _describe_columns(db.get("tables") or {})
    return meta


def _describe_columns(tables: dict[str, Any]) -> None:
    """Column descriptions, Chinese first, from the codebook's sources (never typed twice)."""
    own = {t for t, _ in descriptions()}
    for table, config in tables.items():
        if table in own:
            names = [c for t, c in descriptions() if t == table and c]
        else:  # a wide table: the report's columns, then one per cell
            names = [c for t, c in descriptions() if t == "wide" and c] + list(wide_columns().get(table, {}))
        columns = dict(config.get("columns") or {})
        for name in names:
            zh, en, _, _ = describe(table, name)
            if zh:
                columns.setdefault(name, f"{zh} · {en}")
        if columns:
            config["columns"] = columns


def _register_plugin() -> None:
    """The entry points are not loaded everywhere (Datasette skips them under its tests)."""
    import datasette.handle_exception
    from datasette.plugins import pm

    from archive.web import answer_size, facets, front_page, methods, sql_limits
    from archive.web import lang as lang_plugin
    from archive.web import plugin as datasette_plugin
    from archive.web import releases as release_plugin

    # Datasette prints every error it answers — a 404, "took too long" — as a rich traceback
    # with every local variable whenever rich is installed (frictionless brings it): a second
    # of the event loop per error, and the request's scope in the log. A 500 still prints one.
    datasette.handle_exception.rich = None
    if pm.get_plugin("datasette.facets") is not None:  # replaced by its concurrent column facet
        pm.unregister(name="datasette.facets")
    for name, module in (("nianbao", datasette_plugin), ("nianbao_release", release_plugin),
                         ("nianbao_lang", lang_plugin), ("nianbao_facets", facets),
                         ("nianbao_sql_limits", sql_limits), ("nianbao_answer_size", answer_size),
                         ("nianbao_methods", methods),
                         ("nianbao_front", front_page)):
        if not pm.is_registered(module) and pm.get_plugin(name) is None:
            pm.register(module, name=name)


def datasette_instance(
    db_path: str | Path, *, archive_dir: str | Path | None = None, metadata: Path = METADATA,
    releases: str | Path | None = None,
) -> Datasette:
    """Datasette on db_path (immutable: counted once, downloadable, cacheable)."""
    _register_plugin()
    db_path = Path(db_path)
    meta = load_metadata(db_path.stem, metadata)
    config = {"archive": archive_dir, "releases": releases}
    config = {k: str(Path(v).resolve()) for k, v in config.items() if v is not None}
    if config:
        plugins = dict(meta.get("plugins") or {})
        plugins["nianbao"] = {**(plugins.get("nianbao") or {}), **config}
        meta["plugins"] = plugins
    from archive.web.counts import inspect_data

    return Datasette(
        immutables=[str(db_path)],
        inspect_data=inspect_data(db_path),  # counts once, not a count(*) per page view
        metadata=meta,
        template_dir=str(HERE / "templates"),
        static_mounts=[("static", str(HERE / "static"))],
        settings=SETTINGS,
    )


def serve(
    db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
    archive_dir: str | Path | None = None, releases: str | Path | None = None, workers: int = 1,
    cache_mb: int = 256, public_url: str | None = None,
) -> None:
    """Run Datasette with uvicorn until interrupted; ``workers`` > 1 processes share the port
    (each has its own Python, so pages render on every core, not one); each keeps up to
    ``cache_mb`` MiB of answers in memory (archive.web.answer_cache; 0: none); ``public_url``
    (https://nianbao.example.org) is the origin every page's absolute links name, whatever
    Host a request says (archive.web.origin)."""
    import json
    import os

    import uvicorn

    options = {"db_path": str(Path(db_path).resolve()), "archive_dir": archive_dir and str(archive_dir),
               "releases": releases and str(releases), "cache_mb": cache_mb, "public_url": public_url}
    if workers > 1:
        from archive.web.counts import inspect_data

        inspect_data(db_path)  # counted once here, read from the sidecar by every worker
        os.environ[_FACTORY_ENV] = json.dumps(options)
        uvicorn.run("archive.web.serve:app_factory", factory=True, workers=workers, host=host, port=port,
                    log_level="warning", lifespan="on")
        return
    uvicorn.run(_app(**options), host=host, port=port, log_level="info", lifespan="on")


_FACTORY_ENV = "NIANBAO_SERVE"


def app_factory():
    """The ASGI app of one worker process (uvicorn --workers needs an importable factory)."""
    import json
    import os

    return _app(**json.loads(os.environ[_FACTORY_ENV]))


def _app(db_path: str, archive_dir: str | None, releases: str | None, cache_mb: int,
         public_url: str | None = None):
    from archive.web.answer_cache import ResponseCache
    from archive.web.origin import fixed_origin
    from archive.web.sql_limits import set_heap_limit

    set_heap_limit()  # this process only serves: SQLite's memory in it is bounded
    ds = datasette_instance(db_path, archive_dir=archive_dir, releases=releases)
    # (Datasette's app runs its startup hooks on the first request, in the server's own loop)
    app = ResponseCache(ds.app(), max_bytes=cache_mb << 20) if cache_mb > 0 else ds.app()
    return fixed_origin(app, public_url) if public_url else app
