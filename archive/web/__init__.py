"""The public site: Datasette plugins, templates, static files, the language layer, facets,
the answer cache and ``serve``; reads the built database, importing ``schema``, ``parsers``,
``layouts`` and ``release.latest``, never ``build``."""
