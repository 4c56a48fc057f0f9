"""One ArchiveStore per archive folder per process, shared by middleware and pipeline."""

from __future__ import annotations

from crawler.store import ArchiveStore

_STORES: dict[str, ArchiveStore] = {}


def store_for(settings) -> ArchiveStore:
    root = str(settings.get("NIANBAO_ARCHIVE"))
    if root not in _STORES:
        _STORES[root] = ArchiveStore(root, settings.get("NIANBAO_CRAWL_ID"))
    return _STORES[root]


def close_all() -> None:
    for store in _STORES.values():
        store.close()
    _STORES.clear()
