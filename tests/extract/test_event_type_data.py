"""Adding an event type is one entry in event_triggers.yaml: its rank, its class and its
triggers. No rule module names the type's groupings; they come from the data in use.

The schema's types are closed (`kg.schema.EventType`, mirrored by the ontology), so the tests
take a type out of the shipped data and add it back as one entry.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from pydantic import ValidationError

from kg.extract.events import TriggerMatcher
from kg.extract.lang.datafiles import data_bytes, parse_yaml
from kg.extract.lexicon import EventTriggers
from kg.extract.stages import Tools
from kg.schema import EventType

GAS = EventType.CHEMICAL_ATTACK


def _shipped_without(event_type: EventType) -> dict[str, Any]:
    """event_triggers.yaml as data, with nothing left of `event_type`."""
    data = parse_yaml(data_bytes("event_triggers.yaml"), "event_triggers.yaml")
    del data["types"][event_type.value]
    for section in ("triggers", "weak"):
        data[section] = [t for t in data[section] if event_type.value not in
                         (t["type"], t.get("if_armed_target"))]
    return data


def _tools(extractor: Any, data: dict[str, Any]) -> Tools:
    knowledge = dataclasses.replace(extractor.knowledge, triggers=EventTriggers.model_validate(data))
    return Tools(knowledge=knowledge, finder=extractor.tools.finder,
                 triggers=TriggerMatcher(extractor.nlp.vocab, extractor.nlp.tokenizer, knowledge))


def test_without_its_entry_the_type_is_not_extracted(extractor: Any, run_stages_on: Any) -> None:
    shipped = run_stages_on("gas", through="events")
    assert [e.type for e in shipped.events] == [GAS]
    ctx = run_stages_on("gas", through="events", tools=_tools(extractor, _shipped_without(GAS)))
    assert GAS not in {e.type for e in ctx.events}


def test_one_entry_adds_the_type_with_its_grouping(extractor: Any, run_stages_on: Any) -> None:
    data = _shipped_without(GAS)
    data["types"]["chemical_attack"] = {
        "rank": 98, "class": "violence",
        "triggers": [{"phrase": "chlorine gas", "pos": "NOUN"}],
    }
    ctx = run_stages_on("gas", through="events", tools=_tools(extractor, data))
    # "dropped chlorine gas … killing five people": the killing is the same incident, because
    # the entry puts the new type in the class of violence.
    [event] = ctx.events
    assert event.type is GAS and event.rank == 98
    assert ctx.entities[event.place].name == "Kafr Zaytā"


def test_the_class_in_the_entry_decides_what_joins_it(extractor: Any, run_stages_on: Any) -> None:
    data = _shipped_without(GAS)
    data["types"]["chemical_attack"] = {
        "rank": 98, "triggers": [{"phrase": "chlorine gas", "pos": "NOUN"}]}  # a class of its own
    ctx = run_stages_on("gas", through="events", tools=_tools(extractor, data))
    assert GAS in {e.type for e in ctx.events} and len(ctx.events) == 2


def test_a_trigger_of_a_type_without_an_entry_is_refused() -> None:
    data = _shipped_without(GAS)
    data["triggers"].append({"phrase": "chlorine gas", "pos": "NOUN", "type": "chemical_attack"})
    with pytest.raises(ValidationError, match=r"no entry under `types`: \['chemical_attack'\]"):
        EventTriggers.model_validate(data)
