"""People: names the NER finds, with the titles before them ("Police Commissioner …").
"""

from __future__ import annotations

import re

from kg.extract.context import ArticleContext, EntityDraft, TokenMention
from kg.extract.mention_base import MentionFinderBase, prefer_function
from kg.extract.mention_words import (
    LOCALITY_CUES,
    SETTLEMENT,
    WORDS,
)
from kg.ids import entity_id
from kg.schema import EntityType

# Lower-case particles inside a person's name: "Bruno de Paula Costa", "Nidal al-Sarafiti"
# (mentions.yaml `name_particles`, `hyphenated_particles`).
_PARTICLE = re.compile(r"^((" + "|".join(map(re.escape, WORDS.name_particles)) + r")"
                       r"|(" + "|".join(map(re.escape, WORDS.hyphenated_particles)) + r")-[A-Z]\S*)$")


class PeopleMentions(MentionFinderBase):
    """Mentions of people, and later references back to them."""

    def _people(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        found = []
        doc = ctx.doc
        for ent in ctx.ents:
            if ent.label_ != "PERSON":
                continue
            start, end = ent.start, ent.end
            # Titles inside the entity ("Governor Babagana Zulum") are roles, not names.
            role = None
            text = ent.text
            title = self._title_opening(text.lower())
            if title is not None:
                role, text = title, text[len(title) + 1:]
                start += len(title.split())
            if end > start and doc[end - 1].text in ("'s", "’s"):
                end -= 1
            # "Maria Fernanda | dos Santos": the model may stop at a particle.
            while (end + 1 < len(doc) and _PARTICLE.match(doc[end].text)
                   and doc[end + 1].text[:1].isupper() and doc[end + 1].is_alpha
                   and doc[end + 1].ent_type_ in ("", "PERSON")):
                end += 2
            span = doc[start:end]
            name = span.text.strip()
            words = name.split()
            if len(words) < 2 or not all(w[:1].isupper() or _PARTICLE.match(w) for w in words[1:-1]
                                         ) or not words[0][:1].isupper() or not (
                    words[-1][:1].isupper() or "-" in words[-1] and _PARTICLE.match(words[-1])):
                continue  # single names are resolved as back-references later
            if self._organisation_cue(words):
                # "Ministry of Health", "Sahel Platform": the person model mistakes a body
                # for a person; its words say what it is.
                unknown = self._unknown_organisation(name, ctx)
                if unknown is not None:
                    found.append((start, end, "person", unknown))
                continue
            if end < len(doc) and doc[end].lower_ in SETTLEMENT:
                continue  # "Lay Kyi village" names a place
            if self._locality_elsewhere(name, ctx):
                continue  # "Wad Alnoura village" … "around Wad Alnoura": the same village
            if self.knowledge.actor_index.lookup(name) or self.gazetteer.lookup(name):
                continue
            title_start, found_role = self._title_before(doc, start)
            role = prefer_function(role, found_role, self.knowledge.ranks)
            if ent.root.dep_ == "appos" and ent.root.head.text.lower() in self._title_words:
                # "Ménaka's governor, Colonel Daouda Maïga": the apposition names the function.
                role = prefer_function(ent.root.head.text, role, self.knowledge.ranks)
            draft = EntityDraft(id=entity_id(EntityType.PERSON, name), type=EntityType.PERSON,
                                name=name, role=role)
            found.append((start, end, "person", draft))
            if title_start < start:
                ctx_note = doc[title_start:start]
                draft.aliases.add(f"{ctx_note.text} {name}")
        return found

    @staticmethod
    def _locality_elsewhere(name: str, ctx: ArticleContext) -> bool:
        """Whether the text names `name` with a locality word somewhere ("X village", "the
        village of X", "X district")."""
        # A plain search for the name, then the cue around each hit: a pattern compiled for
        # every name cost a millisecond each.
        text, key = ctx.text.lower(), name.lower()
        start = text.find(key)
        while start != -1:
            end = start + len(key)
            if ((start == 0 or not text[start - 1].isalnum())
                    and (end == len(text) or not text[end].isalnum())
                    and (_CUE_AFTER.match(text, end) or _CUE_BEFORE.search(text[max(0, start - 24):start]))):
                return True
            start = text.find(key, start + 1)
        return False

    def _people_backrefs(self, ctx: ArticleContext) -> None:
        """A surname alone ("Bugti said") refers to the full name mentioned before."""
        people = [d for d in ctx.entities.values() if d.type is EntityType.PERSON]
        if not people:
            return
        for ent in ctx.ents:
            if ent.label_ != "PERSON" or len(ent) != 1 or ent.start in ctx.token_mention:
                continue
            hits = [p for p in people if p.name.split()[-1] == ent.text]
            if len(hits) == 1:
                ctx.add_mention(TokenMention(ent.start, ent.end, hits[0].id))
        ctx.mentions.sort(key=lambda m: m.start)


_CUE_AFTER = re.compile(r"\s+(?:" + "|".join(re.escape(c) for c in LOCALITY_CUES) + r")\b")
_CUE_BEFORE = re.compile(r"\b(?:" + "|".join(map(re.escape, WORDS.place_nouns_before_of)) + r")\s+of\s+$")
