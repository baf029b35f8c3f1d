"""Places without false hits, and localities the gazetteer lacks (sentences written for these tests)."""

from __future__ import annotations

from kg.models import Article, ArticleGraph, Entity
from kg.schema import EntityType


def _graph(extractor, text: str) -> ArticleGraph:
    return extractor.extract(Article(id="t", text=text))


def _places(graph: ArticleGraph) -> dict[str, Entity]:
    """Places the text mentions (not parents added from the gazetteer), by name."""
    return {e.name: e for e in graph.entities if e.type is EntityType.PLACE and e.mentions}


def test_a_village_and_its_district_unknown_to_the_gazetteer(extractor) -> None:
    graph = _graph(extractor, "Gunmen stormed Tudun Kwari village in Zangoro district of Katsina State, "
                              "Nigeria, on Sunday, killing seven farmers.")
    places = _places(graph)
    village, district = places["Tudun Kwari"], places["Zangoro"]
    assert village.kind == "village" and district.kind == "admin_region"
    assert village.latitude is None and village.precision.value == "unknown"
    assert village.gazetteer_id is None and village.country == "NG"
    assert village.parent == district.id
    assert not any(e.type is EntityType.PERSON for e in graph.entities)


def test_the_village_of_x_and_an_area_of_a_town(extractor) -> None:
    graph = _graph(extractor, "The herders were killed in the village of Kolobani, in Mali, and a mine "
                              "went off in the Dara area of Gao the next day.")
    places = _places(graph)
    assert places["Kolobani"].kind == "village" and places["Kolobani"].country == "ML"
    assert "Dara" in places and places["Dara"].precision.value == "unknown"
    assert "Gao" in places and places["Dara"].parent == places["Gao"].id


def test_a_direction_before_a_known_region_is_a_place_of_its_own(extractor) -> None:
    places = _places(_graph(extractor, "Fighting spread in Western Nangarhar, Afghanistan."))
    part = places["Western Nangarhar"]
    assert part.precision.value == "unknown" and part.country == "AF"
    assert part.parent is not None and "Nangarhār" not in places


def test_no_place_inside_a_longer_name(extractor) -> None:
    graph = _graph(extractor, "Three soldiers died in Somalia, the army told Agence France Presse. "
                              "Major Abdi Baidoa said the convoy was hit.")
    places = _places(graph)
    assert "France" not in places
    assert "Baidoa" not in places
    assert "Somalia" in places


def test_a_multi_word_town_is_not_its_last_word(extractor) -> None:
    places = _places(_graph(extractor, "The blast hit a market in Darai Nur district of Nangarhar, "
                                       "Afghanistan."))
    assert "Darai Nur" in places
    assert not any(p.country == "IR" for p in places.values())


def test_no_place_from_an_abbreviation_a_prefix_or_a_surname(extractor) -> None:
    graph = _graph(extractor, "U.N. experts said US-led forces had left Iraq. Police spokesman "
                              "Musa Kamal said on Tuesday that, according to Kamal, the attackers fled.")
    places = _places(graph)
    assert "United States" not in places
    assert "Un" not in places
    assert "Kamal" not in places
    assert "Iraq" in places


def test_a_small_town_abroad_needs_a_place_cue(extractor) -> None:
    # "Carta" folds to a Romanian village; nothing here makes it a place.
    places = _places(_graph(extractor, "Insurgents beheaded five people in Cabo Delgado, Mozambique, "
                                       "Carta reported on Tuesday."))
    assert all(p.country in (None, "MZ") for p in places.values())


def test_a_common_word_town_counts_after_a_place_cue_in_the_article_country(extractor) -> None:
    places = _places(_graph(extractor, "A bomb was found in the Tullyglass area of Derry, Northern "
                                       "Ireland, police said."))
    assert places["Derry"].country == "GB"
    assert places["Tullyglass"].parent == places["Derry"].id


def test_a_country_acronym_that_says_whose_troops_is_no_place(extractor) -> None:
    places = _places(_graph(extractor, "After the withdrawal of US and NATO troops, fighting resumed in "
                                       "Kandahar, Afghanistan. UK soldiers had left earlier."))
    assert "United States" not in places and "United Kingdom" not in places
    assert "Afghanistan" in places


def test_a_village_named_with_its_cue_once_is_no_person_elsewhere(extractor) -> None:
    graph = _graph(extractor, "Gunmen stormed Tungan Bako village in Zamfara State, Nigeria. Troops "
                              "later deployed around Tungan Bako but found no one.")
    assert not any(e.type in (EntityType.PERSON, EntityType.ORGANISATION) and "Tungan" in e.name
                   for e in graph.entities)
    assert len(_places(graph)["Tungan Bako"].mentions) == 2


def test_a_name_before_region_or_province_is_the_region_not_its_capital(extractor) -> None:
    places = _places(_graph(extractor, "Gunmen on motorbikes killed six herders in the Tahoua region "
                                       "of Niger, while a bomb went off in Kandahar province."))
    by_mention = {m.text: p for p in places.values() for m in p.mentions}
    tahoua, kandahar = by_mention["Tahoua region"], by_mention["Kandahar province"]
    assert (tahoua.kind, tahoua.country) == ("admin_region", "NE")
    assert (kandahar.kind, kandahar.country) == ("admin_region", "AF")


def test_a_determiner_before_a_locality_cue_is_no_place(extractor) -> None:
    places = _places(_graph(extractor, "Militiamen burned the village of Sokoura in Mali. Another "
                                       "village nearby was spared."))
    assert "Sokoura" in places
    assert "Another" not in places


def test_a_country_the_ner_missed_still_places_the_article(extractor) -> None:
    """The country name counts for the article's countries even when the NER did not tag it."""
    from kg.extract.context import ArticleContext

    text = "Gunmen burned the village of Sokoura. Such raids have hit Mali for years."
    article = Article(id="t", text=text)
    doc = extractor.nlp(text)
    doc.ents = [ent for ent in doc.ents if ent.text != "Mali"]
    ctx = ArticleContext(article=article, doc=doc)
    extractor.finder._context_countries(ctx)
    assert ctx.countries[:1] == ["ML"]


def test_a_hyphenated_town_is_one_name(extractor) -> None:
    """spaCy splits "Croix-des-Bouquets" into five tokens; it is still one town."""
    for text in ("Gang members seized a bus of aid workers in Croix-des-Bouquets, Haiti, on Saturday.",
                 "The bus was seized in the Croix-des-Bouquets area of Haiti on Saturday."):
        places = _places(_graph(extractor, text))
        assert "Croix-des-Bouquets" in places, text
        assert "Bouquets" not in places and places["Croix-des-Bouquets"].country == "HT"


def test_a_locality_spelt_otherwise_is_the_gazetteers_place(extractor) -> None:
    graph = _graph(extractor, "Militants attacked a checkpoint in Timbouktou in northern Mali "
                              "on Friday, killing four soldiers.")
    town = next(e for e in graph.entities if "Timbouktou" in (e.name, *e.aliases))
    assert town.name == "Timbuktu" and town.country == "ML" and town.latitude is not None


def test_a_locality_lies_in_the_one_region_of_its_country_the_report_names(extractor) -> None:
    graph = _graph(extractor, "Gunmen killed 30 people in the villages of Kolbari Tenda and Moussadeye "
                              "in western Niger on Saturday. The Tillaberi region has seen many attacks.")
    places = _places(graph)
    region = places["Tillabéri Region"]
    assert places["Kolbari Tenda"].parent == region.id == places["Moussadeye"].parent
    two = _graph(extractor, "Gunmen killed 30 people in the village of Kolbari Tenda in Niger. "
                            "Attacks have also hit the Tillaberi region and the Dosso region.")
    assert _places(two)["Kolbari Tenda"].parent != _places(two)["Tillabéri Region"].id
    town = _graph(extractor, "Gunmen killed 30 people in the village of Kolbari Tenda in Niger. The "
                             "Tillaberi region has seen many attacks; the wounded were taken to Maradi.")
    assert _places(town)["Kolbari Tenda"].parent != _places(town)["Tillabéri Region"].id  # two regions touched


def test_a_foreign_name_before_a_building_is_the_buildings_name(extractor) -> None:
    graph = _graph(extractor, "Gunmen stormed a hotel complex in Nairobi, Kenya, on Tuesday. A bomber "
                              "blew himself up in the lobby of the Bellevue hotel, police said.")
    assert "Bellevue" not in _places(graph)
    assert "Nairobi" in _places(graph)


def test_a_doubled_letter_is_no_other_locality() -> None:
    from kg.ids import entity_id

    assert entity_id(EntityType.PLACE, "Tadamakka", country="ML") == entity_id(
        EntityType.PLACE, "Tadamaka", country="ML")
    assert entity_id(EntityType.PLACE, "Tadamaka", country="ML") != entity_id(
        EntityType.PLACE, "Tadamaka", country="NE")


def test_a_quarter_of_a_town_is_where_the_event_happened(extractor) -> None:
    graph = _graph(extractor, "A car bomb exploded in the Hamra shopping district of Baghdad on Sunday, "
                              "killing nine people, police said.")
    places = _places(graph)
    assert places["Hamra"].parent == places["Baghdad"].id
    assert [graph.entity(e.place).name for e in graph.events if e.place] == ["Hamra"]


def test_the_bomb_told_again_in_a_district_places_the_incident_there(extractor) -> None:
    graph = _graph(extractor, "A truck bomb in Baghdad killed 40 people on Sunday. The bomb went off "
                              "shortly after midnight in the crowded Hamra district, police said.")
    bombings = [e for e in graph.events if not e.background]
    assert len(bombings) == 1
    assert graph.entity(bombings[0].place).name == "Hamra"
    assert _places(graph)["Hamra"].parent == _places(graph)["Baghdad"].id


def test_a_part_of_the_world_is_no_locality_of_the_country(extractor) -> None:
    graph = _graph(extractor, "Policymakers in Europe and in West Africa have watched the insurgency in "
                              "Mali grow. Gunmen attacked a post in Gao on Monday.")
    places = _places(graph)
    assert "Europe" not in places and "West Africa" not in places
    assert "Gao" in places
