"""What every mention pass shares: the matchers and lookups built once per process,
and the organisation and title helpers that several passes call.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract.context import ArticleContext, EntityDraft
from kg.extract.knowledge import Knowledge
from kg.extract.mention_words import ACRONYM_DEF
from kg.ids import entity_id
from kg.schema import EntityType, GroupKind, OrganisationKind


class MentionFinderBase:
    """The matchers and lookups every mention pass uses, built once per process."""

    def __init__(self, vocab: Vocab, make_doc: Callable[[str], Doc], knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.gazetteer = knowledge.gazetteer
        self._title_words = {t.lower() for t in knowledge.titles if " " not in t}
        self._force_first_words = {phrase.split(" ")[0] for phrase in knowledge.force_nouns}
        # Lower-cased title → (its place in the list, the title): a name's title is found by
        # looking its word prefixes up, not by trying each of some 400 titles in turn.
        self._titles: dict[str, tuple[int, str]] = {}
        for index, title in enumerate(knowledge.titles):
            self._titles.setdefault(title.lower(), (index, title))
        self._parents = {a.parent for a in (*knowledge.actor_index.groups.groups,
                                             *knowledge.actor_index.organisations.organisations)
                         if a.parent}
        self.actor_matcher = PhraseMatcher(vocab, attr="LOWER")
        # Case guards (acronyms in capitals, one-word names not in lower case) are applied
        # when a match is resolved, by the lexicon's ActorIndex.
        forms = list(knowledge.actor_index.forms())
        # "New People’s Army" is tokenised apart from "New People's Army": match both.
        forms += [f.replace("'", "’") for f in forms if "'" in f]
        self.actor_matcher.add("A", [make_doc(form) for form in forms])

    def _unknown_organisation(self, name: str, ctx: ArticleContext) -> EntityDraft | None:
        words = [w.lower().strip(".,") for w in name.split()]
        if not words:
            return None
        names = self.knowledge.names
        if any(w in names.group_heads for w in words) and not any(w in names.state_words for w in words):
            return EntityDraft(id=entity_id(EntityType.GROUP, name), type=EntityType.GROUP,
                               name=name, kind=GroupKind.OTHER.value)
        kind = next((names.organisation_heads[w] for w in reversed(words)
                     if w in names.organisation_heads), OrganisationKind.OTHER)
        return EntityDraft(id=entity_id(EntityType.ORGANISATION, name), type=EntityType.ORGANISATION,
                           name=name, kind=kind.value)

    @staticmethod
    def _organisation(name: str, kind: OrganisationKind) -> EntityDraft:
        return EntityDraft(id=entity_id(EntityType.ORGANISATION, name), type=EntityType.ORGANISATION,
                           name=name, kind=kind.value)

    def _organisation_cue(self, words: list[str]) -> bool:
        """Whether a name's words mark a body ("Office", "Ministry", "Platform", "Police")."""
        names = self.knowledge.names
        lowered = [w.lower().strip(".,") for w in words]
        return any(w in names.organisation_heads or w in names.group_heads or w in names.state_words
                   for w in lowered)

    def _title_opening(self, lowered: str) -> str | None:
        """The first listed title that `lowered` starts with, followed by a space."""
        found = [self._titles[lowered[:i]] for i, c in enumerate(lowered)
                 if c == " " and lowered[:i] in self._titles]
        return min(found)[1] if found else None

    def _title_ending(self, preceding: str) -> str | None:
        """The first listed title that `preceding` ends with, as whole words."""
        lowered = preceding.lower()
        found = [self._titles[lowered[i:]] for i in range(len(lowered)) if lowered[i:] in self._titles]
        found = [(i, t) for i, t in found
                 if len(preceding) == len(t) or not preceding[-len(t) - 1].isalnum()]
        return min(found)[1] if found else None

    def _title_before(self, doc: Doc, start: int) -> tuple[int, str | None]:
        """Titles right before a name: "Chief Minister Sarfraz Bugti" → "Chief Minister".

        A rank after a function ("Army spokesman Colonel X") yields the function: it says
        what the person speaks for.
        """
        found: list[str] = []
        position = start
        for _ in range(2):
            preceding = doc[max(0, position - 6):position].text
            title = self._title_ending(preceding)
            if title is None:
                break
            n = len(title.split())
            found.append(preceding[-len(title):])
            position -= n
        if not found:
            return start, None
        role = found[0]
        for other in found[1:]:
            role = prefer_function(role, other, self.knowledge.ranks) or role
        return position, role

    def _title_acronyms(self, ctx: ArticleContext) -> set[str]:
        """Acronyms the text defines for a title: "Inspector General of Police (IGP)"."""
        found = set()
        for match in ACRONYM_DEF.finditer(ctx.text):
            words = match.group("long").split()
            for k in range(len(words)):
                if " ".join(words[k:]).lower() in self._titles:
                    found.add(match.group("short"))
                    break
        return found


def prefer_function(first: str | None, second: str | None, ranks: set[str]) -> str | None:
    """Of two titles, the one that is not a military rank."""
    if first is None or second is None:
        return first or second
    if first.lower() in ranks and second.lower() not in ranks:
        return second
    return first


def strip_article(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text, flags=re.IGNORECASE).strip()
