"""RDF export speed and memory: kg's streaming writers against rdflib's `Graph.add` +
`serialize`, each export in its own process for a clean peak RSS, with a pyoxigraph re-parse
that must give the same triple set."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import neo4j

from kg.dev.bench.report import ProgressFn, peak_rss_mib, rate
from kg.dev.bench.suite import Server, _empty, child_driver, run_child

# rdflib serialises Turtle at about a thousand triples a second, so the export is measured on
# the graph of the first EXPORT_ARTICLES articles (about 500 triples each), whatever the corpus.
EXPORT_ARTICLES = 300
EXPORT_FORMATS = ("nt", "ttl", "jsonld")


def child_export(tool: str, fmt: str, out: str) -> None:
    """In a subprocess: one export by `tool` (kg or rdflib), print triples, seconds, peak RSS."""
    with child_driver() as driver:
        started = time.perf_counter()
        if tool == "kg":
            from kg.export import export_rdf

            triples = export_rdf(driver, out, fmt=fmt).triples
        else:
            triples = rdflib_export(driver, Path(out), fmt)
        seconds = time.perf_counter() - started
    print(json.dumps({"tool": tool, "format": fmt, "triples": triples, "seconds": round(seconds, 3),
                      "triples_per_s": rate(triples, seconds), "peak_rss_mib": peak_rss_mib(),
                      "bytes": Path(out).stat().st_size}))


def rdflib_export(driver: neo4j.Driver, out: Path, fmt: str) -> int:
    """The baseline: kg's reading and mapping, then rdflib's Graph.add per triple and serialize."""
    import rdflib

    from kg.export.iris import BNode, Minter
    from kg.export.mapping import Mapper, Tally
    from kg.export.source import GraphReader
    from kg.export.terms import DEFAULT_BASE_IRI, PREFIXES
    from kg.export.writers import get_format

    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    mapper = Mapper(Minter(DEFAULT_BASE_IRI), Tally())

    def term(value: Any) -> Any:
        if type(value) is str:
            return rdflib.URIRef(value)
        if type(value) is BNode:
            return rdflib.BNode(value)
        # normalize=False: keep kg's lexical forms, so both sides write the same triples.
        return rdflib.Literal(value.value, datatype=value.datatype, lang=value.lang,
                              normalize=False)

    for page in GraphReader(driver, page_size=500).pages(None):
        for node, rels in page:
            for _graph, subject, pairs in mapper.node(node, rels):
                s = term(subject)
                for predicate, obj in pairs:
                    graph.add((s, rdflib.URIRef(predicate), term(obj)))
    graph.serialize(out, format=get_format(fmt).rdflib_name, encoding="utf-8")
    return len(graph)


def _compare(left: set[tuple[str, str, str]], right: set[tuple[str, str, str]]) -> dict[str, Any]:
    only_left, only_right = sorted(left - right), sorted(right - left)
    return {"identical": not only_left and not only_right, "only_in_kg": len(only_left),
            "only_in_reference": len(only_right),
            "examples": [" ".join(t) for t in (only_left[:2] + only_right[:2])]}


def _triple_set(path: Path, fmt: str) -> set[tuple[str, str, str]]:
    import pyoxigraph

    from kg.export.writers import get_format

    name = get_format(fmt).oxigraph_name
    with path.open("rb") as stream:
        return {(str(q.subject), str(q.predicate), str(q.object))
                for q in pyoxigraph.parse(stream, format=getattr(pyoxigraph.RdfFormat, name))}


def measure_export(server: Server, driver: neo4j.Driver, corpus: Path, count: int, work: Path,
                   progress: ProgressFn) -> dict[str, Any]:
    """Each export in its own process, on the graph of `corpus` (`count` articles)."""
    from kg.ingest import ingest

    _empty(driver)
    progress(f"Export: ingesting the {count} articles to export…")
    ingest([corpus], driver)
    runs: dict[str, Any] = {}
    code = "import sys; from kg.dev.bench.exports import child_export; child_export(*sys.argv[1:])"
    progress("Export: warming the server's caches…")
    run_child(code, server, "kg", "nt", str(work / "warm.nt"))
    for tool, fmt in [("kg", f) for f in EXPORT_FORMATS] + [("rdflib", "ttl"), ("rdflib", "nt")]:
        progress(f"Export: {tool} {fmt}…")
        out = work / f"{tool}.{fmt}"
        runs[f"{tool}_{fmt}"] = run_child(code, server, tool, fmt, str(out))
    result: dict[str, Any] = {"articles": count, "runs": runs}
    kg_ttl, rdflib_ttl = runs["kg_ttl"], runs["rdflib_ttl"]
    result["turtle_speed_ratio"] = round(rdflib_ttl["seconds"] / kg_ttl["seconds"], 2)
    result["turtle_memory_ratio"] = round(kg_ttl["peak_rss_mib"] / rdflib_ttl["peak_rss_mib"], 3)
    result["ntriples_speed_ratio"] = round(runs["rdflib_nt"]["seconds"] / runs["kg_nt"]["seconds"], 2)
    try:
        progress("Export: re-parsing with pyoxigraph…")
        kg_nt = _triple_set(work / "kg.nt", "nt")
        checks = {f"kg {fmt} = kg nt": _compare(_triple_set(work / f"kg.{fmt}", fmt), kg_nt)
                  for fmt in EXPORT_FORMATS if fmt != "nt"}
        checks["kg nt = rdflib nt"] = _compare(kg_nt, _triple_set(work / "rdflib.nt", "nt"))
        result["round_trip"] = {"triples": len(kg_nt), "checks": checks}
    except ImportError:
        result["round_trip"] = None
    return result


