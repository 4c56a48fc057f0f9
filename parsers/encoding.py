"""Bytes -> str for pages whose declared charset is often wrong, or bytes not quite valid.

District sites serve GBK pages labelled utf-8 and the reverse. UTF-8 is strict
enough that bytes which decode as UTF-8 almost surely are; otherwise the
declared charset is tried (when Python knows it as a text encoding: pages declare
``charset=undefined``), then GB18030 (a superset of GBK and GB2312). A page that none
decodes strictly (a stray byte from a CMS or an editor) is read in the candidate with
the fewest bad bytes, each replaced by U+FFFD and counted in a warning: a GBK page with
one bad byte stays a GBK page. charset-normalizer guesses only when every candidate is
mostly wrong.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
          "gb_2312-80": "gb18030", "euc-cn": "gb18030"}
# text codecs of Python that are no page's charset (and punycode is quadratic on long input)
_NOT_CHARSETS = {"undefined", "idna", "punycode", "unicode-escape", "raw-unicode-escape",
                 "unicode-internal"}
_GB = "gb18030"
_ANY_BYTES = {"iso8859-1", "cp1252", "iso8859-15", "ascii", "cp437", "mac-roman"}
_GB_FFFD = "\ufffd".encode(_GB)
MAX_BAD_SHARE = 0.02  # more bytes bad than this share of the non-ASCII ones: not this charset
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_ISOLATED_HIGH = re.compile(rb"(?<=[\x00-\x7f])[\x80-\xff](?=[\x00-\x7f])")
_TAG_BYTES = re.compile(rb"</?[A-Za-z][^<>]{0,2000}>")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None  # bytes that had to be replaced, said in the report's warnings


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    if content_type:
        m = re.search(r"charset=([\w\-]+)", content_type, re.I)
        if m:
            return m.group(1).lower()
    m = _META.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def text_codec(name: str | None) -> str | None:
    """The Python codec of a declared charset, or None when Python has no such text
    encoding (``undefined``, ``base64``, a typo)."""
    if not name:
        return None
    name = _WIDER.get(name.lower(), name.lower())
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return _WIDER.get(info.name, info.name)


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used)."""
    d = decode_page(data, content_type)
    return d.text, d.encoding


def decode_page(data: bytes, content_type: str | None = None) -> Decoded:
    """The text, its encoding, and a warning naming the bytes replaced, if any."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _lenient(data, enc)
    candidates = ["utf-8"]
    declared = text_codec(declared_charset(data, content_type))
    if declared in _ANY_BYTES:  # a server's default (Tomcat: ISO-8859-1) decodes any bytes
        candidates.append(_GB)
    if declared and declared not in candidates:
        candidates.append(declared)
    if _GB not in candidates:
        candidates.append(_GB)
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeError, LookupError):
            continue
        if enc == _GB and _unpair_tags(data) != data:
            return _lenient(data, enc)  # a stray lead byte in markup pairs with a tag's letter
        return Decoded(text, enc)
    best = min((_lenient(data, enc) for enc in candidates), key=_bad_count)
    high = sum(len(m) for m in _HIGH_RUN.findall(data)) or 1
    if _bad_count(best) <= max(2, MAX_BAD_SHARE * high):
        return best
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    enc = text_codec(guess.encoding) if guess else None
    if enc is None:
        return best
    guessed = _lenient(data, enc)
    return guessed if _bad_count(guessed) < _bad_count(best) else best


def _bad_count(d: Decoded) -> int:
    return d.text.count("\ufffd")


def _lenient(data: bytes, enc: str) -> Decoded:
    fixed = _realign_gb(_unpair_tags(data)) if enc == _GB else data
    text = fixed.decode(enc, errors="replace")
    bad = text.count("\ufffd") - _literal_fffd(data, enc)
    if bad <= 0:
        return Decoded(text, enc)
    at = text.index("\ufffd")
    before = _words(re.split("[<>]", text[max(0, at - 300): at])[-1])[-12:]
    after = _words(re.split("[<>]", text[at + 1: at + 300])[0])[:12]
    return Decoded(text, enc, f"{bad} byte(s) not valid {enc}, replaced by U+FFFD "
                              f"(the first: «{before}\ufffd{after}»)")


def _words(s: str) -> str:
    return " ".join("".join(c for c in s if c.isprintable() or c.isspace()).split())


def _literal_fffd(data: bytes, enc: str) -> int:
    """U+FFFD the bytes themselves hold (not a replacement)."""
    try:
        mark = "\ufffd".encode(enc)
    except (UnicodeError, LookupError):
        return 0
    return data.count(mark)


def _unpair_tags(data: bytes) -> bytes:
    """A high byte alone among a tag's ASCII (``<t\\x81d>``) is no character: GB18030 would
    pair it with the tag's next letter and the table's markup would be lost."""
    def fix(m: re.Match[bytes]) -> bytes:
        return _ISOLATED_HIGH.sub(_GB_FFFD, m.group())

    return _TAG_BYTES.sub(fix, data) if _ISOLATED_HIGH.search(data) else data


class _PairScore:
    """How likely two bytes are one character of this document: a character the page
    prints elsewhere too (its own vocabulary: a shifted pair reads as characters the text
    never uses), then a GB2312 level-1 hanzi."""

    def __init__(self, data: bytes) -> None:
        self.seen = Counter(data.decode(_GB, errors="replace"))
        self.cache: dict[tuple[int, int], int] = {}

    def __call__(self, a: int, b: int) -> int:
        key = (a, b)
        if key not in self.cache:
            try:
                ch = bytes(key).decode(_GB)
            except UnicodeError:
                ch = "\ufffd"
            common = 0xB0 <= a <= 0xD7 and 0xA1 <= b <= 0xFE
            self.cache[key] = 0 if ch == "\ufffd" else 3 * (self.seen[ch] > 1) + common
        return self.cache[key]


def _realign_gb(data: bytes) -> bytes:
    """A stray byte (or one lost) inside a run of two-byte characters shifts every pair after
    it into other characters, valid ones, until the run ends. A run of odd length followed by
    a byte that cannot end a pair has one such byte: it is replaced (by U+FFFD) where the
    pairs either side of it read best as this document's characters (_PairScore; prefix
    and suffix sums, linear in the run)."""
    out: list[bytes] = []
    last = 0
    score: _PairScore | None = None
    for m in _HIGH_RUN.finditer(data):
        run = m.group()
        after = data[m.end(): m.end() + 3]
        if len(run) % 2 == 0 or len(run) < 3 or (after and 0x40 <= after[0] <= 0x7E):
            continue
        if re.fullmatch(rb"[0-9][\x81-\xfe][0-9]", after):  # a four-byte GB18030 character
            continue
        n = len(run)
        score = score or _PairScore(data)
        # before[k]: score of the aligned pairs run[0:k] (k even); after_[k]: of run[k:] (k odd)
        before = [0] * (n + 1)
        for k in range(2, n + 1, 2):
            before[k] = before[k - 2] + score(run[k - 2], run[k - 1])
        tail = [0] * (n + 2)
        for k in range(n - 2, 0, -2):
            tail[k] = tail[k + 2] + score(run[k], run[k + 1])
        j = max(range(0, n, 2), key=lambda i: (before[i] + tail[i + 1], -i))
        out += [data[last: m.start() + j], _GB_FFFD]
        last = m.start() + j + 1
    if not out:
        return data
    out.append(data[last:])
    return b"".join(out)
