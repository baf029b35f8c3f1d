"""The loader and the resolve stage build the graph they built before: compared element by element.

The input is fixed: the example articles as the extractor gave them
(`tests/data/graph/examples.json.gz`, the output of `kg extract examples/articles --format json`),
so only a change to loading or to event identity across articles moves the graph. They are
loaded, three articles removed, and loaded again; the graph after each step is compared with
`tests/data/graph/examples.digest`: one line per node with a hash of all its properties and
one of its outgoing relationships (tests/neo4j/graph_dump.py). Loading the stored input gave
the graph `kg ingest examples/articles` gave when it was written.

A change that is meant to change the graph rewrites the reference:
    KG_WRITE_GRAPH_REFERENCE=1 pytest tests/neo4j/test_graph_reference.py
and the diff of examples.digest shows what moved. When the models change, remake the input
first: `kg extract examples/articles --format json | gzip -9n > tests/data/graph/examples.json.gz`.
"""

from __future__ import annotations

import difflib
import gzip
import json
import os
from pathlib import Path

import pytest
from neo4j import Driver

from kg.models import ArticleGraph
from kg.neo4j.loader import load, remove_articles
from tests.neo4j.graph_dump import digest, dump

pytestmark = pytest.mark.neo4j

DATA = Path(__file__).resolve().parents[1] / "data" / "graph"
INPUT = DATA / "examples.json.gz"
REFERENCE = DATA / "examples.digest"
# The AFP report of the Malam Fatori raid (its Event is named after it, so the local paper's
# report of the raid is re-keyed and its article re-derived), an HTML page and a JSONL record.
REMOVED = ("9ebfceee42f069b2", "1c2e7948c7b8784c", "digest-2025-01-15-amhara-drone")
STEPS = ("loaded", "after removing three")


def graphs() -> list[ArticleGraph]:
    return [ArticleGraph.model_validate(g) for g in json.loads(gzip.decompress(INPUT.read_bytes()))]


def read_reference() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    for line in REFERENCE.read_text("utf-8").splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:], [])
        elif line:
            current.append(line)
    return sections


def write_reference(sections: dict[str, list[str]]) -> None:
    text = "".join(f"## {step}\n" + "".join(f"{line}\n" for line in lines)
                   for step, lines in sections.items())
    REFERENCE.write_text(text, encoding="utf-8")


def test_the_graph_is_the_reference_graph(kg: Driver, tmp_path: Path) -> None:
    articles = graphs()
    assert set(REMOVED) <= {g.article.id for g in articles}
    graphs_at = {}
    result = load(kg, articles, batch_size=8)
    assert not result.failed
    graphs_at[STEPS[0]] = dump(kg)
    removed = remove_articles(kg, REMOVED)
    assert sorted(removed.removed) == sorted(REMOVED)
    assert removed.reloaded == []  # its Events only lost reports: renamed in place
    graphs_at[STEPS[1]] = dump(kg)
    load(kg, articles, batch_size=8)
    assert dump(kg) == graphs_at[STEPS[0]]  # removing and re-adding leaves no trace

    found = {step: digest(graph) for step, graph in graphs_at.items()}
    if os.environ.get("KG_WRITE_GRAPH_REFERENCE"):
        write_reference(found)
    expected = read_reference()
    for step in STEPS:
        if found[step] != expected.get(step):
            path = tmp_path / f"graph {step}.json"
            path.write_text(json.dumps(graphs_at[step], indent=1, sort_keys=True))
            diff = "\n".join(list(difflib.unified_diff(expected.get(step, []), found[step],
                                                       "reference", "now", lineterm=""))[:40])
            pytest.fail(f"the graph {step} differs from {REFERENCE.name} (in full: {path}):\n{diff}")
