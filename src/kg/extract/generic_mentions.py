"""Generic references ("the militants", "the group"): kept as generic mentions and
resolved to the article's main armed group once claims are known (`resolve_generic`).
"""

from __future__ import annotations

from collections import Counter

from kg.extract.context import ArticleContext, TokenMention
from kg.extract.mention_base import MentionFinderBase
from kg.models import Mention
from kg.schema import EntityType


class GenericMentions(MentionFinderBase):
    """Generic mentions of groups."""

    def _generic_groups(self, ctx: ArticleContext, taken: set[int]) -> None:
        """Mark "the militants", "Baloch separatists", "the group" as generic mentions."""
        terms = self.knowledge.generic_group_terms
        doc = ctx.doc
        for token in ctx.tokens_with_lemma(terms):
            if token.i in taken:
                continue
            if token.pos_ not in ("NOUN", "PROPN"):
                continue
            start = token.i
            for child in token.lefts:
                if child.dep_ in ("compound", "amod", "det") and child.i not in taken:
                    start = min(start, child.i)
            modifier_words = {t.text for t in doc[start:token.i] if t.text[:1].isupper()}
            target = self._group_for_modifiers(ctx, modifier_words)
            mention = TokenMention(start, token.i + 1, target or "", generic=True)
            ctx.mentions.append(mention)
            for i in range(start, token.i + 1):
                ctx.token_mention.setdefault(i, mention)
        ctx.mentions.sort(key=lambda m: m.start)

    def _group_for_modifiers(self, ctx: ArticleContext, words: set[str]) -> str | None:
        """"Baloch separatists" → the one group in the article whose name has "Baloch"."""
        if not words:
            return None
        hits = [d.id for d in ctx.entities.values()
                if d.type is EntityType.GROUP and words & set(d.name.split())]
        return hits[0] if len(hits) == 1 else None


def resolve_generic(ctx: ArticleContext, claimant: str | None) -> None:
    """Point unresolved generic mentions at the article's main armed group.

    The main group is the one that claimed responsibility, else the only group the
    article names, else the most mentioned one. With no group at all generic mentions
    stay unresolved rather than inventing one.
    """
    groups = [d for d in ctx.entities.values() if d.type is EntityType.GROUP]
    main = claimant
    if main is None and groups:
        counts = Counter(m.entity_id for m in ctx.mentions if not m.generic)
        main = max(groups, key=lambda g: (counts[g.id], -_first(ctx, g.id))).id
    ctx.main_group = main
    for mention in ctx.mentions:
        if mention.generic and not mention.entity_id and main:
            mention.entity_id = main
    for mention in ctx.mentions:
        if mention.generic and mention.entity_id:
            span = ctx.doc[mention.start:mention.end]
            ctx.entities[mention.entity_id].mentions.append(
                Mention(text=span.text, start=span.start_char, end=span.end_char))


def _first(ctx: ArticleContext, entity_id_: str) -> int:
    return next((m.start for m in ctx.mentions if m.entity_id == entity_id_), 10**9)
