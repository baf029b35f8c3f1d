"""`kg extract`: articles to knowledge graphs, printed, without touching Neo4j."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

from kg.cli.options import input_options, overrides_from
from kg.errors import ArticleExtractionError, ExtractionError, KgError
from kg.models import Article, ArticleGraph
from kg.sources import ArticleOverrides, ReadFailure, read_paths


def iter_articles(paths: tuple[str, ...], glob: str | None, overrides: ArticleOverrides,
                  stdin_format: str, failures: list[Any]) -> Iterator[Article]:
    """Articles from `paths`; unreadable items are reported on stderr and collected."""
    for item in read_paths(paths, glob=glob, overrides=overrides, stdin_format=stdin_format):
        if isinstance(item, ReadFailure):
            failures.append(item)
            click.echo(f"Error: {item.message}", err=True)
        else:
            yield item


@click.command("extract")
@input_options
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), default="json",
              show_default=True, help="json: one document; jsonl: one graph per line; table: a summary.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes for extraction (0 = all cores).")
def extract(paths: tuple[str, ...], glob: str | None, stdin_format: str,
            published: dt.datetime | None, source: str | None, url: str | None, fmt: str,
            jobs: int) -> None:
    """Extract the conflict-event graph of articles and print it (no database needed).

    PATHS are files (.txt, .json, .jsonl, .html), directories, or '-' for stdin.

    \b
    Example:
        kg extract article.txt --published 2025-03-12
        kg extract reports/ --glob '*.json' --format jsonl > graphs.jsonl
    """
    from kg.extract.pipeline import Extractor

    failures: list[ReadFailure | ArticleExtractionError] = []
    try:
        extractor = Extractor()
        articles = iter_articles(paths, glob, overrides_from(published, source, url), stdin_format,
                                 failures)
        n_process = jobs if jobs > 0 else (os.cpu_count() or 1)
        graphs = _reported(extractor.extract_results(articles, n_process=n_process), failures)
        if fmt == "json":
            collected = [g.model_dump(mode="json") for g in graphs]
            document = collected[0] if len(collected) == 1 else collected
            if collected or not failures:  # nothing read at all: the errors say it, no `[]`
                click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        elif fmt == "jsonl":
            for graph in graphs:
                click.echo(graph.model_dump_json())
        else:
            for graph in graphs:
                _print_table(graph)
    except KgError as exc:
        raise click.ClickException(str(exc)) from exc
    if failures:
        sys.exit(1)


def _reported(results: Iterator[ArticleGraph | ExtractionError],
              failures: list[Any]) -> Iterator[ArticleGraph]:
    """The graphs, each skipped article said on stderr (its graph is still printed, empty,
    with the reason in `skipped`), and each article that failed (over its time budget, say)
    one `Error:` line; the others go on."""
    for graph in results:
        if isinstance(graph, ArticleExtractionError):
            failures.append(graph)
            click.echo(f"Error: {graph.origin or graph.article_id}: {graph.reason}", err=True)
            continue
        if isinstance(graph, ExtractionError):
            raise graph
        if graph.skipped:
            where = graph.article.origin or graph.article.id
            click.echo(f"Skipped {where}: {graph.skipped}", err=True)
        yield graph


def _print_table(graph: ArticleGraph) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.rule(f"[bold]{graph.article.title or graph.article.id}")
    names = {e.id: e.name for e in graph.entities}
    entities = Table("type", "name", "kind", "aliases", title="Entities")
    for e in sorted(graph.entities, key=lambda e: (e.type.value, e.name)):
        entities.add_row(e.type.value, e.name, e.kind or "", ", ".join(e.aliases))
    console.print(entities)
    events = Table("type", "date", "place", "participants", title="Events")
    for ev in graph.events:
        people = ", ".join(f"{names.get(p.entity, p.entity)} ({p.role.value})" for p in ev.participants)
        events.add_row(ev.type.value, str(ev.date or ""), names.get(ev.place or "", ""), people)
    console.print(events)
    figures = Table("kind", "min", "max", "qualifier", "who", "according to", title="Figures")
    for f in graph.figures:
        figures.add_row(f.kind.value, str(f.min if f.min is not None else ""),
                        str(f.max if f.max is not None else ""), f.qualifier or "", f.who or "",
                        names.get(f.according_to or "", f.according_to_description or ""))
    console.print(figures)
    quotes = Table("speaker", "told", "quote", title="Quotes")
    for q in graph.quotes:
        quotes.add_row(names.get(q.speaker or "", q.speaker_description or ""),
                       names.get(q.reported_by or "", ""), q.text)
    console.print(quotes)
    relations = Table("source", "relation", "target", title="Relations")
    for r in graph.relations:
        relations.add_row(names.get(r.source, r.source), r.type.value, names.get(r.target, r.target))
    console.print(relations)
