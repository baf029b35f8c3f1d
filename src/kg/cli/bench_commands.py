"""`kg bench`: the synthetic corpus and the benchmark suite (kg.dev.bench)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import handle_errors


@click.group("bench")
def bench() -> None:
    """Benchmarks against baselines measured in the same run.

    \b
    Example:
        kg bench corpus --articles 1000 -o corpus.jsonl
        kg bench graphs --articles 100000 -o graphs.jsonl
        kg bench run --articles 300
    """


@bench.command("corpus")
@click.option("--articles", "-n", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Number of articles to write.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="The same seed writes the same bytes.")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="A .jsonl file, or a directory that gets corpus-<N>-<seed>.jsonl.")
@handle_errors
def corpus(articles: int, seed: int, output: Path) -> None:
    """Write a synthetic corpus of English conflict reports as JSON Lines.

    Groups, forces, outlets and places come from kg's own knowledge files; no two articles
    share a text. `kg ingest` reads the result directly.

    \b
    Example:
        kg bench corpus --articles 10000 --seed 7 -o bench/corpus-10k.jsonl
    """
    from kg.dev.bench.corpus import write_corpus

    path = write_corpus(articles, seed, output)
    click.echo(f"Wrote {articles} articles to {path}")


@bench.command("graphs")
@click.option("--articles", "-n", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Number of articles whose extraction output to write.")
@click.option("--start", type=click.IntRange(min=0), default=0, show_default=True,
              help="The number of the first article (article i of a seed is always the same).")
@click.option("--seed", type=int, default=17, show_default=True, help="Synthetic seed.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The .jsonl file to write, one extracted graph per line.")
@handle_errors
def graphs(articles: int, start: int, seed: int, output: Path) -> None:
    """Write synthetic extraction output, as `kg extract --format jsonl` does, without the NLP.

    Incidents told by three articles in different words, look-alikes, recalled and side
    incidents over 2,000 towns and three years (kg.dev.bench.synthetic): the growth
    benchmarks' input, streamed in bounded memory at any size. `kg backfill` reads it.

    \b
    Example:
        kg bench graphs --articles 1000000 -o graphs-1m.jsonl
        kg backfill graphs-1m.jsonl --overwrite
    """
    from kg.dev.bench.synthetic import graphs_jsonl

    graphs_jsonl(seed, start, start + articles, output)
    click.echo(f"Wrote the extraction output of {articles} articles to {output}")


@bench.command("run")
@click.option("--articles", "-n", type=click.IntRange(min=80), default=1000, show_default=True,
              help="Corpus size (the memory check also ingests a tenth of it; the export uses "
                   "at most 300).")
@click.option("--seed", type=int, default=1, show_default=True, help="Corpus seed.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("bench/results/latest.json"),
              show_default=True, help="Where to write the results as JSON.")
@click.option("--growth-articles", type=click.IntRange(min=0), default=20_000, show_default=True,
              help="The large graph of the growth steps, built by `kg backfill` of synthetic "
                   "extraction output; the small one is a tenth, up to 10,000 (100000 for the "
                   "issues' 10k vs 100k, about half an hour on two cores; 0 skips them).")
@handle_errors
def run(articles: int, seed: int, out: Path, growth_articles: int) -> None:
    """Run the benchmark suite on a synthetic corpus and a throw-away Neo4j; print the table.

    Every figure is a ratio against a baseline measured in the same run (bare spaCy, a naive
    per-element loader, rdflib), so a noisy shared machine still gives comparable results;
    hang guards (hostile reader input, a no-op server install) are bounds in seconds. Your
    own Neo4j server is never touched.

    \b
    Example:
        kg bench run                      # the default size, about ten minutes
        kg bench run --articles 10000 --out bench/results/10k.json
        kg bench run --growth-articles 1000000   # the growth steps on a million articles
    """
    from rich.console import Console
    from rich.table import Table

    from kg.dev.bench.report import table_rows
    from kg.dev.bench.run import run_suite

    console = Console(stderr=True)
    report = run_suite(articles, seed, out, progress=lambda text: console.print(text, style="dim"),
                       growth_articles=growth_articles)
    table = Table(title=f"kg bench: {articles} synthetic articles, {report.seconds:.0f} s, "
                        f"{report.machine['cpu_count']} CPUs")
    for column in ("Target", "Measured", "Threshold", "Result"):
        table.add_column(column)
    for name, measured, threshold, verdict in table_rows(report):
        style = {"pass": "green", "FAIL": "red"}.get(verdict, "yellow")
        table.add_row(name, measured, threshold, f"[{style}]{verdict}[/{style}]")
    Console().print(table)
    hostile = report.measurements.get("hostile")
    if hostile:
        shapes = Table(title=f"Cost by article shape ({hostile['sizes'][-1]:,} characters, no "
                             f"budget; the budget is {hostile['budget_seconds']:g} s of CPU)")
        for column in ("Shape", "CPU s per MB", "Peak MiB per MB", "Growth at 4× length"):
            shapes.add_column(column)
        for name, row in hostile["shapes"].items():
            shapes.add_row(name, f"{row['seconds_per_mb']:g}", f"{row['peak_mib_per_mb']:g}",
                           f"{row['growth']:g} ×")
        Console().print(shapes)
    click.echo(f"Results written to {out}")
