"""Extraction speed: `Extractor.extract_many` against bare `nlp.pipe` with the same model, in
one process and in two."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.dev.bench.report import ProgressFn, rate
from kg.errors import KgError
from kg.models import Article, ArticleGraph


def read_corpus(path: Path) -> list[Article]:
    from kg.sources import ReadFailure, read_paths

    articles = []
    for item in read_paths([path]):
        if isinstance(item, ReadFailure):
            raise KgError(f"benchmark corpus unreadable: {item.message}")
        articles.append(item)
    return articles


def words(articles: Sequence[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


# Extraction is timed in rounds, each on its own slice of the corpus, with the runs (bare spaCy
# and kg, each in one process and in two) in a different order each round: a burst of noise on
# a shared machine then hits them alike.
EXTRACTION_ROUNDS = 3


def measure_extraction(articles: list[Article], progress: ProgressFn
                       ) -> tuple[dict[str, Any], list[ArticleGraph]]:
    from kg.extract.nlp import load_model
    from kg.extract.pipeline import Extractor, clear_caches

    extractor = Extractor()
    nlp = load_model()  # the very model (and components) the extractor runs
    list(extractor.extract_many(articles[:8]))
    batch = extractor.settings.batch_size
    seconds = {"bare": 0.0, "bare2": 0.0, "kg1": 0.0, "kg2": 0.0}
    graphs: list[ArticleGraph] = []

    def bare(part: list[Article]) -> None:
        for _ in nlp.pipe([a.text for a in part], batch_size=batch):
            pass

    def bare2(part: list[Article]) -> None:
        for _ in nlp.pipe([a.text for a in part], batch_size=batch, n_process=2):
            pass

    def kg1(part: list[Article]) -> None:
        graphs.extend(extractor.extract_many(part))

    def kg2(part: list[Article]) -> None:
        count = sum(1 for _ in extractor.extract_many(part, n_process=2))
        if count != len(part):
            raise KgError(f"parallel extraction returned {count} of {len(part)} graphs")

    runs = {"bare": bare, "kg1": kg1, "bare2": bare2, "kg2": kg2}
    order = list(runs)
    size = -(-len(articles) // EXTRACTION_ROUNDS)
    for number, start in enumerate(range(0, len(articles), size)):
        part = articles[start:start + size]
        rotation = order[number % len(order):] + order[:number % len(order)]
        progress(f"Extraction, round {number + 1}: {', '.join(rotation)} on {len(part)} articles…")
        for name in rotation:
            clear_caches()  # no run may profit from another's memos over the same articles
            started = time.perf_counter()
            runs[name](part)
            seconds[name] += time.perf_counter() - started
    word_count = words(articles)

    def rates(name: str) -> dict[str, float]:
        return {"seconds": round(seconds[name], 2), "articles_per_s": rate(len(articles), seconds[name]),
                "words_per_s": rate(word_count, seconds[name])}

    return {
        "articles": len(articles), "words": word_count, "pipe_names": list(nlp.pipe_names),
        "rounds": EXTRACTION_ROUNDS,
        "bare_nlp_pipe": rates("bare"), "bare_nlp_pipe_2_processes": rates("bare2"),
        "kg_1_process": rates("kg1"), "kg_2_processes": rates("kg2"),
        "ratio_vs_bare": round(seconds["bare"] / seconds["kg1"], 3),
        "ratio_vs_bare_2_processes": round(seconds["bare2"] / seconds["kg2"], 3),
        "speedup_2_processes": round(seconds["kg1"] / seconds["kg2"], 3),
        "graphs": {"events": sum(len(g.events) for g in graphs),
                   "entities": sum(len(g.entities) for g in graphs),
                   "quotes": sum(len(g.quotes) for g in graphs),
                   "figures": sum(len(g.figures) for g in graphs)},
    }, graphs


