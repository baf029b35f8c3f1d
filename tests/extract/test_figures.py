"""Figures: the constructions news reports state counts in, on sentences written for kg.

Each case is one or two invented sentences and the (kind, min, max) figures they must
give; a case with an empty list must give no figure with a number.
"""

from __future__ import annotations

from typing import Any

import pytest

from kg.models import Article, Figure

K, W, D, A = "killed", "wounded", "displaced", "arrested"


def figures(extractor: Any, text: str) -> list[Figure]:
    return extractor.extract(Article(id="t", text=text)).figures


def counts(extractor: Any, text: str) -> list[tuple[str, int | None, int | None]]:
    return sorted((f.kind.value, f.min, f.max) for f in figures(extractor, text)
                  if f.min is not None or f.max is not None)


CASES: list[tuple[str, str, list[tuple[str, int | None, int | None]]]] = [
    # Hedges that the parser hangs on the number, not on the noun.
    ("more than", "The governor said that more than 30 farmers were injured.", [(W, 31, None)]),
    ("no fewer than", "No fewer than 8 miners were killed when the tunnel collapsed.",
     [(K, 8, None)]),
    ("only", "The mayor said only five persons were killed in the fire.", [(K, 5, 5)]),
    # Bare numerals and elided auxiliaries.
    ("bare passive subject", "Nine people died and 13 were injured in the explosion.",
     [(K, 9, 9), (W, 13, 13)]),
    ("elided auxiliary", "Four villagers were shot dead and 11 others wounded near the market.",
     [(K, 4, 4), (W, 11, 11)]),
    ("more as the noun", "Rebels killed 9 police officers and wounded four more in a raid.",
     [(K, 9, 9), (W, 4, 4)]),
    ("resultative", "The ambush left three soldiers dead and two injured.",
     [(K, 3, 3), (W, 2, 2)]),
    ("participle after the noun", "On arrival, six bodies were recovered and one other person "
     "was found injured.", [(K, 6, 6), (W, 1, 1)]),
    ("found dead", "Three hostages were found dead near the river.", [(K, 3, 3)]),
    # Tallies: the count stands for a noun elsewhere in the clause.
    ("put the toll at", "The clinic put the death toll at 14.", [(K, 14, 14)]),
    ("the toll rose to", "By evening the death toll had risen to 23.", [(K, 23, 23)]),
    ("the number of injured", "Officials put the number of injured at 40.", [(W, 40, 40)]),
    ("a total of", "A total of 19 people were killed in the clashes.", [(K, 19, 19)]),
    # Phrases made of a verb and its object.
    ("claimed the lives of", "The blast claimed the lives of 17 people.", [(K, 17, 17)]),
    ("lost their lives", "Twelve pilgrims lost their lives in the stampede.", [(K, 12, 12)]),
    ("sustained injuries", "At least two young men sustained burn injuries in the blaze.",
     [(W, 2, None)]),
    ("lost members", "The militia lost nine fighters in the battle.", [(K, 9, 9)]),
    ("martyrdom of", "The fighting led to the martyrdom of 7 guards.", [(K, 7, 7)]),
    ("burned to death", "Six people were burned to death in the bus.", [(K, 6, 6)]),
    ("a euphemism with a phrase", "Four insurgents were sent to hell.", [(K, 4, 4)]),
    ("a euphemism", "Five terrorists were neutralised in the operation.", [(K, 5, 5)]),
    ("the toll reached", "The death toll had reached 30 by Monday night.", [(K, 30, 30)]),
    ("reported missing", "Hundreds of people have been killed and about 1,200 reported "
     "missing since the fighting began.", [("missing", 1200, 1200)]),
    ("suspected is no arrest before a noun", "Four suspected militants and a soldier were "
     "killed in a clash.", [(K, 4, 4)]),
    # Parts of a count: of the same kind as the whole.
    ("including", "The strike killed 24 people, including 19 civilians.",
     [(K, 19, 19), (K, 24, 24)]),
    ("among the dead", "At least 12 women were among the dead.", [(K, 12, None)]),
    ("fronted of", "Of the 40 people killed, 25 were children.", [(K, 25, 25), (K, 40, 40)]),
    ("N of them", "Six people were hurt, two of them seriously.", [(W, 2, 2), (W, 6, 6)]),
    ("apposition", "Five members of a household -- two parents and their three sons -- were "
     "killed.", [(K, 2, 2), (K, 3, 3), (K, 5, 5)]),
    ("N of them after the nearest count", "The ministry said 12 soldiers had died and eight "
     "others had been wounded, three of them seriously.", [(K, 12, 12), (W, 3, 3), (W, 8, 8)]),
    ("of whom", "The clinic received 16 wounded people, two of whom died on arrival.",
     [(K, 2, 2), (W, 16, 16)]),
    ("including after a tally", "A doctor put the number of injured at 12, including four "
     "nurses who were hit by glass.", [(W, 4, 4), (W, 12, 12)]),
    ("degree of the injury", "The minister said that 11 soldiers were injured, three "
     "seriously, and the premier condemned the attacks.", [(W, 3, 3), (W, 11, 11)]),
    ("a verb sharing the subject", "One or two soldiers survived, but are seriously injured.",
     [(W, 1, 2)]),
    ("a participle on a conjoined number", "More than 200 people have been killed and about "
     "50,000 displaced since then.", [(D, 50000, 50000), (K, 201, None)]),
    ("a toll of", "The army gave a much lower toll of 16 dead.", [(K, 16, 16)]),
    ("conjoined with a pronoun", "He and two others were killed instantly.", [(K, 2, 2)]),
    ("among those abducted", "Three Nigerians and two Ghanaians were among those abducted.",
     [("hostages", 2, 2), ("hostages", 3, 3)]),
    ("property left burned", "The attack left 30 houses burned.", [("other", 30, 30)]),
    # Counted nouns beyond the person list.
    ("plural demonym", "At least 25 Ethiopians were killed in the raid.", [(K, 25, None)]),
    ("elements of a force", "Ten elements of the armed forces were killed.", [(K, 10, 10)]),
    ("collective police", "Five police were killed in the ambush.", [(K, 5, 5)]),
    ("displaced with an object", "Around 3,000 people have fled the area.",
     [(D, 3000, 3000)]),
    # What is not a figure.
    ("attackers", "Five gunmen attacked the convoy on Monday.", []),
    ("targets of an attack", "Rebels attack two soldiers buying food in a market.", []),
    ("active subject with an object", "Five men killed two guards at the gate.", [(K, 2, 2)]),
    ("event nouns", "The army said two attacks had been repelled.", []),
    ("property seized", "The militants seized two trucks.", []),
    ("property as a place", "Ten people were killed in one house.", [(K, 10, 10)]),
    ("a named individual", "One of the guards, Ali Musa, died in hospital.", []),
    ("an indefinite article", "A member of the patrol was killed.", []),
    ("suspected is no arrest", "Of these 30 people killed, 12 are suspected of being "
     "smugglers.", [(K, 12, 12), (K, 30, 30)]),
    ("arrests", "Police arrested a total of 12 suspects.", [(A, 12, 12)]),
    ("force sizes", "The police deployed 400 officers to the district.", []),
    ("group strength", "The group has about 300 fighters in the hills.", []),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES],
                         ids=[name for name, _, _ in CASES])
def test_figure_constructions(extractor: Any, text: str,
                              expected: list[tuple[str, int | None, int | None]]) -> None:
    assert counts(extractor, text) == sorted(expected)


def test_a_source_restating_its_toll_gives_one_figure(extractor: Any) -> None:
    text = ("Gunmen killed four traders in the market on Monday, the district governor said. "
            "\"Four traders were killed and the market was burned,\" Governor Amina Bello said.")
    found = [f for f in figures(extractor, text) if f.min == 4]
    assert len(found) == 1


def test_different_sources_keep_their_own_figures(extractor: Any) -> None:
    text = ("Residents said 20 people were killed in the raid. "
            "The police said 20 people were killed and that calm had returned.")
    assert len([f for f in figures(extractor, text) if f.min == 20]) == 2


def test_a_round_up_keeps_equal_tolls_of_separate_incidents(extractor: Any) -> None:
    text = ("Two people were injured in a shooting at the market. "
            "Later, in a separate incident, two others were injured when a grenade exploded.")
    assert counts(extractor, text) == [(W, 2, 2), (W, 2, 2)]


def test_a_description_of_a_source_resolves_to_the_person_with_that_title(
        extractor: Any) -> None:
    text = ("Shelling killed three people in the town, the regional governor said on Monday. "
            "\"Three people were killed,\" said Governor Ruth Okafor.")
    found = [f for f in figures(extractor, text) if f.min == 3]
    assert len(found) == 1
    assert found[0].according_to is not None and "okafor" in found[0].according_to


def test_who_puts_the_tally_is_its_source_and_the_sentence_shares_it(extractor: Any) -> None:
    found = figures(extractor, "A doctor put the number of injured at 12, including four "
                    "nurses who were hit by glass.")
    assert {f.according_to_description for f in found} == {"A doctor"}
    found = figures(extractor, "The army gave a much lower toll of 16 dead.")
    assert [f.according_to_description for f in found] == ["The army"]


def scopes(extractor: Any, text: str, published: str | None = None) -> dict[int | None, str | None]:
    import datetime as dt

    article = Article(id="t", text=text,
                      published=dt.date.fromisoformat(published) if published else None)
    return {f.min: f.scope for f in extractor.extract(article).figures}


def test_cumulative_tolls_are_background(extractor: Any) -> None:
    text = ("Troops killed four militants in a raid on Monday, the army said. "
            "Some 130 militants have been killed in the province so far this year. "
            "The conflict has killed 2,400 people since 2019.")
    assert scopes(extractor, text, "2024-05-08") == {4: "main", 130: "other", 2400: "other"}


def test_tolls_of_earlier_incidents_are_background(extractor: Any) -> None:
    text = ("Gunmen killed six farmers in the village on Tuesday, residents said. "
            "Last Friday, the same gang killed three traders on the highway. "
            "Nine people died in an earlier raid on the market.")
    assert scopes(extractor, text, "2024-05-08") == {6: "main", 3: "other", 9: "other"}


def test_a_round_up_of_one_day_is_all_main(extractor: Any) -> None:
    text = ("Air strikes killed 11 people across the region on Sunday, medics said. "
            "Another strike killed four people in a camp, and five died when a house was hit.")
    assert set(scopes(extractor, text, "2024-05-06").values()) == {"main"}


def test_a_toll_counted_since_then_is_cumulative(extractor):
    import datetime as dt

    from kg.models import Article

    graph = extractor.extract(Article(
        id="since-then", published=dt.date(2025, 5, 14),
        text=("Police fired tear gas at students in Imphal on Monday. Clashes began in May 2023; "
              "more than 200 people have been killed since then, officials said.")))
    killed = [f for f in graph.figures if f.kind.value == "killed"]
    assert killed and all(f.scope == "other" for f in killed)
