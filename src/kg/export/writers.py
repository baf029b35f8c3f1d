"""Streaming RDF writers, registered by format name (like RDFLib's serializer plugins).

Every writer takes blocks — `(graph, subject, [(predicate, object), …])` — a page at a time
and writes them out at once, so memory is bounded by the page, never by the export. None of
them builds a graph in memory:

- `nt` / `nq`: one line per triple (quad); N-Quads puts a block's graph, if any, last.
- `ttl`: Turtle grouped by subject, with prefixes; instance IRIs written in full.
- `jsonld`: one JSON-LD document in flattened form: the inline context, then `@graph`, an
  array of node objects (one per block), each value an explicit `@id` or `@value` object so
  every literal keeps its exact lexical form; blocks of a named graph are nested in a graph
  object.
- `xml`: RDF/XML, one `rdf:Description` per block with property elements.

Triple formats (ttl, nt, xml) merge named graphs into the one graph they hold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TextIO

from kg.errors import ExportError
from kg.export.iris import BNode, Literal, Term
from kg.export.terms import PREFIXES, RDF, RDF_TYPE, XSD_STRING

Block = tuple[str | None, str, list[tuple[str, Term]]]

# Characters that must (or, for other C0 controls, should) be escaped in N-Triples / Turtle
# strings. Literals are already cleaned (kg.export.iris.clean), so the last group is defence.
_NT_ESCAPE = re.compile('[\\\\"\n\r\x00-\x08\x0b-\x0c\x0e-\x1f]')
_NT_TABLE = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"}
_NT_TABLE.update({c: f"\\u{c:04X}" for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))})
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def nt_literal(term: Literal) -> str:
    value = term.value
    if _NT_ESCAPE.search(value):
        value = value.translate(_NT_TABLE)
    if term.lang:
        return f'"{value}"@{term.lang}'
    if term.datatype and term.datatype != XSD_STRING:
        return f'"{value}"^^<{term.datatype}>'
    return f'"{value}"'


def nt_term(term: Term) -> str:
    kind = type(term)
    if kind is str:
        return f"<{term}>"
    if kind is Literal:
        return nt_literal(term)  # type: ignore[arg-type]
    if kind is BNode:
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


class Writer:
    """Base class: `start()`, then `write(page)` any number of times, then `finish()`."""

    name: ClassVar[str]

    def __init__(self, out: TextIO, prefixes: Mapping[str, str] = PREFIXES,
                 context: Mapping[str, Any] | None = None) -> None:
        self.out = out
        self.prefixes = dict(prefixes)
        self.context = context
        self.triples = 0

    def start(self) -> None:
        """Write whatever comes before the first triple."""

    def write(self, blocks: Iterable[Block]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Write whatever comes after the last triple."""


class NTriplesWriter(Writer):
    name = "nt"
    quads: ClassVar[bool] = False

    def write(self, blocks: Iterable[Block]) -> None:
        lines: list[str] = []
        append = lines.append
        for graph, subject, pairs in blocks:
            s = f"<{subject}>" if type(subject) is str else nt_term(subject)
            tail = f" <{graph}> .\n" if graph is not None and self.quads else " .\n"
            for predicate, obj in pairs:
                o = f"<{obj}>" if type(obj) is str else nt_term(obj)
                append(f"{s} <{predicate}> {o}{tail}")
        self.triples += len(lines)
        self.out.write("".join(lines))


class NQuadsWriter(NTriplesWriter):
    name = "nq"
    quads = True


class _QNames:
    """IRI → `prefix:local` when a known namespace and a plain local name allow it."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.by_namespace = {ns: prefix for prefix, ns in prefixes.items()}
        self.cache: dict[str, str | None] = {}

    def __call__(self, iri: str) -> str | None:
        try:
            return self.cache[iri]
        except KeyError:
            pass
        cut = max(iri.rfind("#"), iri.rfind("/")) + 1
        prefix = self.by_namespace.get(iri[:cut])
        local = iri[cut:]
        qname = f"{prefix}:{local}" if prefix is not None and _LOCAL_NAME.fullmatch(local) else None
        if prefix is not None:  # vocabulary terms only: instance IRIs would grow the cache
            self.cache[iri] = qname
        return qname


class TurtleWriter(Writer):
    name = "ttl"

    def start(self) -> None:
        self.qname = _QNames(self.prefixes)
        head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in self.prefixes.items())
        self.out.write(head + "\n")

    def _term(self, term: Term) -> str:
        kind = type(term)
        if kind is str:
            return self.qname(term) or f"<{term}>"  # type: ignore[arg-type]
        if kind is Literal and term.datatype and term.datatype != XSD_STRING:  # type: ignore[union-attr]
            text = nt_literal(Literal(term.value))  # type: ignore[union-attr]
            return f"{text}^^{self.qname(term.datatype) or f'<{term.datatype}>'}"  # type: ignore[union-attr]
        return nt_term(term)

    def write(self, blocks: Iterable[Block]) -> None:
        parts: list[str] = []
        term = self._term
        count = 0
        for _graph, subject, pairs in blocks:
            if not pairs:
                continue
            lines = [
                ("a" if predicate == RDF_TYPE else term(predicate)) + " " + term(obj)
                for predicate, obj in pairs
            ]
            count += len(lines)
            parts.append(term(subject) + " " + " ;\n    ".join(lines) + " .\n\n")
        self.triples += count
        self.out.write("".join(parts))


class JsonLdWriter(Writer):
    name = "jsonld"

    def start(self) -> None:
        self.qname = _QNames(self.prefixes)
        context = self.context if self.context is not None else dict(self.prefixes)
        self.out.write('{\n"@context": ' + json.dumps(context, ensure_ascii=False) + ',\n"@graph": [')
        self.first = True
        self.graph: str | None = None

    def _key(self, iri: str) -> str:
        return self.qname(iri) or iri

    def _value(self, term: Term) -> dict[str, str]:
        kind = type(term)
        if kind is str:
            return {"@id": term}  # type: ignore[dict-item]
        if kind is BNode:
            return {"@id": f"_:{term}"}
        assert isinstance(term, Literal)
        if term.lang:
            return {"@value": term.value, "@language": term.lang}
        if term.datatype and term.datatype != XSD_STRING:
            return {"@value": term.value, "@type": self._key(term.datatype)}
        return {"@value": term.value}

    def write(self, blocks: Iterable[Block]) -> None:
        parts: list[str] = []
        dumps = json.dumps
        for graph, subject, pairs in blocks:
            if not pairs:
                continue
            if graph != self.graph:  # close the previous named graph, open the next
                if self.graph is not None:
                    parts.append("]}")
                if graph is not None:
                    parts.append(("\n" if self.first else ",\n") + dumps({"@id": graph})[:-1]
                                 + ', "@graph": [')
                    self.first = True
                self.graph = graph
            node: dict[str, Any] = {"@id": f"_:{subject}" if type(subject) is BNode else subject}
            for predicate, obj in pairs:
                if predicate == RDF_TYPE and type(obj) is str:
                    node.setdefault("@type", []).append(self._key(obj))
                else:
                    node.setdefault(self._key(predicate), []).append(self._value(obj))
            parts.append(("\n" if self.first else ",\n") + dumps(node, ensure_ascii=False))
            self.first = False
            self.triples += len(pairs)
        self.out.write("".join(parts))

    def finish(self) -> None:
        if self.graph is not None:
            self.out.write("]}")
        self.out.write("\n]\n}\n")


_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_XML_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                           "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})
_NC_START = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*$")


class RdfXmlWriter(Writer):
    name = "xml"

    def start(self) -> None:
        self.elements: dict[str, tuple[str, str]] = {}  # predicate → (element name, xmlns attr)
        self.namespaces = {ns: prefix for prefix, ns in self.prefixes.items()}
        decls = "".join(f'\n    xmlns:{p}="{ns.translate(_XML_ATTR)}"'
                        for p, ns in self.prefixes.items())
        self.out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{decls}>\n')

    def _element(self, predicate: str) -> tuple[str, str]:
        """The property element's name, and an xmlns declaration when the namespace is new."""
        found = self.elements.get(predicate)
        if found is not None:
            return found
        match = _NC_START.search(predicate)
        if match is None or match.start() == 0:
            raise ExportError(f"predicate {predicate} cannot be written in RDF/XML (no local name)")
        namespace, local = predicate[: match.start()], match.group()
        prefix = self.namespaces.get(namespace)
        if prefix is not None:
            found = (f"{prefix}:{local}", "")
        else:  # declared on the element itself: valid wherever it occurs
            found = (f"ns0:{local}", f' xmlns:ns0="{namespace.translate(_XML_ATTR)}"')
        self.elements[predicate] = found
        return found

    def write(self, blocks: Iterable[Block]) -> None:
        parts: list[str] = []
        append = parts.append
        for _graph, subject, pairs in blocks:
            if not pairs:
                continue
            if type(subject) is BNode:
                append(f'<rdf:Description rdf:nodeID="{subject}">\n')
            else:
                append(f'<rdf:Description rdf:about="{subject.translate(_XML_ATTR)}">\n')
            for predicate, obj in pairs:
                name, xmlns = self._element(predicate)
                kind = type(obj)
                if kind is str:
                    append(f'  <{name}{xmlns} rdf:resource="{obj.translate(_XML_ATTR)}"/>\n')  # type: ignore[union-attr]
                elif kind is BNode:
                    append(f'  <{name}{xmlns} rdf:nodeID="{obj}"/>\n')
                else:
                    assert isinstance(obj, Literal)
                    attr = ""
                    if obj.lang:
                        attr = f' xml:lang="{obj.lang}"'
                    elif obj.datatype and obj.datatype != XSD_STRING:
                        attr = f' rdf:datatype="{obj.datatype.translate(_XML_ATTR)}"'
                    append(f"  <{name}{xmlns}{attr}>{obj.value.translate(_XML_TEXT)}</{name}>\n")
            append("</rdf:Description>\n")
            self.triples += len(pairs)
        self.out.write("".join(parts))

    def finish(self) -> None:
        self.out.write("</rdf:RDF>\n")


@dataclass(frozen=True)
class Format:
    """One output format: its name, other names it answers to, and its writer."""

    name: str
    writer: Callable[..., Writer]
    extension: str
    media_type: str
    aliases: tuple[str, ...] = ()
    datasets: bool = False  # carries named graphs
    rdflib_name: str = ""  # for parsing it back (validation, tests)
    oxigraph_name: str = ""


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("ttl", TurtleWriter, ".ttl", "text/turtle", ("turtle",), rdflib_name="turtle",
               oxigraph_name="TURTLE"),
        Format("nt", NTriplesWriter, ".nt", "application/n-triples", ("ntriples", "n-triples"),
               rdflib_name="nt", oxigraph_name="N_TRIPLES"),
        Format("nq", NQuadsWriter, ".nq", "application/n-quads", ("nquads", "n-quads"),
               datasets=True, rdflib_name="nquads", oxigraph_name="N_QUADS"),
        Format("jsonld", JsonLdWriter, ".jsonld", "application/ld+json", ("json-ld", "json"),
               datasets=True, rdflib_name="json-ld", oxigraph_name="JSON_LD"),
        Format("xml", RdfXmlWriter, ".rdf", "application/rdf+xml", ("rdf", "rdfxml", "rdf/xml",
               "owl"), rdflib_name="xml", oxigraph_name="RDF_XML"),
    )
}
_BY_ALIAS = {alias: f for f in FORMATS.values() for alias in (f.name, f.media_type, *f.aliases)}


def get_format(name: str) -> Format:
    """The format called `name` (or an alias or media type); `ExportError` if there is none."""
    found = _BY_ALIAS.get(name.strip().lower())
    if found is None:
        raise ExportError(f"unknown RDF format {name!r}; choose one of {', '.join(FORMATS)}")
    return found


def format_for_path(path: str) -> Format | None:
    """The format a file name's extension suggests (`x.ttl` → ttl), if any."""
    lowered = path.lower()
    for fmt in FORMATS.values():
        if lowered.endswith(fmt.extension):
            return fmt
    for alias, fmt in _BY_ALIAS.items():
        if "/" not in alias and lowered.endswith("." + alias):
            return fmt
    return None


__all__ = ["FORMATS", "RDF", "Block", "Format", "Writer", "format_for_path", "get_format"]
