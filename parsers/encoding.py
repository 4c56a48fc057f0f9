"""Bytes -> str for pages whose declared charset is often wrong.

District sites serve GBK pages labelled utf-8 and the reverse. UTF-8 is strict
enough that bytes which decode as UTF-8 almost surely are; otherwise the
declared charset is tried, then GB18030 (a superset of GBK and GB2312), then
charset-normalizer's guess.
"""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    if content_type:
        m = re.search(r"charset=([\w\-]+)", content_type, re.I)
        if m:
            return m.group(1).lower()
    m = _META.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    declared = declared_charset(data, content_type)
    candidates = ["utf-8"]
    if declared:
        candidates.append(_WIDER.get(declared, declared))
    candidates.append("gb18030")
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    enc = best.encoding if best else "gb18030"
    return data.decode(enc, errors="replace"), enc
