"""The analyst query library: `cypher/queries/*.cypher`, loaded and run by name.

Each file starts with a header comment giving the question, the parameters with their types
(`string`, `int`, `float`, `bool`, `date`, `list`, or a string that names something in the
graph: `place`, `group`, `actor`, `event`, `country`; a trailing `?` makes one optional, bound
to null when not given) and an example `:param` line per parameter for Neo4j Browser. An
optional `Demo:` section gives `:param` lines that show rows on the demo graph (`make demo`,
the articles in examples/); the Browser guide and the README use those. `kg query NAME -p key=value` parses values by those types; the example
values are what the tests run every query with. Queries are read-only and run in managed read
transactions. The files ship inside the package (`kg/resources/cypher`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import neo4j

from kg.errors import ConfigError
from kg.neo4j.sessions import quiet_session

# Strings that name a node: the kind tells `kg.neo4j.query_hints` where to look when a query
# finds nothing.
ENTITY_TYPES = ("place", "group", "actor", "event", "country")
TYPES = ("string", "int", "float", "bool", "date", "list", *ENTITY_TYPES)
# What `-p name=…` expects, said in every parameter error.
EXPECTED = {
    "int": "a whole number, e.g. 10",
    "float": "a number, e.g. 30.18",
    "bool": "true or false",
    "date": "a date as YYYY-MM-DD, e.g. 2025-03-12",
    "list": "comma-separated values, e.g. BLA,TTP",
}
_PARAM = re.compile(r"^//\s+(\w+):\s*(\w+)(\??)\s*(.*)$")
_EXAMPLE = re.compile(r"^//\s+:param\s+(\w+)\s*=>\s*(.+?)\s*$")
_DATE_CALL = re.compile(r'^date\("(\d{4}-\d{2}-\d{2})"\)$')


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str
    example: Any
    optional: bool = False

    def parse(self, raw: str) -> Any:
        """A command-line value (`-p name=raw`) as this parameter's type."""
        try:
            if self.type == "int":
                return int(raw)
            if self.type == "float":
                return float(raw)
            if self.type == "bool":
                if raw.lower() not in ("true", "false", "yes", "no", "1", "0"):
                    raise ValueError(raw)
                return raw.lower() in ("true", "yes", "1")
            if self.type == "date":
                return dt.date.fromisoformat(raw)
            if self.type == "list":
                return [item.strip() for item in raw.split(",") if item.strip()]
        except ValueError as exc:
            raise ConfigError(f"parameter {self.name}: {raw!r} is not a valid {self.type}; "
                              f"give {EXPECTED[self.type]}") from exc
        return raw


@dataclass(frozen=True)
class NamedQuery:
    name: str
    question: str
    parameters: tuple[Parameter, ...]
    text: str  # the whole file: header comments and Cypher

    demo_values: tuple[tuple[str, Any], ...] = ()

    @property
    def example(self) -> dict[str, Any]:
        return {p.name: p.example for p in self.parameters}

    @property
    def demo(self) -> dict[str, Any]:
        """Values for the demo graph: the `Demo:` lines, else the example (None for an
        optional parameter, which then leaves its filter off)."""
        given = dict(self.demo_values)
        return {p.name: given.get(p.name, None if p.optional else p.example) for p in self.parameters}

    def bind(self, raw: Mapping[str, str]) -> dict[str, Any]:
        """Typed parameters from `name=value` strings; optional ones not given are None."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ConfigError(f"query {self.name} has no parameter {', '.join(unknown)}; "
                              f"it takes: {', '.join(known) or 'none'}")
        missing = [name for name, p in known.items() if name not in raw and not p.optional]
        if missing:
            raise ConfigError(f"query {self.name} needs "
                              f"{', '.join('-p ' + m + '=<' + known[m].type + '>' for m in missing)}")
        bound: dict[str, Any] = {name: None for name in known}
        bound.update({name: known[name].parse(value) for name, value in raw.items()})
        return bound


def query_dir() -> Traversable:
    """Where the query files are: the package's copy of `cypher/queries`."""
    return resources.files("kg").joinpath("resources/cypher/queries")


@cache
def library() -> dict[str, NamedQuery]:
    """Every named query, by name (the file name without `.cypher`)."""
    queries = {}
    for entry in query_dir().iterdir():
        if entry.name.endswith(".cypher"):
            query = parse_query(entry.name.removesuffix(".cypher"), entry.read_text("utf-8"))
            queries[query.name] = query
    return dict(sorted(queries.items()))


def get_query(name: str) -> NamedQuery:
    queries = library()
    if name not in queries:
        raise ConfigError(f"no query named {name!r}; `kg query --list` shows them")
    return queries[name]


def parse_query(name: str, text: str) -> NamedQuery:
    """Read a query file's header: `Question:`, `Parameters:` and `Example:` sections."""
    question: list[str] = []
    params: list[tuple[str, str, bool, str]] = []
    examples: dict[str, Any] = {}
    demo: dict[str, Any] = {}
    section = None
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        body = line[2:].strip()
        if body.startswith("Question:"):
            section = "question"
            question.append(body.removeprefix("Question:").strip())
        elif body.startswith("Parameters:"):
            section = "parameters"
        elif body.startswith("Example:"):
            section = "example"
        elif body.startswith("Demo"):
            section = "demo"
        elif section == "question" and body:
            question.append(body)
        elif section == "parameters" and (match := _PARAM.match(line)):
            pname, ptype, optional, description = match.groups()
            if ptype not in TYPES:
                raise ConfigError(f"query {name}: parameter {pname} has unknown type {ptype!r}")
            params.append((pname, ptype, bool(optional), description.strip()))
        elif section == "example" and (match := _EXAMPLE.match(line)):
            examples[match.group(1)] = _literal(name, match.group(2))
        elif section == "demo" and (match := _EXAMPLE.match(line)):
            demo[match.group(1)] = _literal(name, match.group(2))
    if not question:
        raise ConfigError(f"query {name}: the header lacks a `// Question:` line")
    missing = [p for p, _, _, _ in params if p not in examples]
    if missing:
        raise ConfigError(f"query {name}: no example `:param` line for {', '.join(missing)}")
    parameters = tuple(Parameter(p, t, d, examples[p], o) for p, t, o, d in params)
    unknown = sorted(set(demo) - {p.name for p in parameters})
    if unknown:
        raise ConfigError(f"query {name}: a `Demo:` line sets {', '.join(unknown)}, not a parameter")
    return NamedQuery(name, " ".join(question), parameters, text, tuple(demo.items()))


def _literal(name: str, text: str) -> Any:
    """The value of an example `:param` expression (the small subset the headers use)."""
    if match := _DATE_CALL.match(text):
        return dt.date.fromisoformat(match.group(1))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"query {name}: cannot read example value {text}") from exc


# ---------------------------------------------------------------------------------------------
# Running


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]]


def run_query(driver: neo4j.Driver, name: str, params: Mapping[str, Any] | None = None, *,
              database: str | None = None) -> QueryResult:
    """Run a library query in a read transaction; values become plain Python (see `plain`)."""
    query = get_query(name)
    bound = dict(params or {})

    def work(tx: neo4j.ManagedTransaction) -> QueryResult:
        result = tx.run(query.text, bound)
        columns = list(result.keys())
        return QueryResult(columns, [{k: plain(v) for k, v in r.items()} for r in result])

    with quiet_session(driver, database) as session:
        return session.execute_read(work)


_STATS = {
    "labels": "MATCH (n) UNWIND labels(n) AS name RETURN name, count(*) AS count ORDER BY name",
    "relationships": "MATCH ()-[r]->() RETURN type(r) AS name, count(*) AS count ORDER BY name",
}


def graph_stats(driver: neo4j.Driver, *, database: str | None = None) -> dict[str, dict[str, int]]:
    """Node counts by label and relationship counts by type (`kg stats`)."""

    def work(tx: neo4j.ManagedTransaction) -> dict[str, dict[str, int]]:
        return {kind: {r["name"]: r["count"] for r in tx.run(text)} for kind, text in _STATS.items()}

    with quiet_session(driver, database) as session:
        return session.execute_read(work)


def plain(value: Any) -> Any:
    """Neo4j values as JSON-friendly Python: temporal → ISO text, points → {latitude, longitude},
    nodes and relationships → their properties."""
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, neo4j.spatial.WGS84Point):
        return {"latitude": value.latitude, "longitude": value.longitude}
    if hasattr(value, "iso_format"):  # neo4j.time Date, DateTime, Time, Duration
        return value.iso_format()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def format_rows(result: QueryResult, fmt: str) -> str:
    """`table`, `json` (a list of objects) or `csv`. Table and CSV cells are plain text: lists
    joined, maps as `key: value`, line breaks collapsed; JSON keeps the structure."""
    if fmt == "json":
        return json.dumps(result.rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([cell_text(row[c]) for c in result.columns])
        return buffer.getvalue().rstrip("\n")
    return _table(result.columns, [[cell_text(row[c]) for c in result.columns] for row in result.rows])


def cell_text(value: Any) -> str:
    """One value as a single line of text for a table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        separator = "; " if any(isinstance(v, dict | list) for v in value) else ", "
        return separator.join(text for v in value if (text := cell_text(v)))
    if isinstance(value, dict):
        return ", ".join(f"{k}: {text}" for k, v in value.items() if (text := cell_text(v)))
    return " ".join(str(value).split())


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join([line.rstrip(), rule, *body])
