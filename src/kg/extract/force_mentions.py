"""State forces and governments built from a country ("Pakistani forces" → Pakistani
security forces), and bare forces read as the named force the article means.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.context import ArticleContext, EntityDraft, TokenMention
from kg.extract.mention_base import MentionFinderBase
from kg.extract.mention_words import WORDS
from kg.ids import entity_id
from kg.schema import EntityType, OrganisationKind

# The force rules' word lists, from mentions.yaml (each is explained there).
_BRANCH_WORDS = WORDS.branch_words
_GOVERNMENT_WORDS = WORDS.government_words


class ForceMentions(MentionFinderBase):
    """Mentions of state forces and governing groups."""

    def _forces(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        """State forces and governments: "Pakistani security forces", "the Pakistani government".

        A country word (demonym, or "Pakistan's") before a force noun names that country's
        force; a bare "the government" or "security forces" belongs to the article's main
        country, for the nouns the lexicon allows bare.
        """
        found = []
        doc = ctx.doc
        words = ctx.token_texts
        main_country = ctx.countries[0] if ctx.countries else None
        for i, word in enumerate(words):
            country: str | None = None
            nxt = i + 1
            if word[:1].isupper():
                demonym = self.gazetteer.demonym(word)
                if demonym is not None:
                    country = demonym.country
                elif nxt < len(words) and words[nxt] in ("'s", "’s"):
                    hits = [p for p in self.gazetteer.lookup(word) if p.kind == "country"]
                    country, nxt = (hits[0].country, nxt + 1) if hits else (None, nxt)
            if country is not None:
                draft, end = self._force_after(doc, nxt, country, bare=False)
            elif word.lower() == "the" and main_country is not None:
                draft, end = self._force_after(doc, nxt, main_country, bare=True)
            elif (main_country is not None and ctx.token_lowers[i] in self._force_first_words
                  and self._bare_force_start(doc, i)):
                # "police said", "security forces killed": no article, still the main
                # country's force.
                draft, end = self._force_after(doc, i, main_country, bare=True)
                if draft is not None and doc[end - 1].dep_ == "compound":
                    continue  # "police station", "army base": a place or a thing
            else:
                continue
            if draft is not None:
                found.append((i, end, "force", draft))
        return found

    def _bare_force_start(self, doc: Doc, i: int) -> bool:
        """Whether a force noun may start at token `i` with no article or country word."""
        token = doc[i]
        if token.text[:1].isupper() and not token.is_sent_start:
            return False
        if token.lower_ not in self._force_first_words:
            return False
        if i == 0:
            return True
        before = doc[i - 1]
        return not (before.lower_ in ("a", "an", "the", "'s", "’s") or before.text[:1].isupper()
                    and before.is_alpha and not before.is_sent_start)

    def _force_after(self, doc: Doc, i: int, country: str,
                     bare: bool) -> tuple[EntityDraft | None, int]:
        knowledge = self.knowledge
        country_place = self.gazetteer.country(country)
        if country_place is None:
            return None, i
        if i >= len(doc) or not {doc[i].lower_.split(" ")[0], doc[i].lemma_.lower().split(" ")[0]
                                 } & self._force_first_words:
            return None, i  # no force noun starts with this word: most "the"s end here
        demonym = knowledge.demonym_of.get(country, country_place.name)
        for length in (3, 2, 1):
            if i + length > len(doc):
                continue
            words = doc[i:i + length]
            for phrase in (" ".join(t.lower_ for t in words),
                           " ".join(t.lemma_.lower() for t in words)):
                found = knowledge.force_nouns.get(phrase)
                if found is None or (bare and not found[1].bare):
                    continue
                branch = found[0]
                if branch == "government":
                    name = knowledge.state_forces.government_name(country, country_place.name)
                    kind = OrganisationKind.GOVERNMENT
                else:
                    name = knowledge.state_forces.force_name(branch, country, demonym)
                    kind = OrganisationKind.STATE_FORCE
                return EntityDraft(id=entity_id(EntityType.ORGANISATION, name),
                                   type=EntityType.ORGANISATION, name=name, kind=kind.value,
                                   country=country), i + length
        return None, i

    def _bare_forces_to_named(self, ctx: ArticleContext, bare_spans: set[tuple[int, int]]) -> None:
        """"police" in a report that names the Police Service of Northern Ireland is that
        service, not a second, national police: a force met only in generic words ("police",
        "Indonesian police") goes to the one force of its branch and country the article names
        by a proper name ("Police", not a district's "Bandipora police")."""
        by_entity: dict[str, list[TokenMention]] = {}
        for mention in ctx.mentions:
            by_entity.setdefault(mention.entity_id, []).append(mention)
        for draft_id, mentions in by_entity.items():
            draft = ctx.entities.get(draft_id)
            if draft is None or draft.kind != OrganisationKind.STATE_FORCE.value:
                continue
            if not all((m.start, m.end) in bare_spans for m in mentions if not m.generic):
                continue
            words = _BRANCH_WORDS.get(draft.name.split()[-1].lower())
            if words is None:
                continue
            named = [d for d in ctx.entities.values() if d.id != draft_id
                     and d.type is EntityType.ORGANISATION and d.kind == OrganisationKind.STATE_FORCE.value
                     and any(w.title() in d.name.split() for w in words)
                     and d.country in (None, draft.country)
                     and not all((m.start, m.end) in bare_spans for m in by_entity.get(d.id, []))]
            if len(named) != 1:
                continue
            target = named[0]
            for mention in mentions:
                mention.entity_id = target.id
            target.mentions.extend(draft.mentions)
            del ctx.entities[draft_id]

    def _governing_groups(self, ctx: ArticleContext) -> None:
        """A group the text calls a government ("the Taliban government", "the Taliban
        administration") is that government here: an organisation of kind government."""
        doc = ctx.doc
        for old_id, draft in list(ctx.entities.items()):
            if draft.type is not EntityType.GROUP:
                continue
            spans = [m for m in ctx.mentions if m.entity_id == old_id and not m.generic]
            if not any(m.end < len(doc) and doc[m.end].lower_ in _GOVERNMENT_WORDS for m in spans):
                continue
            new_id = entity_id(EntityType.ORGANISATION, draft.name)
            if new_id in ctx.entities:
                continue
            draft.id, draft.type, draft.kind = new_id, EntityType.ORGANISATION, OrganisationKind.GOVERNMENT.value
            draft.generic_terms = frozenset()
            del ctx.entities[old_id]
            ctx.entities[new_id] = draft
            for mention in ctx.mentions:
                if mention.entity_id == old_id:
                    mention.entity_id = new_id
