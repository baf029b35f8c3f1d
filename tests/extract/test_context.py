"""The article context's shortcuts give what spaCy's own accessors give, on real articles.

The rules read span texts, evidence, quotations and lemmas through `ArticleContext` because
spaCy makes a Token object per word on each access; these must stay exact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.extract.context import ArticleContext
from kg.extract.quotes import quote_spans
from kg.models import Article

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
ARTICLES = sorted(EXAMPLES.glob("*.txt"))[:6]


@pytest.fixture(scope="module", params=[p.name for p in ARTICLES])
def ctx(request: pytest.FixtureRequest, extractor: Any) -> ArticleContext:
    text = (EXAMPLES / request.param).read_text(encoding="utf-8")
    context = ArticleContext(article=Article(id="a", text=text), doc=extractor.nlp(text))
    context.quote_spans = quote_spans(context.text)
    return context


def test_span_texts_and_evidence_are_spacys(ctx: ArticleContext) -> None:
    doc = ctx.doc
    spans = [*ctx.sentences, *ctx.ents, *(doc[i:i + 3] for i in range(0, len(doc) - 3, 7))]
    assert spans
    for span in spans:
        assert ctx.span_text(span.start, span.end) == span.text
    for index, sentence in enumerate(ctx.sentences):
        evidence = ctx.evidence(index)
        assert (evidence.text, evidence.start, evidence.end) == (
            sentence.text, sentence.start_char, sentence.end_char)
        assert ctx.sentence_texts[index] == sentence.text
    assert ctx.token_texts == [t.text for t in doc]
    assert ctx.span_text(3, 3) == ""


def test_quotes_and_lemmas_are_found_as_a_scan_finds_them(ctx: ArticleContext) -> None:
    doc = ctx.doc
    for token in doc:
        assert ctx.in_quote(token) == any(s <= token.idx < e for s, e in ctx.quote_spans)
    words = {t.lemma_.lower() for t in doc if t.is_alpha}
    some = sorted(words)[::5]
    assert [t.i for t in ctx.tokens_with_lemma(some)] == [
        t.i for t in doc if t.lemma_.lower() in some]
    assert ctx.tokens_with_lemma(["no-such-lemma"]) == []


def test_a_bullet_after_a_capitalised_place_is_a_dateline() -> None:
    from kg.extract.context import dateline_span

    text = "CAIRO • Gunmen attacked a checkpoint on Friday."
    span = dateline_span(text)
    assert span is not None and text[span[0]:span[1]].strip() == "CAIRO •"
    assert dateline_span("Gunmen | armed with rifles, attacked a post.") is None
