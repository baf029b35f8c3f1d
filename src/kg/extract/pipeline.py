"""From an `Article` to its `ArticleGraph`: spaCy, then the rule stages, offline.

`Extractor.extract_many` streams articles through `nlp.pipe` in batches; with
`n_process > 1` whole articles (parse and rules) are spread over worker processes,
forked from the loaded extractor where the platform allows, so the rules scale with the
cores too.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from importlib.resources import files
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from kg import __version__
from kg.config import ExtractSettings
from kg.errors import ExtractionError
from kg.extract import lexicon
from kg.extract.context import ArticleContext, EntityDraft, EventDraft
from kg.extract.events import TriggerMatcher
from kg.extract.knowledge import Knowledge, load_knowledge
from kg.extract.language import detect_language, unsupported_reason
from kg.extract.mentions import MentionFinder
from kg.extract.nlp import load_model, model_version
from kg.extract.stages import Tools, run_stages
from kg.models import Article, ArticleGraph, Entity, Event, Participant, event_label
from kg.schema import GeoPrecision


class Extractor:
    """Loads the model and the domain knowledge once; extracts any number of articles."""

    def __init__(self, settings: ExtractSettings | None = None) -> None:
        self.settings = settings or ExtractSettings()
        self.nlp = load_model()
        self.knowledge: Knowledge = load_knowledge(self.settings.groups_file)
        self.finder = MentionFinder(self.nlp.vocab, self.nlp.make_doc, self.knowledge)
        self.triggers = TriggerMatcher(self.nlp.vocab, self.nlp.tokenizer, self.knowledge)
        self.version = extractor_version(self.knowledge, self.settings.groups_file)
        # What every rule stage is given (see kg.extract.stages).
        self.tools = Tools(knowledge=self.knowledge, finder=self.finder, triggers=self.triggers)
        # The model and the knowledge are some 250,000 objects that live as long as the
        # process: kept out of the collector's full scans, which otherwise walk them all every
        # few articles (about a tenth of the rules' time).
        gc.freeze()

    def extract(self, article: Article) -> ArticleGraph:
        article = _prepared(article)
        return self._graph(article, self.nlp(_parsed_text(article)))

    def extract_many(self, articles: Iterable[Article], *, n_process: int = 1,
                     batch_size: int | None = None) -> Iterator[ArticleGraph]:
        """Extract in input order. `n_process` > 1 uses that many worker processes."""
        batch = batch_size or self.settings.batch_size
        if n_process > 1:
            yield from _parallel(self, articles, n_process, batch)
            return
        pairs = ((_parsed_text(a), a) for a in map(_prepared, articles))
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch):
            yield self._graph(article, doc)

    def _graph(self, article: Article, doc: Doc) -> ArticleGraph:
        reason = unsupported_reason(article.language)
        if reason is not None:
            # Said, not silently empty: the CLI and ingest report the article as skipped.
            return ArticleGraph(article=article, extractor_version=self.version, skipped=reason)
        try:
            return build_graph(article, doc, self.tools, self.version)
        except (ValueError, IndexError, KeyError) as exc:
            # A rule tripping on an odd parse must not sink a whole ingest.
            raise ExtractionError(f"article {article.id}: extraction failed: {exc}") from exc


def _prepared(article: Article) -> Article:
    """The article with encodable text and its language detected from the text."""
    article = _encodable(article)
    language = detect_language(article.text, article.language)
    if language != article.language:
        article = article.model_copy(update={"language": language})
    return article


def _parsed_text(article: Article) -> str:
    """What spaCy parses: nothing for an article in a language kg does not extract."""
    return "" if unsupported_reason(article.language) else article.text


def _encodable(article: Article) -> Article:
    """Lone surrogates (from broken JSON escapes) become U+FFFD, one character for one,
    so offsets still hold and every later stage can encode the text."""
    try:
        article.text.encode("utf-8")
        return article
    except UnicodeEncodeError:
        text = "".join(c if not 0xD800 <= ord(c) <= 0xDFFF else "\ufffd" for c in article.text)
        return article.model_copy(update={"text": text})


def clear_caches() -> None:
    """Forget what the rules memoise across articles (date phrases, normalised names and
    sentences), as a fresh process would have: for benchmarks that compare runs."""
    from kg.extract.gazetteer import normalise
    from kg.extract.lang.en.dates import _parse
    from kg.extract.lexicon.patterns import padded_form, padded_inflections

    for memo in (_parse, normalise, padded_form, padded_inflections):
        memo.cache_clear()


def extractor_version(knowledge: Knowledge | None = None, groups_file: Path | None = None) -> str:
    """Changes whenever the code version, the model or the knowledge files change.

    Cheap without `knowledge`: it hashes the data files and loads no model, so an
    ingest can check its ledger before deciding whether to extract anything.
    """
    lexicon_version = knowledge.version if knowledge else lexicon.lexicon_version(groups_file)
    package = files("kg.extract")
    digest = hashlib.sha256(f"{__version__}|{model_version()}|{lexicon_version}|".encode())
    digest.update(package.joinpath("data", "gazetteer.meta.json").read_bytes())
    # The rules are code: a changed rule must re-extract, as a changed data file does. The
    # lexicon package and the language folders are code of the extractor too.
    root = Path(str(package))
    for module in sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py")):
        digest.update(module.encode())
        digest.update((root / module).read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


def build_graph(article: Article, doc: Doc, tools: Tools, version: str) -> ArticleGraph:
    """The article's graph: the rule stages (`kg.extract.stages.STAGES`) over its parse."""
    ctx = ArticleContext(article=article, doc=doc, event_types=tools.knowledge.triggers.groups)
    run_stages(ctx, tools)
    return ArticleGraph(
        article=article,
        extractor_version=version,
        entities=[_entity(d) for d in ctx.entities.values()],
        events=[_event(ctx, e) for e in ctx.events],
        quotes=ctx.quotes,
        figures=ctx.figures,
        relations=ctx.relations,
    )


def _entity(draft: EntityDraft) -> Entity:
    aliases = sorted(a for a in draft.aliases if a and a != draft.name)
    return Entity(
        id=draft.id, type=draft.type, name=draft.name, aliases=aliases, kind=draft.kind,
        country=draft.country, latitude=draft.latitude, longitude=draft.longitude,
        gazetteer_id=draft.gazetteer_id, parent=draft.parent,
        precision=GeoPrecision(draft.precision) if draft.precision else None,
        role=draft.role, affiliation=draft.affiliation,
        mentions=sorted(draft.mentions, key=lambda m: m.start),
    )


def _event(ctx: ArticleContext, draft: EventDraft) -> Event:
    acled_type, acled_sub = draft.type.acled
    place = ctx.entities.get(draft.place) if draft.place else None
    # An undated report still names the weekday ("on Tuesday"): kept as the date's words.
    date, precision, date_text = draft.date if draft.date else (
        None, None, draft.weekday.capitalize() if draft.weekday else None)
    return Event(
        id=draft.id, type=draft.type, acled_event_type=acled_type, acled_sub_event_type=acled_sub,
        label=event_label(draft.type, place.name if place else None, date, precision),
        date=date, date_text=date_text,
        date_precision=precision, place=draft.place,
        participants=[Participant(entity=e, role=r) for e, r in draft.participants.items()
                      if e in ctx.entities],
        claimed_by=draft.claimed_by, part_of=draft.part_of, background=draft.background,
        evidence=[ctx.evidence(i) for i in sorted(draft.evidence_sentences)],
    )


# -- parallel extraction ---------------------------------------------------------------

_WORKER: Extractor | None = None


def _init_worker(settings: ExtractSettings) -> None:
    global _WORKER
    _WORKER = Extractor(settings)


def _work(batch: list[Article]) -> list[ArticleGraph | str]:
    """One chunk in a worker: parsed together (as `extract_many` does), each article's rule
    failure kept in its place."""
    assert _WORKER is not None
    out: list[ArticleGraph | str] = []
    pairs = ((_parsed_text(a), a) for a in map(_prepared, batch))
    for doc, article in _WORKER.nlp.pipe(pairs, as_tuples=True, batch_size=len(batch)):
        try:
            out.append(_WORKER._graph(article, doc))
        except ExtractionError as exc:
            out.append(str(exc))
    return out


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _parallel(extractor: Extractor, articles: Iterable[Article], n_process: int,
              batch: int) -> Iterator[ArticleGraph]:
    global _WORKER
    if "fork" in multiprocessing.get_all_start_methods():
        # Workers start as copies of this process, the model and knowledge already loaded:
        # spawned ones spent seconds each loading them again before their first article.
        # They run only the extractor, never a lock another thread of this process may hold.
        _WORKER = extractor
        options: dict[str, Any] = {"mp_context": multiprocessing.get_context("fork")}
    else:
        options = {"mp_context": multiprocessing.get_context("spawn"),
                   "initializer": _init_worker, "initargs": (extractor.settings,)}
    try:
        with ProcessPoolExecutor(n_process, **options) as pool:
            # Bounded look-ahead keeps memory flat however long the input is.
            pending = []
            for chunk in _batches(articles, batch):
                pending.append(pool.submit(_work, chunk))
                if len(pending) >= n_process * 2:
                    yield from _drain(pending.pop(0).result())
            for future in pending:
                yield from _drain(future.result())
    finally:
        _WORKER = None


def _drain(results: list[ArticleGraph | str]) -> Iterator[ArticleGraph]:
    for result in results:
        if isinstance(result, str):
            raise ExtractionError(result)
        yield result

