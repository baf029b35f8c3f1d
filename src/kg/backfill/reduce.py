"""The reduce step of a backfill: what many articles share, merged by natural key, as CSV.

One bucket holds every fact between shared nodes (entities and events) whose endpoints hash
to it, and every article's view of the entities that hash to it, from every partition
(`kg.backfill.prepare.write_partition` spilled them). Merging a bucket is what the loader does
over a whole load: facts about one relationship become one row with every article's evidence
(`kg.neo4j.rows.relationship_rows`), and an entity's properties are the values most articles
give (`kg.neo4j.views.entity_properties`). Buckets are independent, so workers merge them in
parallel, and one bucket's rows are all that is in memory at a time.

Events and the place hierarchy are written by the driver (`write_events`), which holds the
clustering and every (place, parent) pair anyway.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kg.backfill.csvfiles import CsvWriter, Manifest, Point
from kg.backfill.prepare import SharedRows, views_by_entity
from kg.neo4j.rows import relationship_properties, relationship_rows
from kg.neo4j.views import count_views, entity_properties
from kg.schema import Label, RelType


def entity_node(node_id: str, views: Sequence[Mapping[str, Any]], label: Label) -> dict[str, Any]:
    """An entity node's properties from every article's view of it, as the loader derives them."""
    props = entity_properties(node_id, *count_views(views))
    if label is Label.PLACE and props.get("latitude") is not None \
            and props.get("longitude") is not None:
        props["location"] = Point(props["latitude"], props["longitude"])
    return props


def write_bucket(bucket: int, spills: Iterable[str], csv_dir: str | Path) -> Manifest:
    """Merge one bucket of every partition's shared rows and write them as CSV."""
    shared = SharedRows()
    for spill in spills:
        with open(spill, "rb") as handle:
            part: SharedRows = pickle.load(handle)
        shared.facts.extend(part.facts)
        shared.labels.update(part.labels)
        shared.views.extend(part.views)
        os.unlink(spill)
    writer = CsvWriter(Path(csv_dir), f"bucket{bucket:04d}")
    for (label, node_id), views in sorted(views_by_entity(shared.views).items()):
        writer.node(label, node_id, entity_node(node_id, views, label))
    for (rel, _, _), rows in sorted(relationship_rows(shared.facts, {}, shared.labels).items()):
        for row in rows:
            writer.relationship(rel, row["source"], row["target"], relationship_properties(row))
    return writer.close()


def write_events(csv_dir: str | Path, properties: Mapping[str, Mapping[str, Any]],
                 hierarchy: Iterable[tuple[str, str]]) -> Manifest:
    """The canonical Events, and the place hierarchy as the loader's HIERARCHY leaves it."""
    writer = CsvWriter(Path(csv_dir), "driver")
    for event_id, props in sorted(properties.items()):
        writer.node(Label.EVENT, event_id, props)
    for place, parent in sorted(set(hierarchy)):
        writer.relationship(RelType.LOCATED_IN, place, parent, {"key": "", "confidence": 1.0})
    return writer.close()
