"""Each rule stage alone, on sentences parsed once per run (`parsed_sentences`).

A test runs the stages up to the one it is about (`run_stages_on(name, through=...)`) and
checks what that stage adds to the context, and that the stages after it have not run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kg.extract.stages import STAGES, complete_places, run_stages
from kg.schema import EntityType, EventType, FigureKind, ParticipantRole, RelType

Run = Callable[..., Any]


def _names(ctx: Any, entity_type: EntityType) -> set[str]:
    return {e.name for e in ctx.entities.values() if e.type is entity_type}


def test_the_table_names_each_stage_once_in_reading_order() -> None:
    names = [stage.name for stage in STAGES]
    assert len(names) == len(set(names))
    # What a stage reads comes before it: quotations before everything that skips them,
    # mentions before events, quotes before the figures that take their speakers.
    assert names.index("quotations") < names.index("mentions") < names.index("events")
    assert names.index("quotes") < names.index("figures") < names.index("place parents")


def test_an_unknown_stage_name_is_refused(run_stages_on: Run, extractor: Any) -> None:
    ctx = run_stages_on("places", through="quotations")
    with pytest.raises(ValueError, match="no stage named 'mention'"):
        run_stages(ctx, extractor.tools, through="mention")


def test_quotations_marks_long_direct_quotes_only(run_stages_on: Run) -> None:
    ctx = run_stages_on("quotations", through="quotations")
    text = ctx.text
    assert [text[start:end] for start, end in ctx.quote_spans] == [
        "The gunmen came at night and took everything we had."]  # "no comment" is too short
    assert not ctx.entities and not ctx.quotes


def test_mentions_resolve_groups_forces_and_places(run_stages_on: Run) -> None:
    ctx = run_stages_on("mentions", through="mentions")
    assert _names(ctx, EntityType.GROUP) == {"Boko Haram"}
    assert _names(ctx, EntityType.ORGANISATION) == {"Nigerian Army"}  # "Nigerian troops"
    maiduguri = next(e for e in ctx.entities.values() if e.name == "Maiduguri")
    assert maiduguri.type is EntityType.PLACE and maiduguri.country == "NG"
    army = next(e for e in ctx.entities.values() if e.name == "Nigerian Army")
    assert {m.text for m in army.mentions} == {"Nigerian troops", "the army"}
    assert not ctx.events


def test_generic_references_point_at_the_group_that_spoke(run_stages_on: Run) -> None:
    before = run_stages_on("generic", through="mentions")
    generic = [m for m in before.mentions if m.generic]
    assert generic and not any(m.entity_id for m in generic)  # "The militants", unresolved
    ctx = run_stages_on("generic", through="generic references")
    shabaab = next(e for e in ctx.entities.values() if e.name == "Al-Shabaab")
    assert "The militants" in {m.text for m in shabaab.mentions}


def test_events_type_place_day_and_actors(run_stages_on: Run) -> None:
    ctx = run_stages_on("events", through="events")
    [event] = ctx.events
    assert event.type is EventType.ABDUCTION
    assert ctx.entities[event.place].name == "Zamfara"
    assert event.date is not None and event.date[0].isoformat() == "2025-03-04"  # Tuesday
    perpetrators = event.actors(ParticipantRole.PERPETRATOR)
    assert [ctx.entities[p].name for p in perpetrators] == ["Unidentified armed group (Nigeria)"]
    assert not ctx.figures


def test_events_leave_out_threats(run_stages_on: Run) -> None:
    assert run_stages_on("threat", through="events").events == []


def test_quotes_keep_the_words_and_who_said_them(run_stages_on: Run) -> None:
    ctx = run_stages_on("quotes", through="quotes")
    [quote] = ctx.quotes
    assert quote.text == "We will find the people who planted the bomb in the market."
    assert quote.speaker_description == "A police spokesman in Peshawar"
    assert not quote.partial and not ctx.figures


def test_figures_count_the_dead_and_the_wounded(run_stages_on: Run) -> None:
    ctx = run_stages_on("figures", through="figures")
    by_kind = {f.kind: f for f in ctx.figures}
    assert set(by_kind) == {FigureKind.KILLED, FigureKind.WOUNDED}
    killed, wounded = by_kind[FigureKind.KILLED], by_kind[FigureKind.WOUNDED]
    assert (killed.min, killed.max) == (7, None)  # "at least seven"
    assert (wounded.min, wounded.max) == (9, 9)
    [event] = ctx.events
    assert killed.event == wounded.event == event.id
    assert not ctx.relations


def test_relations_record_the_claim(run_stages_on: Run) -> None:
    ctx = run_stages_on("relations", through="relations")
    [event] = ctx.events
    assert event.type is EventType.SUICIDE_BOMBING
    claims = [(ctx.entities[r.source].name, r.target) for r in ctx.relations
              if r.type is RelType.CLAIMED_RESPONSIBILITY]
    assert claims == [("Tehrik-i-Taliban Pakistan", event.id)]


def test_place_parents_complete_the_hierarchy_to_the_country(run_stages_on: Run,
                                                             extractor: Any) -> None:
    ctx = run_stages_on("places", through="relations")
    maiduguri = next(e for e in ctx.entities.values() if e.name == "Maiduguri")
    # Earlier stages brought the parents of the places they found; one they did not is added.
    for parent in [e.id for e in ctx.entities.values() if e.id != maiduguri.id
                   and e.type is EntityType.PLACE]:
        del ctx.entities[parent]
    complete_places(ctx, extractor.tools)
    assert _names(ctx, EntityType.PLACE) == {"Maiduguri", "Borno", "Nigeria"}
    borno = ctx.entities[maiduguri.parent]
    assert borno.name == "Borno" and ctx.entities[borno.parent].name == "Nigeria"
    assert ctx.entities[borno.parent].parent is None
