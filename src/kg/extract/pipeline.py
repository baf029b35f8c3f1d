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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from importlib.resources import files
from itertools import groupby
from pathlib import Path
from typing import Any, TypeVar

import numpy
from spacy.tokens import Doc

from kg import __version__
from kg.config import ExtractSettings
from kg.errors import ArticleExtractionError, ExtractionError
from kg.extract import lexicon
from kg.extract.budget import OverBudget, cpu_budget
from kg.extract.context import ArticleContext, EntityDraft, EventDraft
from kg.extract.events import TriggerMatcher
from kg.extract.knowledge import Knowledge, load_knowledge
from kg.extract.language import detect_language, unsupported_reason
from kg.extract.mentions import MentionFinder
from kg.extract.nlp import load_model, model_version
from kg.extract.pieces import PIECE_CHARS, piece_ends
from kg.extract.stages import Tools, run_stages
from kg.models import Article, ArticleGraph, Entity, Event, Participant, event_label
from kg.schema import GeoPrecision

T = TypeVar("T")


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
        result = next(self._results([article], 1))
        if isinstance(result, ExtractionError):
            raise result
        return result

    def extract_many(self, articles: Iterable[Article], *, n_process: int = 1,
                     batch_size: int | None = None) -> Iterator[ArticleGraph]:
        """Extract in input order. `n_process` > 1 uses that many worker processes.

        An article that cannot be extracted raises `ExtractionError`, which ends the stream
        (`extract_results` goes on past it)."""
        for result in self.extract_results(articles, n_process=n_process, batch_size=batch_size):
            if isinstance(result, ExtractionError):
                raise result
            yield result

    def extract_results(self, articles: Iterable[Article], *, n_process: int = 1,
                        batch_size: int | None = None
                        ) -> Iterator[ArticleGraph | ExtractionError]:
        """A graph, or the error that says why there is none, for every article in order."""
        batch = batch_size or self.settings.batch_size
        if n_process > 1:
            yield from _parallel(self, articles, n_process, batch)
            return
        yield from self._results(articles, batch)

    def _results(self, articles: Iterable[Article], batch: int
                 ) -> Iterator[ArticleGraph | ExtractionError]:
        """Articles parsed whole go through `nlp.pipe` together; longer ones (several pieces,
        see `kg.extract.pieces`) are parsed alone, piece by piece, within their budget."""
        planned = ((a, _piece_ends(a)) for a in map(_prepared, articles))
        for whole, group in groupby(planned, key=lambda item: len(item[1]) == 1):
            if not whole:
                for article, ends in group:
                    yield self._result(article, None, ends)
                continue
            texts = ((_parsed_text(a), a) for a, _ in group)
            # Bounded in characters too: 32 articles of 20,000 would take 2 GB at once.
            for chunk in _batches(texts, batch, BATCH_CHARS, size=lambda pair: len(pair[0])):
                for doc, article in self.nlp.pipe(chunk, as_tuples=True, batch_size=len(chunk)):
                    yield self._result(article, doc, [])

    def _result(self, article: Article, doc: Doc | None, ends: list[int]
                ) -> ArticleGraph | ExtractionError:
        """The graph of `article`, parsed already (`doc`) or to be parsed at `ends`."""
        reason = unsupported_reason(article.language)
        if reason is not None:
            # Said, not silently empty: the CLI and ingest report the article as skipped.
            return ArticleGraph(article=article, extractor_version=self.version, skipped=reason)
        try:
            with cpu_budget(self.settings.max_article_seconds):
                if doc is None:
                    doc = self._parse_in_pieces(article.text, ends)
                return build_graph(article, doc, self.tools, self.version)
        except OverBudget as exc:
            size = len(article.text.encode("utf-8", "replace"))
            return ArticleExtractionError(article.id, article.origin,
                                          f"not extracted: {exc} ({size} bytes of text)")
        except (ValueError, IndexError, KeyError) as exc:
            # A rule tripping on an odd parse must not sink a whole ingest.
            return ArticleExtractionError(article.id, article.origin, f"extraction failed: {exc}")

    def _parse_in_pieces(self, text: str, ends: list[int]) -> Doc:
        """One `Doc` of `text`, parsed a few pieces at a time so memory stays bounded."""
        docs: list[Doc] = []
        starts = [0, *ends[:-1]]
        spans = zip(starts, ends, strict=True)
        for group in _batches(spans, len(ends), PIPE_CHARS, size=lambda span: span[1] - span[0]):
            for doc in self.nlp.pipe([text[a:b] for a, b in group], batch_size=len(group)):
                doc.tensor = _NO_TENSOR  # the rules never read it; the pieces add up
                docs.append(doc)
        return Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]


_NO_TENSOR = numpy.zeros((0, 0), dtype="float32")
# Characters of pieces parsed in one `nlp.pipe` batch: spaCy holds some 3 KB a character
# while it parses, so about 30 MB (a piece longer than that is parsed alone).
PIPE_CHARS = PIECE_CHARS // 2
# Characters of whole articles parsed in one batch: ten times as many (about 600 MB at
# most), more than a batch of typical articles (32 of 3,000 to 6,000) ever holds.
BATCH_CHARS = 10 * PIECE_CHARS


def _piece_ends(article: Article) -> list[int]:
    """Where `article` is cut for parsing; one piece (and nothing parsed) in another language."""
    if unsupported_reason(article.language):
        return [0]
    return piece_ends(article.text)


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


def _work(batch: list[Article]) -> list[ArticleGraph | ExtractionError]:
    """One chunk in a worker, each article's failure kept in its place."""
    assert _WORKER is not None
    return list(_WORKER._results(batch, len(batch)))


def _batches(items: Iterable[T], count: int, chars: int | None = None,
             size: Callable[[T], int] | None = None) -> Iterator[list[T]]:
    """Lists of at most `count` items and, when `chars` is given, of at most that many
    characters in all (`size` of each; an item larger than that comes alone)."""
    batch: list[T] = []
    total = 0
    for item in items:
        length = size(item) if size is not None else 0
        if batch and (len(batch) >= count or (chars is not None and total + length > chars)):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += length
    if batch:
        yield batch


def _parallel(extractor: Extractor, articles: Iterable[Article], n_process: int,
              batch: int) -> Iterator[ArticleGraph | ExtractionError]:
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
                    yield from pending.pop(0).result()
            for future in pending:
                yield from future.result()
    finally:
        _WORKER = None
