"""RDF terms for the writers: IRIs minted from node ids, literals every format can carry.

An IRI is a plain `str`; a `BNode` is a `str` subclass; a `Literal` a small tuple. Writers
tell them apart with `type(term)`, which keeps the hot loop free of method calls.

IRIs. A node's IRI is `<base><label>/<id>` with the id percent-encoded as UTF-8 (lone
surrogates too, via `surrogatepass`) except for ASCII letters, digits and `-._~:@!$()*+,;=`.
So the IRI is ASCII, valid in every syntax, never contains `<>"{}|^\\`` or whitespace, and
the mapping id → IRI is injective and the same in every export: `group:BLA` gives
`…/group/group:BLA`, `place:ك` gives `…/place/place:%D9%83`.

Literals. XML 1.0 cannot carry most C0 control characters, even escaped, nor U+FFFE/U+FFFF,
and no UTF-8 file can carry a lone surrogate. Every literal therefore has those characters
replaced by U+FFFD (REPLACEMENT CHARACTER); tab, line feed and carriage return are kept.
One character for one keeps the evidence offsets valid. docs/rdf.md records the rule.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote

from kg.errors import ExportError
from kg.export.terms import PREFIXES
from kg.schema import Label

_SAFE = "-._~:@!$()*+,;="
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"
# Scheme, then no character that is illegal in an IRI reference or needs escaping somewhere.
_BASE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")


class BNode(str):
    """A blank node label (only the ontology has blank nodes)."""

    __slots__ = ()


class Literal(NamedTuple):
    """A literal: its lexical form, and a datatype IRI or a language tag (or neither)."""

    value: str
    datatype: str | None = None  # None: xsd:string (or rdf:langString with `lang`)
    lang: str | None = None


Term = str | Literal  # an IRI, a BNode or a Literal


def clean(text: str) -> str:
    """`text` with the characters no RDF syntax can carry everywhere replaced by U+FFFD."""
    if _UNSAFE_CHARS.search(text) is None:
        return text
    return _UNSAFE_CHARS.sub(REPLACEMENT, text)


_new_tuple = tuple.__new__


def lit(text: str, datatype: str | None = None) -> Literal:
    """A literal of cleaned `text` (the hot path: skips NamedTuple's Python-level __new__)."""
    return _new_tuple(Literal, (clean(text), datatype, None))


def typed(lexical: str, datatype: str) -> Literal:
    """A typed literal whose lexical form needs no cleaning (numbers, booleans)."""
    return _new_tuple(Literal, (lexical, datatype, None))


@lru_cache(maxsize=1 << 16)
def encode(value: str) -> str:
    """Percent-encode `value` for use inside an IRI path (see the module docstring)."""
    if value.isascii() and value.replace("-", "").replace("_", "").replace(".", "").isalnum():
        return value  # the common case: a slug or a hex id
    return quote(value.encode("utf-8", "surrogatepass"), safe=_SAFE)


def check_base(base: str) -> str:
    """`base` if it can prefix instance IRIs, else an `ExportError` that says why."""
    if not _BASE.fullmatch(base) or not base.isascii():
        raise ExportError(
            f"base IRI {base!r} is not an absolute ASCII IRI without spaces or <>\"{{}}|^`\\ "
            "(e.g. https://example.org/kg/)"
        )
    scheme = base.split(":", 1)[0].lower()
    if scheme in PREFIXES:  # JSON-LD would read `kg:…` as a compact IRI of the ontology
        raise ExportError(f"base IRI {base!r} uses the scheme {scheme!r}, which is also one of "
                          "the export's prefixes; use http(s) or urn")
    if base[-1] not in "/#:":
        raise ExportError(f"base IRI {base!r} must end with '/', '#' or ':' (e.g. {base}/)")
    return base


class Minter:
    """Mints the IRIs of one export from its base IRI."""

    def __init__(self, base: str) -> None:
        self.base = check_base(base)
        self._label_bases = {label: f"{base}{label.value.lower()}/" for label in Label}
        self._statements = f"{base}statement/"

    def node(self, label: Label, node_id: str) -> str:
        return self._label_bases[label] + encode(node_id)

    def statement(self, rel_type: str, source: tuple[Label, str], target: tuple[Label, str],
                  key: str) -> str:
        """A relationship's statement: identified as Neo4j identifies it (ends, type, key)."""
        # Labels are StrEnums: str already, no `.value` lookup in this hot path.
        digest = _digest(rel_type, source[0], source[1], target[0], target[1], key)
        return self._statements + digest[:32]

    @staticmethod
    def evidence(statement: str, article: str, start: int, end: int, text: str) -> str:
        """One provenance entry of a statement: one sentence of one article."""
        return f"{statement}/evidence/{_digest(article, str(start), str(end), text)[:16]}"

    @staticmethod
    def geometry(node: str) -> str:
        return node + "/geometry"


def _digest(*parts: str) -> str:
    joined = "\x1f".join(parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()
