"""Score extraction against the expected facts of the example articles.

Every article under the given paths is read with `kg.sources.read_paths`, extracted with
the `Extractor`, and compared with its expected file (`tests/data/expected/<key>.yaml`,
format in that folder's README). A plain spaCy NER baseline is scored the same way, and
both are timed. Precision, recall and F1 are micro-averaged over all articles, per
category, for the "must" items and for all items. The matching rules, and which
categories count unexpected predictions against precision, are in docs/evaluation.md.

    from kg.evaluate import evaluate
    report = evaluate(["examples/articles"], "tests/data/expected")
    print(report.tallies["kg"]["groups"].all.f1)
"""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kg.errors import ExtractionError, KgError
from kg.models import Article, ArticleGraph
from kg.schema import EntityType, EventType, FigureKind, RelType
from kg.sources import ReadFailure, read_paths

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.extract.gazetteer import Gazetteer
    from kg.extract.pipeline import Extractor

KG = "kg"
BASELINE = "baseline"
ENTITY_CATEGORIES: dict[str, EntityType] = {
    "groups": EntityType.GROUP,
    "organisations": EntityType.ORGANISATION,
    "places": EntityType.PLACE,
    "people": EntityType.PERSON,
}
CATEGORIES: tuple[str, ...] = (*ENTITY_CATEGORIES, "quotes", "quote_texts", "figures", "events",
                               "claims", "attributions", "perpetrators", "targets", "responders",
                               "denials")
# spaCy NER labels the baseline maps to each entity category.
BASELINE_LABELS: dict[str, tuple[str, ...]] = {
    "groups": ("ORG",),
    "organisations": ("ORG",),
    "places": ("GPE", "LOC"),
    "people": ("PERSON",),
}


class EvaluationError(KgError):
    """The expected files are missing or malformed, or an article has no expected file."""


# -- normalisation -----------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                              "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
                              "\u00bb": '"'})
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_TRAILING = " \t\n,.;:!?\u2026\"'"
# Words that do not tell two source descriptions apart ("a local official", "local officials").
_FILLER = {"a", "an", "the", "of", "one", "some", "according", "to", "s"}


def fold(text: str) -> str:
    """Accents and case folded, typographic quotes unified, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def name_key(name: str) -> str:
    """The form names are compared in: folded, no apostrophes, hyphens as spaces, no leading "the".

    As the gazetteer does, so "Jama'at" is "Jamaat" and "Al-Hasakah" is "Al Hasakah".
    """
    key = " ".join(fold(name).replace("'", "").replace("-", " ").split())
    return key[4:] if key.startswith("the ") else key


def quote_key(text: str) -> str:
    """The form quotes are compared in: folded, without surrounding quotes or final punctuation."""
    return fold(text).strip(_TRAILING).lstrip("\"'")


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W_]+", fold(text)) if w not in _FILLER}


def same_source(expected: Iterable[str], predicted: Iterable[str]) -> bool:
    """Whether two descriptions of a speaker or source agree.

    Equal names, or one description's words all found in the other's: "officials" and
    "local officials", "Malian Armed Forces" and "Malian Armed Forces statement".
    """
    exp = [w for w in (_words(e) for e in expected) if w]
    pred = [w for w in (_words(p) for p in predicted) if w]
    return any(e <= p or p <= e for e in exp for p in pred)


# -- the expected files -------------------------------------------------------------------


class _Loose(BaseModel):
    # Only the fields scored here; the full format is checked by test_examples_wellformed.
    model_config = ConfigDict(extra="ignore")


class ExpEntity(_Loose):
    name: str
    aliases: list[str] = Field(default_factory=list)
    alt_names: list[str] = Field(default_factory=list)
    country: str | None = None
    parent: str | None = None
    must: bool

    @property
    def keys(self) -> set[str]:
        return {name_key(n) for n in (self.name, *self.aliases, *self.alt_names)}


class ExpQuote(_Loose):
    text: str
    speaker: str | None = None
    speaker_description: str | None = None
    must: bool


class ExpEvent(_Loose):
    key: str
    type: EventType
    type_accept: list[EventType] = Field(default_factory=list)
    label: str = ""
    date: dt.date | None = None
    date_end: dt.date | None = None
    date_accept: list[dt.date] = Field(default_factory=list)
    place: str | None = None
    place_accept: list[str] = Field(default_factory=list)
    claimed_by: list[str] = Field(default_factory=list)
    attributed_to: list[str] = Field(default_factory=list)
    attributed_to_accept: list[str] = Field(default_factory=list)
    perpetrators: list[str] = Field(default_factory=list)
    perpetrators_accept: list[str] = Field(default_factory=list)
    participants: list[str] = Field(default_factory=list)  # both sides of a clash
    targets: list[str] = Field(default_factory=list)
    responders: list[str] = Field(default_factory=list)
    denied_by: list[str] = Field(default_factory=list)
    must: bool

    @property
    def types(self) -> set[EventType]:
        return {self.type, *self.type_accept}


class ExpFigure(_Loose):
    kind: FigureKind
    text: str
    min: int | None = None
    max: int | None = None
    according_to: str | None = None
    according_to_accept: list[str] = Field(default_factory=list)
    according_to_description: str | None = None
    must: bool


class _NotEntity(_Loose):
    type: EntityType
    name: str
    country: str | None = None
    kind: str | None = None


class _NotEvent(_Loose):
    type: EventType | None = None
    place: str | None = None
    date: dt.date | None = None


class _NotRelation(_Loose):
    source: str
    type: RelType
    target: str


class _NotQuote(_Loose):
    text: str


class MustNot(_Loose):
    entity: _NotEntity | None = None
    event: _NotEvent | None = None
    relation: _NotRelation | None = None
    quote: _NotQuote | None = None
    why: str
    must: bool = True


class Expected(_Loose):
    file: str
    record: str | None = None
    published: dt.date
    max_events: int | None = None
    groups: list[ExpEntity] = Field(default_factory=list)
    organisations: list[ExpEntity] = Field(default_factory=list)
    places: list[ExpEntity] = Field(default_factory=list)
    people: list[ExpEntity] = Field(default_factory=list)
    targets: list[ExpEntity] = Field(default_factory=list)
    quotes: list[ExpQuote] = Field(default_factory=list)
    events: list[ExpEvent] = Field(default_factory=list)
    figures: list[ExpFigure] = Field(default_factory=list)
    must_not: list[MustNot] = Field(default_factory=list)

    @property
    def key(self) -> str:
        stem = Path(self.file).stem
        return f"{stem}--{self.record}" if self.record else stem

    def entities(self, category: str) -> list[ExpEntity]:
        items: list[ExpEntity] = getattr(self, category)
        return items

    def named(self, name: str) -> ExpEntity | None:
        """The listed entity (of any type) called `name`."""
        return next((e for cat in ("groups", "organisations", "places", "people", "targets")
                     for e in self.entities(cat) if e.name == name), None)

    def keys_of(self, names: Iterable[str | None]) -> set[str]:
        """Every accepted name of the listed entities, or the name itself when not listed."""
        out: set[str] = set()
        for name in names:
            if name is None:
                continue
            entity = self.named(name)
            out |= entity.keys if entity else {name_key(name)}
        return out

    def described(self, description: str | None) -> list[str]:
        """A source description and the names of the listed entities it names.

        "RSF statement" also accepts "Rapid Support Forces", "the military's information
        team" whatever the listed military is called.
        """
        if not description:
            return []
        # Possessives dropped first: "the military's team" names "military".
        text = " " + name_key(_POSSESSIVE.sub("", description)) + " "
        out = [description]
        for category in ("groups", "organisations", "people"):
            for entity in self.entities(category):
                if any(len(k) >= 3 and f" {k} " in text for k in entity.keys):
                    out += sorted(entity.keys)
        return out

    def place_ancestors(self, name: str, gazetteer: Gazetteer | None) -> set[str]:
        """Keys of the places enclosing `name`: its `parent` chain here, and the gazetteer's."""
        out: set[str] = set()
        place = next((p for p in self.places if p.name == name), None)
        seen: set[str] = set()
        while place is not None and place.parent and place.parent not in seen:
            seen.add(place.parent)
            out |= self.keys_of([place.parent])
            place = next((p for p in self.places if p.name == place.parent), None)
        if gazetteer is not None:
            listed = next((p for p in self.places if p.name == name), None)
            country = listed.country if listed else None
            found = [p for p in gazetteer.lookup(name) if country is None or p.country == country]
            if found:
                for parent in gazetteer.parents(found[0]):
                    out |= {name_key(n) for n in parent.names}
        return out


def load_expected(directory: str | Path) -> dict[str, Expected]:
    """Every expected file in `directory` by article key (`coreference.yaml` aside)."""
    folder = Path(directory)
    out: dict[str, Expected] = {}
    paths = sorted(p for p in folder.glob("*.yaml") if p.name != "coreference.yaml")
    if not paths:
        raise EvaluationError(f"{folder}: no expected files (*.yaml)")
    for path in paths:
        try:
            expected = Expected.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            raise EvaluationError(f"{path}: not a valid expected file: {first}") from exc
        out[expected.key] = expected
    return out


def article_key(article: Article) -> str:
    """The expected-file key of an article: file stem, plus `--<id>` for a JSONL record."""
    origin = re.sub(r":\d+$", "", article.origin or "")
    path = Path(origin)
    return f"{path.stem}--{article.id}" if path.suffix.lower() in (".jsonl", ".ndjson") else path.stem


# -- what a system predicted, in one shape for kg and the baseline ---------------------------


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


# -- scores ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 with the counts behind them; None when undefined."""

    found: int  # expected items matched
    expected: int  # expected items
    spurious: int  # predictions counted against precision

    @property
    def precision(self) -> float | None:
        judged = self.found + self.spurious
        return self.found / judged if judged else None

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "found": self.found, "expected": self.expected, "spurious": self.spurious}


@dataclass
class Tally:
    """Counts for one category and system, with the items behind the errors."""

    must_found: int = 0
    must_expected: int = 0
    found: int = 0
    expected: int = 0
    spurious: int = 0
    missed: list[str] = field(default_factory=list)  # "article: item"
    false: list[str] = field(default_factory=list)

    @property
    def must(self) -> PRF:
        # Predictions matching "should" items neither help nor hurt the must scores.
        return PRF(self.must_found, self.must_expected, self.spurious)

    @property
    def all(self) -> PRF:
        return PRF(self.found, self.expected, self.spurious)

    def add(self, key: str, must: bool, hit: bool, label: str) -> None:
        self.expected += 1
        self.must_expected += must
        if hit:
            self.found += 1
            self.must_found += must
        else:
            self.missed.append(f"{key}: {'[must] ' if must else ''}{label}")

    def add_false(self, key: str, label: str) -> None:
        self.spurious += 1
        self.false.append(f"{key}: {label}")


L = TypeVar("L")
R = TypeVar("R")


def pair(left: Sequence[L], right: Sequence[R], ok: Callable[[L, R], bool],
         strength: Callable[[L, R], int] | None = None,
         order: Sequence[int] | None = None) -> dict[int, int]:
    """A maximum one-to-one matching (left index → right index) of compatible items.

    Left items are served in `order` (the must items first), so an augmenting path never
    unmatches one served earlier; each tries its strongest partners first.
    """
    adjacency = []
    for item in left:
        partners = [j for j, other in enumerate(right) if ok(item, other)]
        if strength is not None:
            scores = {j: strength(item, right[j]) for j in partners}
            partners.sort(key=lambda j: -scores[j])
        adjacency.append(partners)
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adjacency[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in order if order is not None else range(len(left)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def _must_first(items: Sequence[Any]) -> list[int]:
    return sorted(range(len(items)), key=lambda i: not items[i].must)


# -- one article -------------------------------------------------------------------------------


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
                 _must_first(expected))
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

    pairs = pair(expected, predicted, ok, order=_must_first(expected))
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

    pairs = pair(expected, predicted, ok, order=_must_first(expected))
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
        allowed |= ctx.expected.place_ancestors(name, ctx.gazetteer)
    return bool(place.keys & allowed)


def _event_label(ctx: _Context, ev: Any) -> str:
    place = ctx.pred.entity(ev.place)
    return f"{ev.type.value} {ev.date or '?'} at {place.name if place else '?'}"


def score_events(ctx: _Context, tally: Tally) -> None:
    graph = ctx.pred.graph
    predicted = graph.events if graph else []
    expected = ctx.expected.events
    order = _must_first(expected)
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


# -- the whole run -----------------------------------------------------------------------------


@dataclass
class Speed:
    articles: int
    words: int
    seconds: float

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "words": self.words, "seconds": round(self.seconds, 3),
                "articles_per_second": round(self.articles_per_second, 2),
                "words_per_second": round(self.words_per_second)}


@dataclass
class Report:
    articles: list[str]  # keys, in reading order
    tallies: dict[str, dict[str, Tally]]  # system → category → tally
    must_not: dict[str, list[str]]  # system → violations
    over_extracted: list[str]  # articles with more events than their max_events
    failures: list[str]  # articles that could not be read or extracted
    speed: dict[str, Speed]

    def as_dict(self, *, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "articles": self.articles,
            "failures": self.failures,
            "scores": {system: {cat: {"must": t.must.as_dict(), "all": t.all.as_dict()}
                                for cat, t in cats.items()}
                       for system, cats in self.tallies.items()},
            "must_not_violations": self.must_not,
            "over_extracted": self.over_extracted,
            "speed": {system: s.as_dict() for system, s in self.speed.items()},
        }
        if details:
            out["errors"] = {system: {cat: {"missed": t.missed, "spurious": t.false}
                                      for cat, t in cats.items()}
                             for system, cats in self.tallies.items()}
        return out


def evaluate(paths: Iterable[str | Path], expected_dir: str | Path, *,
             extractor: Extractor | None = None, baseline: bool = True) -> Report:
    """Read, extract and score every article under `paths` against `expected_dir`.

    An article with no expected file is an error (a typo would silently shrink the test
    set); an article that cannot be read or extracted is scored as an empty prediction
    and listed in `failures`.
    """
    expected = load_expected(expected_dir)
    articles: list[Article] = []
    failures: list[str] = []
    for item in read_paths([str(p) for p in paths]):
        if isinstance(item, ReadFailure):
            failures.append(item.message)
            continue
        if article_key(item) not in expected:
            raise EvaluationError(f"{item.origin}: no expected file for key {article_key(item)!r} "
                                  f"in {expected_dir}")
        articles.append(item)
    if extractor is None:
        from kg.extract.pipeline import Extractor

        extractor = Extractor()
    words = sum(len(a.text.split()) for a in articles)
    if articles:
        extractor.nlp(articles[0].text)  # warm up, so neither timing pays the first-call cost

    graphs, seconds = _extract_all(extractor, articles, failures)
    speed = {KG: Speed(len(articles), words, seconds)}
    predictions: dict[str, list[Prediction]] = {
        KG: [from_graph(g) if g is not None else Prediction() for g in graphs]}
    if baseline:
        docs, seconds = _ner_all(extractor.nlp, articles)
        speed[BASELINE] = Speed(len(articles), words, seconds)
        predictions[BASELINE] = [from_ner(doc) for doc in docs]

    gazetteer = getattr(getattr(extractor, "knowledge", None), "gazetteer", None)
    tallies: dict[str, dict[str, Tally]] = {}
    must_not: dict[str, list[str]] = {}
    over: list[str] = []
    for system, preds in predictions.items():
        cats = tallies[system] = {c: Tally() for c in CATEGORIES}
        must_not[system] = []
        for article, pred in zip(articles, preds, strict=True):
            key = article_key(article)
            must_not[system] += score_article(expected[key], pred, cats, key=key,
                                              gazetteer=gazetteer, baseline=system == BASELINE)
            limit = expected[key].max_events
            if system == KG and pred.graph and limit is not None and len(pred.graph.events) > limit:
                over.append(f"{key}: {len(pred.graph.events)} events, at most {limit} expected")
    return Report([article_key(a) for a in articles], tallies, must_not, over, failures, speed)


def _extract_all(extractor: Extractor, articles: list[Article], failures: list[str]
                 ) -> tuple[list[ArticleGraph | None], float]:
    """Every article through `extract_many` (batched, as `kg extract` runs), timed.

    An article the extractor fails on becomes None and a failure; the stream resumes after it.
    """
    graphs: list[ArticleGraph | None] = []
    start = time.perf_counter()
    while len(graphs) < len(articles):
        try:
            for graph in extractor.extract_many(articles[len(graphs):]):
                graphs.append(graph)
        except ExtractionError as exc:
            failures.append(f"{article_key(articles[len(graphs)])}: {exc}")
            graphs.append(None)
    return graphs, time.perf_counter() - start


def _ner_all(nlp: Language, articles: list[Article]) -> tuple[list[Any], float]:
    start = time.perf_counter()
    docs = list(nlp.pipe(a.text for a in articles))
    return docs, time.perf_counter() - start
