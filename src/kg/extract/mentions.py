"""Find the entities an article names and resolve its surface forms to one entity each.

Sources, strongest first: the lexicon of groups and organisations (names, aliases,
acronyms), acronyms the article defines itself ("The Baloch Liberation Army (BLA)"),
state forces and governments built from a country ("Pakistani forces" → Pakistani
security forces), the gazetteer, then spaCy's NER for people and unknown organisations.
Generic references ("the militants", "the group") are kept as generic mentions and
resolved to the article's main armed group once claims are known (see `resolve_generic`).
"""

from __future__ import annotations

from kg.extract.context import ArticleContext, EntityDraft, TokenMention
from kg.extract.force_mentions import ForceMentions
from kg.extract.generic_mentions import GenericMentions, resolve_generic
from kg.extract.mention_base import strip_article
from kg.extract.organisation_mentions import OrganisationMentions
from kg.extract.people_mentions import PeopleMentions
from kg.extract.place_mentions import PlaceMentions, place_draft

__all__ = ["MentionFinder", "place_draft", "resolve_generic"]

# Priority of mention sources when spans overlap (higher wins, then longer).
_PRIORITY = {"body": 6, "lexicon": 5, "acronym": 5, "force": 4, "cued": 4, "person": 3, "gazetteer": 3,
             "ner": 1, "locative": 0}


class MentionFinder(PlaceMentions, OrganisationMentions, ForceMentions, PeopleMentions,
                    GenericMentions):
    """Built once per process: phrase matchers over the lexicons and the gazetteer.

    Each pass lives in its own module (places, organisations, forces, people, generic
    references); `find` runs them and settles overlapping spans by `_PRIORITY`.
    """

    # -- finding -------------------------------------------------------------------

    def find(self, ctx: ArticleContext) -> None:
        doc = ctx.doc
        candidates: list[tuple[int, int, str, EntityDraft]] = []
        self._context_countries(ctx)
        candidates += self._lexicon(ctx)
        candidates += self._acronyms(ctx)
        candidates += self._places(ctx)
        candidates += self._forces(ctx)
        candidates += self._people(ctx)
        candidates += self._ner_organisations(ctx)
        candidates += self._prepositional_places(ctx)
        candidates += self._cued_organisations(ctx)
        cued = self._cued_places(ctx)
        candidates += [(start, end, "cued", draft) for start, end, draft, _ in cued]
        # A body's name wins over a lexicon name inside it ("UN" in "UN Office for …"), not
        # over one that reaches beyond it ("United Nations Mission in South Sudan").
        named = [(start, end) for start, end, source, _ in candidates if source in ("lexicon", "acronym")]
        candidates = [c for c in candidates if c[2] != "body" or not any(
            s < c[1] and e > c[0] and (s < c[0] or e > c[1]) for s, e in named)]
        taken: set[int] = set()
        bare_spans = {(start, end) for start, end, source, _ in candidates if source == "force"}
        for start, end, _source, draft in sorted(
            candidates, key=lambda c: (-_PRIORITY[c[2]], -(c[1] - c[0]), c[0])
        ):
            if any(i in taken for i in range(start, end)):
                continue
            existing = ctx.entities.get(draft.id)
            if existing is None:
                ctx.entities[draft.id] = draft
            else:
                existing.aliases |= draft.aliases
            text = doc[start:end].text
            if text != ctx.entities[draft.id].name and not text.lower().startswith("the "):
                ctx.entities[draft.id].aliases.add(strip_article(text))
            ctx.add_mention(TokenMention(start, end, draft.id))
            taken.update(range(start, end))
        ctx.mentions.sort(key=lambda m: m.start)
        self._locality_parents(ctx, cued)
        self._places_inside_names(ctx)
        self._governing_groups(ctx)
        self._bare_forces_to_named(ctx, bare_spans)
        self._short_names_to_long(ctx)
        self._generic_groups(ctx, taken)
        self._people_backrefs(ctx)
