"""`kg review …`: record, list, undo, import and export analysts' corrections; the review queue.

Each command parses options, calls one function of `kg.review` and prints the result. A target
is given as a coder finds it in the article: `--article ID --at START:END` (character offsets
inside the evidence sentence; `kg review show EVENT` prints them), entities by their id.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.cli.options import handle_errors, neo4j_options
from kg.config import Neo4jSettings

F = TypeVar("F", bound=Callable[..., Any])


def _analyst_options(func: F) -> F:
    func = click.option("--note", default="", help="Why: a free note kept with the correction.")(func)
    return click.option("--analyst", envvar="KG_ANALYST", required=True,
                        help="Who makes the correction [env KG_ANALYST].")(func)


def _anchor_options(func: F) -> F:
    func = click.option("--event-type", default=None,
                        help="The event's type, when two events share the evidence sentence.")(func)
    func = click.option("--text", default=None, help="A figure's own words, e.g. 'at least 11 soldiers'.")(func)
    func = click.option("--at", "span", default=None, metavar="START:END",
                        help="Character offsets inside the evidence sentence (or the quotation).")(func)
    return click.option("--article", default=None, help="The article id.")(func)


def _span(value: str | None) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    start, sep, end = value.partition(":")
    if not sep or not start.isdigit() or not end.isdigit():
        raise click.BadParameter(f"{value!r}: use START:END, e.g. 120:245", param_hint="--at")
    return int(start), int(end)


def _value(raw: str) -> Any:
    """A command-line value: true/false/null, a whole number, START:END (an event), else text."""
    if raw in ("true", "false", "null"):
        return json.loads(raw)
    if raw.isdigit():
        return int(raw)
    start, sep, end = raw.partition(":")
    if sep and start.isdigit() and end.isdigit():
        return {"start": int(start), "end": int(end)}
    return raw


def _record(neo4j_settings: Neo4jSettings, **fields: Any) -> None:
    from pydantic import ValidationError

    from kg.cli.graph_commands import _driver
    from kg.resolve.corrections import Correction, CorrectionError
    from kg.review.service import record

    try:
        correction = Correction.model_validate({"at": dt.datetime.now(dt.UTC), **fields})
    except ValidationError as error:
        first = error.errors()[0]
        raise CorrectionError(first["msg"].removeprefix("Value error, ")) from None
    with _driver(neo4j_settings) as driver:
        done = record(driver, [correction], database=neo4j_settings.database)
    click.echo(f"Recorded {correction.id}; reloaded {len(done.reloaded)} article(s).")


def _target(kind: str, article: str | None, span: str | None, text: str | None,
            event_type: str | None, **more: Any) -> dict[str, Any]:
    start, end = _span(span)
    target = {"kind": kind, "article": article, "start": start, "end": end, "text": text,
              "event_type": event_type, **more}
    return {k: v for k, v in target.items() if v is not None}


@click.group()
def review() -> None:
    """Corrections that survive every re-ingest, and the queue of what needs a human.

    \b
    Example:
        kg review queue
        kg review show event:3f2a9c0d1e2b4a5c
        kg review set event date 2025-03-11 --article 5de6c056448e0dfd --at 0:120 --analyst ana
    """


@review.command("reject")
@click.argument("kind", type=click.Choice(["event", "figure", "relation"]))
@_anchor_options
@click.option("--type", "rel_type", default=None, help="Relation type, e.g. CLAIMED_RESPONSIBILITY.")
@click.option("--source", default=None, help="Relation source: an entity id, or event/figure/quote.")
@click.option("--target", "rel_target", default=None, help="Relation target: an entity id, or event/figure/quote.")
@_analyst_options
@neo4j_options
@handle_errors
def reject(kind: str, article: str | None, span: str | None, text: str | None, event_type: str | None,
           rel_type: str | None, source: str | None, rel_target: str | None, analyst: str, note: str,
           neo4j_settings: Neo4jSettings) -> None:
    """Reject an event, a figure or a relationship (a claim, a perpetrator, OCCURRED_IN, SAID…).

    \b
    Example:
        kg review reject figure --article 9ebfceee42f069b2 --at 1776:1950 \\
            --text 'more than 40,000 people' --note 'conflict-wide toll' --analyst ana
        kg review reject relation --type TARGETED --source event --target group:al-shabaab \\
            --article b8f31a98cec5517b --at 0:243 --analyst ana
    """
    more = {"type": rel_type, "source": source, "target": rel_target}
    _record(neo4j_settings, analyst=analyst, note=note, action="reject",
            target=_target(kind, article, span, text, event_type, **more))


@review.command("set")
@click.argument("kind", type=click.Choice(["event", "figure"]))
@click.argument("field")
@click.argument("value")
@_anchor_options
@_analyst_options
@neo4j_options
@handle_errors
def set_(kind: str, field: str, value: str, article: str | None, span: str | None, text: str | None,
         event_type: str | None, analyst: str, note: str, neo4j_settings: Neo4jSettings) -> None:
    """Set a field: of an event type, date, date_precision, place, geo_precision, background;
    of a figure kind, min, max, source, event (START:END of the event's evidence).

    \b
    Example:
        kg review set event date 2025-04-16 --article b8f31a98cec5517b --at 1404:1673 --analyst ana
        kg review set figure max 22 --article nechronicle-20241016-malam-fatori --at 1146:1369 \\
            --text '20 soldiers' --analyst ana
    """
    _record(neo4j_settings, analyst=analyst, note=note, action="set", field=field, value=_value(value),
            target=_target(kind, article, span, text, event_type))


@review.command("merge")
@click.argument("kind", type=click.Choice(["events", "entities"]))
@click.argument("first", required=False)
@click.argument("second", required=False)
@_anchor_options
@click.option("--with", "other", default=None, metavar="START:END", help="The second event (merge events).")
@click.option("--with-article", default=None, help="The second event's article, when not the first's.")
@click.option("--other-type", default=None, help="The second event's type, when it shares a sentence.")
@_analyst_options
@neo4j_options
@handle_errors
def merge(kind: str, first: str | None, second: str | None, article: str | None, span: str | None,
          text: str | None, event_type: str | None, other: str | None, with_article: str | None,
          other_type: str | None, analyst: str, note: str, neo4j_settings: Neo4jSettings) -> None:
    """Merge two reports of one incident (in one article or two: the event matcher then obeys),
    or an entity into another (an alias).

    \b
    Example:
        kg review merge events --article 9ebfceee42f069b2 --at 0:247 --with 1007:1115 --analyst ana
        kg review merge events --article 9ebfceee42f069b2 --at 0:247 \\
            --with-article nechronicle-20241016-malam-fatori --with 0:199 --analyst ana
        kg review merge entities group:islamic-state group:islamic-state-west-africa-province --analyst ana
    """
    if kind == "entities":
        if not first or not second:
            raise click.UsageError("merge entities takes ENTITY_ID CANONICAL_ID")
        _record(neo4j_settings, analyst=analyst, note=note, action="merge_entities",
                target={"kind": "entity", "entity": first}, value=second)
        return
    _record(neo4j_settings, analyst=analyst, note=note, action="merge_events",
            target=_target("event", article, span, None, event_type),
            other=_target("event", with_article or article, other, None, other_type))


@review.command("split")
@_anchor_options
@_analyst_options
@neo4j_options
@handle_errors
def split(article: str | None, span: str | None, text: str | None, event_type: str | None,
          analyst: str, note: str, neo4j_settings: Neo4jSettings) -> None:
    """Split an article's report out of its event: an incident of its own, whatever the matcher says.

    \b
    Example:
        kg review split --article nechronicle-20241016-malam-fatori --at 0:199 --analyst ana
    """
    _record(neo4j_settings, analyst=analyst, note=note, action="split_event",
            target=_target("event", article, span, text, event_type))


@review.command("retype")
@click.argument("entity")
@click.argument("new_type", type=click.Choice(["Group", "Organisation", "Place", "Person", "Target", "Actor"]))
@_analyst_options
@neo4j_options
@handle_errors
def retype(entity: str, new_type: str, analyst: str, note: str, neo4j_settings: Neo4jSettings) -> None:
    """Give an entity another type (an NGO typed Person becomes an Organisation).

    \b
    Example:
        kg review retype person:hadin-kai Organisation --note 'a military operation' --analyst ana
    """
    _record(neo4j_settings, analyst=analyst, note=note, action="retype",
            target={"kind": "entity", "entity": entity}, value=new_type)


@review.command("add")
@click.option("--type", "rel_type", required=True, help="Relation type, e.g. PERPETRATED.")
@click.option("--source", required=True, help="An entity id, or event/figure/quote.")
@click.option("--target", "rel_target", required=True, help="An entity id, or event/figure/quote.")
@_anchor_options
@_analyst_options
@neo4j_options
@handle_errors
def add(rel_type: str, source: str, rel_target: str, article: str | None, span: str | None,
        text: str | None, event_type: str | None, analyst: str, note: str,
        neo4j_settings: Neo4jSettings) -> None:
    """Add a missing fact; `--at` is its evidence span in the article.

    \b
    Example:
        kg review add --type PERPETRATED --source group:al-shabaab --target event \\
            --article b8f31a98cec5517b --at 0:243 --analyst ana
    """
    _record(neo4j_settings, analyst=analyst, note=note, action="add",
            target=_target("relation", article, span, text, event_type,
                           type=rel_type, source=source, target=rel_target))


@review.command("undo")
@click.argument("correction_id")
@_analyst_options
@neo4j_options
@handle_errors
def undo(correction_id: str, analyst: str, note: str, neo4j_settings: Neo4jSettings) -> None:
    """Take a correction back (kept in the log as undone, with an undo record).

    \b
    Example:
        kg review undo correction:0a1b2c3d4e5f6a7b --analyst ana
    """
    from kg.cli.graph_commands import _driver
    from kg.review.service import undo as run_undo

    with _driver(neo4j_settings) as driver:
        done = run_undo(driver, correction_id, analyst, note, database=neo4j_settings.database)
    click.echo(f"Undone {correction_id}; reloaded {len(done.reloaded)} article(s).")


@review.command("apply")
@neo4j_options
@handle_errors
def apply(neo4j_settings: Neo4jSettings) -> None:
    """Apply corrections recorded in Neo4j Browser (cypher/review/) by reloading their articles.

    \b
    Example:
        kg review apply
    """
    from kg.cli.graph_commands import _driver
    from kg.review.service import apply_recorded

    with _driver(neo4j_settings) as driver:
        done = apply_recorded(driver, database=neo4j_settings.database)
    click.echo(f"Applied {len(done.new)} correction(s); reloaded {len(done.reloaded)} article(s).")


@review.command("log")
@click.option("--analyst", default=None, help="Only this analyst's corrections.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), default=None,
              help="Only corrections made on or after this date (UTC).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@neo4j_options
@handle_errors
def log(analyst: str | None, since: dt.datetime | None, fmt: str, neo4j_settings: Neo4jSettings) -> None:
    """List corrections, oldest first, with their status (applied, orphaned, pending, undone).

    \b
    Example:
        kg review log --analyst ana --since 2025-03-01
    """
    from kg.cli.graph_commands import _driver
    from kg.review.service import listing

    since_utc = since.replace(tzinfo=dt.UTC) if since else None
    with _driver(neo4j_settings) as driver:
        rows = listing(driver, analyst=analyst, since=since_utc, database=neo4j_settings.database)
    for correction, status, reason in rows:
        if fmt == "json":
            click.echo(json.dumps({**correction.model_dump(mode="json", exclude_none=True),
                                   "status": status, "reason": reason}, ensure_ascii=False))
            continue
        what = correction.target.describe() if correction.target else f"undo {correction.value}"
        click.echo(f"{correction.id}  {correction.at:%Y-%m-%d %H:%M}  {correction.analyst:<12} "
                   f"{correction.action:<14} {status:<8} {what}" + (f"  ({reason})" if reason else ""))


@review.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@neo4j_options
@handle_errors
def export(path: Path, neo4j_settings: Neo4jSettings) -> None:
    """Write every correction to a JSONL file (one per line, oldest first), for version control.

    \b
    Example:
        kg review export corrections.jsonl
    """
    from kg.cli.graph_commands import _driver
    from kg.review.service import export_file

    with _driver(neo4j_settings) as driver:
        count = export_file(driver, path, database=neo4j_settings.database)
    click.echo(f"Exported {count} correction(s) to {path}.")


@review.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@neo4j_options
@handle_errors
def import_(path: Path, neo4j_settings: Neo4jSettings) -> None:
    """Record the corrections of a JSONL file; all or nothing (a bad line is named, nothing applied).

    Articles not in the graph yet get their corrections when they are ingested.

    \b
    Example:
        kg review import corrections.jsonl && kg ingest examples/articles
    """
    from kg.cli.graph_commands import _driver
    from kg.review.service import import_file

    with _driver(neo4j_settings) as driver:
        done = import_file(driver, path, database=neo4j_settings.database)
    click.echo(f"Imported {len(done.new)} new correction(s); reloaded {len(done.reloaded)} article(s).")


@review.command("queue")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N items.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@neo4j_options
@handle_errors
def queue(limit: int | None, fmt: str, neo4j_settings: Neo4jSettings) -> None:
    """What most needs a human, ranked (docs/review.md), each with its evidence and the fix.

    Orphaned corrections come first: decisions that no longer apply since their article changed.

    \b
    Example:
        kg review queue --limit 20
        kg review queue --format csv > queue.csv
    """
    from kg.cli.graph_commands import _driver
    from kg.neo4j.queries import QueryResult, format_rows
    from kg.review.queue import review_queue

    with _driver(neo4j_settings) as driver:
        items = review_queue(driver, limit=limit, database=neo4j_settings.database)
    rows = [item.row() for item in items]
    if fmt == "table":
        for rank, item in enumerate(items, start=1):
            click.echo(f"{rank:>3}. [{item.check}] {item.what}  ({item.subject}, {item.articles} article(s))")
            if item.evidence:
                click.echo(f"     \"{item.evidence[:160]}\"")
            click.echo(f"     fix: {item.fix}")
        if not items:
            click.echo("Nothing to review.")
        return
    columns = list(rows[0]) if rows else ["weight", "check", "subject", "articles", "what", "article",
                                          "start", "end", "evidence", "fix"]
    click.echo(format_rows(QueryResult(columns, rows), fmt))


@review.command("show")
@click.argument("event_id")
@neo4j_options
@handle_errors
def show(event_id: str, neo4j_settings: Neo4jSettings) -> None:
    """An event with each article's report and evidence offsets (the anchors for `--at`).

    \b
    Example:
        kg review show event:3f2a9c0d1e2b4a5c
    """
    from kg.cli.graph_commands import _driver
    from kg.review.inspect import show_event

    with _driver(neo4j_settings) as driver:
        view = show_event(driver, event_id, database=neo4j_settings.database)
    p = view.properties
    reviewed = f"  reviewed by {', '.join(p.get('reviewed_by', []))}" if p.get("reviewed") else ""
    click.echo(f"{view.id}  {p.get('label')}  [{p.get('type')}]  {p.get('date') or 'no date'}{reviewed}")
    for name in sorted(k for k in p if k.startswith("original_")):
        click.echo(f"  {name}: {p[name]}  (extractor)")
    for report in view.reports:
        click.echo(f"report in {report['article']} ({report['type']}, {report['date'] or 'no date'}): {report['title']}")
        for text, start, end in zip(report["evidence"], report["starts"], report["ends"], strict=False):
            click.echo(f"  --article {report['article']} --at {start}:{end}  \"{' '.join(text.split())[:140]}\"")
    for fact in view.facts:
        arrow = f"-{fact['type']}-> {fact['other']}" if fact["outgoing"] else f"<-{fact['type']}- {fact['other']}"
        click.echo(f"  {arrow}  {fact['name']}  (articles: {', '.join(sorted(set(fact['articles'] or [])))})")
    for c in view.corrections:
        click.echo(f"  correction {c['id']} by {c['analyst']}: {c['action']} {c['field'] or ''} {c['value']}  {c['note']}")
