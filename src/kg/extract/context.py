"""The working state of one article's extraction, shared by the rule stages.

Stages run in the order of `kg.extract.stages.STAGES`, each reading what earlier stages
put here and adding its own findings. Only `pipeline.py` turns this state into the public
`ArticleGraph`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from spacy.attrs import IDX, LEMMA, LENGTH
from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import EventTypeGroups, load_event_triggers
from kg.models import Article, Evidence, Figure, Mention, Quote, Relation
from kg.schema import EntityType, EventType, ParticipantRole


@dataclass
class EntityDraft:
    id: str
    type: EntityType
    name: str
    kind: str | None = None
    country: str | None = None
    aliases: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    gazetteer_id: str | None = None
    parent: str | None = None
    precision: str | None = None
    role: str | None = None
    affiliation: str | None = None
    # A group with `generic_terms` ("separatists") may absorb generic mentions.
    generic_terms: frozenset[str] = frozenset()


@dataclass
class TokenMention:
    """A span of the doc that names (or, when `generic`, refers back to) an entity."""

    start: int  # token indices, end exclusive
    end: int
    entity_id: str
    generic: bool = False


@dataclass
class EventDraft:
    id: str
    type: EventType
    trigger: str
    sentence: int  # index into ctx.sentences of the first mention
    participants: dict[str, ParticipantRole] = field(default_factory=dict)
    place: str | None = None
    place_near: bool = False  # "near Kerbala": close to the place, compatible with any nearby
    date: tuple | None = None  # (date, precision, text)
    claimed_by: str | None = None
    part_of: str | None = None
    evidence_sentences: list[int] = field(default_factory=list)
    rank: int = 0
    weak: bool = False  # a generic trigger ("the attack") that names no type of its own
    habitual: bool = False
    quoted: bool = False  # told only inside a quotation
    definite: bool = False  # refers back: "the attack", "this blast", "the ambush"
    separate: bool = False  # a cue says another incident: "in a separate attack", "had raided"
    background: bool = False  # an earlier or other incident the story gives as context
    weekday: str | None = None  # "tuesday" when the text names the day but no date resolves it
    responds_to: str | None = None  # id of the incident a response follows
    claimant: str | None = None  # who claimed it in the same clause: "X claimed the attack"
    summary: bool = False  # sums up several incidents: "attacks on two villages", "the strikes"
    token: int = -1  # doc index of the trigger word of the mention
    tokens: set[int] = field(default_factory=set)  # trigger words of every mention it holds
    # its victims are the incident's attackers: "all the attackers were killed by police"
    against_attackers: bool = False

    def add_participant(self, entity_id: str, role: ParticipantRole) -> None:
        # A perpetrator seen once stays one: later weaker roles do not overwrite it.
        if entity_id not in self.participants or role is ParticipantRole.PERPETRATOR:
            self.participants[entity_id] = role

    def actors(self, role: ParticipantRole) -> list[str]:
        return [e for e, r in self.participants.items() if r is role]


# Where the story was filed, not where events happened. Wire and local formats alike:
# "MAIDUGURI, Nigeria, Oct 15 (AFP) -", "OUAGADOUGOU, Burkina Faso, March 3 (AFP).-",
# "Imphal, Sept 10:", "PESHAWAR, Pakistan (AP) —", "Rawalpindi - June 3, 2025",
# "JAYAPURA, LELEMUKU.COM -", "Maputo —", "Bangkok : …", "CAIRO • …", or "Abyan (South24)" on a line of
# its own.
_MONTH_DAY = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:, \d{4})?"
_DATELINE = re.compile(
    r"(?P<place>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3})"
    r"(?:, [A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2})?"
    rf"(?P<date>,? {_MONTH_DAY})?"
    r"\s*(?P<outlet>\([^)\n]{2,40}\))?"
    rf"(?:(?P<sep>\s*\.?\s*[-–—:•·|]\s*)(?P<late_date>{_MONTH_DAY})?|\s*$)"
)


def dateline_span(text: str) -> tuple[int, int] | None:
    """The character span of a dateline opening one of the first lines, if any.

    A capitalised place alone is a dateline only when a date, an outlet, capitals or a
    spaced dash or colon ("Maputo — ", "Bangkok : ") mark it as one: "Gunmen attacked" is not.
    """
    offset = 0
    for line in text.split("\n")[:4]:
        match = _DATELINE.match(line)
        if match and (match.group("sep") is not None or match.group("outlet")):
            between = line[match.end("place"):match.end()]
            # "Maputo — Terrorists …", but not "Gunmen — armed with rifles — attacked"
            spaced = re.fullmatch(r"\s+\.?[-–—:•·|]\s+", between) is not None and line[
                match.end():match.end() + 1].isupper()
            if (match.group("date") or match.group("outlet") or match.group("late_date")
                    or match.group("place").isupper() or spaced):
                return offset, offset + match.end()
        offset += len(line) + 1
    return None


@dataclass
class ArticleContext:
    article: Article
    doc: Doc
    sentences: list[Span] = field(default_factory=list)
    entities: dict[str, EntityDraft] = field(default_factory=dict)
    mentions: list[TokenMention] = field(default_factory=list)
    # token index -> mention, for the dependency rules
    token_mention: dict[int, TokenMention] = field(default_factory=dict)
    events: list[EventDraft] = field(default_factory=list)
    # character spans of direct quotations, sorted and disjoint: rules that read reported
    # facts skip them
    quote_spans: list[tuple[int, int]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO codes, most mentioned first
    main_group: str | None = None
    # token indices of event trigger words: a place or date hanging off another event's
    # word belongs to that event
    trigger_heads: set[int] = field(default_factory=set)
    # sentences that speak of habitual violence ("has carried out attacks for decades")
    habitual_sentences: set[int] = field(default_factory=set)
    # per-article memos of rules that ask the same question twice (keyed by the rule)
    memo: dict[str, Any] = field(default_factory=dict)
    # How the event rules group types (`types` of event_triggers.yaml): the pipeline passes
    # those of the knowledge it extracts with.
    event_types: EventTypeGroups = field(default_factory=lambda: load_event_triggers().groups)
    # The findings of the last stages, as they will stand in the graph.
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.sentences:
            self.sentences = list(self.doc.sents)
        self._sentence_of = [0] * len(self.doc)
        for index, sent in enumerate(self.sentences):
            for i in range(sent.start, sent.end):
                self._sentence_of[i] = index
        # Doc.text joins every token on each access: keep it once. Span.text makes a Token
        # object per word, so span texts are sliced from it by the tokens' offsets instead.
        self.text: str = self.doc.text
        offsets = self.doc.to_array([IDX, LENGTH]).tolist() if len(self.doc) else []
        self._token_starts: list[int] = [start for start, _ in offsets]
        self._token_ends: list[int] = [start + length for start, length in offsets]
        self.token_texts: list[str] = [self.text[start:end] for start, end
                                       in zip(self._token_starts, self._token_ends, strict=True)]
        self.sentence_texts: list[str] = [self.span_text(s.start, s.end) for s in self.sentences]
        # Rules that scan every word compare these instead of making a Token per word.
        self.token_lowers: list[str] = [w.lower() for w in self.token_texts]
        # Lower-cased lemma → token indices: rules that look for a few words ("claim", "blame")
        # find them here instead of making a Token object for every word of the article.
        strings = self.doc.vocab.strings
        self.lemmas: list[str] = [strings[lemma].lower() for lemma
                                  in (self.doc.to_array(LEMMA).tolist() if len(self.doc) else [])]
        self._by_lemma: dict[str, list[int]] = {}
        for i, lemma in enumerate(self.lemmas):
            self._by_lemma.setdefault(lemma, []).append(i)
        self.dateline = dateline_span(self.text)
        # Doc.ents makes a Span per entity on every call: keep them once, by sentence too.
        self.ents: list[Span] = list(self.doc.ents)
        self.sentence_ents: list[list[Span]] = [[] for _ in self.sentences]
        for ent in self.ents:
            self.sentence_ents[self._sentence_of[ent.start]].append(ent)
        self._by_sentence: list[list[TokenMention]] = []
        self._indexed_mentions = -1

    def sentence_mentions(self, sentence: int) -> list[TokenMention]:
        """The mentions that start in a sentence, in the order of `mentions`. The index is
        rebuilt when mentions are added; they are only re-sorted by the mention stage,
        before any rule reads it."""
        if self._indexed_mentions != len(self.mentions):
            self._by_sentence = [[] for _ in self.sentences]
            for mention in self.mentions:
                self._by_sentence[self._sentence_of[mention.start]].append(mention)
            self._indexed_mentions = len(self.mentions)
        return self._by_sentence[sentence]

    def sentence_index(self, token: Token | int) -> int:
        i = token if isinstance(token, int) else token.i
        return self._sentence_of[i]

    def tokens_with_lemma(self, lemmas: Iterable[str]) -> list[Token]:
        """The tokens whose lower-cased lemma is one of `lemmas`, in text order."""
        found = sorted({i for lemma in lemmas for i in self._by_lemma.get(lemma, ())})
        return [self.doc[i] for i in found]

    def glued(self, i: int) -> bool:
        """Whether token i is written against the next one, with no space between."""
        return i + 1 < len(self._token_starts) and self._token_ends[i] == self._token_starts[i + 1]

    def span_text(self, start: int, end: int) -> str:
        """`doc[start:end].text`, without making the span's tokens."""
        return self.text[self._token_starts[start]:self._token_ends[end - 1]] if end > start else ""

    def evidence(self, sentence: int | Span) -> Evidence:
        sent = self.sentences[sentence] if isinstance(sentence, int) else sentence
        start, end = self._token_starts[sent.start], self._token_ends[sent.end - 1]
        return Evidence(text=self.text[start:end], start=start, end=end)

    def in_dateline(self, token: Token | int) -> bool:
        idx = token.idx if isinstance(token, Token) else self.doc[token].idx
        return self.dateline is not None and self.dateline[0] <= idx < self.dateline[1]

    def in_quote(self, token: Token) -> bool:
        # The spans come from one regex scan: sorted and disjoint, so the last one starting
        # at or before the token is the only one that can hold it.
        i = bisect_right(self.quote_spans, token.idx, key=itemgetter(0)) - 1
        return i >= 0 and token.idx < self.quote_spans[i][1]

    def add_mention(self, mention: TokenMention) -> None:
        self.mentions.append(mention)
        for i in range(mention.start, mention.end):
            self.token_mention[i] = mention
        draft = self.entities[mention.entity_id]
        start, end = self._token_starts[mention.start], self._token_ends[mention.end - 1]
        draft.mentions.append(Mention(text=self.text[start:end], start=start, end=end))

    def entity_at(self, token: Token) -> str | None:
        """The entity a token belongs to, looking through the token's own phrase.

        "the Baloch separatists" → the head `separatists` is covered by a mention; for a
        head that is not, its compound and modifier children are tried (e.g. "Pakistani
        security forces" where only part is a mention).
        """
        found = self.token_mention.get(token.i)
        if found and found.entity_id:
            return found.entity_id
        for child in token.children:
            if child.dep_ in ("compound", "amod", "nmod", "poss", "appos"):
                found = self.token_mention.get(child.i)
                if found and found.entity_id:
                    return found.entity_id
        return None

    def entities_in(self, span: Span, types: tuple[EntityType, ...] | None = None) -> list[str]:
        seen: list[str] = []
        for m in self.mentions:
            inside = (m.start >= span.start and m.end <= span.end and bool(m.entity_id)
                      and m.entity_id not in seen)
            if inside and (types is None or self.entities[m.entity_id].type in types):
                seen.append(m.entity_id)
        return seen
