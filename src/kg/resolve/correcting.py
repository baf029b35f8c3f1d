"""Apply an article's corrections to its extracted graph, before it is loaded: the human wins.

A pure function over the stage models: the loader then writes the corrected graph as it writes
any other, so corrected values take part in everything the loader derives (event coreference,
node properties from every article's view, removal). Each correction gives an `Outcome`: applied,
with the extractor's original value and the graph node to mark as reviewed, or orphaned, with the
reason its target is no longer there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from kg.ids import entity_id
from kg.models import (
    ArticleGraph,
    Entity,
    Event,
    Evidence,
    Figure,
    Participant,
    Quote,
    Relation,
    event_label,
)
from kg.resolve.aliases import rekey
from kg.resolve.corrections import Action, Correction, Span, Target
from kg.resolve.reports import report_key
from kg.schema import (
    DatePrecision,
    EntityType,
    EventType,
    FigureKind,
    GeoPrecision,
    Label,
    ParticipantRole,
    RelType,
)

# Relationship types the loader derives from an event's participants.
_ROLES = {RelType.PERPETRATED: ParticipantRole.PERPETRATOR, RelType.TARGETED: ParticipantRole.TARGET,
          RelType.RESPONDED_TO: ParticipantRole.RESPONDER}
ANALYST_CONFIDENCE = 1.0


@dataclass
class Outcome:
    """What one correction did to one article's graph."""

    correction: str
    status: Literal["applied", "orphaned"]
    reason: str = ""
    original: Any = None  # the extractor's value, JSON-able
    # The node that shows the correction: (label, id) where the id of an event is its report key.
    node: tuple[str, str] | None = None
    values: dict[str, Any] = field(default_factory=dict)  # corrected properties to show on it


class _Orphaned(Exception):
    """The target (or a value it needs) is not in this extraction of the article."""


def apply_corrections(graph: ArticleGraph, corrections: Iterable[Correction],
                      known: Mapping[str, Entity] | None = None) -> tuple[ArticleGraph, list[Outcome]]:
    """The corrected graph and what each correction did, oldest correction first.

    `known` holds entities already in the graph, for values that name one the article does not
    mention (an event's true place). Corrections that do not target this article (another
    article's, an entity it does not mention) give no outcome.
    """
    graph = graph.model_copy(deep=True)
    outcomes = []
    for correction in sorted(corrections, key=lambda c: (c.at, c.id)):
        if correction.action is Action.UNDO:
            continue
        target = correction.target
        assert target is not None  # checked by the model
        if target.article is not None and graph.article.id not in correction.articles:
            continue
        editor = _Editor(graph, known or {})
        try:
            outcome = editor.apply(correction)
        except _Orphaned as why:
            outcomes.append(Outcome(correction.id, "orphaned", str(why)))
            continue
        if outcome is not None:
            graph = editor.graph
            outcomes.append(outcome)
    return graph, outcomes


def _overlap(start: int, end: int, other_start: int, other_end: int) -> int:
    return max(0, min(end, other_end) - max(start, other_start))


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.value if hasattr(value, "value") else value


class _Editor:
    def __init__(self, graph: ArticleGraph, known: Mapping[str, Entity]) -> None:
        self.graph = graph
        self.known = known

    # -- finding targets -------------------------------------------------------------------

    def event(self, start: int, end: int, event_type: EventType | None = None) -> Event:
        scored = [(max((_overlap(start, end, ev.start, ev.end) for ev in e.evidence), default=0), e)
                  for e in self.graph.events if event_type is None or e.type is event_type]
        best = max(scored, key=lambda pair: pair[0], default=(0, None))
        if best[1] is None or best[0] == 0:
            raise _Orphaned(f"no event with evidence at [{start}:{end}] in this extraction")
        return best[1]

    def figure(self, target: Target) -> Figure:
        assert target.start is not None and target.end is not None
        found = [f for f in self.graph.figures
                 if _overlap(target.start, target.end, f.evidence.start, f.evidence.end)
                 and (target.text is None or f.text == target.text)]
        if not found:
            raise _Orphaned(f"no figure {target.text or ''!r} at [{target.start}:{target.end}]")
        return found[0]

    def quote(self, target: Target) -> Quote:
        assert target.start is not None and target.end is not None
        found = [q for q in self.graph.quotes if _overlap(target.start, target.end, q.start, q.end)]
        if not found:
            raise _Orphaned(f"no quote at [{target.start}:{target.end}]")
        return found[0]

    def local(self, end_point: str, target: Target) -> str:
        """The article-local id a relationship end point stands for, or the entity id itself."""
        if end_point == "event":
            assert target.start is not None and target.end is not None
            return self.event(target.start, target.end, target.event_type).id
        if end_point == "figure":
            return self.figure(target).id
        if end_point == "quote":
            return self.quote(target).id
        return end_point

    def entity(self, entity_id_: str) -> Entity:
        """An entity of the article, or one from the graph added to it without mentions."""
        found = self.graph.entity(entity_id_)
        if found is not None:
            return found
        if entity_id_ in self.known:
            added = self.known[entity_id_].model_copy(update={"mentions": []})
            self.graph.entities.append(added)
            return added
        raise _Orphaned(f"entity {entity_id_} is not in the graph")

    def event_node(self, event: Event) -> tuple[str, str]:
        return Label.EVENT.value, report_key(self.graph.article.id, event.id)

    def local_node(self, label: Label, local_id: str) -> tuple[str, str]:
        """The id the loader gives an article-local quote or figure (see `_localise`)."""
        aid = self.graph.article.id
        prefix = "quote" if label is Label.QUOTE else "figure"
        return label.value, local_id if aid in local_id else f"{prefix}:{aid}:{local_id}"

    # -- actions ---------------------------------------------------------------------------

    def apply(self, c: Correction) -> Outcome | None:
        handlers: dict[Action, Callable[[Correction], Outcome | None]] = {
            Action.REJECT: self.reject, Action.SET: self.set, Action.MERGE_EVENTS: self.merge_events,
            Action.MERGE_ENTITIES: self.merge_entities, Action.RETYPE: self.retype, Action.ADD: self.add,
            Action.SPLIT_EVENT: self.split_event,
        }
        return handlers[c.action](c)

    def reject(self, c: Correction) -> Outcome | None:
        target = c.target
        assert target is not None
        if target.kind == "event":
            assert target.start is not None and target.end is not None
            event = self.event(target.start, target.end, target.event_type)
            self._drop_event(event.id)
            return Outcome(c.id, "applied", original=event.label)
        if target.kind == "figure":
            figure = self.figure(target)
            self.graph.figures.remove(figure)
            return Outcome(c.id, "applied", original=figure.text)
        return self._reject_relation(c, target)

    def _reject_relation(self, c: Correction, target: Target) -> Outcome | None:
        assert target.type is not None and target.source and target.target
        if target.article is None and not (self.graph.entity(target.source) and self.graph.entity(target.target)):
            return None  # a relationship between entities this article does not mention
        source, end = self.local(target.source, target), self.local(target.target, target)
        rel, removed = target.type, 0
        g = self.graph
        for event in g.events:
            if rel in _ROLES and event.id in (source, end):
                actor = end if event.id == source else source
                kept = [p for p in event.participants if not (p.entity == actor and p.role is _ROLES[rel])]
                removed += len(event.participants) - len(kept)
                event.participants = kept
            if rel is RelType.OCCURRED_IN and event.id == source and event.place == end:
                event.place, removed = None, removed + 1
            if rel is RelType.PART_OF and event.id == source and event.part_of == end:
                event.part_of, removed = None, removed + 1
        for quote in g.quotes:
            if rel is RelType.SAID and quote.id == end and quote.speaker == source:
                quote.speaker, removed = None, removed + 1
            if rel is RelType.REPORTED_BY and quote.id == source and quote.reported_by == end:
                quote.reported_by, removed = None, removed + 1
            if rel is RelType.ABOUT and quote.id == source and quote.event == end:
                quote.event, removed = None, removed + 1
        for figure in g.figures:
            if rel is RelType.HAS_FIGURE and figure.id == end and figure.event == source:
                figure.event, removed = None, removed + 1
            if rel is RelType.ACCORDING_TO and figure.id == source and figure.according_to == end:
                figure.according_to, removed = None, removed + 1
        for entity in g.entities:
            if rel is RelType.HOLDS_ROLE and entity.id == source and entity.affiliation == end:
                entity.affiliation, removed = None, removed + 1
        kept_relations = [r for r in g.relations if (r.type, r.source, r.target) != (rel, source, end)]
        removed += len(g.relations) - len(kept_relations)
        g.relations = kept_relations
        if not removed:
            raise _Orphaned(f"no {rel} from {source} to {end} in this extraction")
        node = None
        if target.local_kind == "event":
            node = self.event_node(next(e for e in g.events if e.id in (source, end)))
        return Outcome(c.id, "applied", original=f"{source} {rel} {end}", node=node)

    def _drop_event(self, event_id: str) -> None:
        g = self.graph
        g.events = [e for e in g.events if e.id != event_id]
        for event in g.events:
            if event.part_of == event_id:
                event.part_of = None
        for figure in g.figures:
            figure.event = None if figure.event == event_id else figure.event
        for quote in g.quotes:
            quote.event = None if quote.event == event_id else quote.event
        g.relations = [r for r in g.relations if event_id not in (r.source, r.target)]

    def set(self, c: Correction) -> Outcome:
        target = c.target
        assert target is not None and target.start is not None and target.end is not None and c.field
        if target.kind == "event":
            return self._set_event(c, self.event(target.start, target.end, target.event_type), c.field, c.value)
        return self._set_figure(c, self.figure(target), c.field, c.value)

    def _set_event(self, c: Correction, event: Event, name: str, value: Any) -> Outcome:
        node = self.event_node(event)
        shown: dict[str, Any]
        if name == "type":
            original: Any = event.type
            new_type = EventType(value)
            acled = new_type.acled
            event.type, event.acled_event_type, event.acled_sub_event_type = new_type, *acled
            shown = {"type": new_type.value, "acled_event_type": acled[0], "acled_sub_event_type": acled[1]}
        elif name == "date":
            original = event.date
            event.date = dt.date.fromisoformat(value) if value else None
            if event.date is not None and event.date_precision is None:
                event.date_precision = DatePrecision.DAY
            shown = {"date": event.date,
                     "date_precision": event.date_precision.value if event.date_precision else None}
        elif name == "date_precision":
            original = event.date_precision
            event.date_precision = DatePrecision(value) if value else None
            shown = {"date_precision": value}
        elif name == "place":
            original = event.place
            event.place = self.entity(value).id if value else None
            # The extractor states the place twice (Event.place and a relation): both move.
            self.graph.relations = [r for r in self.graph.relations
                                    if not (r.type is RelType.OCCURRED_IN and r.source == event.id)]
            shown = {}
        elif name == "geo_precision":
            if event.place is None:
                raise _Orphaned("the event has no place to set the precision of")
            place = self.entity(event.place)
            original = place.precision
            place.precision = GeoPrecision(value)
            shown = {}
        else:  # background
            original = event.background
            event.background = bool(value)
            shown = {"background": event.background}
        where = self.graph.entity(event.place) if event.place else None
        event.label = event_label(event.type, where.name if where else None, event.date, event.date_precision)
        shown["label"] = event.label
        return Outcome(c.id, "applied", original=_json(original), node=node,
                       values={**shown, f"original_{name}": _json(original)})

    def _set_figure(self, c: Correction, figure: Figure, name: str, value: Any) -> Outcome:
        node = self.local_node(Label.FIGURE, figure.id)
        if name == "kind":
            original: Any = figure.kind
            figure.kind = FigureKind(value)
        elif name in ("min", "max"):
            original = getattr(figure, name)
            setattr(figure, name, value)
        elif name == "source":
            original = figure.according_to
            figure.according_to = self.entity(value).id if value else None
        else:  # event
            original = figure.event
            span = Span.model_validate(value) if value is not None else None
            figure.event = self.event(span.start, span.end).id if span else None
        return Outcome(c.id, "applied", original=_json(original), node=node,
                       values={f"original_{name}": _json(original)})

    def merge_events(self, c: Correction) -> Outcome:
        target, other = c.target, c.other
        assert target is not None and other is not None
        if target.article != other.article:
            return self._pin(c, "same")
        assert target.start is not None and target.end is not None
        assert other.start is not None and other.end is not None
        keep = self.event(target.start, target.end, target.event_type)
        drop = self.event(other.start, other.end, other.event_type)
        if keep.id == drop.id:
            return Outcome(c.id, "applied", original="already one event", node=self.event_node(keep))
        known = {(p.entity, p.role) for p in keep.participants}
        keep.participants += [p for p in drop.participants if (p.entity, p.role) not in known]
        keep.evidence = sorted([*keep.evidence, *drop.evidence], key=lambda ev: (ev.start, ev.end))
        keep.place, keep.date = keep.place or drop.place, keep.date or drop.date
        keep.date_precision = keep.date_precision or drop.date_precision
        g = self.graph
        g.events = [e for e in g.events if e.id != drop.id]
        for event in g.events:
            if event.part_of == drop.id:
                event.part_of = keep.id if event.id != keep.id else None
        for figure in g.figures:
            figure.event = keep.id if figure.event == drop.id else figure.event
        for quote in g.quotes:
            quote.event = keep.id if quote.event == drop.id else quote.event
        g.relations = [r.model_copy(update={"source": keep.id if r.source == drop.id else r.source,
                                            "target": keep.id if r.target == drop.id else r.target})
                       for r in g.relations]
        return Outcome(c.id, "applied", original=drop.label, node=self.event_node(keep),
                       values={"original_merged": drop.label})

    def split_event(self, c: Correction) -> Outcome:
        return self._pin(c, "apart")

    def _pin(self, c: Correction, decision: str) -> Outcome:
        """Reports in different articles: the decision travels with this article's report to the
        event matcher (`Event.pins`, kg.resolve.coreference.analyst_decision), which obeys it."""
        anchor = next(t for t in (c.target, c.other) if t is not None and t.article == self.graph.article.id)
        assert anchor.start is not None and anchor.end is not None
        event = self.event(anchor.start, anchor.end, anchor.event_type)
        event.pins = sorted({*event.pins, f"{decision}:{c.id}"})
        return Outcome(c.id, "applied", original=None, node=self.event_node(event))

    def merge_entities(self, c: Correction) -> Outcome | None:
        assert c.target is not None and c.target.entity
        entity = self.graph.entity(c.target.entity)
        if entity is None:
            return None
        canonical = str(c.value)
        known = self.graph.entity(canonical) or self.known.get(canonical)
        new_type = EntityType(canonical.split(":", 1)[0].capitalize())
        self.graph = rekey(self.graph, {entity.id: (canonical, new_type, known.name if known else None)})
        return Outcome(c.id, "applied", original=entity.id, node=(new_type.value, canonical),
                       values={"original_merged": entity.name})

    def retype(self, c: Correction) -> Outcome | None:
        assert c.target is not None and c.target.entity
        entity = self.graph.entity(c.target.entity)
        if entity is None:
            return None
        new_type = EntityType(c.value)
        new_id = entity_id(new_type, entity.name, country=entity.country)
        self.graph = rekey(self.graph, {entity.id: (new_id, new_type, None)})
        return Outcome(c.id, "applied", original=entity.type.value, node=(new_type.value, new_id),
                       values={"original_type": entity.type.value, "original_id": entity.id})

    def add(self, c: Correction) -> Outcome | None:
        target = c.target
        assert target is not None and target.type is not None and target.source and target.target
        if target.article is None:
            raise _Orphaned("an added fact needs the article and the offsets of its evidence")
        assert target.start is not None and target.end is not None
        text = self.graph.article.text
        if target.end > len(text):
            raise _Orphaned(f"evidence [{target.start}:{target.end}] is past the article's end")
        ends = []
        for end_point in (target.source, target.target):
            local = self.local(end_point, target)
            ends.append(local if end_point in ("event", "figure", "quote") else self.entity(local).id)
        source, end = ends
        evidence = Evidence(start=target.start, end=target.end, text=text[target.start:target.end])
        rel = target.type
        for event in self.graph.events:
            if rel is RelType.OCCURRED_IN and event.id == source:
                event.place = end
            if rel in _ROLES and event.id in (source, end):
                actor = end if event.id == source else source
                if (actor, _ROLES[rel]) not in {(p.entity, p.role) for p in event.participants}:
                    event.participants.append(Participant(entity=actor, role=_ROLES[rel]))
        # Also as a relation, whatever the type: the loader merges it with the structural fact
        # above, and the analyst's evidence span joins the relationship's provenance.
        self.graph.relations.append(Relation(source=source, type=rel, target=end, evidence=evidence,
                                             confidence=ANALYST_CONFIDENCE))
        for figure in self.graph.figures:
            if rel is RelType.ACCORDING_TO and figure.id == source:
                figure.according_to = end
            if rel is RelType.HAS_FIGURE and figure.id == end:
                figure.event = source
        for quote in self.graph.quotes:
            if rel is RelType.SAID and quote.id == end:
                quote.speaker = source
        node = None
        if target.local_kind == "event":
            node = self.event_node(next(e for e in self.graph.events if e.id in (source, end)))
        return Outcome(c.id, "applied", original=None, node=node, values={})
