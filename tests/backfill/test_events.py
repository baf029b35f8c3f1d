"""The backfill's event clustering fed partition by partition, as the map delivers them."""

from __future__ import annotations

from kg.backfill.events import EventClusterer, cluster_events
from kg.dev.bench.load_rate import synthetic
from kg.neo4j.rows import article_rows
from kg.resolve import reports_of


def test_clustering_partitions_as_they_come_gives_the_clustering_of_all_at_once() -> None:
    # Each partition brings its reports and the place hierarchy of its articles: a place
    # first seen later gets its parents then, and the clustering must not depend on it.
    parts = []
    for graph in synthetic(700, seed=5):
        rows = article_rows(graph)
        parts.append((reports_of(rows.graph), sorted(rows.hierarchy)))
    whole = cluster_events([r for reports, _ in parts for r in reports],
                           sorted({pair for _, hierarchy in parts for pair in hierarchy}))
    assert len(set(whole.events.values())) < len(whole.events)  # some reports were merged

    clusterer = EventClusterer()
    for first in range(0, len(parts), 90):  # partitions that cut the batches of 100
        chunk = parts[first:first + 90]
        clusterer.add([r for reports, _ in chunk for r in reports],
                      [pair for _, hierarchy in chunk for pair in hierarchy])
    assert clusterer.store.hierarchy() == sorted({p for _, h in parts for p in h})
    apart = clusterer.finish()
    assert (apart.events, apart.properties, apart.explanations) == \
        (whole.events, whole.properties, whole.explanations)
