"""One article scored: entities, quotes, figures, events and the actors' roles in them, and
the `must_not` rules of its expected file. The rules are in docs/evaluation.md."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.dev.expected import Expected, ExpEntity, ExpEvent, ExpFigure, ExpQuote
from kg.dev.names import name_key, quote_key, same_source
from kg.dev.scoring.matching import Tally, must_first, pair
from kg.dev.scoring.predictions import ENTITY_CATEGORIES, PredEntity, Prediction
from kg.schema import RelType

if TYPE_CHECKING:
    from kg.extract.gazetteer import Gazetteer


@dataclass
class _Context:
    key: str
    expected: Expected
    pred: Prediction
    gazetteer: Gazetteer | None
    # Predicted event id → expected event key: strict pairs, then type-only pairs.
    event_map: dict[str, str] = field(default_factory=dict)


def score_entities(ctx: _Context, category: str, tally: Tally, *, baseline: bool) -> None:
    expected = ctx.expected.entities(category)
    predicted = ctx.pred.entities.get(category, [])

    def strength(e: ExpEntity, p: PredEntity) -> int:
        return 2 if name_key(p.name) in {name_key(e.name), *map(name_key, e.alt_names)} else 1

    pairs = pair(expected, predicted, lambda e, p: bool(e.keys & p.keys), strength,
                 must_first(expected))
    for i, item in enumerate(expected):
        tally.add(ctx.key, item.must, i in pairs, item.name)
    matched = set(pairs.values())
    # Plain NER cannot tell a group from an organisation: its ORG spans are judged against both.
    other = {"groups": "organisations", "organisations": "groups"}.get(category)
    for j, p in enumerate(predicted):
        if j in matched or not p.mentioned:
            continue
        if baseline and other and any(p.keys & e.keys for e in ctx.expected.entities(other)):
            continue
        tally.add_false(ctx.key, p.name)


def score_quotes(ctx: _Context, tally: Tally, *, speakers: bool) -> None:
    graph = ctx.pred.graph
    predicted = graph.quotes if graph else []
    expected = ctx.expected.quotes

    def ok(e: ExpQuote, q: Any) -> bool:
        if quote_key(e.text) != quote_key(q.text):
            return False
        if not speakers:
            return True
        wanted = (sorted(ctx.expected.keys_of([e.speaker])) if e.speaker
                  else ctx.expected.described(e.speaker_description))
        return same_source(wanted, ctx.pred.source_names(q.speaker, q.speaker_description))

    pairs = pair(expected, predicted, ok, order=must_first(expected))
    for i, item in enumerate(expected):
        tally.add(ctx.key, item.must, i in pairs, f"{_short(item.text)} — {item.speaker or item.speaker_description}")
    matched = set(pairs.values())
    for j, q in enumerate(predicted):
        if j not in matched:
            who = ctx.pred.source_names(q.speaker, q.speaker_description)
            tally.add_false(ctx.key, f"{_short(q.text)} — {who[0] if who else None}")


def _range(low: int | None, high: int | None) -> str:
    return f"{'' if low is None else low}–{'' if high is None else high}"


def score_figures(ctx: _Context, tally: Tally) -> None:
    graph = ctx.pred.graph
    predicted = graph.figures if graph else []
    expected = ctx.expected.figures

    def ok(e: ExpFigure, f: Any) -> bool:
        if e.kind is not f.kind or (e.min, e.max) != (f.min, f.max):
            return False
        wanted = sorted(ctx.expected.keys_of([e.according_to, *e.according_to_accept]))
        wanted += ctx.expected.described(e.according_to_description)
        # No source in the text: the article itself is the source, whatever is predicted.
        return not wanted or same_source(wanted, ctx.pred.source_names(
            f.according_to, f.according_to_description, default_article=True))

    pairs = pair(expected, predicted, ok, order=must_first(expected))
    for i, item in enumerate(expected):
        source = item.according_to or item.according_to_description
        tally.add(ctx.key, item.must, i in pairs,
                  f"{item.kind.value} {_range(item.min, item.max)} '{item.text}' per {source}")
    matched = set(pairs.values())
    for j, f in enumerate(predicted):
        if j not in matched:
            who = ctx.pred.source_names(f.according_to, f.according_to_description)
            tally.add_false(ctx.key, f"{f.kind.value} {_range(f.min, f.max)} '{f.text}' per "
                                     f"{who[0] if who else None}")


def place_ancestors(expected: Expected, name: str, gazetteer: Gazetteer | None) -> set[str]:
    """Keys of the places enclosing `name`: its `parent` chain in the file, and the gazetteer's."""
    out: set[str] = set()
    listed = next((p for p in expected.places if p.name == name), None)
    place = listed
    seen: set[str] = set()
    while place is not None and place.parent and place.parent not in seen:
        seen.add(place.parent)
        out |= expected.keys_of([place.parent])
        place = next((p for p in expected.places if p.name == place.parent), None)
    if gazetteer is not None:
        country = listed.country if listed else None
        found = [p for p in gazetteer.lookup(name) if country is None or p.country == country]
        if found:
            for parent in gazetteer.parents(found[0]):
                out |= {name_key(n) for n in parent.names}
    return out


def _date_ok(e: ExpEvent, date: dt.date | None) -> bool:
    if e.date is None:
        return True  # the text does not date it: any date is no worse than none
    if date is None:
        return False
    day = dt.timedelta(days=1)
    if e.date_end is not None and e.date - day <= date <= e.date_end + day:
        return True
    return any(abs((date - d).days) <= 1 for d in (e.date, *e.date_accept))


def _place_ok(ctx: _Context, e: ExpEvent, place_id: str | None) -> bool:
    if e.place is None:
        return True
    place = ctx.pred.entity(place_id)
    if place is None:
        return False
    allowed = ctx.expected.keys_of([e.place, *e.place_accept])
    for name in (e.place, *e.place_accept):
        allowed |= place_ancestors(ctx.expected, name, ctx.gazetteer)
    return bool(place.keys & allowed)


def _event_label(ctx: _Context, ev: Any) -> str:
    place = ctx.pred.entity(ev.place)
    return f"{ev.type.value} {ev.date or '?'} at {place.name if place else '?'}"


def score_events(ctx: _Context, tally: Tally) -> None:
    graph = ctx.pred.graph
    predicted = graph.events if graph else []
    expected = ctx.expected.events
    order = must_first(expected)
    strict = pair(expected, predicted, lambda e, p: p.type in e.types and _date_ok(e, p.date)
                  and _place_ok(ctx, e, p.place), order=order)
    matched = set(strict.values())
    # Relations are judged on the events they hang on; an event with a wrong date or place
    # still carries its claim, so the leftovers pair by type alone.
    rest_e = [i for i in order if i not in strict]
    rest_p = [j for j in range(len(predicted)) if j not in matched]
    loose = {rest_e[i]: rest_p[j] for i, j in pair(
        [expected[i] for i in rest_e], [predicted[j] for j in rest_p],
        lambda e, p: p.type in e.types).items()}
    ctx.event_map = {predicted[j].id: expected[i].key for i, j in (strict | loose).items()}
    for i, item in enumerate(expected):
        label = f"{item.key} {item.type.value} {item.date or '?'} at {item.place or '?'} ({item.label})"
        if i in loose:
            near = predicted[loose[i]]
            wrong = [w for w, ok in (("date", _date_ok(item, near.date)),
                                     ("place", _place_ok(ctx, item, near.place))) if not ok]
            label += f"; nearest: {_event_label(ctx, near)}, wrong {' and '.join(wrong)}"
        tally.add(ctx.key, item.must, i in strict, label)
    for j, ev in enumerate(predicted):
        # The expected files list each article's own incidents and only some of the earlier
        # ones it recalls; an unmatched event the extractor itself marks as background is
        # context, like a `must: false` item: it neither helps nor hurts.
        if j not in matched and not ev.background:
            tally.add_false(ctx.key, _event_label(ctx, ev))


# Each role of an actor in an event: the expected names (and the names also accepted) of an
# expected event, and whether the relationship runs from the actor to the event.
_ROLES: dict[RelType, tuple[Any, Any, bool]] = {
    RelType.CLAIMED_RESPONSIBILITY: (lambda e: e.claimed_by, lambda e: e.claimed_by, True),
    RelType.ATTRIBUTED_TO: (lambda e: e.attributed_to,
                            lambda e: [*e.attributed_to, *e.attributed_to_accept], False),
    RelType.PERPETRATED: (lambda e: [*e.perpetrators, *e.participants],
                          lambda e: [*e.perpetrators, *e.perpetrators_accept, *e.participants], True),
    RelType.TARGETED: (lambda e: e.targets, lambda e: e.targets, False),
    RelType.RESPONDED_TO: (lambda e: e.responders, lambda e: e.responders, True),
    RelType.DENIED_RESPONSIBILITY: (lambda e: e.denied_by, lambda e: e.denied_by, True),
}


def score_relations(ctx: _Context, tally: Tally, rel_type: RelType) -> None:
    """An actor's role in an event (a claim, a blame, a perpetrator, a target, a responder, a
    denial), judged on the predicted events that correspond to expected ones."""
    names, accepted_names, from_actor = _ROLES[rel_type]
    wanted: list[tuple[ExpEvent, str, set[str]]] = []  # (event, actor, accepted keys)
    for ev in ctx.expected.events:
        extra = [n for n in accepted_names(ev) if n not in names(ev)]
        wanted += [(ev, name, ctx.expected.keys_of([name, *extra])) for name in names(ev)]
    graph = ctx.pred.graph
    predicted = []  # (expected event key or None, actor entity)
    for rel in graph.relations if graph else []:
        if rel.type is not rel_type:
            continue
        event_id, actor_id = (rel.target, rel.source) if from_actor else (rel.source, rel.target)
        predicted.append((ctx.event_map.get(event_id), ctx.pred.entity(actor_id)))
    pairs = pair(wanted, predicted, lambda w, p: p[0] == w[0].key and p[1] is not None
                 and bool(p[1].keys & w[2]))
    for i, (ev, name, _) in enumerate(wanted):
        tally.add(ctx.key, ev.must, i in pairs, f"{name} → {ev.key} ({ev.label})")
    matched = set(pairs.values())
    for j, (event_key, actor) in enumerate(predicted):
        if j in matched or event_key is None:
            continue  # no expected event to judge it by: the event itself is already counted
        event = next(e for e in ctx.expected.events if e.key == event_key)
        accepted = ctx.expected.keys_of(accepted_names(event))
        if actor is None or not actor.keys & accepted:
            tally.add_false(ctx.key, f"{actor.name if actor else '?'} → {event_key} ({event.label})")


def must_not_violations(ctx: _Context) -> list[str]:
    """The `must_not` items of the expected file that the prediction breaks."""
    graph = ctx.pred.graph
    out: list[str] = []
    for item in ctx.expected.must_not:
        broken = False
        if item.entity is not None:
            ne = item.entity
            category = next((c for c, t in ENTITY_CATEGORIES.items() if t is ne.type), "targets")
            broken = any(name_key(p.name) == name_key(ne.name)
                         and (ne.country is None or p.country == ne.country)
                         and (ne.kind is None or p.kind == ne.kind)
                         for p in ctx.pred.entities.get(category, []))
        elif item.quote is not None and graph is not None:
            broken = any(quote_key(q.text) == quote_key(item.quote.text) for q in graph.quotes)
        elif item.event is not None and graph is not None:
            ne_ev = item.event
            places = ctx.expected.keys_of([ne_ev.place]) if ne_ev.place else set()
            # The file's event rules are about what happened in the story; an earlier
            # incident the extractor marks as background (the 2017 siege of the town) is not
            # what they forbid.
            for ev in (e for e in graph.events if not e.background):
                place = ctx.pred.entity(ev.place)
                if ((ne_ev.type is None or ev.type is ne_ev.type)
                        and (ne_ev.date is None or ev.date == ne_ev.date)
                        and (not places or (place is not None and bool(place.keys & places)))):
                    broken = True
        elif item.relation is not None and graph is not None:
            rel_item = item.relation
            broken = any(rel.type is rel_item.type and _refers(ctx, rel.source, rel_item.source)
                         and _refers(ctx, rel.target, rel_item.target) for rel in graph.relations)
        if broken:
            out.append(f"{ctx.key}: {'' if item.must else '[soft] '}{item.why}")
    return out


def score_article(expected: Expected, pred: Prediction, tallies: dict[str, Tally], *,
                  key: str | None = None, gazetteer: Gazetteer | None = None,
                  baseline: bool = False) -> list[str]:
    """Add one article's counts to `tallies` (by category); return its `must_not` violations."""
    ctx = _Context(key or expected.key, expected, pred, gazetteer)
    for category in ENTITY_CATEGORIES:
        score_entities(ctx, category, tallies[category], baseline=baseline)
    score_quotes(ctx, tallies["quotes"], speakers=True)
    score_quotes(ctx, tallies["quote_texts"], speakers=False)
    score_figures(ctx, tallies["figures"])
    score_events(ctx, tallies["events"])  # before the relations: it pairs the events
    score_relations(ctx, tallies["claims"], RelType.CLAIMED_RESPONSIBILITY)
    score_relations(ctx, tallies["attributions"], RelType.ATTRIBUTED_TO)
    score_relations(ctx, tallies["perpetrators"], RelType.PERPETRATED)
    score_relations(ctx, tallies["targets"], RelType.TARGETED)
    score_relations(ctx, tallies["responders"], RelType.RESPONDED_TO)
    score_relations(ctx, tallies["denials"], RelType.DENIED_RESPONSIBILITY)
    return must_not_violations(ctx)


def _refers(ctx: _Context, node_id: str, ref: str) -> bool:
    """Whether a predicted node is the expected entity or event `ref` (a name or event key)."""
    if any(e.key == ref for e in ctx.expected.events):
        return ctx.event_map.get(node_id) == ref
    entity = ctx.pred.entity(node_id)
    return entity is not None and bool(entity.keys & ctx.expected.keys_of([ref]))


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


