"""Bytes to text: one encoding policy for every format.

1. A byte-order mark decides: UTF-32 LE/BE, UTF-8, UTF-16 LE/BE (UTF-32 is tried first
   because the UTF-32-LE mark begins with the UTF-16-LE one). The mark is dropped.
2. No mark, but NUL bytes in the pattern of ASCII-heavy UTF-16 (every other byte zero):
   UTF-16 of that byte order, as some Windows tools write it.
3. Otherwise strict UTF-8.
4. For HTML, the charset the page declares in `<meta>`, when Python knows it and it decodes.
5. UTF-8 with U+FFFD in place of the bad bytes, and a warning, when the valid multi-byte
   sequences are at least as many as the bad ones (UTF-8 with some damage).
6. cp1252 (Windows Western, which covers printable Latin-1) when every byte is defined in it
   and the result looks like prose (few non-ASCII letters).
7. Else UTF-8 with U+FFFD in place of the bad bytes, and a warning.

Refused with "binary file": NUL bytes outside UTF-16/32, more than 5% control characters,
or more than 10% replacement characters after step 7. Whitespace-only text is "empty
article" (checked when the article is built).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from kg.errors import ReadError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_RATIO = 0.05
_MAX_REPLACEMENT_RATIO = 0.10
# cp1252 text in Western languages is mostly ASCII; a higher share means it is something else.
_MAX_CP1252_NON_ASCII = 0.30
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{1,40})""", re.I)


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark names, and the mark's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def _bomless_utf16(data: bytes) -> str | None:
    if len(data) < 4:
        return None
    sample = data[: 64 * 1024]
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    even_nul, odd_nul = even.count(0) / half, odd.count(0) / half
    if odd_nul >= 0.7 and even_nul <= 0.05:
        return "utf-16-le"
    if even_nul >= 0.7 and odd_nul <= 0.05:
        return "utf-16-be"
    return None


def _ratio(pattern: re.Pattern[str], text: str) -> float:
    return len(pattern.findall(text)) / max(len(text), 1)


def looks_binary(sample: bytes) -> bool:
    """A cheap test on raw bytes, for streamed formats that cannot decode everything first."""
    if bom_encoding(sample) is not None or _bomless_utf16(sample) is not None:
        return False
    if b"\x00" in sample:
        return True
    text = sample.decode("latin-1")
    return _ratio(_CONTROL_CHARS, text) > _MAX_CONTROL_RATIO


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _cp1252_prose(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if non_ascii / max(len(text), 1) > _MAX_CP1252_NON_ASCII:
        return None
    return text


def decode_bytes(data: bytes, origin: str, *, html: bool = False) -> Decoded:
    """Decode by the module policy; raise `ReadError` for binary content."""
    decoded = _decode(data, origin, html=html)
    if _ratio(_CONTROL_CHARS, decoded.text) > _MAX_CONTROL_RATIO:
        raise ReadError(origin, "binary file (too many control characters)")
    return decoded


def _decode(data: bytes, origin: str, *, html: bool) -> Decoded:
    found = bom_encoding(data)
    if found is not None:
        name, length = found
        return _lenient(data[length:], name)
    utf16 = _bomless_utf16(data) if b"\x00" in data else None
    if utf16 is not None:
        return _lenient(data, utf16)
    if b"\x00" in data:
        raise ReadError(origin, "binary file (contains NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if html:
        declared = _declared_charset(data)
        if declared and declared != "utf-8":
            try:
                return Decoded(data.decode(declared), declared)
            except UnicodeDecodeError:
                pass
    decoded = _lenient(data, "utf-8")
    valid_multibyte = sum(1 for ch in decoded.text if ord(ch) > 127 and ch != "\ufffd")
    if valid_multibyte >= decoded.text.count("\ufffd"):
        # UTF-8 with a few damaged bytes: reading it as cp1252 would garble every good accent.
        return decoded
    text = _cp1252_prose(data)
    if text is not None:
        return Decoded(text, "cp1252")
    if decoded.text.count("\ufffd") / max(len(decoded.text), 1) > _MAX_REPLACEMENT_RATIO:
        raise ReadError(origin, "binary file (not decodable as text)")
    return decoded


def _lenient(data: bytes, name: str) -> Decoded:
    """Decode with U+FFFD for bad bytes, warning only when some were replaced."""
    text = data.decode(name, errors="replace")
    added = text.count("\ufffd") - data.decode(name, errors="ignore").count("\ufffd")
    warnings = [f"{added} invalid {name} byte sequence(s) replaced with U+FFFD"] if added else []
    return Decoded(text, name, warnings)
