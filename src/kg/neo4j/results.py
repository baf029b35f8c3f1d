"""What a load or remove tells its caller: which articles did what, and what changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass
class Counts:
    """What the database reports it changed (summed result-summary counters)."""

    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0

    def add(self, counters: Any) -> None:
        self.nodes_created += counters.nodes_created
        self.nodes_deleted += counters.nodes_deleted
        self.relationships_created += counters.relationships_created
        self.relationships_deleted += counters.relationships_deleted
        self.properties_set += counters.properties_set

    def __iadd__(self, other: Counts) -> Counts:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


@dataclass
class LoadResult:
    """One or more load (or remove) transactions: which articles did what, and the counts."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # asked to remove, not in the graph
    reloaded: list[str] = field(default_factory=list)  # re-derived because an Event was re-keyed
    counts: Counts = field(default_factory=Counts)
    dropped: Counter[str] = field(default_factory=Counter)  # reason → facts not loaded
    failed: dict[str, str] = field(default_factory=dict)  # article id → why Neo4j refused it

    def __iadd__(self, other: LoadResult) -> LoadResult:
        for name in ("new", "updated", "unchanged", "removed", "missing", "reloaded"):
            getattr(self, name).extend(getattr(other, name))
        self.counts += other.counts
        self.dropped.update(other.dropped)
        self.failed.update(other.failed)
        return self


class LedgerEntry(NamedTuple):
    """What the graph knows of a loaded article: was it extracted from this text, this way?"""

    content_hash: str | None
    extractor_version: str | None
