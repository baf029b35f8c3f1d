"""Corrections applied to one article's extracted graph (no server, no spaCy): each action
changes exactly what it says, anchors find their target by offsets, and a target that is gone
gives an orphaned outcome with the reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from kg.models import ArticleGraph
from kg.resolve.correcting import apply_corrections
from kg.resolve.corrections import Correction, CorrectionError, parse_lines
from kg.schema import EventType, ParticipantRole, RelType
from tests.neo4j.fixtures import BLA, BLF, STATION, quetta_bombing

AT = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def quetta() -> tuple[ArticleGraph, int, int]:
    graph = quetta_bombing()
    evidence = graph.events[0].evidence[0]
    return graph, evidence.start, evidence.end


def make(action: str, **fields: Any) -> Correction:
    return Correction.model_validate({"analyst": "ana", "at": AT, "action": action, **fields})


def test_set_event_fields_keep_the_extractor_value_as_original() -> None:
    graph, start, end = quetta()
    target = {"kind": "event", "article": graph.article.id, "start": start + 2, "end": start + 5}
    corrected, outcomes = apply_corrections(graph, [
        make("set", target=target, field="date", value="2024-11-08"),
        make("set", target=target, field="type", value="bombing"),
    ])
    event = corrected.events[0]
    assert (event.date, event.type, event.acled_sub_event_type) == (
        dt.date(2024, 11, 8), EventType.BOMBING, "Remote explosive/landmine/IED")
    assert event.label == "Bombing in Quetta, 2024-11-08"
    assert [o.original for o in outcomes] == ["2024-11-09", "suicide_bombing"]
    assert outcomes[0].values["original_date"] == "2024-11-09" and outcomes[0].values["date"] == dt.date(2024, 11, 8)
    assert graph.events[0].date == dt.date(2024, 11, 9), "the extractor's graph is left as it was"


def test_reject_a_claim_and_a_perpetrator_and_add_one() -> None:
    graph, start, end = quetta()
    aid = graph.article.id
    corrected, outcomes = apply_corrections(graph, [
        make("reject", target={"kind": "relation", "type": "CLAIMED_RESPONSIBILITY", "source": BLA,
                               "target": "event", "article": aid, "start": start, "end": end}),
        make("reject", target={"kind": "relation", "type": "PERPETRATED", "source": BLA,
                               "target": "event", "article": aid, "start": start, "end": end}),
        make("add", target={"kind": "relation", "type": "PERPETRATED", "source": BLF,
                            "target": "event", "article": aid, "start": start, "end": end}),
    ])
    assert [o.status for o in outcomes] == ["applied"] * 3
    assert not [r for r in corrected.relations if r.type is RelType.CLAIMED_RESPONSIBILITY]
    event = corrected.events[0]
    assert {(p.entity, p.role) for p in event.participants} == {
        (STATION, ParticipantRole.TARGET), (BLF, ParticipantRole.PERPETRATOR)}
    added = [r for r in corrected.relations if r.type is RelType.PERPETRATED]
    assert added[0].evidence.text == graph.article.text[start:end] and added[0].confidence == 1.0


def test_a_target_that_is_gone_is_orphaned_with_the_reason() -> None:
    graph, start, end = quetta()
    aid = graph.article.id
    _, outcomes = apply_corrections(graph, [
        make("reject", target={"kind": "figure", "article": aid, "start": start, "end": end, "text": "nine"}),
        make("set", target={"kind": "event", "article": aid, "start": end + 1, "end": end + 4},
             field="background", value=True),
        make("reject", target={"kind": "relation", "type": "OCCURRED_IN", "source": "event", "target": BLA,
                               "article": aid, "start": start, "end": end}),
    ])
    assert sorted((o.status, o.reason) for o in outcomes) == sorted([
        ("orphaned", f"no figure 'nine' at [{start}:{end}]"),
        ("orphaned", f"no event with evidence at [{end + 1}:{end + 4}] in this extraction"),
        ("orphaned", f"no OCCURRED_IN from event:{aid}:1 to {BLA} in this extraction"),
    ])


def test_retype_and_merge_entities_apply_in_every_article_that_mentions_them() -> None:
    graph, _, _ = quetta()
    corrected, outcomes = apply_corrections(graph, [
        make("retype", target={"kind": "entity", "entity": STATION}, value="Organisation"),
        make("merge_entities", target={"kind": "entity", "entity": BLF}, value=BLA),
        make("retype", target={"kind": "entity", "entity": "person:not-here"}, value="Group"),
    ])
    assert len(outcomes) == 2, "an entity the article does not mention is no business of its load"
    ids = {e.id for e in corrected.entities}
    assert "organisation:quetta-railway-station" in ids and STATION not in ids and BLF not in ids
    assert "Balochistan Liberation Front" in corrected.entity(BLA).aliases  # type: ignore[union-attr]


def test_an_analysts_cross_article_merge_pins_the_report_for_the_matcher() -> None:
    graph, start, end = quetta()
    merge = make("merge_events", target={"kind": "event", "article": graph.article.id, "start": start, "end": end},
                 other={"kind": "event", "article": "elsewhere", "start": 3, "end": 9})
    corrected, [outcome] = apply_corrections(graph, [merge])
    assert corrected.events[0].pins == [f"same:{merge.id}"]
    assert outcome.node == ("Event", f"{graph.article.id}#{graph.events[0].id}")


@pytest.mark.parametrize(("line", "reason"), [
    ('{"analyst": "ana", "at": "2026-12-07T09:00:00", "action": "undo", "value": "correction:1"}',
     "`at` needs a time zone"),
    ('{"analyst": "ana", "at": "2026-12-07T09:00:00Z", "action": "set", "field": "colour", "value": 1,'
     ' "target": {"kind": "event", "article": "a", "start": 1, "end": 5}}', "set on a event takes `field` one of"),
    ('{"analyst": "ana", "at": "2026-12-07T09:00:00Z", "action": "reject",'
     ' "target": {"kind": "event", "article": "a", "start": 5, "end": 5}}', "target: a event target needs `start` < `end`"),
    ('{"analyst": "ana", "at": "2026-12-07T09:00:00Z", "action": "explode"}', "action: Input should be"),
])
def test_a_bad_line_is_named_with_its_reason(line: str, reason: str) -> None:
    good = make("undo", value="correction:0").line()
    with pytest.raises(CorrectionError, match=r"^file.jsonl:3: ") as error:
        parse_lines([good, "", line], "file.jsonl")
    assert reason in str(error.value)


def test_ids_come_from_the_content() -> None:
    first = make("retype", target={"kind": "entity", "entity": STATION}, value="Organisation")
    again = Correction.model_validate_json(first.line())
    assert again.id == first.id and first.id.startswith("correction:")
    with pytest.raises(ValidationError):
        Correction.model_validate({**first.model_dump(), "id": "mine"})
