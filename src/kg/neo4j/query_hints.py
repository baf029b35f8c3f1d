"""Why a library query found nothing: which parameter matched nothing in the graph, with the
nearest names it does hold, or, when every name matched, which filters were in force.

Names are compared as the queries compare them (`cypher/queries/*.cypher`): case and accents
ignored, aliases and ids count; an event parameter matches words of an event's label.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import neo4j

from kg.neo4j.queries import ENTITY_TYPES, NamedQuery
from kg.neo4j.sessions import quiet_session
from kg.schema import Label

_ACTORS = [Label.GROUP, Label.ORGANISATION, Label.PERSON, Label.PLACE, Label.TARGET, Label.ACTOR]
_LABELS: dict[str, list[Label]] = {
    "place": [Label.PLACE],
    "group": [Label.GROUP],
    "actor": _ACTORS,
    "event": [Label.EVENT],
    "country": [Label.PLACE],
}
_NAMES = """
MATCH (n) WHERE any(label IN labels(n) WHERE label IN $labels)
  AND ($countries_only = false OR n.kind = "country")
RETURN n.id AS id, coalesce(n.name, n.label) AS name, coalesce(n.aliases, []) AS aliases,
       n.country AS country
"""
_DATES = "MATCH (e:Event) WHERE e.date IS NOT NULL RETURN min(e.date) AS first, max(e.date) AS last"


def name_key(text: str) -> str:
    """Lower case without accents: what the queries' `reduce(… normalize(…, NFD) …)` computes."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


@dataclass(frozen=True)
class _Name:
    shown: str
    keys: tuple[str, ...]
    ids: tuple[str, ...]


def explain_empty(driver: neo4j.Driver, query: NamedQuery, bound: Mapping[str, Any], *,
                  database: str | None = None) -> list[str]:
    """Lines saying why `query` with `bound` returned no rows."""
    lines = []
    with quiet_session(driver, database) as session:
        for parameter in query.parameters:
            value = bound.get(parameter.name)
            if parameter.type not in ENTITY_TYPES or not isinstance(value, str):
                continue
            names = _names(session, parameter.type)
            if not any(_matches(parameter.type, value, name) for name in names):
                lines.append(f"{parameter.name}={value!r} matches no {parameter.type} in the graph"
                             + _suggest(value, names))
        if lines:
            return lines
        given = ", ".join(f"{k}={v}" for k, v in bound.items() if v is not None) or "no parameters"
        lines.append(f"every name matched, but nothing answers {given}")
        if any(p.type == "date" and bound.get(p.name) is not None for p in query.parameters):
            span = session.execute_read(lambda tx: tx.run(_DATES).single())
            if span and span["first"] is not None:
                lines.append(f"events in the graph are dated {span['first']} to {span['last']}; "
                             "leave out -p from/-p to for all time")
    return lines


def _names(session: neo4j.Session, kind: str) -> list[_Name]:
    labels = [label.value for label in _LABELS[kind]]
    rows = session.execute_read(lambda tx: list(tx.run(
        _NAMES, labels=labels, countries_only=kind == "country")))
    names = []
    for row in rows:
        shown = row["name"] or row["id"]
        keys = tuple(name_key(n) for n in [shown, *row["aliases"]] if n)
        ids = (row["id"], *([row["country"]] if kind == "country" and row["country"] else []))
        names.append(_Name(shown, keys, tuple(i for i in ids if i)))
    return names


def _matches(kind: str, value: str, name: _Name) -> bool:
    if value in name.ids or (kind == "country" and value.upper() in name.ids):
        return True
    wanted = name_key(value)
    if kind == "event":  # words of the label
        return wanted in name.keys[0]
    return wanted in name.keys


def _suggest(value: str, names: list[_Name]) -> str:
    wanted = name_key(value)
    by_key: dict[str, str] = {}
    for name in names:
        for key in name.keys:
            by_key.setdefault(key, name.shown)
    close = difflib.get_close_matches(wanted, list(by_key), n=5, cutoff=0.7)
    partial = [k for k in sorted(by_key) if len(wanted) >= 3 and (wanted in k or k in wanted)]
    shown = list(dict.fromkeys(by_key[k] for k in [*close, *partial]))[:5]
    return f"; near: {', '.join(shown)}" if shown else ""
