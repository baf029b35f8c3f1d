"""What `kg bench run` measures on a throw-away Neo4j server (what each stage is measured
against: `kg.dev.bench.run`).

kg's loader against the naive and bulk baselines and their statements, load growth, end to
end `ingest()`, its peak memory, and the RDF export against rdflib; the memory and export
runs each in a fresh interpreter (`run_child`) for a clean peak RSS.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j

from kg.dev.bench.report import ProgressFn, peak_rss_mib, rate
from kg.errors import KgError
from kg.models import ArticleGraph
from kg.schema import Label, RelType

# The naive loader writes one transaction per element; a slice of the corpus is enough to
# know its rate per element, which is then compared per element with kg's. A few articles
# more warm its queries up first.
NAIVE_ARTICLES = 40
NAIVE_WARM_UP = 5
# rdflib serialises Turtle at about a thousand triples a second, so the export is measured on
# the graph of the first EXPORT_ARTICLES articles (about 500 triples each), whatever the corpus.
EXPORT_ARTICLES = 300
EXPORT_FORMATS = ("nt", "ttl", "jsonld")


# -- a throw-away server ----------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    uri: str
    user: str
    password: str = field(repr=False)
    reinstall_seconds: float = 0.0  # `install()` again on the installed home: nothing to do


@contextmanager
def throwaway_server(progress: ProgressFn) -> Iterator[Server]:
    """A fresh Neo4j in a temporary home on free ports, stopped and deleted afterwards."""
    from kg.neo4j.processes import free_port
    from kg.neo4j.server import ManagedServer

    home = Path(tempfile.mkdtemp(prefix="kg-bench-neo4j-"))
    server = ManagedServer(home)
    try:
        progress("Starting a throw-away Neo4j server…")
        server.install(bolt_port=free_port(), http_port=free_port(), heap="1g", pagecache="512m",
                       extra_conf={"internal.dbms.bolt.netty_server_shutdown_quiet_period": "0"},
                       progress=progress)
        again = server.install()
        if not again.already_installed:
            raise KgError("installing the benchmark server a second time did not find it installed")
        server.start()
        yield Server(server.bolt_uri, "neo4j", server.read_password().get_secret_value(),
                     again.seconds)
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(home, ignore_errors=True)


_DELETE_SLICES = (
    "MATCH ()-[r]->() WITH r LIMIT 20000 DELETE r RETURN count(*) AS c",
    "MATCH (n) WITH n LIMIT 20000 DELETE n RETURN count(*) AS c",
)


def _empty(driver: neo4j.Driver) -> None:
    def delete_some(tx: neo4j.ManagedTransaction, query: str) -> int:
        record = tx.run(query).single()
        return int(record["c"]) if record else 0

    # In slices, relationships first: a country of a large graph has tens of thousands of
    # them, too many for one transaction's memory with DETACH DELETE.
    with driver.session() as session:
        for query in _DELETE_SLICES:
            while session.execute_write(delete_some, query):
                pass


def _size(driver: neo4j.Driver) -> tuple[int, int]:
    nodes = driver.execute_query("MATCH (n) RETURN count(n) AS c", routing_="r").records[0]["c"]
    rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c", routing_="r").records[0]["c"]
    return int(nodes), int(rels)


# -- the store: baselines and measurements ---------------------------------------------


def _stored_rows(driver: neo4j.Driver) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every node and relationship as stored by kg's loader: the rows the baselines get."""
    nodes = [dict(r) for r in driver.execute_query(
        "MATCH (n) RETURN labels(n)[0] AS label, n.id AS id, properties(n) AS props",
        routing_="r").records]
    rels = [dict(r) for r in driver.execute_query(
        "MATCH (s)-[r]->(t) RETURN type(r) AS type, labels(s)[0] AS sl, s.id AS s, "
        "labels(t)[0] AS tl, t.id AS t, properties(r) AS props", routing_="r").records]
    return nodes, rels


# The baselines' queries, labels and types filled in from the closed schema (kg.neo4j.statements.fill).
_NAIVE_NODE = "MERGE (n:<L> {id: $id}) SET n += $props"
_NAIVE_REL = "MATCH (s:<S> {id: $s}) MATCH (t:<T> {id: $t}) MERGE (s)-[r:<R>]->(t) SET r += $props"
_BULK_NODE = "UNWIND $rows AS row MERGE (n:<L> {id: row.id}) SET n += row.props"
_BULK_REL = ("UNWIND $rows AS row MATCH (s:<S> {id: row.s}) MATCH (t:<T> {id: row.t}) "
             "MERGE (s)-[r:<R> {key: row.props.key}]->(t) SET r += row.props")
BULK_ROWS = 1000


def _write(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> None:
    tx.run(query, params).consume()


def naive_load(driver: neo4j.Driver, nodes: list[dict[str, Any]], rels: list[dict[str, Any]]) -> None:
    """The baseline: one execute_write per node and per relationship, each a MERGE."""
    from kg.neo4j.statements import fill

    with driver.session() as session:
        for node in nodes:
            session.execute_write(_write, fill(_NAIVE_NODE, L=Label(node["label"])),
                                  {"id": node["id"], "props": node["props"]})
        for rel in rels:
            query = fill(_NAIVE_REL, R=RelType(rel["type"]), S=Label(rel["sl"]), T=Label(rel["tl"]))
            session.execute_write(_write, query, {"s": rel["s"], "t": rel["t"], "props": rel["props"]})


def bulk_load(driver: neo4j.Driver, nodes: list[dict[str, Any]], rels: list[dict[str, Any]]) -> None:
    """The reference: the same rows as plain UNWIND MERGE batches of `BULK_ROWS`, nodes first.

    About the fastest a batched loader can write these rows; it does none of kg's work
    (ledger, event coreference, provenance merging, derived properties).
    """
    from kg.neo4j.statements import fill

    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        groups[fill(_BULK_NODE, L=Label(node["label"]))].append(
            {"id": node["id"], "props": node["props"]})
    for rel in rels:
        query = fill(_BULK_REL, R=RelType(rel["type"]), S=Label(rel["sl"]), T=Label(rel["tl"]))
        groups[query].append({"s": rel["s"], "t": rel["t"], "props": rel["props"]})
    with driver.session() as session:
        for query, rows in groups.items():  # insertion order: every node before any relationship
            for start in range(0, len(rows), BULK_ROWS):
                session.execute_write(_write, query, {"rows": rows[start:start + BULK_ROWS]})


def measure_load(driver: neo4j.Driver, graphs: list[ArticleGraph], progress: ProgressFn
                 ) -> dict[str, Any]:
    """kg's loader, the naive per-element baseline and the bulk reference, on a warm server.

    A fresh JVM runs Cypher several times slower until it has compiled its hot paths, so the
    corpus is loaded once by every loader before anything is timed.
    """
    from kg.neo4j.loader import load
    from kg.neo4j.schema import apply_schema

    _empty(driver)
    apply_schema(driver)
    progress(f"Load: warming the server up with the {len(graphs)} articles…")
    load(driver, graphs)
    nodes, rels = _stored_rows(driver)
    _empty(driver)
    bulk_load(driver, nodes, rels)
    _empty(driver)
    load(driver, graphs[:NAIVE_WARM_UP])
    warm_rows = _stored_rows(driver)
    _empty(driver)
    naive_load(driver, *warm_rows)
    _empty(driver)
    subset = graphs[:NAIVE_ARTICLES]
    load(driver, subset)
    naive_nodes, naive_rels = _stored_rows(driver)
    _empty(driver)

    Rows = list[dict[str, Any]]

    def rebuild(name: str, loader: Callable[[neo4j.Driver, Rows, Rows], None],
                nodes: Rows, rels: Rows) -> float:
        """Seconds `loader` takes to write the rows into the empty graph, checked and emptied."""
        started = time.perf_counter()
        loader(driver, nodes, rels)
        seconds = time.perf_counter() - started
        if _size(driver) != (len(nodes), len(rels)):
            raise KgError(f"the {name} loader did not rebuild the same graph")
        _empty(driver)
        return seconds

    progress(f"Load: naive per-element MERGE on {len(subset)} articles…")
    naive = rebuild("naive", naive_load, naive_nodes, naive_rels)
    progress(f"Load: bulk UNWIND of the {len(graphs)} articles' rows…")
    bulk = rebuild("bulk", bulk_load, nodes, rels)
    progress(f"Load: kg's loader on {len(graphs)} articles…")
    started = time.perf_counter()
    load(driver, graphs)
    kg_seconds = time.perf_counter() - started
    n, r = _size(driver)
    kg_rate = (n + r) / kg_seconds
    naive_rate = (len(naive_nodes) + len(naive_rels)) / naive
    bulk_rate = (n + r) / bulk
    return {
        "kg": {"articles": len(graphs), "nodes": n, "relationships": r,
               "seconds": round(kg_seconds, 2), "elements_per_s": round(kg_rate, 1),
               "articles_per_s": rate(len(graphs), kg_seconds)},
        "naive": {"articles": len(subset), "elements": len(naive_nodes) + len(naive_rels),
                  "seconds": round(naive, 2), "elements_per_s": round(naive_rate, 1),
                  "extrapolated_seconds_for_kg_graph": round((n + r) / naive_rate, 1)},
        "bulk": {"seconds": round(bulk, 2), "elements_per_s": round(bulk_rate, 1),
                 "rows_per_query": BULK_ROWS},
        "ratio_vs_naive": round(kg_rate / naive_rate, 2),
        "ratio_vs_bulk": round(kg_rate / bulk_rate, 3),
        "bulk_ratio_vs_naive": round(bulk_rate / naive_rate, 2),
    }


def clone(graph: ArticleGraph, copy: int) -> ArticleGraph:
    """Article `graph` as if a later article: new ids, dates moved `copy` × 1100 days on.

    Entities (groups, places, people) stay shared, as in a real growing graph; the moved
    dates keep the copies' events from being taken for reports of the same incidents.
    """
    aid = graph.article.id
    data = graph.model_dump_json().replace(aid, f"{aid}-copy{copy}")
    copied = ArticleGraph.model_validate_json(data)
    shift = dt.timedelta(days=1100 * copy)
    article = copied.article
    return copied.model_copy(update={
        "article": article.model_copy(update={"published": article.published and article.published + shift}),
        "events": [e.model_copy(update={"date": e.date and e.date + shift}) for e in copied.events],
    })


def measure_growth(driver: neo4j.Driver, graphs: list[ArticleGraph], factor: int,
                   progress: ProgressFn) -> dict[str, Any]:
    """Seconds per article of one more batch into a graph of N, then of `factor` × N, articles.

    Runs after `measure_load`, so the graph already holds the corpus once.
    """
    from kg.neo4j.loader import load

    probe = graphs[: max(NAIVE_ARTICLES, len(graphs) // 4)]

    def timed_probe(copy: int) -> float:
        batch = [clone(g, copy) for g in probe]
        started = time.perf_counter()
        load(driver, batch)
        return (time.perf_counter() - started) / len(batch)

    progress(f"Load: {len(probe)} more articles into a graph of {len(graphs)}…")
    small = timed_probe(1)
    for copy in range(2, factor + 1):
        progress(f"Load: growing the graph to {copy * len(graphs)} articles…")
        load(driver, (clone(g, copy) for g in graphs))
    progress(f"Load: {len(probe)} more articles into a graph of {factor * len(graphs)}…")
    large = timed_probe(factor + 1)
    nodes, rels = _size(driver)
    return {"probe_articles": len(probe), "small_graph_articles": len(graphs),
            "large_graph_articles": factor * len(graphs) + len(probe),
            "large_graph_nodes": nodes, "large_graph_relationships": rels,
            "seconds_per_article_small": round(small, 4), "seconds_per_article_large": round(large, 4),
            "ratio": round(large / small, 3)}


def measure_ingest(driver: neo4j.Driver, corpus: Path, count: int, progress: ProgressFn
                   ) -> dict[str, Any]:
    """`ingest()` of the corpus in one process, then with a worker per core."""
    from kg.ingest import ingest

    cores = os.cpu_count() or 1
    runs = {}
    for label, jobs in (("one_process", 1), ("all_cores", cores)):
        _empty(driver)
        progress(f"End to end: ingest() of {count} articles, {jobs} extraction process(es)…")
        started = time.perf_counter()
        summary = ingest([corpus], driver, n_process=jobs)
        wall = time.perf_counter() - started
        if summary.failed:
            raise KgError(f"ingest failed on {summary.failed} articles: {summary.failures[:3]}")
        runs[label] = {
            "processes": jobs, "articles": summary.read, "new": summary.new,
            "seconds": round(wall, 2), "articles_per_s": rate(summary.read, wall),
            "articles_per_day": round(summary.read / wall * 86400),
            "stage_seconds": {k: round(v, 2) for k, v in summary.seconds.items()},
            "stage_share": {k: round(v / wall, 3) for k, v in summary.seconds.items()},
            "nodes_created": summary.nodes_created,
            "relationships_created": summary.relationships_created}
    # One process uses one core for kg (the server has the other): its rate is per core.
    return {**runs["one_process"], "all_cores": runs["all_cores"]}


def run_child(code: str, server: Server, *args: str) -> dict[str, Any]:
    """Run `code` in a fresh interpreter (its own peak RSS); it prints one JSON line."""
    env = {**os.environ, "KG_BENCH_URI": server.uri, "KG_BENCH_USER": server.user,
           "KG_BENCH_PASSWORD": server.password}
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise KgError(f"benchmark subprocess failed: {done.stderr.strip()[-800:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def child_driver() -> neo4j.Driver:
    return neo4j.GraphDatabase.driver(os.environ["KG_BENCH_URI"],
                                      auth=(os.environ["KG_BENCH_USER"], os.environ["KG_BENCH_PASSWORD"]))


def child_ingest(path: str) -> None:
    """In a subprocess: ingest `path`, print articles, seconds and peak RSS."""
    from kg.ingest import ingest

    with child_driver() as driver:
        started = time.perf_counter()
        summary = ingest([path], driver)
        seconds = time.perf_counter() - started
    print(json.dumps({"articles": summary.read, "failed": summary.failed,
                      "seconds": round(seconds, 2), "peak_rss_mib": peak_rss_mib()}))


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
    code = "import sys; from kg.dev.bench.suite import child_export; child_export(*sys.argv[1:])"
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


def measure_memory(server: Server, driver: neo4j.Driver, corpora: list[tuple[int, Path]],
                   progress: ProgressFn) -> dict[str, Any]:
    code = "import sys; from kg.dev.bench.suite import child_ingest; child_ingest(sys.argv[1])"
    runs = {}
    for count, path in corpora:
        _empty(driver)
        progress(f"Memory: ingest of {count} articles in a subprocess…")
        runs[str(count)] = run_child(code, server, str(path))
    small, large = (runs[str(c)] for c, _ in corpora)
    return {"runs": runs, "growth": round(large["peak_rss_mib"] / small["peak_rss_mib"], 3)}


