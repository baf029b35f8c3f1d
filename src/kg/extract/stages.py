"""The rule stages of extraction, in the order they run: one shape, one table.

Every stage is a function `(ctx, tools) -> None` that reads what earlier stages left in the
`ArticleContext` and adds its own findings there. `STAGES` is the only place their order is
written; `run_stages` runs them (all, or up to one, which is what the unit tests do).

    quotations → mentions → generic references → events → quotes → figures → relations
    → place parents
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from kg.extract.context import ArticleContext
from kg.extract.events import TriggerMatcher, find_events
from kg.extract.figures import find_figures
from kg.extract.knowledge import Knowledge
from kg.extract.locality_mentions import place_in_sole_region
from kg.extract.mentions import MentionFinder, place_draft, resolve_generic
from kg.extract.quote_marks import quote_spans
from kg.extract.quotes import find_quotes
from kg.extract.relations import find_claimant, find_relations
from kg.schema import EntityType


@dataclass(frozen=True)
class Tools:
    """What the stages consult, built once per process: the knowledge and the matchers."""

    knowledge: Knowledge
    finder: MentionFinder
    triggers: TriggerMatcher


class Stage(NamedTuple):
    name: str
    run: Callable[[ArticleContext, Tools], None]


def mark_quotations(ctx: ArticleContext, tools: Tools) -> None:
    """Where the direct quotations are: rules that read reported facts skip them."""
    ctx.quote_spans = quote_spans(ctx.text)


def find_mentions(ctx: ArticleContext, tools: Tools) -> None:
    """Entities and their mentions: groups, organisations, forces, places, people."""
    tools.finder.find(ctx)
    place_in_sole_region(ctx, tools.knowledge.gazetteer)


def resolve_generic_references(ctx: ArticleContext, tools: Tools) -> None:
    """"The militants" → the article's main armed group (the claimant, if one claimed)."""
    resolve_generic(ctx, find_claimant(ctx))


def find_incidents(ctx: ArticleContext, tools: Tools) -> None:
    """Event mentions from triggers, grouped into incidents with actors, place and date."""
    find_events(ctx, tools.knowledge, tools.triggers)


def attribute_quotes(ctx: ArticleContext, tools: Tools) -> None:
    """Quotations with their speakers and the outlet or source that reported them."""
    ctx.quotes = find_quotes(ctx, tools.knowledge)


def count_figures(ctx: ArticleContext, tools: Tools) -> None:
    """Casualty and other figures, each a claim with its source (the quotes' speakers too)."""
    ctx.figures = find_figures(ctx, tools.knowledge, ctx.quotes)


def relate(ctx: ArticleContext, tools: Tools) -> None:
    """Claims, denials, blame, membership and the other typed relationships."""
    ctx.relations = find_relations(ctx, tools.knowledge)


def complete_places(ctx: ArticleContext, tools: Tools) -> None:
    """Every place's parent is in the graph too, up to its country."""
    pending = [d for d in ctx.entities.values() if d.type is EntityType.PLACE and d.parent]
    while pending:
        draft = pending.pop()
        if draft.parent in ctx.entities or not draft.parent:
            continue
        record = tools.knowledge.gazetteer.get(draft.parent.removeprefix("place:"))
        if record is None:
            draft.parent = None
            continue
        parent = place_draft(record)
        ctx.entities[parent.id] = parent
        pending.append(parent)


STAGES: tuple[Stage, ...] = (
    Stage("quotations", mark_quotations),
    Stage("mentions", find_mentions),
    Stage("generic references", resolve_generic_references),
    Stage("events", find_incidents),
    Stage("quotes", attribute_quotes),
    Stage("figures", count_figures),
    Stage("relations", relate),
    Stage("place parents", complete_places),
)


def run_stages(ctx: ArticleContext, tools: Tools, *, through: str | None = None) -> None:
    """Run the stages in order; with `through`, stop after the stage of that name."""
    if through is not None and through not in {stage.name for stage in STAGES}:
        raise ValueError(f"no stage named {through!r}; stages: {[s.name for s in STAGES]}")
    for stage in STAGES:
        stage.run(ctx, tools)
        if stage.name == through:
            return
