"""Language detection: English is extracted, another language is skipped with one clear line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.extract.language import EXTRACTABLE, detect_language, unsupported_reason
from kg.models import Article

FRENCH = (
    "Des hommes armés ont attaqué lundi un poste de l'armée près d'une ville du nord du pays, "
    "tuant au moins douze soldats, ont indiqué des sources sécuritaires. L'attaque n'a pas "
    "encore été revendiquée, mais les soupçons se portent sur un groupe actif dans la région."
)
SPANISH = (
    "Hombres armados atacaron el lunes un puesto del ejército cerca de una ciudad del norte "
    "del país y mataron al menos a doce soldados, según fuentes de seguridad. Nadie se ha "
    "atribuido todavía la autoría del ataque."
)

# Short English texts, headlines and datelines of names, where detectors guess wildly.
SHORT_ENGLISH = [
    "Police said.",
    "The army said.",
    "Explosion in Mogadishu",
    "Boko Haram kills 12 in Borno",
    "Bandits attacked Birnin Magaji.",
    "ISWAP fighters ambushed troops near Damboa.",
    "Hamas",
    "KABUL (Reuters) -",
    "Al-Shabaab fighters attacked a base in Baidoa.",
    "Gunmen abduct 20 in Zamfara",
]


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_texts_are_english(text: str) -> None:
    assert detect_language(text) == "en"


def test_long_english_text_is_english() -> None:
    text = ("Gunmen killed five people in an attack on a village in the north-west on Monday, "
            "police said, adding that the attackers fled into a nearby forest before troops "
            "arrived. No group has claimed responsibility.")
    assert detect_language(text) == "en"


def test_french_and_spanish_are_detected() -> None:
    assert detect_language(FRENCH) == "fr"
    assert detect_language(SPANISH) == "es"


# German and Dutch share a few function words with English ("was", "had"): not enough to
# pass for English without the detector.
GERMAN = (
    "Bewaffnete Männer haben am Montag einen Armeeposten nahe einer Stadt im Norden angegriffen "
    "und mindestens zwölf Soldaten getötet. Was genau geschah, war am Abend noch unklar."
)
DUTCH = (
    "Gewapende mannen hebben maandag een legerpost in het noorden van het land aangevallen. "
    "Er was veel schade en het leger had geen versterking; twaalf soldaten kwamen om."
)


def test_german_and_dutch_are_not_taken_for_english() -> None:
    assert detect_language(GERMAN) == "de"
    assert detect_language(DUTCH) == "nl"


def test_plain_english_news_needs_no_detector(monkeypatch) -> None:
    import kg.extract.language as language

    def no_detector() -> None:
        raise AssertionError("the detector ran on plain English")

    monkeypatch.setattr(language, "_detector", no_detector)
    text = ("Gunmen killed five people in an attack on a village in the north-west on Monday, "
            "police said, adding that the attackers fled into a nearby forest before troops "
            "arrived. No group has claimed responsibility for the raid.")
    assert detect_language(text) == "en"


def test_a_given_language_stands_when_the_text_is_too_short_to_tell() -> None:
    assert detect_language("Kano: bilan", given="fr-FR") == "fr"
    assert detect_language("", given="de") == "de"
    assert detect_language("") is None


def test_only_english_is_extractable_and_the_reason_says_so() -> None:
    assert EXTRACTABLE == {"en": "English"}
    assert unsupported_reason("en") is None
    assert unsupported_reason(None) is None
    assert unsupported_reason("fr") == "article is in French; kg extracts English only"


def test_a_french_article_is_skipped_not_silently_empty(extractor) -> None:
    graph = extractor.extract(Article(id="fr1", text=FRENCH))
    assert graph.article.language == "fr"
    assert graph.skipped == "article is in French; kg extracts English only"
    assert graph.entities == [] and graph.events == []


def test_an_english_article_gets_its_language_and_is_extracted(extractor) -> None:
    graph = extractor.extract(Article(id="en1", text="Gunmen killed five people in Kano on Monday, police said."))
    assert graph.article.language == "en"
    assert graph.skipped is None
    assert any(e.name == "Kano" for e in graph.entities)


def test_extract_many_keeps_order_and_skips_only_the_french_one(extractor) -> None:
    articles = [Article(id="a", text="Gunmen killed five people in Kano on Monday, police said."),
                Article(id="b", text=FRENCH),
                Article(id="c", text="Troops repelled an attack in Maiduguri on Sunday, the army said.")]
    graphs = list(extractor.extract_many(articles))
    assert [g.article.id for g in graphs] == ["a", "b", "c"]
    assert [g.skipped is not None for g in graphs] == [False, True, False]


def test_the_cli_says_which_article_was_skipped_and_why(tmp_path) -> None:
    from kg.cli import main

    (tmp_path / "fr.txt").write_text(FRENCH, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "fr.txt"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "article is in French; kg extracts English only" in result.stderr
    assert "Skipped" in result.stderr


def test_ingest_counts_a_skipped_article_and_says_why(tmp_path, extractor) -> None:
    import json

    from kg.ingest import ingest

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "fr.txt").write_text(FRENCH, encoding="utf-8")
    (articles / "en.txt").write_text("Gunmen killed five people in Kano on Monday, police said.",
                                     encoding="utf-8")
    report = tmp_path / "report.jsonl"
    summary = ingest([articles], None, dry_run=True, report=report, extractor=extractor)
    assert (summary.skipped, summary.extracted, summary.failed) == (1, 1, 0)
    assert "1 skipped" in summary.lines()[0]
    outcomes = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    skipped = [o for o in outcomes if o.get("status") == "skipped"]
    assert skipped[0]["error"] == "article is in French; kg extracts English only"
