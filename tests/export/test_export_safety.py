"""Export safety: any text survives every format, and a failed export publishes nothing.

What tests/export/test_writers.py and test_export_changes.py already show (a fixed hostile
name, short arbitrary names, an export whose first read fails) is extended here to:

- arbitrary names, aliases, quote, figure and article texts, including very long ones,
  with the reference graph built directly from kg's blocks in rdflib (not through one of
  kg's own writers), read back by rdflib and pyoxigraph alike, the documented character
  policy (docs/rdf.md, *Literals*) checked character by character against the input, and
  every node IRI decoding back to its id;
- the same through a real Neo4j load and `export_rdf`, with connections to anything but
  loopback refused;
- exports that fail half-way (the database goes away, the disk refuses a write, the target
  cannot be replaced, an interrupt): no partial or temporary file, the old file intact, and
  the failure an `ExportError` with a reason, never a driver or OS exception.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import ipaddress
import resource
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import neo4j
import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver, GraphDatabase
from rdflib.compare import isomorphic

from kg.errors import ExportError
from kg.export import export_rdf
from kg.export.iris import BNode, Literal, Minter
from kg.export.mapping import Mapper, NodeRecord, RelRecord, Tally
from kg.export.terms import KG, XSD_STRING
from kg.export.writers import FORMATS, Block
from kg.models import (
    Article,
    ArticleGraph,
    Entity,
    Event,
    Evidence,
    Figure,
    Mention,
    Participant,
    Quote,
    Relation,
)
from kg.neo4j.loader import load
from kg.schema import EntityType, EventType, FigureKind, Label, ParticipantRole, RelType

from .helpers import rdflib_graph, write

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside rdflib's parsers

BASE = "https://example.org/kg/"
REPLACEMENT = "\ufffd"

# -- the character policy, restated from docs/rdf.md (not imported from kg.export.iris) ----


def expected(text: str) -> str:
    """What a literal of `text` must read back as: C0 controls but tab, LF and CR, lone
    surrogates, U+FFFE and U+FFFF become U+FFFD one for one; everything else is kept."""
    out = []
    for ch in text:
        code = ord(ch)
        bad = (code < 0x20 and ch not in "\t\n\r") or 0xD800 <= code <= 0xDFFF or code in (
            0xFFFE, 0xFFFF)
        out.append(REPLACEMENT if bad else ch)
    return "".join(out)


def _xml_char(ch: str) -> bool:
    code = ord(ch)
    return ch in "\t\n\r" or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


# -- hostile text ----------------------------------------------------------------------------

# Pieces that break naive writers: controls, surrogates (a split pair too), non-characters,
# bidi and invisible marks, line separators, every syntax's quoting and escape characters.
TROUBLE = [
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f",
    "\t", "\n", "\r", "\r\n", "\ud800", "\udfff", "\ud83d\ude00", "\ufffe", "\uffff", "\ufeff",
    "\u200b", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029",
    '"', "'", '"""', "'''", "\\", "\\u0041", "\\n", "\\", "<", ">", "&", "&amp;", "]]>",
    "<!--", "-->", "{", "}", "@", "@id", "^^", "_:", "#", "%", "%00", "%zz", " ", ".", ";",
    "😀", "\U0010ffff", "e\u0301", "ك", "中文", "\u0644\u0627",
]
_piece = st.one_of(st.characters(exclude_categories=()), st.sampled_from(TROUBLE))
short_text = st.lists(_piece, max_size=25).map("".join)
# Long strings: a piece repeated, up to ~100,000 characters.
long_text = st.tuples(st.lists(_piece, min_size=1, max_size=6).map("".join),
                      st.integers(200, 4000)).map(lambda t: t[0] * t[1])
any_text = st.one_of(short_text, short_text, short_text, long_text)
texts = st.fixed_dictionaries({
    "name": any_text, "alias": short_text, "quote": any_text, "figure": short_text,
    "role": short_text, "title": short_text, "gap": short_text,
})
# What can reach Neo4j: the driver refuses lone surrogates (docs/rdf.md, *Literals*).
_neo4j_piece = st.one_of(st.characters(exclude_categories=("Cs",)),
                         st.sampled_from([t for t in TROUBLE if not any(
                             0xD800 <= ord(c) <= 0xDFFF for c in t)]))
neo4j_text = st.lists(_neo4j_piece, max_size=20).map("".join)
neo4j_texts = st.fixed_dictionaries({
    "name": neo4j_text, "alias": neo4j_text, "quote": neo4j_text, "figure": neo4j_text,
    "role": neo4j_text, "title": neo4j_text, "gap": neo4j_text,
})


# -- a graph in the loader's shape, from the texts --------------------------------------------


def _body(t: dict[str, str]) -> tuple[str, dict[str, tuple[int, int]]]:
    """An article body holding every text, and where each one is."""
    parts = ["name", "alias", "quote", "figure", "role"]
    body, spans = "", {}
    for key in parts:
        body += t["gap"] + " "
        spans[key] = (len(body), len(body) + len(t[key]))
        body += t[key]
    return body + ".", spans


def _records(t: dict[str, str]) -> list[tuple[NodeRecord, list[RelRecord]]]:
    body, spans = _body(t)
    group, person, event = "group:" + t["name"], "person:" + t["role"] + t["name"], "event:1"
    quote, figure, article = "quote:" + t["quote"][:50], "figure:1", "article " + t["title"]

    def prov(key: str, confidence: float = 0.8) -> dict[str, Any]:
        start, end = spans[key]
        return {"key": "", "articles": [article], "evidence": [body[start:end]],
                "evidence_start": [start], "evidence_end": [end], "confidences": [confidence]}

    return [
        (NodeRecord(Label.ARTICLE, article, {
            "id": article, "title": t["title"], "summary": t["gap"], "text": body,
            "source": t["alias"], "content_hash": "h", "extractor_version": "v",
            "ingested_at": dt.datetime(2025, 3, 12, 8, 0, tzinfo=dt.UTC)}),
         [RelRecord(RelType.MENTIONS, (Label.ARTICLE, article), (Label.GROUP, group), prov("name")),
          RelRecord(RelType.REPORTS, (Label.ARTICLE, article), (Label.EVENT, event),
                    {**prov("name"), "label": t["name"], "date_text": t["gap"]})]),
        (NodeRecord(Label.GROUP, group, {"id": group, "name": t["name"],
                                         "aliases": [t["alias"], t["name"], t["figure"]],
                                         "kind": "separatist", "country": "PK"}),
         [RelRecord(RelType.PERPETRATED, (Label.GROUP, group), (Label.EVENT, event),
                    prov("name", 0.9)),
          RelRecord(RelType.SEEKS, (Label.GROUP, group), (Label.PLACE, "place:1"),
                    {**prov("alias"), "goal": t["alias"]})]),
        (NodeRecord(Label.PERSON, person, {"id": person, "name": t["role"], "role": t["role"]}),
         [RelRecord(RelType.SAID, (Label.PERSON, person), (Label.QUOTE, quote), prov("quote")),
          RelRecord(RelType.HOLDS_ROLE, (Label.PERSON, person), (Label.GROUP, group),
                    {**prov("role"), "role": t["role"]})]),
        (NodeRecord(Label.EVENT, event, {
            "id": event, "type": "attack", "acled_event_type": "Violence against civilians",
            "acled_sub_event_type": "Attack", "label": t["name"], "date": dt.date(2025, 3, 11),
            "date_text": t["gap"], "claimed_by": t["alias"]}),
         [RelRecord(RelType.HAS_FIGURE, (Label.EVENT, event), (Label.FIGURE, figure),
                    prov("figure"))]),
        (NodeRecord(Label.PLACE, "place:1", {"id": "place:1", "name": t["alias"],
                                             "latitude": 30.5, "longitude": 67.0}), []),
        (NodeRecord(Label.QUOTE, quote, {"id": quote, "article": article, "text": t["quote"],
                                         "speaker_description": t["role"],
                                         "start": spans["quote"][0], "end": spans["quote"][1]}),
         []),
        (NodeRecord(Label.FIGURE, figure, {"id": figure, "article": article, "kind": "killed",
                                           "min": 10**30, "max": 10**30, "approximate": True,
                                           "qualifier": t["gap"], "text": t["figure"],
                                           "who": t["figure"]}), []),
    ]


def _blocks(t: dict[str, str]) -> list[Block]:
    mapper = Mapper(Minter(BASE), Tally())
    return [block for node, rels in _records(t) for block in mapper.node(node, rels)]


def _rdflib_term(term: Any) -> rdflib.term.Node:
    if type(term) is BNode:
        return rdflib.BNode(term)
    if type(term) is Literal:
        return rdflib.Literal(term.value, lang=term.lang,
                              datatype=rdflib.URIRef(term.datatype) if term.datatype else None)
    return rdflib.URIRef(term)


def reference(blocks: list[Block]) -> rdflib.Graph:
    """The blocks' triples, built directly in rdflib: no kg writer involved."""
    graph = rdflib.Graph()
    for _g, subject, pairs in blocks:
        for predicate, obj in pairs:
            graph.add((_rdflib_term(subject), rdflib.URIRef(predicate), _rdflib_term(obj)))
    return graph


def oxigraph_graph(data: bytes, fmt: str) -> rdflib.Graph:
    """pyoxigraph's reading of an export, as an rdflib graph (every named graph merged)."""
    graph = rdflib.Graph()

    def term(t: Any) -> rdflib.term.Node:
        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return rdflib.BNode(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        if t.datatype.value == XSD_STRING:  # rdflib keeps plain and xsd:string apart
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))

    for quad in ox.parse(data, format=getattr(ox.RdfFormat, FORMATS[fmt].oxigraph_name)):
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


# -- the network -----------------------------------------------------------------------------


def _loopback(address: Any) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX and the like never leave the machine
    host = address[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def loopback_only() -> Iterator[list[Any]]:
    """Refuse (and record) every socket connection and name lookup that is not loopback."""
    attempts: list[Any] = []
    connect, connect_ex, getaddrinfo = (socket.socket.connect, socket.socket.connect_ex,
                                        socket.getaddrinfo)

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if not _loopback(address):
            attempts.append(address)
            raise OSError(f"test: network access to {address!r} refused")
        return connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> Any:
        if not _loopback(address):
            attempts.append(address)
            raise OSError(f"test: network access to {address!r} refused")
        return connect_ex(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _loopback((host if not isinstance(host, bytes) else host.decode(),)):
            attempts.append(host)
            raise OSError(f"test: name lookup of {host!r} refused")
        return getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = guarded_getaddrinfo
    try:
        yield attempts
    finally:
        socket.socket.connect = connect  # type: ignore[method-assign]
        socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = getaddrinfo


def test_the_guard_refuses_the_network() -> None:
    """The guard itself works: otherwise the JSON-LD checks below would prove nothing."""
    with loopback_only() as attempts, pytest.raises(OSError, match="refused"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with loopback_only(), pytest.raises(OSError, match="refused"):
        rdflib.Graph().parse(data='{"@context": "https://schema.org/", "@id": "x", '
                                  '"name": "y"}', format="json-ld")
    assert attempts


# -- the checks ------------------------------------------------------------------------------


def _check_literals(parsed: rdflib.Graph, t: dict[str, str], where: str) -> None:
    """The character policy, literal by literal, against the input texts."""
    def values(predicate: str) -> set[str]:
        return {str(o) for o in parsed.objects(None, rdflib.URIRef(KG + predicate))}

    body, spans = _body(t)
    assert values("name") == {expected(t["name"]), expected(t["role"]), expected(t["alias"])}, where
    assert values("alias") == {expected(t[k]) for k in ("alias", "name", "figure")}, where
    assert values("body") == {expected(body)}, where
    assert expected(t["quote"]) in values("text") and expected(t["figure"]) in values("text"), where
    # Evidence offsets still point at the evidence text in the exported body.
    exported_body = next(iter(values("body")))
    kg = rdflib.Namespace(KG)
    entries = list(parsed.subjects(rdflib.RDF.type, kg.Evidence))
    assert len(entries) == 7, where
    for entry in entries:
        start, end = int(parsed.value(entry, kg.start)), int(parsed.value(entry, kg.end))
        text = parsed.value(entry, kg.text)
        assert exported_body[start:end] == (str(text) if text is not None else ""), where
    for literal in parsed.objects():
        if isinstance(literal, rdflib.Literal):
            assert all(_xml_char(c) for c in str(literal)), (where, literal)


def _check_iris(parsed: rdflib.Graph, records: list[tuple[NodeRecord, list[RelRecord]]]) -> None:
    """Node IRIs are ASCII, valid (pyoxigraph checks RFC 3987) and decode back to their id."""
    minter = Minter(BASE)
    for record, _rels in records:
        iri = minter.node(record.label, record.id)
        assert (rdflib.URIRef(iri), rdflib.RDF.type, None) in parsed
        assert iri.isascii()
        ox.NamedNode(iri)
        prefix = f"{BASE}{record.label.value.lower()}/"
        assert unquote(iri[len(prefix):], errors="surrogatepass") == record.id


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(t=texts)
def test_any_text_round_trips_in_every_format(t: dict[str, str]) -> None:
    records = _records(t)
    blocks = _blocks(t)
    ref = reference(blocks)
    for fmt in FORMATS:
        data = write(blocks, fmt).encode("utf-8")  # strict: a lone surrogate would raise here
        if fmt == "xml":
            assert all(_xml_char(c) for c in data.decode("utf-8")), "not XML 1.0 characters"
        with loopback_only() as attempts:
            by_rdflib = rdflib_graph(data, fmt)
            by_oxigraph = oxigraph_graph(data, fmt)
        assert not attempts, (fmt, attempts)
        assert isomorphic(by_rdflib, ref), f"{fmt}: rdflib reads another graph"
        assert isomorphic(by_oxigraph, ref), f"{fmt}: pyoxigraph reads another graph"
        _check_literals(by_rdflib, t, fmt)
        _check_literals(by_oxigraph, t, fmt)
    _check_iris(ref, records)


def test_the_policy_check_catches_a_writer_that_drops_a_character(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Sanity: the round-trip check above fails when a writer loses a character."""
    import kg.export.writers as writers

    t = {"name": "a\x85b\u2028c", "alias": "x", "quote": "q", "figure": "f", "role": "r",
         "title": "t", "gap": "g"}
    real = writers.nt_literal
    monkeypatch.setattr(writers, "nt_literal",
                        lambda term: real(term._replace(value=term.value.replace("\x85", ""))))
    with pytest.raises(AssertionError):
        test_any_text_round_trips_in_every_format.hypothesis.inner_test(t)  # type: ignore[attr-defined]


# -- through Neo4j ---------------------------------------------------------------------------


def _article_graph(t: dict[str, str]) -> ArticleGraph:
    """The texts as an extractor would hand them to the loader."""
    body, spans = _body(t)

    def ev(key: str) -> Evidence:
        start, end = spans[key]
        return Evidence(text=body[start:end], start=start, end=end)

    def mention(key: str) -> Mention:
        start, end = spans[key]
        return Mention(text=body[start:end], start=start, end=end)

    group, person, event = "group:" + t["name"], "person:" + t["role"], "event:hostile"
    entities = [
        Entity(id=group, type=EntityType.GROUP, name=t["name"], aliases=[t["alias"], t["figure"]],
               kind="separatist", mentions=[mention("name")]),
        Entity(id=person, type=EntityType.PERSON, name=t["role"], role=t["role"],
               mentions=[mention("role")]),
    ]
    return ArticleGraph(
        article=Article(id="article " + t["title"], title=t["title"], summary=t["gap"] or None,
                        text=body, source=t["alias"] or None),
        extractor_version="test",
        entities=entities,
        events=[Event(id=event, type=EventType.ATTACK, label=t["name"] or "attack",
                      acled_event_type="Violence against civilians", acled_sub_event_type="Attack",
                      date=dt.date(2025, 3, 11), date_text=t["gap"] or None,
                      claimed_by=t["alias"] or None,
                      participants=[Participant(entity=group, role=ParticipantRole.PERPETRATOR)],
                      evidence=[ev("name")])],
        quotes=[Quote(id="quote:1", text=t["quote"], speaker=person, event=event,
                      speaker_description=t["role"] or None, start=spans["quote"][0],
                      end=spans["quote"][1], evidence=ev("quote"))],
        figures=[Figure(id="figure:1", kind=FigureKind.KILLED, min=10**15, max=10**15,
                        text=t["figure"], who=t["figure"] or None, qualifier=t["gap"] or None,
                        event=event, according_to=group, evidence=ev("figure"))],
        relations=[Relation(source=person, type=RelType.HOLDS_ROLE, target=group,
                            properties={"role": t["role"]}, evidence=ev("role"))],
    )


@pytest.mark.neo4j
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(t=neo4j_texts)
def test_any_text_round_trips_through_neo4j(neo4j_driver: Driver, _schema: None,
                                             tmp_path_factory: pytest.TempPathFactory,
                                             t: dict[str, str]) -> None:
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    graph = _article_graph(t)
    result = load(neo4j_driver, [graph])
    assert not result.dropped, result.dropped
    folder = tmp_path_factory.mktemp("hostile")
    reference_nt = oxigraph_graph(Path(export_rdf(neo4j_driver, folder / "ref.nt").output)
                                  .read_bytes(), "nt")
    body = graph.article.text
    for fmt in FORMATS:
        out = folder / f"graph{FORMATS[fmt].extension}"
        with loopback_only() as attempts:  # the driver talks to loopback only; nothing else may
            exported = export_rdf(neo4j_driver, out, validate=fmt == "ttl")  # pyshacl is slow
            data = out.read_bytes()
            parsed = rdflib_graph(data, fmt)
        assert not attempts, (fmt, attempts)
        assert exported.triples == len(parsed) == len(reference_nt)
        assert isomorphic(parsed, reference_nt), fmt
        assert isomorphic(oxigraph_graph(data, fmt), reference_nt), fmt
        names = {str(o) for o in parsed.objects(None, rdflib.URIRef(KG + "name"))}
        assert names == {expected(t["name"]), expected(t["role"])}, fmt
        aliases = {str(o) for o in parsed.objects(None, rdflib.URIRef(KG + "alias"))}
        # The loader keeps every alias but the name itself (kg.neo4j.loader).
        assert {expected(a) for a in (t["alias"], t["figure"]) if a != t["name"]} <= aliases, fmt
        texts_ = {str(o) for o in parsed.objects(None, rdflib.URIRef(KG + "text"))}
        assert {expected(t["quote"]), expected(t["figure"])} <= texts_, fmt
        bodies = [str(o) for o in parsed.objects(None, rdflib.URIRef(KG + "body"))]
        assert bodies == [expected(body)], fmt
    assert not [p for p in folder.iterdir() if p.name.endswith(".part")]


# -- failures --------------------------------------------------------------------------------

OLD = "previous good export\n"


def _only_the_old_file(folder: Path, name: str = "graph.ttl") -> None:
    assert sorted(p.name for p in folder.iterdir()) == [name]
    assert (folder / name).read_text("utf-8") == OLD


def _fail_on_node(monkeypatch: pytest.MonkeyPatch, n: int, action: Any) -> None:
    """Run `action()` when the mapper reaches its `n`-th node (pages are read lazily)."""
    real = Mapper.node
    calls = [0]

    def node(self: Mapper, record: NodeRecord, rels: list[RelRecord]) -> list[Block]:
        calls[0] += 1
        if calls[0] == n:
            action()
        return real(self, record, rels)

    monkeypatch.setattr(Mapper, "node", node)


def _fail_on_read(monkeypatch: pytest.MonkeyPatch, driver: Driver, n: int,
                  error: Exception) -> list[int]:
    """The driver's `n`-th query raises `error` (earlier pages are already written)."""
    real = driver.execute_query
    calls = [0]

    def execute_query(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == n:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(driver, "execute_query", execute_query)
    return calls


@pytest.mark.neo4j
@pytest.mark.parametrize("error", [
    neo4j.exceptions.ServiceUnavailable("connection lost"),
    neo4j.exceptions.SessionExpired("session expired"),
    neo4j.exceptions.TransientError("memory pool full"),
])
def test_a_read_failing_half_way_publishes_nothing(
        loaded_fresh: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        error: Exception) -> None:
    out = tmp_path / "graph.ttl"
    out.write_text(OLD, "utf-8")
    calls = _fail_on_read(monkeypatch, loaded_fresh, 4, error)
    with pytest.raises(ExportError, match="reading the graph from Neo4j failed"):
        export_rdf(loaded_fresh, out, page_size=2)
    assert calls[0] == 4
    _only_the_old_file(tmp_path)


class _Proxy:
    """A TCP relay to the test server that can be cut: the database going away mid-export."""

    def __init__(self, uri: str) -> None:
        parts = urlsplit(uri)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 7687)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked on it
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()


@pytest.mark.neo4j
def test_the_database_going_away_mid_export_publishes_nothing(
        loaded_fresh: Driver, neo4j_server: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = _Proxy(neo4j_server.uri)
    out = tmp_path / "graph.ttl"
    out.write_text(OLD, "utf-8")
    driver = GraphDatabase.driver(f"bolt://127.0.0.1:{proxy.port}",
                                  auth=(neo4j_server.user, neo4j_server.password),
                                  max_transaction_retry_time=1.0, connection_timeout=2.0)
    try:
        _fail_on_node(monkeypatch, 3, proxy.cut)
        with pytest.raises(ExportError, match="Neo4j"):
            export_rdf(driver, out, page_size=1)
    finally:
        proxy.cut()
        driver.close()
    _only_the_old_file(tmp_path)


@contextlib.contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Writes past `limit` bytes fail with EFBIG, as on a full disk (RLIMIT_FSIZE)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_a_write_error_mid_stream_publishes_nothing(loaded: Driver, tmp_path: Path,
                                                    fmt: str) -> None:
    out = tmp_path / "graph.ttl"
    out.write_text(OLD, "utf-8")
    with file_size_limit(20_000), pytest.raises(ExportError, match="cannot write .*graph.ttl"):
        export_rdf(loaded, out, fmt=fmt, with_ontology=True)
    _only_the_old_file(tmp_path)
    export_rdf(loaded, out, fmt=fmt)  # and the same export succeeds without the limit
    assert len(rdflib_graph(out.read_bytes(), fmt)) > 100


@pytest.mark.neo4j
def test_an_interrupted_export_publishes_nothing(loaded: Driver, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "graph.ttl"
    out.write_text(OLD, "utf-8")

    def interrupt() -> None:
        raise KeyboardInterrupt

    _fail_on_node(monkeypatch, 5, interrupt)
    with pytest.raises(KeyboardInterrupt):
        export_rdf(loaded, out, page_size=2)
    _only_the_old_file(tmp_path)


@pytest.mark.neo4j
def test_a_target_that_cannot_be_replaced_is_an_export_error(loaded: Driver,
                                                             tmp_path: Path) -> None:
    (tmp_path / "graph.ttl").mkdir()  # a directory where the file should go
    with pytest.raises(ExportError, match="cannot write .*graph.ttl"):
        export_rdf(loaded, tmp_path / "graph.ttl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]
    assert not list((tmp_path / "graph.ttl").iterdir())


@pytest.mark.neo4j
@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs a read-only directory (/sys)")
def test_an_unwritable_directory_is_an_export_error(loaded: Driver) -> None:
    # /sys refuses new files even to root, unlike a chmod-ed directory.
    with pytest.raises(ExportError, match="cannot write /sys/kg-export-test.ttl"):
        export_rdf(loaded, "/sys/kg-export-test.ttl")


@pytest.mark.neo4j
def test_a_long_file_name_is_written(loaded: Driver, tmp_path: Path) -> None:
    """The longest name the file system allows: the temporary name must fit too."""
    name = "g" * 251 + ".ttl"
    result = export_rdf(loaded, tmp_path / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    assert len(rdflib.Graph().parse(tmp_path / name, format="turtle")) == result.triples


@pytest.mark.neo4j
def test_a_failed_export_to_a_stream_leaves_no_temporary_file(
        loaded: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With --validate and -o -, the export goes through a temporary file first."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)

    _fail_on_read(monkeypatch, loaded, 3, neo4j.exceptions.ServiceUnavailable("gone"))
    stream = io.StringIO()
    with pytest.raises(ExportError):
        export_rdf(loaded, stream, validate=True)
    assert stream.getvalue() == ""
    assert list(tmp_path.iterdir()) == []
