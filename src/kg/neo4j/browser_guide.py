"""Neo4j Browser that opens ready: the project's style applied and a guide to the query library
shown as soon as an analyst connects to the managed server, with nothing to drag or paste.

How, with what Neo4j 5.26 and Browser 5.24 support (checked in their jars):
- Neo4j serves Browser from `<home>/web/neo4j-browser*.zip` when that directory holds one
  (`internal.dbms.web_dir_path`, default `web`); otherwise from the Browser jar. The zip written
  here is the jar's `browser/` tree plus `browser/kg/style.grass` and `browser/kg/guide.html`,
  so both come from the same origin as Browser itself.
- `browser.post_connect_cmd` runs Browser commands after every connect, `;`-separated and
  without their colon: `style URL` loads a grass file, `play URL` opens a guide. Browser fetches
  both only from hosts in `browser.remote_content_hostname_whitelist` (its 5.x name).
- A guide is HTML with `<slide>` sections; a `pre.runnable` block is put into the editor when
  clicked. Each library query has two: one `:param {…}` command with the `Demo:` values (they
  show rows on the example articles), then the query. (One block holding both would run as a
  multi-statement frame that hides the rows behind a click.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import zipfile
from importlib import resources
from pathlib import Path

from kg.neo4j.queries import NamedQuery, library

ZIP_NAME = "neo4j-browser.zip"  # matches Neo4j's `neo4j-browser*.zip` artefact pattern
GUIDE_PATH = "kg/guide.html"
STYLE_PATH = "kg/style.grass"
_STAMP = ".kg-browser-stamp"
# The first query to try, as `make demo` and the README give it.
FIRST_GRAPH = ("MATCH (g:Group)-[c:CLAIMED_RESPONSIBILITY]->(e:Event)-[:OCCURRED_IN]->(p:Place)\n"
               "RETURN g, c, e, p")
# The guide's first query pages, in this order (the others follow by name): where, who, what
# was said, what numbers.
FIRST_QUERIES = ("place-events", "events-by-group", "who-said-what", "figures-per-event",
                 "timeline", "events-by-acled-type")


def style_text() -> str:
    """The shipped Browser style (cypher/browser-style.grass)."""
    return resources.files("kg").joinpath("resources/cypher/browser-style.grass").read_text("utf-8")


_RULE = re.compile(r"([\w.*-]+)\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")


def style_rules(grass: str | None = None) -> dict[str, dict[str, str]]:
    """The grass file as `{selector: {property: value}}`, captions without their quotes."""
    rules: dict[str, dict[str, str]] = {}
    for selector, body in _RULE.findall(grass if grass is not None else style_text()):
        declarations = rules.setdefault(selector, {})
        for declaration in body.split(";"):
            key, sep, value = declaration.partition(":")
            if sep:
                declarations[key.strip()] = value.strip().strip("'\"")
    return rules


def style_command() -> str:
    """The style as one `:style {JSON}` line. Browser reads JSON before grass, and JSON has no
    semicolons: the editor splits a pasted multi-line grass text at its semicolons into many
    commands, which leaves Browser with a broken style it keeps across reloads."""
    return ":style " + json.dumps(style_rules(), ensure_ascii=False, separators=(",", ":"))


def conf_lines(http_port: int) -> dict[str, str]:
    """neo4j.conf settings that make Browser load the style and open the guide on connect."""
    base = f"http://127.0.0.1:{http_port}/browser"
    return {
        "browser.post_connect_cmd": f"style {base}/{STYLE_PATH}; play {base}/{GUIDE_PATH}",
        "browser.remote_content_hostname_whitelist": "127.0.0.1,localhost",
    }


def _param_literal(value: object) -> str:
    """A value as Browser's `:param` syntax reads it."""
    if value is None:
        return "null"
    if isinstance(value, dt.date):
        return f'date("{value.isoformat()}")'
    return json.dumps(value, ensure_ascii=False)


def param_command(query: NamedQuery) -> str | None:
    """One `:param {…}` command that sets every parameter of `query` to its demo value."""
    if not query.parameters:
        return None
    values = ", ".join(f"{name}: {_param_literal(value)}" for name, value in query.demo.items())
    return f":param {{{values}}}"


def query_body(query: NamedQuery) -> str:
    """The query without its header comments, as the guide's runnable block holds it."""
    return "\n".join(line for line in query.text.splitlines() if not line.startswith("//")).strip()


def guide_html(queries: dict[str, NamedQuery] | None = None) -> str:
    """The guide: a first slide on how to start, then one slide per library query."""
    queries = queries if queries is not None else library()
    first = """<slide class="row-fluid">
<h3>kg: conflict events from the news</h3>
<p>The graph holds <b>Articles</b> and what they report: <b>Events</b> with their place and date,
the <b>Groups</b>, <b>Organisations</b>, unnamed <b>Actors</b> and <b>People</b> involved, the
<b>Figures</b> (killed, wounded, abducted…) each source gave, and <b>Quotes</b>.
Every relationship keeps the articles and sentences that state it.</p>
<p>Click a block to put it into the editor, then run it (Ctrl+Enter). The next pages hold the
analyst queries of <code>cypher/queries/</code>, their parameters set for the example articles;
change a <code>:param</code> line to ask about something else. Names match without case or
accents; leave <code>from</code>/<code>to</code> null for all time.</p>
""" + _runnable(FIRST_GRAPH) + """
<p>The style (captions and colours) is loaded when you connect. To load it again, or on another
server, click and run:</p>
""" + _runnable(style_command()) + """
</slide>
"""
    slides = [first]
    ordered = [queries[n] for n in FIRST_QUERIES if n in queries]
    ordered += [q for n, q in queries.items() if n not in FIRST_QUERIES]
    for query in ordered:
        params = "".join(
            f"<li><code>{p.name}</code> ({p.type}{', optional' if p.optional else ''}): "
            f"{html.escape(p.description)}</li>" for p in query.parameters)
        slides.append(
            f'<slide class="row-fluid">\n<h3>{html.escape(query.name)}</h3>\n'
            f"<p>{html.escape(query.question)}</p>\n"
            + (f"<ul>{params}</ul>\n<p>1. Set the parameters (edit the values to ask about "
               f"something else):</p>\n{_runnable(command)}<p>2. Run the query:</p>\n"
               if params and (command := param_command(query)) else "")
            + f"{_runnable(query_body(query))}</slide>\n")
    return '<article class="guide">\n' + "".join(slides) + "</article>\n"


def _runnable(text: str) -> str:
    return f'<pre class="pre-scrollable code runnable">{html.escape(text)}</pre>\n'


def write_browser_zip(home: Path, browser_jar: Path) -> Path:
    """Write `<home>/web/neo4j-browser.zip`: Browser's files plus the style and the guide.

    Rewritten only when the jar, the style or the library changed (a stamp beside it)."""
    guide, style = guide_html(), style_text()
    stamp = hashlib.sha256(
        f"{browser_jar.resolve()}\n{browser_jar.stat().st_size}\n{guide}\n{style}".encode()).hexdigest()
    web = home / "web"
    target, stamp_file = web / ZIP_NAME, web / _STAMP
    if target.is_file() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return target
    web.mkdir(exist_ok=True)
    partial = web / (ZIP_NAME + ".partial")  # not matched by Neo4j's pattern while written
    with zipfile.ZipFile(browser_jar) as jar, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED,
                                                                  compresslevel=1) as out:
        # Neo4j serves the directory named by the archive's first entry, and creates each
        # file's directory only from a directory entry that comes before it.
        directories: set[str] = set()

        def add(name: str, data: bytes) -> None:
            parts = name.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                directory = "/".join(parts[:depth]) + "/"
                if directory not in directories:
                    directories.add(directory)
                    out.writestr(directory, b"")
            out.writestr(name, data)

        for info in jar.infolist():
            if info.filename.startswith("browser/") and not info.is_dir():
                add(info.filename, jar.read(info))
        add(f"browser/{STYLE_PATH}", style.encode())
        add(f"browser/{GUIDE_PATH}", guide.encode())
    partial.replace(target)
    stamp_file.write_text(stamp)
    return target
