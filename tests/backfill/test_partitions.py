"""Cutting a backfill's input: the partitions read what `kg ingest`'s readers read, in order."""

from __future__ import annotations

from pathlib import Path

from kg.backfill.partitions import plan, read_partition
from kg.dev.bench.corpus import write_corpus
from kg.dev.bench.load_rate import synthetic
from kg.sources import ReadFailure, read_paths


def _plain(item: object) -> object:
    return item.message if isinstance(item, ReadFailure) else item.model_dump()  # type: ignore[attr-defined]


def test_a_large_articles_file_is_cut_and_read_line_for_line_as_ingest_reads_it(tmp_path: Path) -> None:
    corpus = write_corpus(300, 1, tmp_path / "corpus.jsonl")
    with corpus.open("a", encoding="utf-8") as handle:
        handle.write('{"title": "no text"}\n')
    parts = plan([corpus], workers=2)
    assert len(parts) > 1 and {p.kind for p in parts} == {"article-lines"}
    mine = [_plain(item) for part in parts for _, item in read_partition(part)]
    assert mine == [_plain(item) for item in read_paths([corpus])]
    assert str(mine[-1]).startswith(f"{corpus}:301: ")


def test_extraction_output_is_read_as_graphs_in_ranges_with_their_line_numbers(tmp_path: Path) -> None:
    graphs = synthetic(600)
    lines = [g.model_dump_json() for g in graphs]
    lines.insert(100, "{not json")
    feed = tmp_path / "graphs.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parts = plan([feed], workers=2)
    assert len(parts) > 1 and {p.kind for p in parts} == {"graphs"}
    read = [(where, item) for part in parts for where, item in read_partition(part)]
    assert [item.article.id for _, item in read if not isinstance(item, ReadFailure)] == \
        [g.article.id for g in graphs]
    failures = [(where, item) for where, item in read if isinstance(item, ReadFailure)]
    assert [where for where, _ in failures] == [f"{feed}:101"]
    assert failures[0][1].reason.startswith("not an extracted graph")
