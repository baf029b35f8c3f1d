"""The whole run: read every article, extract it with kg and with bare spaCy NER, time both,
and score each against its expected file."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.dev.expected import EvaluationError, article_key, load_expected
from kg.dev.scoring.article import score_article
from kg.dev.scoring.matching import Tally
from kg.dev.scoring.predictions import ENTITY_CATEGORIES, Prediction, from_graph, from_ner
from kg.errors import ExtractionError
from kg.models import Article, ArticleGraph
from kg.sources import ReadFailure, read_paths

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.extract.pipeline import Extractor

KG = "kg"
BASELINE = "baseline"
CATEGORIES: tuple[str, ...] = (*ENTITY_CATEGORIES, "quotes", "quote_texts", "figures", "events",
                               "claims", "attributions", "perpetrators", "targets", "responders",
                               "denials")



@dataclass
class Speed:
    articles: int
    words: int
    seconds: float

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "words": self.words, "seconds": round(self.seconds, 3),
                "articles_per_second": round(self.articles_per_second, 2),
                "words_per_second": round(self.words_per_second)}


@dataclass
class Report:
    articles: list[str]  # keys, in reading order
    tallies: dict[str, dict[str, Tally]]  # system → category → tally
    must_not: dict[str, list[str]]  # system → violations
    over_extracted: list[str]  # articles with more events than their max_events
    failures: list[str]  # articles that could not be read or extracted
    speed: dict[str, Speed]

    def as_dict(self, *, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "articles": self.articles,
            "failures": self.failures,
            "scores": {system: {cat: {"must": t.must.as_dict(), "all": t.all.as_dict()}
                                for cat, t in cats.items()}
                       for system, cats in self.tallies.items()},
            "must_not_violations": self.must_not,
            "over_extracted": self.over_extracted,
            "speed": {system: s.as_dict() for system, s in self.speed.items()},
        }
        if details:
            out["errors"] = {system: {cat: {"missed": t.missed, "spurious": t.false}
                                      for cat, t in cats.items()}
                             for system, cats in self.tallies.items()}
        return out


def evaluate(paths: Iterable[str | Path], expected_dir: str | Path, *,
             extractor: Extractor | None = None, baseline: bool = True) -> Report:
    """Read, extract and score every article under `paths` against `expected_dir`.

    An article with no expected file is an error (a typo would silently shrink the test
    set); an article that cannot be read or extracted is scored as an empty prediction
    and listed in `failures`.
    """
    expected = load_expected(expected_dir)
    articles: list[Article] = []
    failures: list[str] = []
    for item in read_paths([str(p) for p in paths]):
        if isinstance(item, ReadFailure):
            failures.append(item.message)
            continue
        if article_key(item) not in expected:
            raise EvaluationError(f"{item.origin}: no expected file for key {article_key(item)!r} "
                                  f"in {expected_dir}")
        articles.append(item)
    if extractor is None:
        from kg.extract.pipeline import Extractor

        extractor = Extractor()
    words = sum(len(a.text.split()) for a in articles)
    if articles:
        extractor.nlp(articles[0].text)  # warm up, so neither timing pays the first-call cost

    graphs, seconds = _extract_all(extractor, articles, failures)
    speed = {KG: Speed(len(articles), words, seconds)}
    predictions: dict[str, list[Prediction]] = {
        KG: [from_graph(g) if g is not None else Prediction() for g in graphs]}
    if baseline:
        docs, seconds = _ner_all(extractor.nlp, articles)
        speed[BASELINE] = Speed(len(articles), words, seconds)
        predictions[BASELINE] = [from_ner(doc) for doc in docs]

    gazetteer = getattr(getattr(extractor, "knowledge", None), "gazetteer", None)
    tallies: dict[str, dict[str, Tally]] = {}
    must_not: dict[str, list[str]] = {}
    over: list[str] = []
    for system, preds in predictions.items():
        cats = tallies[system] = {c: Tally() for c in CATEGORIES}
        must_not[system] = []
        for article, pred in zip(articles, preds, strict=True):
            key = article_key(article)
            must_not[system] += score_article(expected[key], pred, cats, key=key,
                                              gazetteer=gazetteer, baseline=system == BASELINE)
            limit = expected[key].max_events
            if system == KG and pred.graph and limit is not None and len(pred.graph.events) > limit:
                over.append(f"{key}: {len(pred.graph.events)} events, at most {limit} expected")
    return Report([article_key(a) for a in articles], tallies, must_not, over, failures, speed)


def _extract_all(extractor: Extractor, articles: list[Article], failures: list[str]
                 ) -> tuple[list[ArticleGraph | None], float]:
    """Every article through `extract_many` (batched, as `kg extract` runs), timed.

    An article the extractor fails on becomes None and a failure; the stream resumes after it.
    """
    graphs: list[ArticleGraph | None] = []
    start = time.perf_counter()
    while len(graphs) < len(articles):
        try:
            for graph in extractor.extract_many(articles[len(graphs):]):
                graphs.append(graph)
        except ExtractionError as exc:
            failures.append(f"{article_key(articles[len(graphs)])}: {exc}")
            graphs.append(None)
    return graphs, time.perf_counter() - start


def _ner_all(nlp: Language, articles: list[Article]) -> tuple[list[Any], float]:
    start = time.perf_counter()
    docs = list(nlp.pipe(a.text for a in articles))
    return docs, time.perf_counter() - start
