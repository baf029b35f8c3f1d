"""`kg dev`: developer tools that measure extraction (kg.dev): the example scores and the
shared development set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli.options import handle_errors


@click.group("dev")
def dev() -> None:
    """Developer tools: score extraction on the examples and on the shared development set.

    \b
    Example:
        kg dev score --details
        kg dev devset-score
    """


@dev.command("score")
@click.argument("paths", nargs=-1, metavar="[PATH…]")
@click.option("--expected", type=click.Path(file_okay=False, path_type=Path),
              default=Path("tests/data/expected"), show_default=True,
              help="Folder of expected-facts files, one per article.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--details", is_flag=True,
              help="List every missed and spurious item (with --json: include them).")
@click.option("--no-baseline", is_flag=True, help="Skip the plain spaCy NER baseline.")
@handle_errors
def score(paths: tuple[str, ...], expected: Path, as_json: bool, details: bool,
          no_baseline: bool) -> None:
    """Score extraction (and plain spaCy NER) against the example articles' expected facts.

    PATHS default to examples/articles; run it from the repository root. Precision, recall
    and F1 per category, for the "must" items and for all, micro-averaged over the articles;
    docs/evaluation.md says how items match.

    \b
    Example:
        kg dev score                      # the table
        kg dev score --details            # and every miss and false hit
        kg dev score --json > scores.json
    """
    from kg.dev.scoring import evaluate
    from kg.dev.scoring.table import report_lines

    report = evaluate(paths or ["examples/articles"], expected, baseline=not no_baseline)
    if as_json:
        click.echo(json.dumps(report.as_dict(details=details), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(report_lines(report, details=details)))


@dev.command("devset-score")
@click.option("--devset", type=click.Path(path_type=Path), default=Path("../shared/devset"),
              show_default=True, help="The development set: articles/, gold/ and score.py.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the predicted graphs here, one <article id>.json each "
                   "(default: a temporary folder).")
@click.option("--min-macro", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Exit 1 when the macro F1 is below this.")
@handle_errors
def devset_score(devset: Path, out: Path | None, min_macro: float) -> None:
    """Extract the shared development set as `kg extract` does and run its own scorer.

    The development set (real reports by other outlets, with gold annotations) lives outside
    the repository, in ../shared/devset; the command stops with an error when it is not
    there. Prints the scorer's table; exits 1 when an article is missing or unreadable or
    the macro F1 is below --min-macro.

    \b
    Example:
        kg dev devset-score
        kg dev devset-score --out /tmp/devset-graphs --min-macro 0.8
    """
    from kg.dev.devset import locate, score_devset

    result = score_devset(locate(devset), out=out, min_macro=min_macro)
    for failure in result.failures:
        click.echo(f"Error: {failure}", err=True)
    click.echo(result.output, nl=False)
    if result.predictions is not None:
        click.echo(f"Graphs of {result.articles} articles in {result.predictions}")
    if not result.passed:
        sys.exit(1)
