"""Quotations and their speakers: attribution decides, not length.

Every sentence here is invented.
"""

from __future__ import annotations

from typing import Any

from kg.extract.quotes import scan_quotes
from kg.models import Article, ArticleGraph, Quote


def _graph(extractor: Any, text: str) -> ArticleGraph:
    return extractor.extract(Article(id="quotes-test", text=text))


def _quote(graph: ArticleGraph, words: str) -> Quote:
    return next(q for q in graph.quotes if words in q.text)


def _speaker(graph: ArticleGraph, quote: Quote) -> str:
    names = {e.id: e.name for e in graph.entities}
    return names[quote.speaker] if quote.speaker else quote.speaker_description or ""


def test_a_short_quote_a_reporting_verb_governs_is_kept_and_partial(extractor: Any) -> None:
    graph = _graph(extractor, 'Gunmen killed four farmers near Kaduna on Sunday. '
                              'Governor Ahmed Lawal said he was "deeply shocked" by the killings.')
    quote = _quote(graph, "deeply shocked")
    assert quote.partial and "Lawal" in _speaker(graph, quote)


def test_a_scare_quote_is_left_out(extractor: Any) -> None:
    graph = _graph(extractor, 'The so-called "peace talks" collapsed in March after gunmen '
                              'killed four farmers near Kaduna.')
    assert graph.quotes == []


def test_a_quoted_name_is_no_quote(extractor: Any) -> None:
    graph = _graph(extractor, 'The militants said their media arm "Al-Noor Media" would publish '
                              'the video.')
    assert graph.quotes == []


def test_a_whole_utterance_is_not_partial(extractor: Any) -> None:
    graph = _graph(extractor, '"We found the bodies in the river at dawn," a local official told '
                              'reporters.')
    quote = _quote(graph, "bodies in the river")
    assert not quote.partial and _speaker(graph, quote) == "a local official"


def test_a_quotation_over_several_paragraphs_is_one() -> None:
    text = ('The police spokesman, Musa Bello, said in a statement:\n\n'
            '"Our teams reached the village at noon.\n\n'
            '"Two suspects were arrested and the area is calm," he added.')
    spans = scan_quotes(text)
    assert len(spans) == 1
    assert spans[0].text(text) == ("Our teams reached the village at noon. Two suspects were "
                                   "arrested and the area is calm,")


def test_a_multi_paragraph_quotation_keeps_its_speaker(extractor: Any) -> None:
    text = ('Bandits attacked Tudun Wada village on Friday, residents said.\n\n'
            'The police spokesman, Musa Bello, said only two people died.\n\n'
            '"Our teams reached the village at noon and recovered two bodies.\n\n'
            '"The area has been searched to prevent further attacks," he said.')
    graph = _graph(extractor, text)
    quote = _quote(graph, "Our teams reached")
    assert "further attacks" in quote.text and "Bello" in _speaker(graph, quote)


def test_he_said_continues_the_last_speaker_not_the_last_person_named(extractor: Any) -> None:
    text = ('Farmer Ibrahim Sani said gunmen shot his neighbour, Yusuf Garba, at the market.\n\n'
            '"They came on motorbikes and fired at everyone," he said.')
    graph = _graph(extractor, text)
    assert "Sani" in _speaker(graph, _quote(graph, "motorbikes"))


def test_they_said_for_one_resident(extractor: Any) -> None:
    text = ('A resident described the night of the raid to reporters. '
            '"The shooting went on for three hours," they said.')
    graph = _graph(extractor, text)
    assert _speaker(graph, _quote(graph, "three hours")) == "A resident"


def test_a_follow_on_quote_keeps_the_speaker(extractor: Any) -> None:
    text = ('"We will rebuild the school," the district commissioner said.\n\n'
            '"The children will be back in class within a month."')
    graph = _graph(extractor, text)
    first, second = _quote(graph, "rebuild"), _quote(graph, "within a month")
    assert _speaker(graph, second) == _speaker(graph, first) == "the district commissioner"


def test_an_organisation_speaks_and_its_statement_too(extractor: Any) -> None:
    text = ('"Our troops repelled the attackers near the border," the Nigerian Army said in a '
            'statement. "Several weapons were recovered at the scene," the statement said.')
    graph = _graph(extractor, text)
    first, second = _quote(graph, "repelled"), _quote(graph, "weapons were recovered")
    assert "Army" in _speaker(graph, first)
    assert _speaker(graph, second) == _speaker(graph, first)


def test_according_to_the_authority_then_he_said_does_not_loop(extractor: Any) -> None:
    # "he said" looks back for the last act of speech; "according to the council" was resolved
    # by looking back from "council" for an act naming it, which found its own "according to"
    # and asked again, until Python's recursion limit sank the whole article.
    text = ('Gunmen attacked a hotel in Nairobi on Tuesday.\n\n'
            'A British citizen is among the dead, according to the local council.\n\n'
            '"It was chaos," he said.')
    graph = _graph(extractor, text)
    assert [e.label for e in graph.events] == ["Attack in Nairobi"]
