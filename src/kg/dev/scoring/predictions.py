"""What a system predicted for one article, in one shape for kg and for the NER baseline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.dev.names import name_key
from kg.models import ArticleGraph
from kg.schema import EntityType

ENTITY_CATEGORIES: dict[str, EntityType] = {
    "groups": EntityType.GROUP,
    "organisations": EntityType.ORGANISATION,
    "places": EntityType.PLACE,
    "people": EntityType.PERSON,
}
# spaCy NER labels the baseline maps to each entity category.
BASELINE_LABELS: dict[str, tuple[str, ...]] = {
    "groups": ("ORG",),
    "organisations": ("ORG",),
    "places": ("GPE", "LOC"),
    "people": ("PERSON",),
}


@dataclass(frozen=True)
class PredEntity:
    id: str
    name: str
    keys: frozenset[str]
    # False for places the extractor added only as the parent of another (not in the text).
    mentioned: bool = True
    country: str | None = None
    kind: str | None = None


@dataclass
class Prediction:
    """One system's output for one article, reduced to what is scored."""

    entities: dict[str, list[PredEntity]] = field(default_factory=dict)  # by category
    graph: ArticleGraph | None = None  # None for the baseline

    def entity(self, entity_id: str | None) -> PredEntity | None:
        if entity_id is None:
            return None
        return next((e for items in self.entities.values() for e in items if e.id == entity_id),
                    None)

    def source_names(self, entity_id: str | None, description: str | None, *,
                     default_article: bool = False) -> list[str]:
        """Names of a speaker or source. With `default_article`, no source means the article's
        own (a figure the outlet states itself), which matches an expected "the monitor"."""
        entity = self.entity(entity_id)
        names = sorted(entity.keys) if entity else []
        article = self.graph.article if self.graph else None
        own = [article.source] if article is not None and article.source else []
        if entity is None and article is not None and entity_id == article.id:
            names = own
        names += [description] if description else []
        return names or (own if default_article and entity_id is None else [])


def from_graph(graph: ArticleGraph) -> Prediction:
    entities: dict[str, list[PredEntity]] = {}
    for e in graph.entities:
        category = next((c for c, t in ENTITY_CATEGORIES.items() if t is e.type), "targets")
        # The surface forms it was found under are its names too.
        keys = frozenset(name_key(n) for n in (e.name, *e.aliases, *(m.text for m in e.mentions)))
        entities.setdefault(category, []).append(
            PredEntity(e.id, e.name, keys, bool(e.mentions), e.country, e.kind))
    return Prediction(entities=entities, graph=graph)


def from_ner(doc: Any) -> Prediction:
    """The baseline: one entity per distinct NER surface form, no merging of aliases."""
    entities: dict[str, list[PredEntity]] = {}
    for category, labels in BASELINE_LABELS.items():
        seen: dict[str, PredEntity] = {}
        for ent in doc.ents:
            key = name_key(ent.text)
            if ent.label_ in labels and key and key not in seen:
                seen[key] = PredEntity(f"{category}:{key}", ent.text, frozenset({key}))
        entities[category] = list(seen.values())
    return Prediction(entities=entities)


