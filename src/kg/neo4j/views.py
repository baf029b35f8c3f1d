"""An entity node's properties, derived from every article's view of it.

Each article's view of an entity (its name, kind, country, coordinates… as that article gives
them) is kept on its `MENTIONS`; the node's properties are the values most articles give, so
the graph does not depend on the order articles were loaded in. Pure: the loader counts the
views in the database (`views_of`, `kg.neo4j.statements`) and passes the counts here, or, for
an entity its transaction created, counts the views it is writing (`count_views`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kg.ids import slug


def _mode(counts: Mapping[Any, int]) -> Any:
    """The most frequent value; ties go to the smallest, so the order of articles never matters."""
    if not counts:
        return None
    best = max(counts.values())
    return min((v for v, c in counts.items() if c == best), key=lambda v: (str(type(v)), v))


_VIEW_KEYS = ("name", "kind", "country", "role", "gazetteer_id", "precision")


def count_views(views: Iterable[Mapping[str, Any]]) -> tuple[list[tuple[str, Any, int]], set[str]]:
    """(property, value, number of views) triples and the surface forms of some articles'
    views (`kg.neo4j.rows.mention_snapshot`): what `views_of` counts from their MENTIONS."""
    tally: Counter[tuple[str, Any]] = Counter()
    aliases: set[str] = set()
    for view in views:
        for key in _VIEW_KEYS:
            if view.get(key) is not None:
                tally[(key, view[key])] += 1
        if view.get("latitude") is not None and view.get("longitude") is not None:
            tally[("coordinates", (view["latitude"], view["longitude"]))] += 1
        aliases.update(view.get("aliases") or ())
    return [(key, value, number) for (key, value), number in tally.items()], aliases


def agrees(node: Mapping[str, Any], view: Mapping[str, Any]) -> bool:
    """Whether an article's view of an entity only repeats the node's derived properties."""
    if not node.get("name"):
        return False  # a new node: nothing derived yet
    for key in _VIEW_KEYS:
        if view.get(key) is not None and view[key] != node.get(key):
            return False
    if view.get("latitude") is not None and view.get("longitude") is not None and (
            (view["latitude"], view["longitude"]) != (node.get("latitude"), node.get("longitude"))):
        return False
    return set(view.get("aliases") or ()) <= {*(node.get("aliases") or ()), node["name"]}


def entity_properties(node_id: str, counts: Iterable[Sequence[Any]],
                       aliases: Iterable[str]) -> dict[str, Any]:
    """An entity node's properties from how often the articles' MENTIONS give each value.

    `counts` holds (property, value, number of articles) triples (the `views_of` statement, `kg.neo4j.statements`).
    """
    tally: dict[str, Counter[Any]] = defaultdict(Counter)
    for key, value, number in counts:
        tally[key][tuple(value) if isinstance(value, list) else value] += number
    names = tally["name"]
    # A name that is what the id was made from beats one merged in by the alias file ("BLA").
    tail = node_id.rsplit(":", 1)[-1]
    keyed = {n: c for n, c in names.items() if slug(n) == tail}
    name = _mode(keyed or names)
    coordinates = _mode(tally["coordinates"])
    props = {key: _mode(tally[key]) for key in ("kind", "country", "role", "gazetteer_id", "precision")}
    props.update(
        name=name,
        aliases=sorted((set(aliases) | set(names)) - {name}),
        latitude=coordinates[0] if coordinates else None,
        longitude=coordinates[1] if coordinates else None,
    )
    return props
