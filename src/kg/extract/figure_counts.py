"""Counts inside figures: the number or quantity phrase, the noun it counts and the kind
of figure ("at least 12 soldiers were killed" → 12, soldiers, killed). The words are in
figures.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.knowledge import Hedge, Knowledge
from kg.extract.lexicon import load_figure_vocabulary
from kg.schema import FigureKind

# Word lists of the count rules, from figures.yaml `constructions` (explained there).
_CONSTRUCTIONS = load_figure_vocabulary().constructions
_ABOARD = _CONSTRUCTIONS.aboard_words
OTHERS = _CONSTRUCTIONS.other_words
LIFE = _CONSTRUCTIONS.life_words


@dataclass(frozen=True)
class _Words:
    """The figure vocabulary split by part of speech, as the rules ask for it."""

    nouns: dict[str, FigureKind]  # "death", "injury", "hostage", "house"
    predicates: dict[str, FigureKind]  # verbs and adjectives: "kill", "injured", "dead"
    things: frozenset[str]  # nouns of property, counted only when a verb destroys them
    tally: frozenset[str]  # "toll", "number": a count given elsewhere in the clause
    resultative: frozenset[str]  # "leave": "left three dead"
    subset: frozenset[str]  # "including", "among"
    background: tuple[str, ...]  # "so far this year", "since the beginning"
    earlier: frozenset[str]  # "previous", "earlier"


# By the vocabulary's identity (kept with it, so a recycled id cannot match).
_WORDS: dict[int, tuple[object, _Words]] = {}


def figure_words(knowledge: Knowledge) -> _Words:
    vocabulary = knowledge.figures
    cached = _WORDS.get(id(vocabulary))
    found = cached[1] if cached is not None and cached[0] is vocabulary else None
    if found is None:
        nouns: dict[str, FigureKind] = {}
        predicates: dict[str, FigureKind] = {}
        for kind, kind_words in vocabulary.kinds.items():
            for noun in kind_words.nouns:
                nouns.setdefault(noun.lower(), kind)
            for word in (*kind_words.verbs, *kind_words.adjectives):
                predicates.setdefault(word.lower(), kind)
        things = frozenset(n for n, k in nouns.items() if k is FigureKind.OTHER
                           and n not in knowledge.person_nouns)
        c = vocabulary.constructions
        found = _Words(nouns, predicates, things, frozenset(w.lower() for w in c.tally_nouns),
                       frozenset(w.lower() for w in c.resultative_verbs),
                       frozenset(w.lower() for w in c.subset_words),
                       tuple(sorted((w.lower() for w in c.background_phrases), key=len,
                                    reverse=True)),
                       frozenset(w.lower() for w in c.earlier_incident_words))
        _WORDS[id(vocabulary)] = (vocabulary, found)
    return found


def _forms(token: Token) -> tuple[str, str]:
    """The token's lemma, and its own singular: the tagger reads "corpses" as "corps"."""
    return token.lemma_.lower(), _singular(token.lower_)


def _singular(word: str) -> str:
    for suffix, replacement in (("men", "man"), ("ies", "y"), ("ses", "se"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    return word


def lookup_form(table: dict[str, FigureKind] | dict[str, str], token: Token) -> str | None:
    """The first of the token's forms that is in `table`."""
    return next((f for f in _forms(token) if f in table), None)


def is_counted_noun(token: Token, knowledge: Knowledge) -> bool:
    """A noun a number can count: a person, a figure noun, "others", or a plural demonym
    ("23 Pakistanis")."""
    if token.pos_ not in ("NOUN", "PROPN"):
        # "wounded six more": the parser may leave "more" an adjective.
        return token.lower_ in OTHERS and any(c.dep_ == "nummod" for c in token.children)
    if any(f in knowledge.person_nouns or f in figure_words(knowledge).nouns or f in OTHERS
           for f in _forms(token)):
        return True
    if (token.text[:1].isupper() and token.lower_.endswith("s")
            and knowledge.gazetteer.demonym(token.text) is not None):
        return True
    # "eight elements of the security forces": a part of a body of people.
    return any(c.dep_ == "nummod" for c in token.children) and any(
        g.dep_ == "pobj" and (lookup_form(knowledge.person_nouns, g) is not None
                              or g.lower_ in knowledge.force_nouns)
        for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children)


@dataclass
class Quantity:
    min: int | None
    max: int | None
    approximate: bool
    qualifier: str | None
    start: int  # token index where the figure's words begin


def _quantity(noun: Token, knowledge: Knowledge) -> Quantity | None:
    doc = noun.doc
    # "dozens of civilians": the quantity word heads the phrase.
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in knowledge.hedges:
        word = noun.head.head
        # Vague quantities keep no invented number: "dozens" has neither min nor max.
        return Quantity(None, None, True, word.lower_, word.i)
    numbers = [c for c in noun.children if c.dep_ == "nummod" or (
        c.dep_ in ("amod", "det", "quantmod") and c.lower_ in knowledge.hedges)]
    if not numbers:
        return None
    first = min(numbers, key=lambda t: t.left_edge.i)
    start = first.left_edge.i
    # The number's own phrase is kept whole ("more than 30": "more" hangs on the number as
    # an adjective); after it, adjectives and compounds describe the noun ("12 Egyptian").
    last = max(t.right_edge.i for t in numbers)
    words = [t for t in doc[start:noun.i] if t.i <= last or t.dep_ not in ("amod", "compound")
             or t.like_num or t.lower_ in knowledge.hedges or t.dep_ in ("quantmod", "nummod")]
    words = [t for t in words if t.dep_ != "punct" and t.lower_ not in ("the", "these", "those")]
    # "no fewer than 8 miners": the parser may hang "no" on the noun, outside the number.
    for back in (2, 1):
        if start - back >= 0 and words:
            before = [*doc[start - back:start], *words]
            if _hedge(" ".join(t.lower_ for t in before), knowledge)[0] not in (
                    None, _hedge(" ".join(t.lower_ for t in words), knowledge)[0]):
                words, start = before, start - back
                break
    text = " ".join(t.text for t in words).lower()
    hedge_word, hedge = _hedge(text, knowledge)
    rest = text[len(hedge_word):].strip() if hedge_word else text
    if hedge is not None and hedge.bound in ("vague", "all"):
        return Quantity(None, None, hedge.approximate, hedge_word, start)
    connectors = "|".join(re.escape(c) for c in knowledge.figures.range_connectors)
    range_match = re.match(rf"(?:between\s+)?(.+?)\s*({connectors})\s*(.+)$", rest)
    if range_match and (hedge_word in (None, "between")):
        low = knowledge.figures.parse_number(range_match.group(1))
        high = knowledge.figures.parse_number(range_match.group(3))
        if low is not None and high is not None and low < high:
            # "two or three" is an estimate: the data says which connectors make one.
            rough = range_match.group(2) in knowledge.figures.approximate_range_connectors
            return Quantity(low, high, rough, hedge_word or (text if rough else None), start)
    value = knowledge.figures.parse_number(rest)
    if value is None:
        return None
    if hedge is None:
        return Quantity(value, value, False, None, start)
    # "more than 50" is at least 51, "fewer than 50" at most 49 (UCDP's reading).
    step = 1 if hedge.exclusive else 0
    low, high = {
        "min": (value + step, None),
        "max": (None, value - step),
    }.get(hedge.bound, (value, value))
    return Quantity(low, high, hedge.approximate, hedge_word, start)


def _hedge(text: str, knowledge: Knowledge) -> tuple[str | None, Hedge | None]:
    for phrase in _longest_first(knowledge.hedges):
        if text == phrase or text.startswith(phrase + " "):
            return phrase, knowledge.hedges[phrase]
    return None, None


# id of a hedge vocabulary -> (the vocabulary, kept alive so its id is never reused; its
# phrases longest first)
_SORTED_HEDGES: dict[int, tuple[dict[str, Hedge], list[str]]] = {}


def _longest_first(hedges: dict[str, Hedge]) -> list[str]:
    """The hedge phrases, longest first ("at least" before "least"): sorted once per
    vocabulary, not for every figure."""
    entry = _SORTED_HEDGES.get(id(hedges))
    if entry is None or entry[0] is not hedges:
        entry = _SORTED_HEDGES[id(hedges)] = (hedges, sorted(hedges, key=len, reverse=True))
    return entry[1]


def _kind(noun: Token, knowledge: Knowledge, depth: int = 0) -> FigureKind | None:
    """The figure's kind from what is said of the counted noun."""
    words = figure_words(knowledge)
    thing = any(f in words.things for f in _forms(noun)) and lookup_form(
        knowledge.person_nouns, noun) is None
    for child in noun.children:
        if child.lower_ in _ABOARD or (child.dep_ == "prep" and any(
                g.lower_ in _ABOARD for g in child.children)):
            return None if thing else FigureKind.ABOARD
        # "41 wounded people", "12,000 newly displaced people": the adjective says it;
        # after the noun, a participle does: "18 people killed", "one other person injured".
        if (child.dep_ == "amod" and child.i < noun.i) or (
                child.dep_ in ("acl", "amod") and child.i > noun.i
                and child.tag_ in ("VBN", "JJ")):
            # Adjectives and participles only: "four suspected militants" are no arrest.
            kind = words.predicates.get(child.lower_) or words.predicates.get(
                child.lemma_.lower())
            if kind is not None and (kind is FigureKind.OTHER) == thing:
                return kind  # "41 wounded people"; of property, "30 houses burned"
    if noun.dep_ == "pobj" and depth < 2:
        prep = noun.head
        owner = prep.head
        # "the martyrdom of 12 soldiers", "the release of 40 hostages": the noun says it.
        if prep.lower_ == "of" and owner.pos_ == "NOUN" and not thing:
            owner_kind = lookup_form(words.nouns, owner)
            if owner_kind is not None and owner.lower_ not in LIFE:
                return words.nouns[owner_kind]
            # "claimed the lives of 24 people": the verb and "lives" make the phrase.
            if owner.lower_ in LIFE and owner.head.pos_ in ("VERB", "AUX"):
                kind, _ = _verb_kind(owner.head, knowledge)
                return kind
        # "24 people, including 19 civilians", "among them two women": a part of the count
        # before it is counted the same way.
        if prep.lemma_.lower() in words.subset:
            if is_counted_noun(owner, knowledge):
                return _kind(owner, knowledge, depth + 1)
            if owner.pos_ in ("VERB", "AUX"):  # "put the number of injured at 12, including four"
                return _nearest_count_kind(noun, knowledge, depth)
    # "he and three others were killed", "a couple and their four children": the first
    # conjunct carries the phrase's role.
    node = noun
    while node.dep_ == "conj" and node.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        node = node.head
    if node.dep_ == "appos" and depth < 2 and is_counted_noun(node.head, knowledge):
        return _kind(node.head, knowledge, depth + 1)
    head = node.head
    if node.dep_ in ("nsubj", "nsubjpass", "dobj", "appos") or head.pos_ in ("VERB", "AUX"):
        verb = head
        if verb.lemma_.lower() == "be" and node.dep_ == "nsubj" and not thing:
            # "at least 30 children were among the dead": a part of a count of that kind.
            for prep in verb.children:
                if prep.dep_ == "prep" and prep.lemma_.lower() in words.subset:
                    for whole in prep.children:
                        # "among the dead", "among those abducted"
                        said = [whole, *(c for c in whole.children if c.dep_ in ("acl", "amod"))]
                        form = next((f for f in (lookup_form(words.predicates, t) for t in said)
                                     if f is not None), None)
                        if whole.dep_ == "pobj" and form is not None:
                            return words.predicates[form]
        if verb.lemma_.lower() == "be" and any(
                c.lower_ in _ABOARD or (c.dep_ == "prep" and c.lower_ in _ABOARD)
                for c in verb.children):
            return None if thing else FigureKind.ABOARD
        if verb.lemma_.lower() in words.resultative and node.dep_ == "dobj":
            # "left three soldiers dead": the object's state says the kind.
            state = next((c for c in verb.children if c.dep_ in ("oprd", "acomp", "ccomp", "xcomp")
                          and c.i > noun.i), None)
            if state is not None:
                return knowledge.figure_words.get(state.lower_) or knowledge.figure_words.get(
                    state.lemma_.lower())
        kind, phrase = _verb_kind(verb, knowledge)
        if kind is None and node.dep_ in ("nsubj", "nsubjpass"):
            # "two soldiers survived but are seriously injured": a later verb without a
            # subject of its own shares this one.
            for conj in verb.children:
                if conj.dep_ == "conj" and conj.pos_ in ("VERB", "AUX") and not any(
                        c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
                    kind, phrase = _verb_kind(conj, knowledge)
                    if kind is not None:
                        verb = conj
                        phrase = phrase or any(c.dep_ == "auxpass" for c in conj.children)
                        break
        if kind in (None, FigureKind.OTHER) and node.dep_ in ("nsubj", "nsubjpass"):
            # "were found dead", "were reported missing": the predicate says it.
            kind = next((words.predicates.get(c.lemma_.lower()) or words.predicates.get(c.lower_)
                         for c in verb.children if c.dep_ in ("oprd", "acomp")
                         and (c.lemma_.lower() in words.predicates
                              or c.lower_ in words.predicates)), kind)
            phrase = phrase or kind not in (None, FigureKind.OTHER)
        own = lookup_form(words.nouns, noun)
        if own is not None and words.nouns[own] is FigureKind.KILLED and kind not in (
                None, FigureKind.OTHER) and not thing:
            # "five corpses were recovered": the dead stay dead whatever is done with them.
            kind = words.nouns[own]
        if thing:
            # Property counts only when the verb destroys it: "30 houses torched".
            return kind if kind is FigureKind.OTHER else None
        if kind in (None, FigureKind.OTHER):
            # "counted at least 20 bodies": a neutral verb leaves the noun to say it.
            noun_kind = lookup_form(knowledge.figure_words, noun)
            kind = knowledge.figure_words[noun_kind] if noun_kind else kind
        if kind is not None:
            if node.dep_ == "nsubj" and not phrase and not _subject_suffers(verb, kind):
                # Active subjects do the deed: "100 gunmen stormed", "five men killed two".
                return None
            return kind
        return None
    if thing:
        return None
    noun_kind = lookup_form(knowledge.figure_words, noun)
    return knowledge.figure_words[noun_kind] if noun_kind else None


def _subject_suffers(verb: Token, kind: FigureKind) -> bool:
    """Whether the subject of `verb` underwent it: "nine people died", "3,000 fled the
    town", and the elided passive "four were killed and 11 others wounded"; not "five men
    killed two guards"."""
    if kind in (FigureKind.DISPLACED, FigureKind.MISSING):
        return True  # "fled their homes", "went missing": never done to someone else
    # No object: "nine people died", and the elided passive "… and 11 others wounded".
    return not any(c.dep_ in ("dobj", "attr") for c in verb.children)


def _verb_kind(verb: Token, knowledge: Knowledge) -> tuple[FigureKind | None, bool]:
    """The verb's kind, and whether a phrase made of the verb and its object gave it
    ("lost their lives", "sustained injuries": then the subject is who suffered)."""
    lemma = verb.lemma_.lower()
    kind = knowledge.figure_words.get(lemma)
    # "taken hostage", "lost their lives": the verb's particle or object carries the meaning.
    for child in verb.children:
        phrases = [f"{lemma} {child.lemma_.lower()}"]
        if child.dep_ == "prep":
            # "burned to death", "sent to hell": the verb and its prepositional phrase.
            phrases += [f"{lemma} {child.lower_} {g.lemma_.lower()}" for g in child.children
                        if g.dep_ == "pobj"]
        if child.dep_ == "dobj":
            lefts = [t.lemma_.lower() for t in child.lefts if t.dep_ in ("det", "poss")]
            phrases.append(" ".join([lemma, *lefts, child.lemma_.lower()]))
            phrases.append(" ".join([lemma, *lefts, child.lower_]))
        for phrase in phrases:
            if phrase in knowledge.figure_words:
                return knowledge.figure_words[phrase], child.dep_ == "dobj"
    return kind, False


def who_is_counted(noun: Token, knowledge: Knowledge) -> str:
    words = [c for c in noun.lefts if c.dep_ in ("compound", "amod") and not c.like_num
             and c.pos_ in ("NOUN", "ADJ", "PROPN") and c.lower_ not in knowledge.hedges]
    return " ".join([*(w.text for w in words), noun.text]).lower() if words else noun.text.lower()


def counted_figure(token: Token, knowledge: Knowledge
                   ) -> tuple[Quantity, FigureKind, Token | None] | None:
    """(quantity, kind, the noun counted) when `token` heads a figure, else None.

    Two shapes: a person noun with its number ("at least 12 soldiers", "dozens of
    civilians"), and a number standing for people beside a figure word ("nine dead
    and 14 wounded", "killing 12", "13 were injured", "the toll rose to 15").
    Counts of attackers are not figures of the incident's toll, nor is one named person.
    """
    found = _noun_figure(token, knowledge) if not token.like_num else _number_figure(
        token, knowledge)
    if found is None or found[1] is FigureKind.ATTACKERS:
        return None
    quantity, _kind_found, counted = found
    if quantity.min == quantity.max == 1 and any(
            c.dep_ == "appos" and c.pos_ == "PROPN"
            for c in (counted or token).children):
        return None  # "one of the drivers, Juma Ali, died": a named victim, not a count
    return found


def _noun_figure(token: Token, knowledge: Knowledge
                 ) -> tuple[Quantity, FigureKind, Token | None] | None:
    if not is_counted_noun(token, knowledge):
        return None
    quantity = _quantity(token, knowledge)
    if quantity is None:
        return None
    # "dozens of civilians fled", "a total of 19 people were killed": the quantity word
    # carries the clause's role.
    owner = token.head.head
    head = owner if token.dep_ == "pobj" and token.head.lower_ == "of" and (
        owner.lower_ in knowledge.hedges or (any(f in figure_words(knowledge).tally
                                                 for f in _forms(owner))
                                             and owner.lower_ not in figure_words(knowledge).nouns)
    ) else token
    kind = _kind(head, knowledge) or (_kind(token, knowledge) if head is not token else None)
    if kind is None:
        return None
    counted = token
    if lookup_form(knowledge.person_nouns, token) is None and lookup_form(knowledge.figure_words, token):
        # "20 bodies of soldiers", "eight elements of the security forces" count the people.
        counted = next((g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                        for g in c.children if g.dep_ == "pobj"), token)
    return quantity, kind, counted


def _number_figure(token: Token, knowledge: Knowledge
                   ) -> tuple[Quantity, FigureKind, Token | None] | None:
    kind = _bare_number_kind(token, knowledge)
    if kind is None:
        return None
    value = knowledge.figures.parse_number(token.text)
    if value is None:
        return None
    # "at least nine injured": the hedge is everything left of the number in its phrase.
    qualifier_tokens = [t for t in token.doc[token.left_edge.i:token.i] if t.dep_ != "punct"]
    hedge_word, hedge = _hedge(" ".join(t.lower_ for t in qualifier_tokens), knowledge)
    low: int | None = value
    high: int | None = value
    if hedge is not None:
        step = 1 if hedge.exclusive else 0
        low, high = {"min": (value + step, None), "max": (None, value - step)}.get(
            hedge.bound, (value, value))
    start = min([token.i, *(t.i for t in qualifier_tokens)])
    return (Quantity(low, high, bool(hedge and hedge.approximate), hedge_word, start),
            kind, None)


def _bare_number_kind(token: Token, knowledge: Knowledge, depth: int = 0) -> FigureKind | None:
    """The kind of a number that stands for people without a noun of its own."""
    word = token.head
    dep = token.dep_
    # "nine dead", "killing 12", "13 were injured", "two of them were severely injured".
    predicates = figure_words(knowledge).predicates
    if dep in ("nummod", "npadvmod", "amod", "nsubj", "nsubjpass", "dobj", "conj"):
        # "… three soldiers dead and two injured", "220 killed and about 60,000 displaced":
        # a participle on the number itself says more than the verb it hangs on.
        for child in token.children:
            if child.dep_ in ("amod", "acl") and child.pos_ in ("ADJ", "VERB") and child.i > token.i:
                # "about 1,200 reported missing": or the state the participle reports.
                states = (g for g in child.children if g.dep_ in ("oprd", "acomp", "xcomp"))
                for said in (child, *states):
                    kind = predicates.get(said.lower_) or predicates.get(said.lemma_.lower())
                    if kind is not None:
                        return kind
        # A verb or adjective of the vocabulary: "16 are suspected" is no arrest.
        kind = predicates.get(word.lemma_.lower()) or predicates.get(word.lower_)
        if kind is not None and word.pos_ in ("ADJ", "VERB") and (
                word.i > token.i or word.pos_ == "VERB"):
            if dep == "nsubj" and word.pos_ == "VERB" and not _subject_suffers(word, kind):
                return None
            return kind
        if dep in ("nsubj", "nsubjpass"):
            # "Of the 40 people killed, 25 were children": a part of a count given before.
            whole = next((g for c in [*token.children, *word.children]
                          if c.dep_ == "prep" and c.lower_ == "of" and c.i < token.i
                          for g in c.children if g.dep_ == "pobj"), None)
            if whole is not None and is_counted_noun(whole, knowledge) and any(
                    c.dep_ == "nummod" for c in whole.children):
                return _kind(whole, knowledge, 1)
    # "Six people were hurt, two of them seriously": a part of the count it stands beside.
    # The parser may hang "two of them" on any count of the sentence: the nearest one
    # before it is the one it divides.
    if dep == "appos" and depth < 2:
        return _nearest_count_kind(token, knowledge, depth)
    # "11 were injured, three seriously": the number hangs on the degree of the injury.
    if dep in ("advmod", "npadvmod") and word.pos_ == "ADV" and word.head.pos_ in ("VERB", "ADJ"):
        kind = predicates.get(word.head.lemma_.lower()) or predicates.get(word.head.lower_)
        if kind is not None:
            return kind
    # "the death toll rose to 15", "officials put the number of dead at 12", "the toll was 9".
    if dep in ("pobj", "attr", "dobj"):
        # "the death toll had reached 30": the tally is the subject, the number the object.
        verb = word.head if dep == "pobj" and word.lower_ in ("to", "at") else (
            word if dep in ("attr", "dobj") else None)
        if verb is not None and verb.pos_ in ("VERB", "AUX"):
            for holder in verb.children:
                if holder.dep_ in ("nsubj", "nsubjpass", "dobj"):
                    kind = _tally_kind(holder, knowledge)
                    if kind is not None:
                        return kind
    return None


def _nearest_count_kind(token: Token, knowledge: Knowledge, depth: int) -> FigureKind | None:
    """The kind of the nearest count before `token` in its sentence, for a part of it."""
    for before in reversed(token.doc[token.sent.start:token.i]):
        if before.like_num and before.dep_ != "nummod":
            kind = _bare_number_kind(before, knowledge, depth + 1)
        elif is_counted_noun(before, knowledge) and any(
                c.dep_ == "nummod" for c in before.children):
            kind = _kind(before, knowledge, depth + 1)
        else:
            continue
        if kind is not None:
            return kind
    return None


def is_tally_noun(noun: Token, knowledge: Knowledge) -> bool:
    return any(f in figure_words(knowledge).tally for f in _forms(noun))


def _tally_kind(noun: Token, knowledge: Knowledge) -> FigureKind | None:
    """The kind of a count a tally noun stands for: "the death toll" → killed,
    "the number of injured" → wounded; None for other nouns."""
    words = figure_words(knowledge)
    if not any(f in words.tally for f in _forms(noun)):
        return None
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for counted in child.children:
                kind = lookup_form(knowledge.figure_words, counted)
                if kind is not None:
                    return knowledge.figure_words[kind]
        if child.dep_ in ("compound", "amod"):
            kind = lookup_form(knowledge.figure_words, child)
            if kind is not None:
                return knowledge.figure_words[kind]
    # A bare "toll" is a death toll; a bare "number" says nothing.
    return knowledge.figure_words.get(noun.lemma_.lower()) if noun.lemma_.lower() in (
        words.nouns) else None
