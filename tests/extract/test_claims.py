"""Claims and denials of responsibility: polarity, modality and the forms a claim takes.

Every sentence here is invented; the groups are from the built-in lexicon.
"""

from __future__ import annotations

from typing import Any

import pytest

from kg.models import Article
from kg.schema import RelType

LEAD = "Gunmen attacked a police post in Quetta on Monday, killing six officers. "


def _relations(extractor: Any, text: str, type_: RelType) -> list[str]:
    graph = extractor.extract(Article(id="claims-test", text=text))
    names = {e.id: e.name for e in graph.entities}
    # ATTRIBUTED_TO runs from the event to the actor blamed; the others from the actor.
    return [names[r.target if type_ is RelType.ATTRIBUTED_TO else r.source]
            for r in graph.relations if r.type is type_]


@pytest.mark.parametrize("sentence", [
    "The Tehrik-i-Taliban Pakistan claimed responsibility for the attack in a statement.",
    "The Tehrik-i-Taliban Pakistan took responsibility for the attack on Tuesday.",
    "The Tehrik-i-Taliban Pakistan said it carried out the attack.",
    "The raid was the latest attack claimed by the Tehrik-i-Taliban Pakistan.",
    "The TTP claimed responsibility for the assault.",
])
def test_claims_in_their_forms(extractor: Any, sentence: str) -> None:
    assert _relations(extractor, LEAD + sentence, RelType.CLAIMED_RESPONSIBILITY) == [
        "Tehrik-i-Taliban Pakistan"]


@pytest.mark.parametrize("sentence", [
    "No group has claimed responsibility for the attack, but the Tehrik-i-Taliban Pakistan is active there.",
    "The Tehrik-i-Taliban Pakistan has yet to claim the attack.",
    "The Tehrik-i-Taliban Pakistan did not claim responsibility for the attack.",
    "The Tehrik-i-Taliban Pakistan may have claimed the attack, officials said.",
    "The Tehrik-i-Taliban Pakistan declined to claim responsibility for the attack.",
    "Officials said the Tehrik-i-Taliban Pakistan may have been behind the attack.",
])
def test_negated_and_hedged_claims_are_no_claims(extractor: Any, sentence: str) -> None:
    assert _relations(extractor, LEAD + sentence, RelType.CLAIMED_RESPONSIBILITY) == []


@pytest.mark.parametrize("sentence", [
    "The Tehrik-i-Taliban Pakistan denied responsibility for the attack.",
    "The Tehrik-i-Taliban Pakistan denied any involvement in the attack.",
    "The Tehrik-i-Taliban Pakistan said it did not carry out the attack.",
])
def test_denials_are_facts_of_their_own(extractor: Any, sentence: str) -> None:
    text = LEAD + sentence
    assert _relations(extractor, text, RelType.DENIED_RESPONSIBILITY) == ["Tehrik-i-Taliban Pakistan"]
    assert _relations(extractor, text, RelType.CLAIMED_RESPONSIBILITY) == []


def test_blame_stays_an_attribution(extractor: Any) -> None:
    text = LEAD + "Provincial officials blamed the Tehrik-i-Taliban Pakistan for the attack."
    assert _relations(extractor, text, RelType.CLAIMED_RESPONSIBILITY) == []
    assert _relations(extractor, text, RelType.ATTRIBUTED_TO) == ["Tehrik-i-Taliban Pakistan"]


def test_a_state_saying_it_struck_is_no_claim(extractor: Any) -> None:
    text = LEAD + "The Pakistan Army said it killed four militants in a raid on Tuesday."
    assert _relations(extractor, text, RelType.CLAIMED_RESPONSIBILITY) == []
