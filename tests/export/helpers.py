"""Parsing exports back, with rdflib and pyoxigraph, for the tests."""

from __future__ import annotations

import io
import re
from typing import Any

import pyoxigraph as ox
import rdflib

from kg.export.iris import Literal
from kg.export.ontology import read_context
from kg.export.terms import PREFIXES
from kg.export.writers import FORMATS, Block


def write(blocks: list[Block], fmt: str) -> str:
    """`blocks` written in `fmt`, as one page."""
    spec = FORMATS[fmt]
    out = io.StringIO()
    writer = spec.writer(out, PREFIXES, context=read_context() if fmt == "jsonld" else None)
    writer.start()
    writer.write(blocks)
    writer.finish()
    return out.getvalue()


def rdflib_graph(text: str | bytes, fmt: str, *, all_graphs: bool = True) -> rdflib.Graph:
    """The triples of an export (of every graph in it, or of its default graph only)."""
    spec = FORMATS[fmt]
    if not spec.datasets:
        return rdflib.Graph().parse(data=text, format=spec.rdflib_name)
    dataset = rdflib.Dataset()
    dataset.parse(data=text, format=spec.rdflib_name)
    graph = rdflib.Graph()
    source = dataset.quads((None, None, None, None)) if all_graphs else (
        (*t, None) for t in dataset.default_graph)
    for s, p, o, _g in source:
        graph.add((s, p, o))
    return graph


def oxigraph_quads(text: str | bytes, fmt: str) -> list[Any]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return list(ox.parse(data, format=getattr(ox.RdfFormat, FORMATS[fmt].oxigraph_name)))


def ox_literal_values(quads: list[Any]) -> set[tuple[str, str]]:
    """(lexical form, datatype IRI) of every literal object."""
    return {(q.object.value, q.object.datatype.value) for q in quads
            if isinstance(q.object, ox.Literal)}


def block_literal_values(blocks: list[Block]) -> set[tuple[str, str]]:
    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    lang_string = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
    return {(o.value, o.datatype or (lang_string if o.lang else xsd_string))
            for _g, _s, pairs in blocks for _p, o in pairs if isinstance(o, Literal)}


def cli_env(server: Any) -> dict[str, str]:
    """Environment pointing `kg` at the test server."""
    return {"KG_NEO4J_URI": server.uri, "KG_NEO4J_USER": server.user,
            "KG_NEO4J_PASSWORD": server.password}


def outside_scripts(page: str) -> str:
    """An HTML page with the contents of its inline scripts left out (their tags kept), so that
    what the page loads can be checked without the libraries' own strings getting in the way."""
    return re.sub(r"<script>.*?</script>", "<script></script>", page, flags=re.S)
