"""The synthetic benchmark corpus: deterministic, varied, and about what kg extracts."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.dev.bench.corpus import STYLES, generate, vocabulary, write_corpus
from kg.models import Article
from kg.schema import EntityType
from kg.sources import read_paths


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_same_bytes_other_seed_other_text(tmp_path: Path) -> None:
    a = write_corpus(40, 5, tmp_path / "a.jsonl")
    b = write_corpus(40, 5, tmp_path / "b" / "b.jsonl")
    c = write_corpus(40, 6, tmp_path / "c.jsonl")
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)
    # A prefix of a larger corpus is the smaller corpus: article i depends only on (seed, i).
    assert write_corpus(10, 5, tmp_path / "d.jsonl").read_bytes() in a.read_bytes()


def test_no_two_articles_alike() -> None:
    records = list(generate(400, 2))
    texts = [r["text"] for r in records]
    assert len(set(texts)) == len(texts)
    assert len({r["id"] for r in records}) == len(records)
    # Not copies with a name swapped: the opening sentences themselves vary widely.
    openings = {t.split("\n")[2][:40] for t in texts}
    assert len(openings) > 300
    titles = {r["title"] for r in records}
    assert len(titles) > 350


def test_records_have_the_reader_fields_and_vary_in_kind(tmp_path: Path) -> None:
    path = write_corpus(120, 3, tmp_path)
    assert path.name == "corpus-120-3.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 120
    for line in lines:
        record = json.loads(line)
        assert set(record) == {"id", "url", "title", "text", "published", "source"}
        dt.date.fromisoformat(record["published"])
    articles = [a for a in read_paths([path]) if isinstance(a, Article)]
    assert len(articles) == 120
    texts = "\n".join(a.text for a in articles)
    assert "Weekly conflict monitor" in texts and "Situation update" in texts
    assert "Press release" in texts and " - " in texts  # a wire dateline
    assert len({a.source for a in articles}) > 20
    assert len(STYLES) == 5


def test_vocabulary_comes_from_the_knowledge_files() -> None:
    from kg.extract import lexicon

    vocab = vocabulary()
    group_names = {g.name for g in lexicon.load_groups()}
    used = {g.name for c in vocab.countries for g in c.groups}
    assert used <= group_names and len(used) > 100
    assert len(vocab.countries) > 30
    assert all(len(c.towns) >= 5 for c in vocab.countries)


@pytest.fixture(scope="module")
def sample() -> list[tuple[dict[str, object], set[str], int]]:
    from kg.extract.pipeline import Extractor

    records = list(generate(40, 11))
    articles = [Article(id=str(r["id"]), title=str(r["title"]), text=str(r["text"]),
                        source=str(r["source"]), published=dt.date.fromisoformat(str(r["published"])))
                for r in records]
    graphs = Extractor().extract_many(articles)
    return [(r, {e.name for e in g.entities if e.type is EntityType.GROUP}, len(g.events))
            for r, g in zip(records, graphs, strict=True)]


def test_the_extractor_finds_the_group_and_an_event(
        sample: list[tuple[dict[str, object], set[str], int]]) -> None:
    found = 0
    for record, groups, events in sample:
        # The group the generator wrote, by its canonical name, when the text names it.
        named = [g for g in groups if g in str(record["text"])]
        if named and events:
            found += 1
    # Some reports only say "suspected jihadists", as real ones do; most name the group.
    assert found >= 0.8 * len(sample), found


def test_cli_writes_the_corpus(tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    result = CliRunner().invoke(main, ["bench", "corpus", "--articles", "7", "--seed", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 7
    assert "Wrote 7 articles" in result.output
