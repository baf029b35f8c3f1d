"""The RDF export of graphs the real extractor built: the seed and the example articles.

The unit tests of the export use hand-built graphs; these check that whatever the
extractor produces from real text still conforms to the shapes and parses back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph
import pytest
from neo4j import Driver

from kg.export import export_rdf
from kg.ingest import ingest
from kg.sources import ArticleOverrides

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seeds" / "000_3aabd3aa6f6a8816.txt"


def test_example_articles_export_conforms(graph: Driver, tmp_path: Path) -> None:
    summary = ingest([REPO / "examples" / "articles"], graph)
    assert summary.failed == 0 and summary.new >= 20
    out = tmp_path / "examples.nt"
    result = export_rdf(graph, out, fmt="nt", validate=True)
    parsed = list(pyoxigraph.parse(path=str(out), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert result.triples == len(parsed) > 10_000


@pytest.mark.seed
def test_seed_export_conforms(graph: Driver, tmp_path: Path) -> None:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED} (it lives in ../shared/seeds, outside the repo)")
    summary = ingest([SEED], graph, overrides=ArticleOverrides(published=dt.date(2025, 3, 12)))
    assert summary.new == 1
    out = tmp_path / "seed.ttl"
    result = export_rdf(graph, out, fmt="ttl", validate=True)
    text = out.read_text("utf-8")
    assert "Baloch Liberation Army" in text and "claimedResponsibility" in text
    assert result.triples > 500
