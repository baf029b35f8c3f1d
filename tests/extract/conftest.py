from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seeds" / "000_3aabd3aa6f6a8816.txt"


@pytest.fixture(scope="session")
def extractor():
    """One extractor per test session: loading the model and knowledge takes seconds."""
    from kg.extract.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def parsed_sentences(extractor: Any) -> dict[str, Any]:
    """Every sentence of `stage_sentences.SENTENCES`, parsed once per test run."""
    from tests.extract.stage_sentences import SENTENCES

    return dict(zip(SENTENCES, extractor.nlp.pipe(SENTENCES.values()), strict=True))


@pytest.fixture
def run_stages_on(extractor: Any, parsed_sentences: dict[str, Any]) -> Callable[..., Any]:
    """`run_stages_on(name, through=stage, tools=None)`: a fresh ArticleContext over the parse
    of sentence `name`, after the stages up to `through` (all without it)."""
    from kg.extract.context import ArticleContext
    from kg.extract.stages import run_stages
    from kg.models import Article
    from tests.extract.stage_sentences import SENTENCES

    def run(name: str, through: str | None = None, tools: Any = None) -> ArticleContext:
        tools = tools or extractor.tools
        article = Article(id=f"stage-{name}", text=SENTENCES[name], published=dt.date(2025, 3, 4))
        ctx = ArticleContext(article=article, doc=parsed_sentences[name],
                             event_types=tools.knowledge.triggers.groups)
        run_stages(ctx, tools, through=through)
        return ctx

    return run
