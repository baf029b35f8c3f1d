"""Every node and relationship of a graph, with every property, in a canonical form.

Used to show that a change to the loader (or to the resolve stage) leaves the graph it
builds as it was: two dumps of the same input compare equal. The one property that depends
on the clock (`Article.ingested_at`) is left out; the compressed `extraction` of an article
is compared by what it holds, not by its bytes.

Run as a script to dump the database a kg setting points at (KG_NEO4J_URI, KG_NEO4J_PASSWORD):
    python -m tests.neo4j.graph_dump > graph.json
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections import defaultdict
from typing import Any

from neo4j import Driver

# Varies with the clock, not with the input.
_CLOCK_PROPERTIES = frozenset({"ingested_at"})
_NODES = "MATCH (n) RETURN labels(n) AS labels, n.id AS id, properties(n) AS props"
_RELATIONSHIPS = (
    "MATCH (s)-[r]->(t) RETURN type(r) AS type, s.id AS source, t.id AS target, "
    "properties(r) AS props"
)


def _plain(name: str, value: Any) -> Any:
    """A JSON value for a property value of any type Neo4j returns."""
    if isinstance(value, bytes | bytearray):
        data = zlib.decompress(value) if name == "extraction" else bytes(value)
        return {"sha256": hashlib.sha256(data).hexdigest()}
    if isinstance(value, list):
        return [_plain(name, v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return f"{type(value).__name__}:{value}"  # dates, times, points


def _props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(k, v) for k, v in sorted(props.items()) if k not in _CLOCK_PROPERTIES}


def dump(driver: Driver) -> dict[str, list[dict[str, Any]]]:
    """Nodes sorted by (labels, id), relationships by (type, source, target, properties)."""
    nodes = [{"labels": sorted(r["labels"]), "id": r["id"], "props": _props(r["props"])}
             for r in driver.execute_query(_NODES).records]
    rels = [{"type": r["type"], "source": r["source"], "target": r["target"],
             "props": _props(r["props"])}
            for r in driver.execute_query(_RELATIONSHIPS).records]
    nodes.sort(key=lambda n: (n["labels"], n["id"] or ""))
    rels.sort(key=lambda r: (r["type"], r["source"] or "", r["target"] or "",
                             json.dumps(r["props"], sort_keys=True)))
    return {"nodes": nodes, "relationships": rels}


def digest(graph: dict[str, list[dict[str, Any]]]) -> list[str]:
    """One line per node: its labels and id, a hash of its properties and one of its outgoing
    relationships (type, target and properties of each).

    Small enough to keep in the repository, and a diff of two names the nodes that changed.
    """
    def short(value: Any) -> str:
        return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:12]

    outgoing: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for rel in graph["relationships"]:  # already in a canonical order
        outgoing[rel["source"]].append(rel)
    return [f"{':'.join(n['labels'])} {n['id']} {short(n['props'])} {short(outgoing.get(n['id'], []))}"
            for n in graph["nodes"]]


if __name__ == "__main__":
    from kg.neo4j.connection import connected

    with connected() as driver:
        print(json.dumps(dump(driver), indent=1, sort_keys=True))
