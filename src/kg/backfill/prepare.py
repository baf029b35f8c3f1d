"""The map step of a backfill: one partition's articles read, extracted and made into rows.

`prepare_partition` is the public per-partition function: any engine that can run a Python
function over a slice of the input can call it (Dask here; Spark's `mapPartitions`, Ray's
`map_batches`: see docs/backfill.md). It reads the partition, extracts the articles that are
not extraction output already, applies the alias file, and turns every article into the rows
`kg ingest` would load for it (`kg.neo4j.rows`), spilled to a file so that the driver only
receives what the reduce needs: the event reports, the place hierarchy and the article ids.

After the reduce has clustered events, `write_partition` writes the partition's
article-local part of the graph as CSV (articles, quotes, figures and every relationship at
them) and spills the shared part (facts between entities and events, entities' views) into
buckets by natural key, for `kg.backfill.reduce` to merge.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kg.backfill.csvfiles import CsvWriter, Manifest
from kg.backfill.partitions import Partition, read_partition
from kg.errors import ExtractionError
from kg.ingest import Outcome
from kg.models import Article, ArticleGraph
from kg.neo4j.rows import (
    Fact,
    article_properties,
    article_rows,
    local_nodes,
    mention_snapshot,
    relationship_properties,
    relationship_rows,
)
from kg.resolve import Aliases, EventReport, report_key, reports_of
from kg.schema import Label, RelType
from kg.sources import ArticleOverrides, ReadFailure

# Node labels whose nodes belong to one article: a relationship at one of them is written by
# the partition that holds the article; the others are merged across articles by bucket.
_LOCAL = frozenset({Label.ARTICLE, Label.QUOTE, Label.FIGURE})


@dataclass
class PreparedArticle:
    """One article as the rows the loader would write for it, event ids still article-local."""

    id: str
    where: str
    properties: dict[str, Any]  # the Article node's
    local_nodes: list[tuple[Label, str, dict[str, Any]]]  # its quotes and figures
    facts: list[Fact]
    labels: dict[str, Label]
    views: list[tuple[Label, str, dict[str, Any]]]  # (label, id, this article's view)
    events: list[str]  # local event ids


@dataclass
class PreparedPartition:
    """What the driver needs of one partition; the rows themselves stay in `spill`."""

    number: int
    spill: str
    outcomes: list[Outcome] = field(default_factory=list)  # failed and skipped items
    articles: list[tuple[str, str, str]] = field(default_factory=list)  # (id, content hash, where)
    reports: list[EventReport] = field(default_factory=list)
    hierarchy: list[tuple[str, str, str]] = field(default_factory=list)  # (article, place, parent)
    dropped: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)  # events, figures, quotes, entities


@cache
def _extractor() -> Any:
    """One extractor per worker process, made on the first partition that needs it."""
    from kg.extract.pipeline import Extractor

    return Extractor()


def prepare_partition(partition: Partition, spill_dir: str | Path, *, now: dt.datetime,
                      aliases: Aliases | None = None,
                      overrides: ArticleOverrides | None = None) -> PreparedPartition:
    """Read, extract and prepare one partition (see the module docstring).

    `now` is the `ingested_at` of every article (one value for the whole backfill). Items that
    cannot be read or extracted are `failed` outcomes naming the file, line or record and why,
    exactly as `kg ingest` reports them; articles in another language are `skipped`.
    """
    aliases = aliases or Aliases()
    result = PreparedPartition(partition.number,
                               str(Path(spill_dir) / f"map-{partition.number:06d}.pkl"))
    graphs: list[tuple[str, ArticleGraph]] = []
    pending: list[tuple[str, Article]] = []
    for where, item in read_partition(partition, overrides=overrides):
        if isinstance(item, ReadFailure):
            result.outcomes.append(Outcome("failed", origin=item.location, error=item.reason))
        elif isinstance(item, Article):
            pending.append((where, item))
        else:
            graphs.append((where, item))
    if pending:
        extracted = _extractor().extract_results(article for _, article in pending)
        for (where, article), graph in zip(pending, extracted, strict=True):
            if isinstance(graph, ExtractionError):
                result.outcomes.append(Outcome("failed", article.id, where, str(graph)))
            else:
                graphs.append((where, graph))
        graphs.sort(key=lambda pair: _order(pair[0], partition))
    prepared = [_prepare(where, aliases.apply(graph), now, result) for where, graph in graphs
                if not _skipped(where, graph, result)]
    with open(result.spill, "wb") as handle:
        pickle.dump(prepared, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return result


def _order(where: str, partition: Partition) -> int:
    """Articles of one partition in the order their files were given (extraction keeps it)."""
    for index, path in enumerate(partition.paths):
        if where.startswith(path):
            return index
    return len(partition.paths)


def _skipped(where: str, graph: ArticleGraph, result: PreparedPartition) -> bool:
    if graph.skipped:
        result.outcomes.append(Outcome("skipped", graph.article.id, where, graph.skipped))
        return True
    return False


def _prepare(where: str, graph: ArticleGraph, now: dt.datetime,
             result: PreparedPartition) -> PreparedArticle:
    rows = article_rows(graph)
    result.articles.append((graph.article.id, graph.article.content_hash, where))
    result.reports.extend(reports_of(rows.graph))
    result.hierarchy.extend((rows.article_id, place, parent) for place, parent in sorted(rows.hierarchy))
    result.dropped.update(rows.dropped)
    result.found.update(events=len(graph.events), figures=len(graph.figures),
                        quotes=len(graph.quotes), entities=len(graph.entities))
    return PreparedArticle(
        id=rows.article_id, where=where, properties=article_properties(rows.graph, now),
        local_nodes=list(local_nodes(rows)), facts=rows.facts, labels=rows.labels,
        views=[(e.type.label, e.id, mention_snapshot(e)) for e in rows.graph.entities],
        events=[e.id for e in rows.graph.events])


# -- after the events are clustered ------------------------------------------------------------

@dataclass
class SharedRows:
    """One bucket's share of a partition: facts between shared nodes, and entities' views."""

    facts: list[tuple[str, Fact]] = field(default_factory=list)  # (article, fact), canonical ids
    labels: dict[str, Label] = field(default_factory=dict)
    views: list[tuple[Label, str, dict[str, Any]]] = field(default_factory=list)


def bucket_of(node_id: str, buckets: int) -> int:
    return zlib.crc32(node_id.encode("utf-8", "surrogatepass")) % buckets


def write_partition(prepared: PreparedPartition, csv_dir: str | Path, *,
                    events: Mapping[str, str], explanations: Mapping[str, dict[str, Any]],
                    keep: set[str], buckets: int) -> Manifest:
    """Write the article-local part of a partition as CSV; spill the shared part by bucket.

    `events` maps report key → canonical Event id, `explanations` report key → the match
    properties of its REPORTS; `keep` holds the article ids to write (the first of duplicates).
    """
    with open(prepared.spill, "rb") as handle:
        articles: list[PreparedArticle] = pickle.load(handle)
    os.unlink(prepared.spill)  # disk: at 1M articles each copy of the rows is gigabytes
    keep = set(keep)
    writer = CsvWriter(Path(csv_dir), f"{prepared.number:06d}")
    shared = [SharedRows() for _ in range(buckets)]
    for article in articles:
        if article.id not in keep:
            continue
        keep.discard(article.id)  # the same article twice in one partition: the first counts
        writer.node(Label.ARTICLE, article.id, article.properties)
        for label, node_id, props in article.local_nodes:
            writer.node(label, node_id, props)
        ids = {local: events[report_key(article.id, local)] for local in article.events}
        local = [fact for fact in article.facts
                 if article.labels[fact.source] in _LOCAL or article.labels[fact.target] in _LOCAL]
        for (rel, _, _), rows in relationship_rows(((article.id, f) for f in local), ids,
                                                   article.labels).items():
            for row in rows:
                extra = explanations.get(row["props"].get("report_key", ""), {}) \
                    if rel is RelType.REPORTS else {}
                writer.relationship(rel, row["source"], row["target"],
                                    relationship_properties(row, extra))
        for fact in article.facts:
            if article.labels[fact.source] in _LOCAL or article.labels[fact.target] in _LOCAL:
                continue
            source, target = ids.get(fact.source, fact.source), ids.get(fact.target, fact.target)
            bucket = shared[bucket_of(source + "\x00" + target, buckets)]
            bucket.facts.append((article.id, Fact(fact.type, source, target, fact.key_props,
                                                  fact.extra, fact.evidence)))
            bucket.labels[source] = article.labels[fact.source]
            bucket.labels[target] = article.labels[fact.target]
        for label, node_id, view in article.views:
            shared[bucket_of(node_id, buckets)].views.append((label, node_id, view))
    for number, part in enumerate(shared):
        with open(shared_spill(prepared.spill, number), "wb") as handle:
            pickle.dump(part, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return writer.close()


def shared_spill(spill: str, bucket: int) -> str:
    return f"{spill.removesuffix('.pkl')}-bucket-{bucket:04d}.pkl"


def views_by_entity(views: Iterable[tuple[Label, str, dict[str, Any]]]
                    ) -> dict[tuple[Label, str], list[dict[str, Any]]]:
    grouped: dict[tuple[Label, str], list[dict[str, Any]]] = {}
    for label, node_id, view in views:
        grouped.setdefault((label, node_id), []).append(view)
    return grouped
